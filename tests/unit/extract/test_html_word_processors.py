"""Footnotes in HTML exported by word processors, found by their links, and wrapped links.

Google Docs, Word and LibreOffice write footnotes as pairs of in-page links (marker to note, note
back to marker) under no "Notes" heading; Google Docs also wraps every link in
google.com/url?q=... The fixtures in tests/fixtures/articles/html are synthetic, shaped like
each program's export.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.checks.structure import structure_findings
from audit.extract.html import extract_html
from audit.model import CitationKind, ExtractedDocument

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "articles" / "html"


def load(name: str) -> ExtractedDocument:
    path = FIXTURES / name
    return extract_html(str(path), path.read_text(encoding="utf-8"), ())


def notes(doc: ExtractedDocument) -> dict[str, tuple[str | None, str | None, str | None]]:
    return {
        c.id: (c.reference.title, c.reference.outlet, c.reference.url)
        for c in doc.citations
        if c.kind is CitationKind.FOOTNOTE
    }


def test_a_google_docs_export_gives_its_footnotes_with_the_links_unwrapped() -> None:
    doc = load("google-docs-export.html")
    assert notes(doc) == {
        "fn-1": (
            "Council approves harbour plan",
            "Example Gazette",
            "https://gazette.example.com/news/harbour-plan",
        ),
        "fn-2": ("Annual Report 2023", None, None),
        # The note's link text is "read it here": the URL is the link's, unwrapped.
        "fn-3": (
            "Why the harbour plan will fail",
            "Example Tribune",
            "https://tribune.example.net/opinion/harbour",
        ),
    }
    by_id = {c.id: c for c in doc.citations}
    assert by_id["fn-2"].reference.authors == ("Port Authority",)
    assert [u.line for u in by_id["fn-1"].uses] == [5]  # the marker in the text, not the note
    inline = [c.reference.url for c in doc.citations if c.kind is CitationKind.INLINE]
    assert inline == ["https://budget.example.org/tables-2024"]
    rules = {f.rule for f in structure_findings(doc)}
    assert "marker-without-entry" not in rules and "entry-never-cited" not in rules


def test_a_numbered_link_whose_target_does_not_link_back_is_not_a_footnote() -> None:
    # "[4]" points at an anchor in a paragraph, but that anchor links elsewhere: a cross-reference,
    # not a note. With the link back, the same paragraph is the note.
    def doc(back: str) -> ExtractedDocument:
        html = (
            '<html><body><p>See the appendix.<sup><a href="#n4" id="r4">[4]</a></sup></p>'
            f'<p><a id="n4" href="{back}">4</a> Example Gazette, “Harbour plan,” 4 March 2024, '
            "https://gazette.example.com/plan</p></body></html>"
        )
        return extract_html("a.html", html, ())

    assert notes(doc("#top")) == {}
    assert notes(doc("#r4")) == {
        "fn-4": ("Harbour plan", "Example Gazette", "https://gazette.example.com/plan")
    }


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "word-export.html",
            {
                "fn-1": (
                    "Summer timetable",
                    "Example Ferries",
                    "https://ferries.example.com/timetable",
                ),
                "fn-2": ("Fares to rise", "Example Post", "https://post.example.com/fares"),
            },
        ),
        (
            "libreoffice-export.html",
            {
                "fn-1": (
                    "Bridge works notice",
                    "City Council",
                    "https://council.example.org/bridge",
                ),
                "fn-2": (
                    "Replacement buses",
                    "Example Transit",
                    "https://transit.example.org/buses",
                ),
            },
        ),
    ],
)
def test_word_and_libreoffice_exports_give_their_footnotes(
    name: str, expected: dict[str, tuple[str, str, str]]
) -> None:
    doc = load(name)
    assert notes(doc) == expected
    assert sorted(m.label for m in doc.markers) == ["1", "2"]
    rules = {f.rule for f in structure_findings(doc)}
    assert "marker-without-entry" not in rules and "entry-never-cited" not in rules


@pytest.mark.parametrize(
    ("fmt", "article"),
    [
        (
            "markdown",
            "# Note\n\nThe plan passed ([report](https://www.google.com/url?q=https://news.example"
            ".com/plan&sa=D)).[^1]\n\n[^1]: Example News, “Plan passes,” 1 May 2024, "
            "https://l.facebook.com/l.php?u=https%3A%2F%2Fnews.example.com%2Fplan2&h=AT0\n",
        ),
        (
            "text",
            "The plan passed, per https://www.google.com/url?q=https://news.example.com/plan&sa=D "
            "today.[1]\n\nNotes\n1. Example News, “Plan passes,” 1 May 2024, "
            "https://l.facebook.com/l.php?u=https%3A%2F%2Fnews.example.com%2Fplan2&h=AT0\n",
        ),
    ],
)
def test_wrapped_links_in_markdown_and_plain_text_are_read_as_their_target(
    fmt: str, article: str
) -> None:
    from audit.extract import extract
    from audit.model import DocFormat

    doc = extract("a", article, DocFormat(fmt), ())
    urls = {c.kind: c.reference.url for c in doc.citations}
    assert urls[CitationKind.INLINE] == "https://news.example.com/plan"
    assert urls[CitationKind.FOOTNOTE] == "https://news.example.com/plan2"


def test_many_linked_notes_cost_linear_time() -> None:
    from growth import assert_linear

    def page(n: int) -> str:
        body = "".join(f'x<sup><a href="#n{i}" id="r{i}">[{i}]</a></sup> ' for i in range(n))
        notes = "".join(f'<p><a href="#r{i}" id="n{i}">[{i}]</a> Note {i}.</p>' for i in range(n))
        return f"<html><body><p>{body}</p>{notes}</body></html>"

    assert_linear(lambda text: extract_html("a.html", text, ()), page, 1600)


def test_a_substack_post_gives_its_footnotes_and_sets_the_subscribe_box_aside() -> None:
    # Substack: `<a class="footnote-anchor" id="footnote-anchor-1" href="#footnote-1">1</a>` in
    # the text, and `<div class="footnote">` notes that link back. Synthetic page.
    html = (
        '<html><body><article><p>The plan passed.<a class="footnote-anchor" '
        'id="footnote-anchor-1" href="#footnote-1">1</a></p>'
        '<div class="subscription-widget-wrap"><a href="https://letters.example.com/subscribe">'
        "Subscribe</a></div>"
        '<div class="footnote"><a id="footnote-1" href="#footnote-anchor-1" '
        'class="footnote-number">1</a><div class="footnote-content"><p>Example Gazette, '
        "“Plan passes,” 1 May 2024, https://gazette.example.com/plan</p></div></div>"
        "</article></body></html>"
    )
    doc = extract_html("post.html", html, ())
    assert notes(doc) == {
        "fn-1": ("Plan passes", "Example Gazette", "https://gazette.example.com/plan")
    }
    assert [m.label for m in doc.markers] == ["1"]
    assert [(i.url, i.reason) for i in doc.ignored_links] == [
        ("https://letters.example.com/subscribe", "share or subscribe link")
    ]


def test_a_word_web_page_export_with_downlevel_conditionals_gives_its_footnotes() -> None:
    # "Save as Web Page" (not filtered): markers and notes inside <![if !supportFootnotes]>.
    doc = load("word-export-unfiltered.html")
    assert notes(doc) == {
        "fn-1": ("Quay reopens after repairs", "Example Port", "https://port.example/quay-reopens"),
        "fn-2": (
            "Traffic doubles at the quay",
            "Example Ledger",
            "https://ledger.example/2025/06/01/quay",
        ),
    }
    contexts = [u.context for c in doc.citations for u in c.uses]
    assert contexts == [
        "The quay reopened in May after a year of repairs.[¹]",
        "Traffic has since doubled.[²]",
    ]
