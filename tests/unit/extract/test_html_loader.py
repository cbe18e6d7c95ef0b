"""The HTML loader on synthetic fixture articles (tests/fixtures/articles/html)."""

from __future__ import annotations

from pathlib import Path

from audit.extract.html import extract_html
from audit.model import Citation, CitationKind, ExtractedDocument

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "articles" / "html"


def load(name: str) -> tuple[ExtractedDocument, list[str]]:
    path = FIXTURES / name
    assert path.is_file(), path
    text = path.read_text(encoding="utf-8")
    return extract_html(str(path), text, ()), text.split("\n")


def at(lines: list[str], line: int, column: int) -> str:
    return lines[line - 1][column - 1 :]


def kind(doc: ExtractedDocument, k: CitationKind) -> list[Citation]:
    return [c for c in doc.citations if c.kind is k]


def test_footnotes_section_with_back_links_and_regions() -> None:
    doc, lines = load("footnotes-section.html")
    assert (doc.title, doc.date, doc.author) == (
        "Lighthouse Keepers Return",
        "2025-08-01",
        "Tomas Reyes",
    )
    notes = kind(doc, CitationKind.FOOTNOTE)
    assert [c.marker for c in notes] == ["1", "2", "3", "4"]
    fn1, fn2, fn3, fn4 = notes
    assert [(u.line, u.column) for u in fn1.uses] == [(14, 86), (16, 29)]
    assert [(u.line, u.column) for u in fn2.uses] == [(15, 62), (17, 52)]
    assert at(lines, 17, 52).startswith("2, 3</sup>")
    assert fn1.reference.title == "Keepers back on the rock"
    assert fn1.reference.url == "https://maritime.example/2025/07/11/keepers"
    assert "↩" not in fn1.reference.raw  # the back-link is not part of the entry
    assert fn2.reference.outlet == "Harbour Post" and fn2.reference.date == "2025-06-02"
    assert fn2.reference.url == "https://harbourpost.example/pilot"
    assert fn3.reference.accessed == "2025-07"
    assert fn4.uses == ()
    assert (fn1.entry_line, fn1.entry_column) == (22, 17)
    assert kind(doc, CitationKind.INLINE) == []  # `#fn` anchors are markers, not links
    assert {(i.url, i.reason) for i in doc.ignored_links} == {
        ("/", "page header"),
        ("https://coastline.example/sections", "page header"),
        (
            "https://twitter.com/intent/tweet?url=https://coastline.example/keepers",
            "share or subscribe link",
        ),
        ("mailto:editor@coastline.example", "e-mail address"),
    }
    assert not any("tracker" in i.url or "styles" in i.url for i in doc.ignored_links)
    body = next(p for p in doc.paragraphs if p.text.startswith("Three"))
    assert [body.text[m.start : m.end] for m in body.marks] == ["¹", "²", "³", "¹"]


def test_notes_heading_followed_by_numbered_paragraphs_then_bio_and_comments() -> None:
    doc, lines = load("heading-notes.html")
    assert (doc.title, doc.date) == ("Salt Marsh Survey", "2025-05-04")
    notes = kind(doc, CitationKind.FOOTNOTE)
    assert [(c.marker, c.reference.url) for c in notes] == [
        ("1", "https://wetland.example/extent"),
        ("2", "https://birdcount.example/spring"),
        ("3", "https://terns.example/notes"),
    ]
    assert notes[1].reference.date == "2025-04"
    assert [(u.line, u.column) for c in notes for u in c.uses] == [(7, 50), (8, 39), (8, 44)]
    assert at(lines, 8, 44).startswith("[3]")
    # "Thanks for reading." ends the notes and stays body text.
    assert any(p.text == "Thanks for reading." and not p.in_notes for p in doc.paragraphs)
    assert [(i.url, i.reason) for i in doc.ignored_links] == [
        ("https://twitter.com/jomarsh_example", "author bio / social profile"),
        ("https://www.linkedin.com/in/jomarsh-example", "author bio / social profile"),
        ("https://commenter.example/my-post", "reader comment"),
    ]
    assert not any("Lovely read" in p.text for p in doc.paragraphs)


