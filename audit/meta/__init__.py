"""Page metadata: what a fetched body says about itself, and its main text.

`digest()` is the one entry point. The fetch engine calls it on every fetched body and caches
what it returns (never the body). It decodes the body (charset from the headers, then
`<meta charset>`, then UTF-8 with replacement), parses it once with lxml, runs the structured
probes (JSON-LD, meta, `<time>`, URL), falls back to htmldate for the date (labelled
`heuristic`), and extracts the main text. PDFs go to `pdf.py`; any other type is unknowns.
It never raises on a bad body.
"""

from __future__ import annotations

import codecs
import copy
import re
import warnings
from collections.abc import Mapping

from lxml import etree, html

from audit.meta import structured, text, title
from audit.meta.pdf import digest_pdf
from audit.model import PageMeta

__all__ = ["decode_body", "digest", "digest_html"]

EXTRACTOR_VERSION = "2"
"""Part of the result cache's key (`audit.fetch.cache`): raise it when `digest` reads a page
differently, so that pages cached by the old reading are fetched and read again. 2: a title
ending with the host's name gives the site name."""

MAX_HTML_BYTES = 5 * 1024 * 1024
"""Bytes of HTML parsed; the fetcher caps bodies too, but digest may be called directly."""

_META_SNIFF_BYTES = 4096
"""Where a <meta charset> must appear: the HTML standard says within the first 1024 bytes; pages
with a long inline style before it exist, so look a little further."""

_CHARSET_IN_TYPE = re.compile(rb"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)

# The WHATWG encoding standard maps these labels to supersets; browsers decode them so.
_SUPERSETS = {
    "shift_jis": "cp932",
    "sjis": "cp932",
    "ms_kanji": "cp932",
    "euc_kr": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "latin_1": "cp1252",
    "iso8859_1": "cp1252",
    "ascii": "cp1252",
    "iso8859_9": "cp1254",
    "tis_620": "cp874",
}


def _codec(label: str | bytes | None) -> str | None:
    """A Python codec name for a charset label, or None if unknown."""
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "ignore")
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None
    return _SUPERSETS.get(name.replace("-", "_"), name)


def decode_body(body: bytes, headers: Mapping[str, str] | None = None) -> str:
    """The body as text: BOM, then the Content-Type charset, then <meta charset>, then UTF-8."""
    return _decode(body, headers)[0]


def _decode(body: bytes, headers: Mapping[str, str] | None) -> tuple[str, str]:
    """`decode_body`, and the codec it used."""
    for bom, bom_codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if body.startswith(bom):
            return body.decode(bom_codec, errors="replace"), bom_codec
    ctype = _header(headers, "content-type") or ""
    m = _CHARSET_IN_TYPE.search(ctype.encode("latin-1", "ignore"))
    name: str | None = _codec(m.group(1)) if m else None
    if name is None:
        m = _META_CHARSET.search(body[:_META_SNIFF_BYTES])
        name = _codec(m.group(1)) if m else None
    # A page that declares UTF-16 in a meta tag is not UTF-16 (the tag itself was ASCII).
    if name is None or name.startswith("utf_16") or name.startswith("utf-16"):
        name = "utf-8"
    try:
        return body.decode(name, errors="replace"), name
    except LookupError:  # pragma: no cover - _codec only returns known codecs
        return body.decode("utf-8", errors="replace"), "utf-8"


_UTF8 = frozenset({"utf-8", "utf_8", "utf8", "ascii", "us-ascii"})


def _header(headers: Mapping[str, str] | None, name: str) -> str | None:
    if not headers:
        return None
    for key, value in headers.items():
        if isinstance(key, str) and key.lower() == name:
            return value if isinstance(value, str) else None
    return None


def _parse(markup: str, utf8: bytes | None = None) -> etree._Element | None:
    # UTF-8 bytes, and say so: lxml refuses str input with an XML encoding declaration. `utf8`,
    # when given, is `markup` already encoded (the body as fetched): encoding a 150 KB page
    # again cost a sixth of its digest.
    if utf8 is None:
        utf8 = markup.encode("utf-8", errors="replace")
    data = utf8.replace(b"\x00", b"")
    if not data.strip():
        return None
    parser = html.HTMLParser(encoding="utf-8", recover=True, no_network=True, huge_tree=False)
    try:
        root = html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError, etree.XMLSyntaxError):
        return None
    return root if root is not None else None


