"""docs/citations.md promises these notes headings and marker forms; each is read as promised.

The articles are synthetic, built here.
"""

from __future__ import annotations

import pytest

from audit.extract.html import extract_html
from audit.extract.markdown import extract_markdown
from audit.extract.plaintext import extract_text
from audit.model import ExtractedDocument

HEADINGS = [
    "Footnotes", "Notes", "Endnotes", "References", "Sources", "Works cited", "Bibliography",
    "Citations", "Notes and sources", "Sources and notes", "Notes and references",
    "Sources and references",
]  # fmt: skip

ENTRIES = (
    "1. Example Wire, “Port vote delayed,” 2 May 2025, https://wire.example/port\n"
    "2. Example Daily, “Harbour budget,” 3 May 2025, https://daily.example/harbour\n"
)


def _cited(doc: ExtractedDocument) -> dict[str, int]:
    return {c.marker or "": len(c.uses) for c in doc.citations if c.kind.value == "footnote"}


@pytest.mark.parametrize("heading", HEADINGS)
@pytest.mark.parametrize("style", ["{h}", "{h}:", "{h_upper}"])
def test_every_documented_heading_opens_the_notes_in_text_and_markdown(
    heading: str, style: str
) -> None:
    line = style.format(h=heading, h_upper=heading.upper())
    body = "Title\n\nThe vote was delayed.[1] The budget grew.[2]\n\n"
    text_doc = extract_text("a.txt", f"{body}{line}\n{ENTRIES}", ())
    md_doc = extract_markdown("a.md", f"# {body}## {line}\n\n{ENTRIES}", ())
    assert _cited(text_doc) == {"1": 1, "2": 1}, line
    assert _cited(md_doc) == {"1": 1, "2": 1}, line


@pytest.mark.parametrize(
    "marked",
    ["delayed.¹ It grew.²", "delayed.[1] It grew.[2]", "delayed.¹² More."],
)
def test_the_documented_plain_text_markers(marked: str) -> None:
    doc = extract_text("a.txt", f"Title\n\nThe vote was {marked}\n\nNotes\n{ENTRIES}", ())
    assert _cited(doc) == {"1": 1, "2": 1}


@pytest.mark.parametrize(
    "marked",
    [
        "<sup>1</sup> It grew.<sup>[2]</sup>",
        "<sup>1,2</sup>",
        '<sup><a href="#fn1">1</a></sup> It grew.<a href="#fn2">2</a>',
    ],
)
def test_the_documented_html_markers(marked: str) -> None:
    notes = "".join(
        f'<li id="fn{n}">{entry[3:]}</li>' for n, entry in enumerate(ENTRIES.splitlines(), 1)
    )
    page = (
        f"<html><body><h1>T</h1><p>The vote was delayed.{marked}</p><h2>Notes</h2><ol>{notes}</ol>"
    )
    doc = extract_html("a.html", page + "</body></html>", ())
    assert _cited(doc) == {"1": 1, "2": 1}