def test_blockquote_cite_inline_links_bare_urls_and_multi_digit_markers() -> None:
    doc, lines = load("blockquote-inline.html")
    assert (doc.title, doc.date) == ("Tram Lines Reopen", "2025-09-15")
    inline = kind(doc, CitationKind.INLINE)
    assert [(c.reference.url, c.uses[0].line, c.uses[0].column) for c in inline] == [
        ("https://en.wikipedia.example/wiki/Tram_(city)", 8, 115),
        ("https://budget.example/note?id=7&page=2", 14, 1),
        ("https://transit.example/speech", 10, 1),
    ]
    assert at(lines, 8, 115).startswith("the wiki")
    assert inline[2].uses[0].context.startswith("“Trams are back")
    assert [(m.label, m.line, m.column) for m in doc.markers] == [("10", 13, 37), ("2", 13, 71)]
    notes = kind(doc, CitationKind.FOOTNOTE)
    assert len(notes) == 10 and notes[9].reference.outlet == "Transit Weekly"
    (attr,) = kind(doc, CitationKind.ATTRIBUTION)
    assert attr.reference.outlet == "Reuters"
    assert [(i.url, i.reason) for i in doc.ignored_links] == [
        ("https://transit.example/other-story", "sidebar or related links")
    ]


def test_garbage_html_still_gives_links_markers_and_suppressions() -> None:
    doc, _lines = load("garbage.html")
    assert [c.reference.url for c in kind(doc, CitationKind.INLINE)] == [
        "https://first.example/page?a=1&b=2",
        "https://unquoted.example/x",
    ]
    (note,) = kind(doc, CitationKind.FOOTNOTE)
    assert note.reference.url == "https://note.example/1"
    assert [(u.line, u.column) for u in note.uses] == [(2, 26)]
    assert doc.suppressions == ((5, "FN001"),)
    assert not any("script.example" in (c.reference.url or "") for c in doc.citations)


def test_ten_thousand_nested_elements() -> None:
    deep = "<html><body>" + "<div>" * 10_000 + '<p>Deep <a href="https://deep.example/x">link</a>.'
    doc = extract_html("deep.html", deep + "</div>" * 10_000, ())
    assert [c.reference.url for c in doc.citations] == ["https://deep.example/x"]


def test_a_deeply_nested_page_keeps_its_numbered_notes() -> None:
    # Past libxml2's depth limit the wrappers are dropped, but the notes list must survive.
    body = (
        "<p>The bridge reopened.<sup>1</sup> Tolls rose.<sup>2</sup></p>\n"
        "<h2>Notes</h2>\n<ol>\n"
        '<li>Port Weekly, "Bridge reopens," https://port.example/bridge</li>\n'
        '<li>Toll Office, "New tolls," https://tolls.example/2025</li>\n</ol>\n'
    )
    page = "<html><body>" + "<div>" * 5_000 + body + "</div>" * 5_000 + "</body></html>"
    doc = extract_html("deep-notes.html", page, ())
    notes = kind(doc, CitationKind.FOOTNOTE)
    assert [(c.marker, c.reference.url) for c in notes] == [
        ("1", "https://port.example/bridge"),
        ("2", "https://tolls.example/2025"),
    ]
    assert [u.line for c in notes for u in c.uses] == [1, 1]


def test_empty_and_binary_looking_input() -> None:
    for text in (
        "",
        "   ",
        "\x00\x01",
        "<",
        "<?xml version='1.0' encoding='utf-8'?><p>x</p>",
        "\ud800",
    ):
        doc = extract_html("odd.html", text, ())
        assert doc.citations == ()


def _quote_doc(body: str) -> ExtractedDocument:
    page = f"<html><body><article><h1>Dry year</h1>{body}</article></body></html>"
    return extract_html("q.html", page, ())


def test_the_text_of_a_blockquote_with_cite_is_marked_as_cited_by_it() -> None:
    # Synthetic page. Without the mark, the quote was reported as an unsourced quote.
    from audit.checks.structure import structure_findings

    doc = _quote_doc(
        '<blockquote cite="https://agency.example/report">'
        '<p>"We have never seen levels this low," the agency said.</p></blockquote>'
    )
    (quote,) = [c for c in doc.citations if c.reference.url == "https://agency.example/report"]
    (para,) = [p for p in doc.paragraphs if "never seen" in p.text]
    assert [(m.start, m.end, m.citation_id) for m in para.marks] == [(0, len(para.text), quote.id)]
    assert not [f for f in structure_findings(doc) if f.rule == "unsourced-quote"]


def test_a_blockquote_without_paragraphs_gives_its_first_sentence_as_context() -> None:
    doc = _quote_doc(
        '<blockquote cite="https://agency.example/r2">"Levels are low." More text.</blockquote>'
    )
    (quote,) = [c for c in doc.citations if c.reference.url == "https://agency.example/r2"]
    assert quote.uses[0].context == '"Levels are low."'
    (para,) = [p for p in doc.paragraphs if "Levels" in p.text]
    assert [m.citation_id for m in para.marks] == [quote.id]


