"""Tests for audit.checks.structure on hand-built (synthetic) extracted documents."""

from __future__ import annotations

from collections.abc import Sequence

from audit.checks.structure import has_direct_quote, has_figure, structure_findings
from audit.model import (
    Citation,
    CitationKind,
    DatePrecision,
    DocFormat,
    ExtractedDocument,
    Finding,
    Mark,
    MarkerUse,
    Paragraph,
    Reference,
    Use,
)


def note(
    label: str,
    uses: Sequence[tuple[int, int, str]] = ((1, 10, "A claim."),),
    *,
    url: str | None = "https://example.org/a",
    date: str | None = "2025-07-01",
    accessed: str | None = None,
    entry_line: int = 50,
) -> Citation:
    precision = DatePrecision.DAY if date and len(date) == 10 else None
    return Citation(
        id=f"fn-{label}",
        kind=CitationKind.FOOTNOTE,
        marker=label,
        uses=tuple(Use(line, col, ctx) for line, col, ctx in uses),
        reference=Reference(
            raw="x",
            url=url,
            date=date,
            date_precision=precision,
            accessed=accessed,
            outlet="Example Wire",
        ),
        entry_line=entry_line,
        entry_column=1,
    )


def doc(
    citations: Sequence[Citation] = (),
    markers: Sequence[MarkerUse] = (),
    paragraphs: Sequence[Paragraph] = (),
    *,
    date: str | None = None,
    notes_numbered: bool = True,
) -> ExtractedDocument:
    return ExtractedDocument(
        path="draft.txt",
        fmt=DocFormat.TEXT,
        title="Draft",
        date=date,
        author=None,
        citations=tuple(citations),
        ignored_links=(),
        paragraphs=tuple(paragraphs),
        markers=tuple(markers),
        notes_numbered=notes_numbered,
    )


def rules(found: list[Finding]) -> list[tuple[str, str, int | None, str | None]]:
    return [(f.id, f.rule, f.line, f.citation) for f in found]


def test_clean_document_has_no_findings() -> None:
    cits = [note("1", [(3, 5, "One.")], entry_line=20), note("2", [(4, 5, "Two.")], entry_line=21,
            url="https://example.org/b")]  # fmt: skip
    markers = [MarkerUse("1", 3, 5, "One."), MarkerUse("2", 4, 5, "Two.")]
    assert structure_findings(doc(cits, markers, date="2025-08-01")) == []


def test_marker_without_entry_points_at_each_use() -> None:
    cits = [note("1", [(3, 5, "One.")])]
    markers = [
        MarkerUse("1", 3, 5, "One."),
        MarkerUse("2", 7, 12, "Two."),
        MarkerUse("2", 9, 1, "x"),
    ]
    found = [f for f in structure_findings(doc(cits, markers)) if f.rule == "marker-without-entry"]
    assert [(f.id, f.line, f.column, f.citation) for f in found] == [
        ("FN001", 7, 12, None),
        ("FN001", 9, 1, None),
    ]


def test_entry_never_cited_points_at_the_entry() -> None:
    cits = [note("1", [(3, 5, "One.")]), note("2", [], entry_line=44, url="https://example.org/b")]
    found = structure_findings(doc(cits, [MarkerUse("1", 3, 5, "One.")]))
    assert rules(found) == [("FN002", "entry-never-cited", 44, "fn-2")]


def test_an_entry_whose_page_the_text_links_is_cited_by_that_link() -> None:
    listed = note("1", [], entry_line=30, url="https://agency.example.gov/reports/2016-review")
    other = note("2", [], entry_line=31, url="https://example.org/b")
    linked = Citation(
        "inline-1", CitationKind.INLINE, None, (Use(3, 9, "Traffic fell by 30%."),),
        Reference(raw="Transport Agency, 2016", url="https://Agency.example.gov/reports/2016-review#s2"),
        3, 9,
    )  # fmt: skip
    found = structure_findings(doc([listed, other, linked], []))
    assert [(f.rule, f.citation) for f in found if f.rule == "entry-never-cited"] == [
        ("entry-never-cited", "fn-2")
    ]


