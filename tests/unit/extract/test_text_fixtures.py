"""The plain-text loader on our own hard fixture articles (tests/fixtures/articles/text/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.extract.clutter import BIO, COMMENT, EMAIL, FURTHER, SHARE
from audit.extract.plaintext import extract_text, find_notes_section, looks_like_reference
from audit.model import Citation, CitationKind, ExtractedDocument

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "articles" / "text"


def load(name: str) -> ExtractedDocument:
    path = FIXTURES / name
    assert path.is_file(), path
    return extract_text(str(path), path.read_text(encoding="utf-8"), ())


def by_id(doc: ExtractedDocument) -> dict[str, Citation]:
    return {c.id: c for c in doc.citations}


def test_stacked_and_multi_digit_superscripts() -> None:
    doc = load("stacked-markers.txt")
    cites = by_id(doc)
    assert doc.title == "Harbour Cranes and the Quiet Politics of Ports"
    assert doc.author == "Mara Quillfeather"
    assert doc.date == "2025-03-03"
    assert [c.id for c in doc.citations] == [f"fn-{n}" for n in range(1, 12)]
    # "¹²³" on line 4 is three markers at consecutive columns, not marker 123.
    assert [(m.label, m.line) for m in doc.markers[:3]] == [("1", 4), ("2", 4), ("3", 4)]
    cols = [m.column for m in doc.markers[:3]]
    assert cols == [cols[0], cols[0] + 1, cols[0] + 2]
    assert cites["fn-10"].uses[0].line == 7 and cites["fn-11"].uses[0].line == 7
    assert cites["fn-10"].reference.accessed == "2025-02"
    assert cites["fn-3"].reference.url == "https://gazette.example/eastmere/annual-2024"
    assert cites["fn-1"].entry_line == 11
    assert cites["fn-5"].uses[0].context.startswith("Engineers at the Eastmere terminal")
    ignored = {(i.url, i.reason) for i in doc.ignored_links}
    assert ("tips@harbourdesk.example", EMAIL) in ignored
    assert any(reason == SHARE for _, reason in ignored)
    # The comment after the notes: its link is the commenter's, and it is not a note.
    assert ("https://myblog.example/ports-rant", COMMENT) in ignored
    assert doc.notes_numbered


def test_bracket_markers_lists_ranges_and_tricky_urls() -> None:
    doc = load("bracket-notes.txt")
    cites = by_id(doc)
    assert [m.label for m in doc.markers] == ["1", "2", "3", "4", "5"]  # no [2025], [sic], items[1]
    assert len(cites["fn-1"].uses) == 1
    wiki = cites["inline-1"]
    assert wiki.reference.url == "https://en.wikipedia.org/wiki/Treaty_of_Example_(1911)"
    assert cites["inline-2"].reference.url == "https://archive.example/pamphlet-1912"
    line3 = (FIXTURES / "bracket-notes.txt").read_text(encoding="utf-8").splitlines()[2]
    assert wiki.uses[0].line == 3
    assert wiki.uses[0].column == line3.index("https://") + 1
    prov = cites["prov-1"]
    assert prov.kind is CitationKind.PROVENANCE
    assert prov.reference.url == "https://archivequarterly.example/2024/11/afterlife-of-a-treaty/"
    assert cites["fn-2"].reference.title == "Pamphlets and their errors"
    assert cites["fn-5"].reference.date == "2021-06-30"


def test_unnumbered_sources_bio_block_and_comments() -> None:
    doc = load("unnumbered-sources.txt")
    cites = by_id(doc)
    assert not doc.notes_numbered
    assert [c.id for c in doc.citations] == ["fn-1", "fn-2", "fn-3"]
    assert cites["fn-2"].reference.outlet == "Transit Weekly"
    # Marker 4 has no entry: it is a marker use, but no citation.
    assert [m.label for m in doc.markers] == ["1", "2", "3", "4"]
    reasons = {i.url: i.reason for i in doc.ignored_links}
    assert reasons["https://rail.social/@tbrightwater"] == BIO
    assert reasons["https://www.railgazette.example/authors/tomas-brightwater"] == BIO
    assert reasons["https://nighttrains.example/newsletter"] == SHARE
    assert reasons["https://photos.example/u/trainfan/vienna"] == COMMENT
    body = [p for p in doc.paragraphs if not p.in_notes]
    assert all("Brightwater is a transport" not in p.text for p in body)
    assert all("night train from Vienna" not in p.text for p in doc.paragraphs)


def test_paren_endnotes_attributions_and_non_markers() -> None:
    doc = load("paren-endnotes.txt")
    cites = by_id(doc)
    assert doc.title == "Salt Flats and the Lithium Rush"
    assert [m.label for m in doc.markers] == ["1", "2", "3"]  # not km², row_values[2], bids[3]
    attrs = [c for c in doc.citations if c.kind is CitationKind.ATTRIBUTION]
    assert [c.reference.outlet for c in attrs] == ["Reuters", "BBC"]
    assert attrs[0].reference.raw == "Reuters reported"
    # The essay sentence carries marker 3, so "Foreign Policy" there is sourced, not unlinked.
    assert cites["fn-3"].uses[0].context.startswith("In a Foreign Policy essay")
    assert cites["fn-2"].reference.url == "http://andeswire.example/brine-estimates"
    assert all("ADVERTISEMENT" not in p.text and "Login" not in p.text for p in doc.paragraphs)


def test_paragraph_marks_point_into_their_text() -> None:
    for name in sorted(p.name for p in FIXTURES.glob("*.txt")):
        doc = load(name)
        ids = {c.id for c in doc.citations}
        for p in doc.paragraphs:
            for m in p.marks:
                assert 0 <= m.start < m.end <= len(p.text)
                assert m.citation_id is None or m.citation_id in ids
        unanswered = [m for p in doc.paragraphs for m in p.marks if m.citation_id is None]
        answered = {m.label for m in doc.markers} & {c.marker for c in doc.citations}
        assert len(unanswered) == len([m for m in doc.markers if m.label not in answered])


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Reuters, “A headline,” July 11, 2025, https://example.org/a", True),
        ("Doe, J. (2024). A report title. Example Press.", True),
        ("https://example.org/only-a-url", True),
        ("Ibid.", True),
        ("I loved this piece! Thanks for writing it.", False),
        ("It was obvious to me from the start that this would fail.", False),
        ("Great article, see https://blog.example/mine and tell me what you think!", False),
    ],
)
def test_looks_like_reference(line: str, expected: bool) -> None:
    assert looks_like_reference(line) is expected


def test_notes_without_a_heading() -> None:
    lines = [
        "Title of a piece",
        "Body text with a marker.[1] And another.[2]",
        "More body text.",
        "Closing line of the body.",
        "[1] Example Wire, “First story,” May 1, 2024, https://wire.example/1",
        "[2] Example Wire, “Second story,” May 2, 2024, https://wire.example/2",
    ]
    section = find_notes_section(lines)
    assert section is not None and section.heading is None
    assert [e.label for e in section.entries] == ["1", "2"]


def test_a_notes_heading_followed_by_prose_is_not_a_section() -> None:
    lines = ["Notes", "I kept notes during the trip and most of them were about the weather."]
    assert find_notes_section(lines) is None


@pytest.mark.parametrize(
    "first",
    [
        "The quay reopened in June.[1]",
        "The quay reopened in June.¹",
        "The quay reopened in June[1] and traffic doubled",
    ],
)
def test_a_first_line_that_cites_a_note_is_text_not_the_title(first: str) -> None:
    # With no headline, the first line is the article's first sentence: its marker counts.
    text = f'{first}\n\nNotes\n\n[1] Example Port, "Quay reopens," 2025, https://port.example/q\n'
    doc = extract_text("short.txt", text, ())
    assert doc.title is None
    (note,) = doc.citations
    assert [u.line for u in note.uses] == [1]


def test_a_headline_with_a_superscript_unit_is_still_the_title() -> None:
    text = "Price per m² rises again\n\nThe price rose.[1]\n\n[1] Example Wire, 2025, https://wire.example/a\n"
    assert extract_text("m2.txt", text, ()).title == "Price per m² rises again"


def test_a_plain_text_notes_further_urls_are_listed_as_set_aside() -> None:
    text = (
        "Quay news\n\nThe quay reopened.[1]\n\nNotes\n\n"
        '[1] Example Port, "Quay reopens," 2025, https://port.example/q; see also'
        " https://ledger.example/quay and https://port.example/q again.\n"
    )
    doc = extract_text("two.txt", text, ())
    (note,) = doc.citations
    assert note.reference.url == "https://port.example/q"
    assert [(i.url, i.line, i.reason) for i in doc.ignored_links] == [
        ("https://ledger.example/quay", 7, FURTHER)
    ]