def test_links_inside_a_cited_blockquote_keep_their_own_marks() -> None:
    doc = _quote_doc(
        '<blockquote cite="https://agency.example/r3"><p>"Rivers fell," said the '
        '<a href="https://agency.example/reports/rivers-2025">agency</a>.</p></blockquote>'
    )
    ids = {c.reference.url: c.id for c in doc.citations}
    (para,) = [p for p in doc.paragraphs if "Rivers" in p.text]
    link_start = para.text.index("agency")
    assert [(m.start, m.end, m.citation_id) for m in para.marks] == [
        (0, link_start, ids["https://agency.example/r3"]),
        (link_start, link_start + len("agency"), ids["https://agency.example/reports/rivers-2025"]),
    ]


def test_notes_numbered_by_superscripts_and_a_sources_list_after_them() -> None:
    from audit.checks.structure import structure_findings

    doc, _ = load("notes-with-superscript-numbers.html")
    refs = {c.id: (c.reference.title, c.reference.outlet, c.reference.date) for c in doc.citations}
    assert refs == {
        # "<sup>1</sup> <a>Quay reopens after repairs</a>, Example Port, May 2, 2025."
        "fn-1": ("Quay reopens after repairs", "Example Port", "2025-05-02"),
        # "<sup>2</sup> Example Ledger: <a>Traffic doubles at the quay</a> (June 1, 2025)"
        "fn-2": ("Traffic doubles at the quay", "Example Ledger", "2025-06-01"),
        # An unnumbered "Sources" list after the notes: a bibliography, cited or not.
        "fn-3": ("Port statistics 2024", "Example Statistics Office", None),
    }
    rules = {(f.rule, f.citation) for f in structure_findings(doc)}
    assert ("entry-never-cited", "fn-3") not in rules
    assert not {r for r, _ in rules} & {"marker-without-entry", "entry-never-cited"}


def test_a_cite_element_in_a_note_is_its_title() -> None:
    # "Example Port, <cite>Quay reopens after repairs</cite>, May 2, 2025. <a>Read the notice</a>"
    doc, _ = load("notes-with-cite.html")
    (note,) = doc.citations
    ref = note.reference
    assert (ref.title, ref.outlet, ref.date, ref.url) == (
        "Quay reopens after repairs",
        "Example Port",
        "2025-05-02",
        "https://port.example/quay-reopens",
    )


def test_a_url_written_out_in_code_is_an_example_not_a_citation() -> None:
    # Synthetic page: a how-to with an API call in <pre><code> and a command in <kbd>.
    page = (
        "<html><body><article><h1>Fetching the data</h1>\n"
        "<p>The agency publishes the series at https://stats.example.gov/series/ferry.</p>\n"
        "<pre><code>GET https://api.example.com/v1/series?id=7\n"
        "Host: api.example.com</code></pre>\n"
        "<p>Run <kbd>curl https://api.example.com/v1/health</kbd> or read\n"
        '<code>https://api.example.com/docs</code> and the <a href="https://docs.example.org/api">'
        "<code>API guide</code></a>.</p>\n"
        '<pre>See <a href="https://docs.example.org/changelog">the changelog</a></pre>\n'
        "</article></body></html>\n"
    )
    doc = extract_html("howto.html", page, ())
    assert [(c.reference.url, c.uses[0].line) for c in kind(doc, CitationKind.INLINE)] == [
        ("https://stats.example.gov/series/ferry", 2),
        ("https://docs.example.org/api", 6),
        ("https://docs.example.org/changelog", 7),
    ]


def test_a_wiki_pages_navigation_boxes_and_categories_are_not_sources() -> None:
    # Synthetic page in the shape of a saved wiki article: a navbox and the category links.
    page = (
        '<html><body><div class="mw-parser-output">\n'
        '<p>The tramway closed in 1951.<sup class="reference"><a href="#cite_note-1">[1]</a></sup>'
        "</p>\n"
        '<ol class="references"><li id="cite_note-1"><a href="#cite_ref-1">^</a> '
        '<a class="external text" href="https://history.example.org/depot-fire">"The depot fire"'
        "</a>. <i>History Society</i>. 12 June 2019.</li></ol>\n"
        '<div class="navbox"><a href="https://wiki.example.org/wiki/Trams">Trams</a></div>\n'
        '<div id="catlinks" class="catlinks"><a href="https://wiki.example.org/wiki/Category:1902">'
        "1902</a></div>\n"
        "</div></body></html>\n"
    )
    doc = extract_html("wiki.html", page, ())
    assert [c.reference.url for c in doc.citations] == ["https://history.example.org/depot-fire"]
    assert [(i.url, i.reason) for i in doc.ignored_links] == [
        ("https://wiki.example.org/wiki/Trams", "navigation"),
        ("https://wiki.example.org/wiki/Category:1902", "navigation"),
    ]