def test_marker_reused_for_different_sentences_but_not_for_the_same_one() -> None:
    reused = note("1", [(3, 5, "Gas talks stalled."), (8, 2, "A pipeline opened."),
                        (8, 30, "A pipeline  opened.")])  # fmt: skip
    found = structure_findings(doc([reused], [MarkerUse("1", 3, 5, "")]))
    assert [(f.id, f.line, f.column) for f in found] == [("FN003", 8, 2)]
    assert "2 different sentences" in found[0].message
    same = note("1", [(3, 5, "Gas talks stalled."), (3, 9, "Gas talks stalled.")])
    assert structure_findings(doc([same], [MarkerUse("1", 3, 5, "")])) == []


def test_a_note_reused_on_one_line_names_that_line_once() -> None:
    reused = note("1", [(5, 5, "Reform began."), (5, 40, "Ridership fell.")])
    (found,) = structure_findings(doc([reused], [MarkerUse("1", 5, 5, "")]))
    assert found.message.endswith("2 different sentences (line 5).")


def test_numbering_gap_in_numbered_notes() -> None:
    cits = [note("1", entry_line=20), note("2", entry_line=21, url="https://example.org/b"),
            note("4", entry_line=22, url="https://example.org/c"),
            note("4", entry_line=23, url="https://example.org/d")]  # fmt: skip
    markers = [MarkerUse(c.marker or "", 1, 10, "") for c in cits]
    found = [f for f in structure_findings(doc(cits, markers)) if f.rule == "numbering-gap"]
    messages = [(f.line, f.message) for f in found]
    assert (22, "The notes jump from 2 to 4.") in messages
    assert (23, "Note 4 appears twice in the notes.") in messages
    assert any("Footnote 3 is missing" in m for _, m in messages)
    assert all(f.id == "FN004" for f in found)


def test_numbering_gap_in_markers_even_when_notes_were_unnumbered() -> None:
    cits = [note("1", entry_line=20), note("2", entry_line=21, url="https://example.org/b")]
    markers = [MarkerUse("1", 1, 1, ""), MarkerUse("2", 2, 1, ""), MarkerUse("5", 3, 7, "")]
    found = [f for f in structure_findings(doc(cits, markers, notes_numbered=False))
             if f.rule == "numbering-gap"]  # fmt: skip
    assert [(f.line, f.column) for f in found] == [(3, 7), (3, 7)]
    assert [f.message.split(":")[0] for f in found] == ["Footnote 3 is missing",
                                                        "Footnote 4 is missing"]  # fmt: skip


def test_duplicate_url_uses_the_cache_key() -> None:
    a = note("1", entry_line=20, url="https://Example.org/story?utm_source=x")
    b = note("2", entry_line=21, url="https://example.org/story#top")
    found = structure_findings(doc([a, b], [MarkerUse("1", 1, 1, ""), MarkerUse("2", 2, 1, "")]))
    assert rules(found) == [("FN005", "duplicate-url", 21, "fn-2")]
    assert "note 1" in found[0].message


def test_a_link_in_the_text_to_a_page_a_note_cites_is_not_a_duplicate() -> None:
    a = note("1", entry_line=20, url="https://example.org/story")
    linked = Citation(
        "inline-1", CitationKind.INLINE, None, (Use(3, 9, "As the board says."),),
        Reference(raw="the board", url="https://example.org/story"), 3, 9,
    )  # fmt: skip
    found = structure_findings(doc([a, linked], [MarkerUse("1", 1, 1, "")]))
    assert not [f for f in found if f.rule == "duplicate-url"]


def test_duplicate_url_ignores_the_same_page_linked_twice_in_body_text() -> None:
    links = [
        Citation(f"inline-{i}", CitationKind.INLINE, None, (Use(i, 1, "x"),),
                 Reference(raw="", url="https://example.org/a", date="2025-01-01"), i, 1)
        for i in (1, 2)
    ]  # fmt: skip
    assert structure_findings(doc(links)) == []


def test_invalid_and_insecure_links() -> None:
    bad = note("1", entry_line=20, url="htps://example.org/a")
    plain = note("2", entry_line=21, url="http://example.org/b")
    found = structure_findings(
        doc([bad, plain], [MarkerUse("1", 1, 1, ""), MarkerUse("2", 1, 2, "")])
    )
    assert rules(found) == [("LNK008", "invalid-url", 20, "fn-1"),
                            ("LNK009", "insecure-link", 21, "fn-2")]  # fmt: skip
    assert "scheme 'htps' is not http or https" in found[0].message
    assert found[1].suggestion == "https://example.org/b"


