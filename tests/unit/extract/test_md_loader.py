"""The Markdown loader on synthetic fixture articles (tests/fixtures/articles/markdown)."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.checks.structure import structure_findings
from audit.extract.markdown import extract_markdown
from audit.model import CitationKind, ExtractedDocument

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "articles" / "markdown"


def load(name: str) -> tuple[ExtractedDocument, list[str]]:
    path = FIXTURES / name
    assert path.is_file(), path
    text = path.read_text(encoding="utf-8")
    return extract_markdown(str(path), text, ()), text.split("\n")


def at(lines: list[str], line: int, column: int) -> str:
    return lines[line - 1][column - 1 :]


def by_id(doc: ExtractedDocument) -> dict[str, object]:
    return {c.id: c for c in doc.citations}


def test_footnotes_front_matter_and_stacked_refs() -> None:
    doc, lines = load("footnotes-stacked.md")
    assert (doc.title, doc.date, doc.author) == (
        "Harbour Cranes: A Quiet Upgrade",
        "2025-07-20",
        "Mira Castellan",
    )
    footnotes = [c for c in doc.citations if c.kind is CitationKind.FOOTNOTE]
    assert [c.marker for c in footnotes] == ["1", "2", "3", "4"]
    fn1, fn2, fn3, fn4 = footnotes
    # Marker 1 is used three times, one of them on the second line of a paragraph.
    assert [(u.line, u.column) for u in fn1.uses] == [(8, 53), (9, 74), (12, 14)]
    for c in footnotes:
        for use in c.uses:
            assert at(lines, use.line, use.column).startswith(f"[^{c.marker}]")
    assert fn1.reference.outlet == "Harbour Gazette"
    assert fn1.reference.title == "Cranes approved after review"
    assert fn1.reference.date == "2025-03-14"
    assert fn1.reference.url == "https://gazette.example/2025/03/14/cranes"
    # A definition whose URL is on its indented second line.
    assert fn2.reference.url == "https://coastal.example/noise-report"
    assert fn2.reference.date == "2025-04-02"
    assert fn3.reference.accessed == "2025-07" and fn3.reference.date is None
    # A definition nobody cites is kept (the footnote plugin drops it on its own).
    assert fn4.uses == () and fn4.reference.url == "https://orphan.example/entry"
    assert (fn4.entry_line, fn4.entry_column) == (22, 1)
    # Bare URL with parentheses, closing punctuation trimmed; nothing from the code fence.
    inline = [c for c in doc.citations if c.kind is CitationKind.INLINE]
    assert [c.reference.url for c in inline] == [
        "https://en.wikipedia.example/wiki/Crane_(machine)"
    ]
    assert at(lines, inline[0].uses[0].line, inline[0].uses[0].column).startswith("https://")
    assert all(m.line < 14 for m in doc.markers)


def test_plain_superscripts_with_a_numbered_notes_list_and_comments() -> None:
    doc, lines = load("notes-list.md")
    cites = by_id(doc)
    assert len([c for c in doc.citations if c.kind is CitationKind.FOOTNOTE]) == 10
    assert [(m.label, m.line, m.column) for m in doc.markers] == [
        ("1", 3, 38),
        ("2", 3, 69),
        ("3", 4, 34),
        ("4", 4, 36),
        ("10", 4, 76),
    ]
    assert at(lines, 4, 76).startswith("¹⁰")
    fn10 = cites["fn-10"]
    assert fn10.reference.date == "2025-06-30"  # type: ignore[attr-defined]
    assert (fn10.entry_line, fn10.entry_column) == (19, 5)  # type: ignore[attr-defined]
    assert {c.id for c in doc.citations if not c.uses} == {f"fn-{n}" for n in range(5, 10)}
    assert doc.notes_numbered
    reasons = {link.url: link.reason for link in doc.ignored_links}
    assert reasons == {
        "https://twitter.com/rivernotes_author": "author bio / social profile",
        "https://spam.example/blog": "reader comment",
    }
    notes = [p for p in doc.paragraphs if p.in_notes]
    assert len(notes) == 11  # the heading and ten entries


def test_reference_links_autolinks_provenance_attribution_and_suppression() -> None:
    doc, lines = load("reference-links.md")
    inline = [c for c in doc.citations if c.kind is CitationKind.INLINE]
    assert [c.reference.url for c in inline] == [
        "https://operator.example/statements/delay",
        "https://archive.example/notice",
        "https://energy.example/report-2025",
        "http://insecure.example/analysis",
    ]
    assert [(c.uses[0].line, c.uses[0].column) for c in inline] == [
        (4, 1),
        (4, 53),
        (5, 25),
        (13, 38),
    ]
    assert at(lines, 4, 53).startswith("[archived notice]")
    (prov,) = [c for c in doc.citations if c.kind is CitationKind.PROVENANCE]
    assert prov.reference.url == "https://gridnotes.example/wind-farms"
    assert (prov.uses[0].line, prov.uses[0].column) == (15, 25)
    (attr,) = [c for c in doc.citations if c.kind is CitationKind.ATTRIBUTION]
    assert attr.reference.outlet == "The New York Times"
    assert at(lines, attr.uses[0].line, attr.uses[0].column).startswith("The New York Times")
    assert [(i.url, i.reason) for i in doc.ignored_links] == [
        ("mailto:desk@newsroom.example", "e-mail address")
    ]
    assert doc.suppressions == ((13, "LNK009"),)
    assert not any("indented.example" in (c.reference.url or "") for c in doc.citations)


def test_unnumbered_sources_list_and_bracket_markers() -> None:
    doc, lines = load("unnumbered-sources.md")
    footnotes = [c for c in doc.citations if c.kind is CitationKind.FOOTNOTE]
    assert [(c.marker, c.reference.outlet) for c in footnotes] == [
        ("1", "Orchard Journal"),
        ("2", "Pear Growers Association"),
    ]
    assert not doc.notes_numbered
    # Marker 3 has no entry: it is kept as a marker use for the structure checks.
    assert [(m.label, m.line, m.column) for m in doc.markers][-1] == ("3", 4, 35)
    assert at(lines, 4, 35).startswith("[3]")
    # The closing paragraph ends the notes: it is body text again.
    assert doc.paragraphs[-1].text.startswith("That is all") and not doc.paragraphs[-1].in_notes


def test_paragraph_marks_point_into_paragraph_text() -> None:
    doc, _ = load("footnotes-stacked.md")
    body = [p for p in doc.paragraphs if not p.in_notes and p.marks]
    assert body
    for paragraph in body:
        for mark in paragraph.marks:
            assert 0 <= mark.start < mark.end <= len(paragraph.text)
    first = next(p for p in body if p.text.startswith("The port"))
    assert [first.text[m.start : m.end] for m in first.marks] == ["[^1]", "[^2]", "[^3]", "[^1]"]


@pytest.mark.parametrize(
    "text",
    ["", "---\n", "---\ntitle: x\n", "[^1]", "[^1]:", "<sup>", "\r\n\r", "\x00[x](", "> " * 200],
)
def test_odd_inputs_do_not_raise(text: str) -> None:
    doc = extract_markdown("odd.md", text, ())
    assert doc.path == "odd.md"


# A post written in a word processor and exported to Markdown (synthetic, for these tests).
EXPORTED = """# Salt roads