def _heuristic_date(tree: etree._Element, url: str | None) -> str | None:
    """htmldate's guess (`original_date=True`, `extensive_search=False`): a fallback only."""
    try:
        from htmldate import find_date
    except ImportError:  # pragma: no cover - htmldate is a dependency
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            found = find_date(
                tree, url=url, original_date=True, extensive_search=False, outputformat="%Y-%m-%d"
            )
        except Exception:  # a heuristic that fails is just no answer
            return None
    return found if isinstance(found, str) else None


def digest_html(
    markup: str,
    url: str | None,
    content_type: str | None = None,
    *,
    want_text: bool = True,
    utf8: bytes | None = None,
) -> tuple[PageMeta, str | None]:
    """PageMeta and main text of an HTML page given as text (no text unless `want_text`).

    `utf8` may give `markup` encoded as UTF-8, when the caller has it, to save encoding it again.
    """
    tree = _parse(markup, utf8)
    if tree is None:
        return PageMeta(content_type=content_type), None
    found = structured.probe(tree, url)
    site_names = [s.value for s in found.site_names]
    cands = title.candidates(found.titles, site_names)
    best = title.best_title(cands)
    published, date_source = (
        (found.published.value, found.published.source) if found.published else (None, None)
    )
    if published is None:
        # htmldate reads the tree; hand it a copy when main_text below will prune ours.
        published = _heuristic_date(copy.deepcopy(tree) if want_text else tree, url)
        date_source = "heuristic" if published else None
    body_text = (text.main_text(tree) or None) if want_text else None
    site = found.site_names[0] if found.site_names else None
    if site is None:
        # No og:site_name or publisher: "… | Example Gazette" on examplegazette.com names it.
        tag = next((t.value for t in found.titles if t.source == "title_tag"), None)
        suffix = title.site_suffix(tag, url) if tag else None
        site = structured.Found(suffix, "title_tag") if suffix else None
    meta = PageMeta(
        title=best.value if best else None,
        title_source=best.source if best else None,
        site_name=site.value if site else None,
        site_name_source=site.source if site else None,
        published=published,
        modified=found.modified.value if found.modified else None,
        modified_source=found.modified.source if found.modified else None,
        date_source=date_source,
        canonical_url=found.canonical_url,
        language=found.language,
        free_to_read=found.free_to_read,
        content_type=content_type,
        title_candidates=tuple((c.source, c.value) for c in cands),
    )
    return meta, body_text


def _kind(content_type: str | None, body: bytes) -> str:
    ctype = (content_type or "").split(";")[0].strip().lower()
    head = body[:1024].lstrip().lower()
    if ctype == "application/pdf" or body[:5] == b"%PDF-":
        return "pdf"
    if "html" in ctype or ctype in ("application/xml", "text/xml"):
        return "html"
    if not ctype and (head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<head" in head):
        return "html"
    return "other"


def digest(
    url: str,
    final_url: str,
    content_type: str | None,
    body: bytes,
    headers: Mapping[str, str],
    *,
    want_text: bool = True,
) -> tuple[PageMeta | None, str | None]:
    """Metadata and main text of one fetched body; unknowns (never an exception) for bad input.

    Without `want_text` an HTML page's main text is not extracted (three quarters of the
    digest's time on a 150 KB news page: 3.1 ms against 0.8): only the quote check reads it.
    """
    try:
        kind = _kind(content_type, body)
        if kind == "pdf":
            return digest_pdf(body, content_type)
        if kind != "html":
            return PageMeta(content_type=content_type), None
        raw = body[:MAX_HTML_BYTES]
        markup, codec = _decode(raw, headers)
        # Bytes that decoded as UTF-8 with nothing replaced are exactly the markup's encoding.
        utf8 = raw if codec in _UTF8 and "\ufffd" not in markup else None
        return digest_html(markup, final_url or url, content_type, want_text=want_text, utf8=utf8)
    except (ValueError, TypeError, LookupError, RecursionError, MemoryError):
        # Last line of defence: a page we cannot read is an unknown page, not a failed run.
        return PageMeta(content_type=content_type), None