def test_url_date_mismatch_is_precision_aware() -> None:
    wrong = note("1", entry_line=20, url="https://example.org/2024/03/02/story", date="2025-07-01")
    month = note("2", entry_line=21, url="https://example.org/2025/07/09/story", date="2025-07")
    shifted = note(
        "3", entry_line=22, url="https://example.org/story-2025-06-30/", date="2025-07-01"
    )
    markers = [MarkerUse(str(n), 1, n, "") for n in (1, 2, 3)]
    found = structure_findings(doc([wrong, month, shifted], markers))
    assert rules(found) == [("DAT002", "url-date-mismatch", 20, "fn-1")]
    assert "2024-03-02" in found[0].message


def test_future_citation_date() -> None:
    later = note("1", entry_line=20, date="2025-06-01")
    same_month = note("2", entry_line=21, date="2025-03", url="https://example.org/b")
    markers = [MarkerUse("1", 1, 1, ""), MarkerUse("2", 1, 2, "")]
    found = structure_findings(doc([later, same_month], markers, date="2025-03-01"))
    assert rules(found) == [("DAT003", "future-citation-date", 20, "fn-1")]


def test_missing_date_only_for_footnotes_with_a_url_and_no_date() -> None:
    undated = note("1", entry_line=20, date=None)
    accessed = note("2", entry_line=21, date=None, accessed="2025-07", url="https://example.org/b")
    no_url = note("3", entry_line=22, date=None, url=None)
    markers = [MarkerUse(str(n), 1, n, "") for n in (1, 2, 3)]
    found = structure_findings(doc([undated, accessed, no_url], markers))
    assert rules(found) == [("DAT004", "missing-date", 20, "fn-1")]


def test_unlinked_attribution_names_outlet_and_tier() -> None:
    attr = Citation("attr-1", CitationKind.ATTRIBUTION, None, (Use(6, 14, "According to..."),),
                    Reference(raw="Example Times", outlet="Example Times"))  # fmt: skip
    found = structure_findings(
        doc([attr]), tier_of=lambda name: 2 if name == "Example Times" else None
    )
    assert rules(found) == [("SRC006", "unlinked-attribution", 6, "attr-1")]
    assert found[0].column == 14
    assert "Example Times (tier 2)" in found[0].message
    unknown = structure_findings(doc([attr]), tier_of=lambda name: None)
    assert "not in the tier list" in unknown[0].message
    assert "tier" not in structure_findings(doc([attr]))[0].message


def test_unsourced_quote_and_figure_per_paragraph() -> None:
    paragraphs = [
        Paragraph(2, "“We will never give up the fight,” the minister said. “Never,” he added."),
        Paragraph(4, "Exports grew 42% and reached $3.5 billion, with 12 million tonnes shipped."),
        Paragraph(6, "In 2025, three ships left port, 2 days late, after “friendship” talks."),
        Paragraph(8, "“A quoted claim with enough words,” it said, up 40%.", (Mark(0, 5, "fn-1"),)),
        Paragraph(10, "“Quoted notes entry text here too,” 10% more.", in_notes=True),
    ]
    found = structure_findings(doc(paragraphs=paragraphs))
    assert [(f.id, f.rule, f.line) for f in found] == [
        ("UNS001", "unsourced-quote", 2),
        ("UNS002", "unsourced-figure", 4),
    ]


def test_quote_and_figure_detectors() -> None:
    assert has_direct_quote('He said "this is the end of it" and left.')
    assert not has_direct_quote("A so-called “friendship without” pact.")
    assert not has_direct_quote("Dugin’s view and Putin’s ‘deal’ stand.")
    for text in ["up 3.5 percent", "€40", "1,200 troops", "5 bn", "300 km of track", "7 GW"]:
        assert has_figure(text), text
    for text in ["in 2025", "three people", "on July 11, 2025", "chapter 12", "1993 essay"]:
        assert not has_figure(text), text


def test_findings_are_sorted_by_location() -> None:
    cits = [note("2", [(9, 1, "b")], entry_line=31, url="http://example.org/b"),
            note("1", [(2, 1, "a")], entry_line=30, url="http://example.org/a")]  # fmt: skip
    found = structure_findings(doc(cits, [MarkerUse("1", 2, 1, ""), MarkerUse("2", 9, 1, "")]))
    assert [f.line for f in found] == sorted(f.line or 0 for f in found)
