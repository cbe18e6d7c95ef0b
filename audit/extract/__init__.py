"""Extraction: one decoded article in, an ExtractedDocument (citations, uses, paragraphs) out.

Dispatches on the document's format to the loader for plain text, Markdown or HTML. Pure:
no I/O; the outlet names used to spot unlinked attributions are passed in.
"""

from __future__ import annotations

from collections.abc import Sequence

from audit.model import DocFormat, ExtractedDocument


def extract(
    path: str, text: str, fmt: DocFormat, outlet_names: Sequence[str] = ()
) -> ExtractedDocument:
    """Extract every citation from one article.

    `outlet_names` are the names and aliases an unlinked attribution may use ("Reuters",
    "The New York Times"); the tier list supplies them.
    """
    if fmt is DocFormat.MARKDOWN:
        from audit.extract.markdown import extract_markdown

        return extract_markdown(path, text, outlet_names)
    if fmt is DocFormat.HTML:
        from audit.extract.html import extract_html

        return extract_html(path, text, outlet_names)
    from audit.extract.plaintext import extract_text

    return extract_text(path, text, outlet_names)