Shipments doubled.<sup>1</sup> The old road is now a cycle path<sup>2,3</sup>.

## Notes

1. Northern Statistics, "Salt trade", 2021, https://stats.example/salt
2. Tourism Board, "The Salt Road cycle path," 4 April 2024, https://tourism.example/salt-road
3. Cycling Club, "Salt Road ride," 2 May 2024, https://club.example/salt-ride

---

*Lee Example writes about trade history. Follow on [Mastodon](https://social.example/@lee).*
"""


def test_html_sup_with_a_list_of_numbers_marks_each_note() -> None:
    doc = extract_markdown("post.md", EXPORTED, ())
    uses = {c.marker: [(u.line, u.column) for u in c.uses] for c in doc.citations}
    assert [len(uses[label]) for label in ("1", "2", "3")] == [1, 1, 1]
    (para,) = [p for p in doc.paragraphs if "cycle path" in p.text and not p.in_notes]
    marked = [para.text[m.start : m.end] for m in para.marks]
    assert marked == ["¹", "²", "³"]  # shown as superscripts, as the HTML reader shows them


def test_a_thematic_break_ends_the_notes() -> None:
    doc = extract_markdown("post.md", EXPORTED, ())
    assert [c.marker for c in doc.citations] == ["1", "2", "3"]
    assert [(i.url, i.reason) for i in doc.ignored_links] == [
        ("https://social.example/@lee", "author bio / social profile")
    ]


def test_inline_footnotes_are_notes_cited_where_they_are_written() -> None:
    # Pandoc's `^[note]`: the note is written where it is cited. Synthetic text.
    text = (
        "# Quay notes\n"
        "\n"
        "The quay reopened in May.^[Example Port, “Quay reopens after repairs,” May 2, 2025,"
        " [the notice](https://port.example/quay-reopens)] Traffic doubled.[^t] Fares"
        " stayed flat.^[Example Council, “Fares for 2025,”\n"
        "January 9, 2025, https://council.example/fares]\n"
        "\n"
        "[^t]: Jane Roe, “Traffic doubles,” *Example Ledger*, June 1, 2025,"
        " <https://ledger.example/2025/06/01/quay>.\n"
    )
    lines = text.split("\n")
    doc = extract_markdown("inline.md", text, ())
    by_id = {c.id: c for c in doc.citations}
    # In the order the notes are written; an inline note is numbered by its place in the text.
    assert list(by_id) == ["fn-inline-1", "fn-inline-3", "fn-t"]
    assert all(c.kind is CitationKind.FOOTNOTE for c in doc.citations)
    first, later = by_id["fn-inline-1"], by_id["fn-inline-3"]
    assert (first.reference.title, first.reference.url) == (
        "Quay reopens after repairs",
        "https://port.example/quay-reopens",
    )
    assert (later.reference.title, later.reference.date, later.reference.url) == (
        "Fares for 2025",
        "2025-01-09",
        "https://council.example/fares",
    )
    # Each marker sits where `^[` is written, and the note's words stay out of the sentence.
    (use,) = first.uses
    assert lines[use.line - 1][use.column - 1 :].startswith("^[Example Port")
    assert "Quay reopens" not in use.context and use.context.startswith("The quay reopened")
    (use_t,) = by_id["fn-t"].uses
    assert lines[use_t.line - 1][use_t.column - 1 :].startswith("[^t]")
    assert use_t.context == "Traffic doubled.[^t]"
    (use_3,) = later.uses
    assert lines[use_3.line - 1][use_3.column - 1 :].startswith("^[Example Council")
    assert first.entry_line == 3


def test_inline_footnotes_raise_no_structure_findings() -> None:
    from audit.checks.structure import structure_findings

    doc = extract_markdown("n.md", "A claim.^[Example Wire, https://wire.example/a]\n", ())
    rules = {f.rule for f in structure_findings(doc)}
    assert not rules & {"marker-without-entry", "entry-never-cited", "numbering-gap"}


def test_a_sentence_ends_at_the_stop_before_an_html_superscript_marker() -> None:
    text = (
        "The quay reopened after repairs.<sup>1</sup> Traffic has since doubled.<sup>2</sup>\n"
        "\n## Notes\n\n"
        '1. Example Port, "Quay reopens," 2025, https://port.example/quay\n'
        '2. Example Ledger, "Traffic doubles," 2025, https://ledger.example/traffic\n'
    )
    doc = extract_markdown("sup.md", text, ())
    contexts = {c.marker: [u.context for u in c.uses] for c in doc.citations}
    assert contexts == {
        "1": ["The quay reopened after repairs.¹"],
        "2": ["Traffic has since doubled.²"],
    }


def test_a_file_or_site_name_in_the_prose_is_not_a_link() -> None:
    # linkify turns "timeline.md" (.md is a country's domain) into http://timeline.md. Without a
    # scheme, "www." or a path it is a name in the text; with a path it is an address.
    text = (
        'As the [timeline]({{< ref "timeline.md" >}}) shows, and setup.py and notes.md'
        " confirm, the figures at reuters.com/world/quay-figures and www.example.com/quay"
        " were revised twice over the summer, which the port did not dispute at all.\n"
    )
    doc = extract_markdown("names.md", text, ())
    urls = [c.reference.url for c in doc.citations]
    assert urls == ["http://reuters.com/world/quay-figures", "http://www.example.com/quay"]
    assert not doc.ignored_links


def test_a_link_in_a_pipe_table_is_cited_by_its_row() -> None:
    text = (
        "| Port | Containers 2024 | Source |\n"
        "|---|---:|---|\n"
        "| Northport | 4.5 million | [annual report](https://northport.example/ar-2024) |\n"
        "| Southport | 2.1 million | [statistics](https://southport.example/stats) |\n"
        "\n"
        "Both ports grew. One said so [here](https://port.example/a). The other did not.\n"
    )
    doc = extract_markdown("table.md", text, ())
    contexts = {c.reference.url: [u.context for u in c.uses] for c in doc.citations}
    assert contexts == {
        "https://northport.example/ar-2024": ["| Northport | 4.5 million | annual report |"],
        "https://southport.example/stats": ["| Southport | 2.1 million | statistics |"],
        "https://port.example/a": ["One said so here."],
    }


def test_a_notes_further_urls_are_listed_as_set_aside() -> None:
    text = (
        "The quay reopened.[^1]\n\n"
        "[^1]: Example Port, [Quay reopens](https://port.example/quay), May 2, 2025"
        " (https://port.example/quay); see also [the ledger's story]"
        "(https://ledger.example/quay) and https://council.example/minutes.\n"
    )
    doc = extract_markdown("two.md", text, ())
    (note,) = doc.citations
    assert note.reference.url == "https://port.example/quay"
    assert [(i.url, i.line) for i in doc.ignored_links] == [
        ("https://ledger.example/quay", 3),
        ("https://council.example/minutes", 3),
    ]
    assert {i.reason for i in doc.ignored_links} == {
        "a further URL in a note (the note's first URL is the one checked)"
    }


def test_a_long_pipe_table_costs_linear_time() -> None:
    from growth import assert_linear

    def table(rows: int) -> str:
        body = "".join(
            f"| Port {i} | {i} | [report](https://p{i}.example/r) |\n" for i in range(rows)
        )
        return "| Port | Containers | Source |\n|---|---|---|\n" + body

    assert_linear(lambda text: extract_markdown("t.md", text, ()), table, 1600)


def test_a_paragraph_of_html_superscripts_and_bare_links_costs_linear_time() -> None:
    from growth import assert_linear

    def sups(size: int) -> str:
        return " ".join(f"claim {i}.<sup>{i % 9 + 1}</sup>" for i in range(size // 24)) + "\n"

    def bare(size: int) -> str:
        return " ".join(f"see example.com/w/{i} and file{i}.md" for i in range(size // 36)) + "\n"

    assert_linear(lambda text: extract_markdown("s.md", text, ()), sups, 96_000)
    assert_linear(lambda text: extract_markdown("b.md", text, ()), bare, 96_000)


NUMBERED_LINKS = """# Why our builds got slower

Compile times doubled after the upgrade [1]. A fix landed a month later [2][3], and
[the notes][rel] say so; [4][rel] is the tracker's own word.

[1]: https://blog.example.dev/2025/03/compile-times
[2]: https://tracker.example.org/pull/4601
[3]: https://blog.example.dev/2025/04/fixed
[rel]: https://project.example.org/releases/2.1
"""


def test_two_numbered_links_side_by_side_are_two_citations() -> None:
    # Markdown reads "[2][3]" as the text 2 linked to definition 3; with both numbers defined
    # the writer means two sources, so neither is lost. A synthetic post.
    doc = extract_markdown("post.md", NUMBERED_LINKS, ())
    line, next_line = NUMBERED_LINKS.splitlines()[2:4]
    found = [(c.reference.url, [(u.line, u.column) for u in c.uses]) for c in doc.citations]
    assert found == [
        ("https://blog.example.dev/2025/03/compile-times", [(3, line.index("[1]") + 1)]),
        ("https://tracker.example.org/pull/4601", [(3, line.index("[2]") + 1)]),
        ("https://blog.example.dev/2025/04/fixed", [(3, line.index("[3]") + 1)]),
        # A full reference with words, or a number not defined itself, is read as Markdown says.
        ("https://project.example.org/releases/2.1", [(4, 1), (4, next_line.index("[4]") + 1)]),
    ]
    assert "later 2 3, and" in doc.citations[1].uses[0].context


def test_a_superscript_linked_to_its_note_in_raw_html_is_one_marker() -> None:
    text = (
        "# Flood defences\n\n"
        'Finished in 2023.<sup><a href="#fn1">1</a></sup> Costs rose.'
        '<a href="#fn2"><sup>2</sup></a> Plain: <a href="#fn3">3</a>.\n\n'
        "## Notes\n\n"
        '1. Harbour Board, "Barrier complete", 1 December 2023, https://board.example/barrier\n'
        '2. Audit Office, "Barrier costs", 3 March 2024, https://audit.example.gov/barrier\n'
        '3. Coast News, "Barrier doubts", 15 May 2024, https://coastnews.example/barrier\n'
    )
    doc = extract_markdown("flood.md", text, ())
    assert [m.label for m in doc.markers] == ["1", "2", "3"]
    rules = [f.rule for f in structure_findings(doc)]
    assert "marker-without-entry" not in rules and "marker-reused" not in rules


def test_notes_written_as_a_raw_html_list_answer_their_markers() -> None:
    # A CMS export: Markdown body, the notes left as an HTML list. Synthetic.
    text = (
        "# Flood defences\n\n"
        'The barrier was finished in 2023.<sup><a href="#fn1" id="r1">1</a></sup> It cost more '
        'than planned.<sup><a href="#fn2">2</a></sup>\n\n'
        '<ol class="footnotes">\n'
        '<li id="fn1">Harbour Board, "Barrier complete", 1 December 2023, '
        '<a href="https://board.example/news/barrier">link</a> <a href="#r1">↩</a></li>\n'
        '<li id="fn2">Audit Office, "Barrier costs", 3 March 2024, '
        '<a href="https://audit.example.gov/barrier">link</a></li>\n'
        "</ol>\n"
    )
    doc = extract_markdown("flood.md", text, ())
    notes = [
        (
            c.marker,
            c.entry_line,
            c.reference.outlet,
            c.reference.title,
            c.reference.url,
            len(c.uses),
        )
        for c in doc.citations
    ]
    assert notes == [
        ("1", 6, "Harbour Board", "Barrier complete", "https://board.example/news/barrier", 1),
        ("2", 7, "Audit Office", "Barrier costs", "https://audit.example.gov/barrier", 1),
    ]
    assert not [f.rule for f in structure_findings(doc) if f.rule.startswith("marker")]


def test_a_link_around_an_image_alone_is_not_a_citation() -> None:
    from audit.extract.clutter import IMAGE
    from audit.extract.html import extract_html

    post = (
        "# Buses\n\n[![](https://cdn.example/small.jpg)](https://cdn.example/big.jpg)\n\n"
        "The operator [blamed the weather](https://operator.example.com/weather) for it.\n"
    )
    doc = extract_markdown("post.md", post, ())
    assert [c.reference.url for c in doc.citations] == ["https://operator.example.com/weather"]
    assert [(i.url, i.reason) for i in doc.ignored_links] == [
        ("https://cdn.example/big.jpg", IMAGE)
    ]
    page = (
        '<html><body><p>See <a href="https://cdn.example/big.jpg"><img src="s.jpg" alt="A bus">'
        '</a> and <a href="https://operator.example.com/x">the operator</a>.</p></body></html>'
    )
    html_doc = extract_html("page.html", page, ())
    assert [c.reference.url for c in html_doc.citations] == ["https://operator.example.com/x"]
    assert [i.reason for i in html_doc.ignored_links] == [IMAGE]


RAW_HTML = """# Harbour update

The council voted on Tuesday.[^1]

<p>The full minutes are <a href="https://council.example.org/minutes">on the council's site</a>,
and according to Reuters the <a href="https://audit.example.gov/harbour">audit office's report</a>
is out.<sup>2</sup></p>

<table>
<tr><td>Exports</td><td><a href="https://stats.example.gov/exports">+12%</a></td></tr>
</table>

<div class="share"><a href="https://twitter.com/intent/tweet?url=x">Tweet</a></div>

[^1]: Example Council, "Vote on the harbour", 4 March 2025, https://council.example.org/vote
[^2]: Audit Office, "Harbour report", 1 March 2025, https://audit.example.gov/report
"""


def test_links_and_markers_in_raw_html_blocks_are_read() -> None:
    # A CMS export keeps some paragraphs and tables as HTML: their sources are the article's.
    doc = extract_markdown("update.md", RAW_HTML, ())
    lines = RAW_HTML.split("\n")
    inline = [
        (c.reference.url, u.line, lines[u.line - 1][u.column - 1 :].split("<")[0])
        for c in doc.citations
        if c.kind is CitationKind.INLINE
        for u in c.uses
    ]
    assert inline == [
        ("https://council.example.org/minutes", 5, "on the council's site"),
        ("https://audit.example.gov/harbour", 6, "audit office's report"),
        ("https://stats.example.gov/exports", 10, "+12%"),
    ]
    notes = {c.marker: [u.line for u in c.uses] for c in doc.citations if c.marker}
    assert notes == {"1": [3], "2": [7]}  # the <sup>2</sup> in the HTML answers note 2
    assert [i.reason for i in doc.ignored_links] == ["share or subscribe link"]
    # The sentence that names Reuters links a source: no unlinked attribution.
    assert not [c for c in doc.citations if c.kind is CitationKind.ATTRIBUTION]
    assert any(p.line == 5 and p.text.startswith("The full minutes") for p in doc.paragraphs)
