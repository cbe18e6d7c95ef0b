"""Tests for audit.extract.refstring: notes entries split into reference fields.

Every entry below is synthetic (invented outlets, titles and URLs), except the last test, which
reads the sample article from ../shared/articles without copying it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from audit.extract.refstring import parse_reference
from audit.model import DatePrecision, Reference

REPO = Path(__file__).resolve().parents[3]
ARTICLES = REPO / ".." / "shared" / "articles"


def fields(ref: Reference) -> tuple[object, ...]:
    return (ref.outlet, ref.authors, ref.title, ref.date, ref.accessed, ref.url)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "Example Wire, “Grain talks resume in Vienna,” July 11, 2025, https://example.org/grain-2025-07-11/",
            ("Example Wire", (), "Grain talks resume in Vienna", "2025-07-11", None,
             "https://example.org/grain-2025-07-11/"),
        ),
        (
            "Ann Lee and Bo Park, “The Long Thaw,” Example Review, March 3, 2024, https://example.org/thaw",
            ("Example Review", ("Ann Lee", "Bo Park"), "The Long Thaw", "2024-03-03", None,
             "https://example.org/thaw"),
        ),
        (
            'Lee, Ann. "Pipelines and Promises." The Example Journal, 11 July 2025. https://example.org/p.',
            ("The Example Journal", ("Lee, Ann",), "Pipelines and Promises", "2025-07-11", None,
             "https://example.org/p"),
        ),
        (
            "Example Institute. (2025, March 14). Energy outlook for the steppe. "
            "Example Policy Review. https://example.org/outlook",
            ("Example Policy Review", ("Example Institute",), "Energy outlook for the steppe",
             "2025-03-14", None, "https://example.org/outlook"),
        ),
        (
            "Energy outlook for the steppe - Example Wire (2025-07-11) https://example.org/e",
            ("Example Wire", (), "Energy outlook for the steppe", "2025-07-11", None,
             "https://example.org/e"),
        ),
        (
            "Examplepedia, “Border conflict of 1901,” accessed July 2025, https://example.org/wiki/Border_(1901)",
            ("Examplepedia", (), "Border conflict of 1901", None, "2025-07",
             "https://example.org/wiki/Border_(1901)"),
        ),
        (
            "https://example.org/only-a-url",
            (None, (), None, None, None, "https://example.org/only-a-url"),
        ),
        (
            "Example Post, 'Straight single quotes', 2024, https://example.org/s",
            ("Example Post", (), "Straight single quotes", "2024", None, "https://example.org/s"),
        ),
        (
            "Example Post, \"Straight quotes,\" n.d., www.example.org/s",
            ("Example Post", (), "Straight quotes", None, None, "www.example.org/s"),
        ),
        (
            "Example Times, “‘We will not leave’: envoy’s vow,” June 8, 2025, https://example.org/v",
            ("Example Times", (), "‘We will not leave’: envoy’s vow", "2025-06-08", None,
             "https://example.org/v"),
        ),
        (
            "Example Times, “The July 4, 1901 letter,” May 2, 2025, https://example.org/l",
            ("Example Times", (), "The July 4, 1901 letter", "2025-05-02", None,
             "https://example.org/l"),
        ),
        (
            "Example Daily, June 2, 2025, Retrieved 3 June 2025 from https://example.org/d",
            ("Example Daily", (), None, "2025-06-02", "2025-06-03", "https://example.org/d"),
        ),
        (
            "Example Agency, “Hydropower statistics,” May 2, 2025. PDF https://example.org/h.pdf",
            ("Example Agency", (), "Hydropower statistics", "2025-05-02", None,
             "https://example.org/h.pdf"),
        ),
        # "n.d." says there is no date; inside a quoted title, words are the title's.
        (
            "Example Federation, “Price survey” (n.d.), https://example.org/survey",
            ("Example Federation", (), "Price survey", None, None, "https://example.org/survey"),
        ),
        (
            "Example Post, “Undated letters (PDF),” undated, https://example.org/u",
            ("Example Post", (), "Undated letters (PDF)", None, None, "https://example.org/u"),
        ),
        (
            "The N.D. Review, “Plains,” 2024, https://example.org/p",
            ("The N.D. Review", (), "Plains", "2024", None, "https://example.org/p"),
        ),
        # Books in notes (Chicago style): the parentheses hold the publisher and the year.
        (
            "J. Rail, Freight Shift (Example Press, 2010).",
            ("Example Press", ("J. Rail",), "Freight Shift", "2010", None, None),
        ),
        (
            "Ann Lee and Bo Park, The Long Thaw (London: Example University Press, 2019), 45-47.",
            ("Example University Press", ("Ann Lee", "Bo Park"), "The Long Thaw", "2019", None,
             None),
        ),
        # A reference list pasted from a wiki: back-links, format notes, archive dates, DOIs.
        (
            '^ a b "Rail reform act passed". Example Herald. 14 March 2019. Retrieved 2 May 2024.',
            ("Example Herald", (), "Rail reform act passed", "2019-03-14", "2024-05-02", None),
        ),
        (
            '^ Doe, Jane (2020). "Freight first?". Example Quarterly. 12 (3): 45–67. '
            "doi:10.1234/eq.2020.3.",
            ("Example Quarterly", ("Doe, Jane",), "Freight first?", "2020", None,
             "https://doi.org/10.1234/eq.2020.3"),
        ),
        (
            "^ Example Audit Office (2021). Rail reform review (PDF) (Report). "
            "https://example.org/rail-2021.pdf",
            (None, ("Example Audit Office",), "Rail reform review", "2021", None,
             "https://example.org/rail-2021.pdf"),
        ),
        (
            '^ "Passenger numbers 2023". Example Statistics. https://example.org/rail/2023. '
            "Archived from the original on 5 January 2024.",
            ("Example Statistics", (), "Passenger numbers 2023", None, None,
             "https://example.org/rail/2023"),
        ),
        # A report with the year alone in brackets; "The ..." names an outlet, not a person.
        ("Port Authority, Annual Report 2023 (2024), 12.",
         (None, ("Port Authority",), "Annual Report 2023", "2024", None, None)),
        ("The Example Herald, Harbour vote delayed (2023), https://herald.example.com/vote",
         ("The Example Herald", (), "Harbour vote delayed", "2023", None,
          "https://herald.example.com/vote")),
        ("Ibid.", (None, (), None, None, None, None)),
        ("", (None, (), None, None, None, None)),
    ],
)  # fmt: skip
def test_parse_reference_forms(raw: str, expected: tuple[object, ...]) -> None:
    assert fields(parse_reference(raw)) == expected


@pytest.mark.parametrize(
    "words", ["PDF", "[PDF]", "(pdf)", "link", "[link]", "here", "Available at:", "retrieved from"]
)
@pytest.mark.parametrize(
    "entry",
    [
        "Example Agency, Annual outlook, 2025.",
        "Example Agency, “Hydropower statistics,” May 2, 2025.",
        "Lee, A. (2024). Water and power. Example Journal.",
    ],
)
def test_a_word_standing_for_the_link_changes_no_field(entry: str, words: str) -> None:
    # "… 2025. PDF https://…" once made "PDF" the title.
    url = " https://example.org/doc"
    assert fields(parse_reference(f"{entry} {words}{url}")) == fields(parse_reference(entry + url))


@pytest.mark.parametrize("prefix", ["1. ", "[1] ", "1) ", "(1) ", "^ ", "12.\t"])
def test_parse_reference_tolerates_numbering(prefix: str) -> None:
    ref = parse_reference(prefix + "Example Wire, “A title,” May 2, 2025, https://example.org/a")
    assert (ref.outlet, ref.title, ref.date) == ("Example Wire", "A title", "2025-05-02")
    assert ref.raw.startswith(prefix.strip())


def test_parse_reference_keeps_precision() -> None:
    ref = parse_reference("Example Wire, “A title,” May 2025, https://example.org/a")
    assert (ref.date, ref.date_precision) == ("2025-05", DatePrecision.MONTH)
    ref = parse_reference("Example Wire, “A title,” May 2, 2025, https://example.org/a")
    assert ref.date_precision is DatePrecision.DAY


def test_parse_reference_does_not_guess_an_outlet_from_a_sentence() -> None:
    ref = parse_reference("This note only explains a point and cites nothing at all, really.")
    assert ref.outlet is None
    assert ref.url is None
    assert ref.date is None


def _tianjin_entries() -> list[str]:
    path = ARTICLES / "tianjin-subordination.txt"
    if not path.exists():
        pytest.skip("the shared sample articles are not on this machine")
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("Footnotes") + 1
    return lines[start : start + 9]


def test_sample_article_entries_parse_into_outlet_title_date_url() -> None:
    refs = [parse_reference(raw) for raw in _tianjin_entries()]
    assert len(refs) == 9
    for ref in refs:
        assert ref.outlet and ref.title and ref.url, ref
        assert ref.url.startswith("https://")
        assert ref.date or ref.accessed, ref
        # the title never swallows the outlet or the quote marks
        assert ref.outlet not in ref.title
        assert not re.search(r"[“”]", ref.title)
    # the Wikipedia entry is "accessed", the rest are dated
    assert sum(1 for r in refs if r.accessed and r.date is None) == 1
    assert sum(1 for r in refs if r.date_precision is DatePrecision.DAY) == 8


@pytest.mark.parametrize(
    ("raw", "link_text", "title", "outlet", "authors"),
    [
        # "Org, [Title], date": read as "Title, Outlet" without the link's words.
        (
            "Example Council, Fees and charges 2025, 4 March 2025. https://council.example/fees",
            "Fees and charges 2025",
            "Fees and charges 2025",
            "Example Council",
            (),
        ),
        (
            "Jane Doe, Port Budget Grows Again, Example Ledger, March 3, 2025.",
            "Port Budget Grows Again",
            "Port Budget Grows Again",
            "Example Ledger",
            ("Jane Doe",),
        ),
        (
            "Example Ledger: Traffic doubles at the quay (June 1, 2025)",
            "Traffic doubles at the quay",
            "Traffic doubles at the quay",
            "Example Ledger",
            (),
        ),
        (
            "Port statistics 2024 — Example Statistics Office",
            "Port statistics 2024",
            "Port statistics 2024",
            "Example Statistics Office",
            (),
        ),
        # A linked outlet's name, a generic word, a URL or a domain says nothing about the title.
        (
            "Harbour vote delayed, The Example Herald, 2023.",
            "The Example Herald",
            "Harbour vote delayed",
            "The Example Herald",
            (),
        ),
        ("Example Council, Fees and charges 2025, here, 2025.", "here", None, None, None),
        # An instruction is not a title, nor is anything after the date or the URL.
        (
            "Example Council, Fees and charges 2025. Read the notice.",
            "Read the notice",
            None,
            None,
            None,
        ),
        ("Example Port, Quay reopens, May 2, 2025. The notice.", "The notice", None, None, None),
        (
            "Example Council, Fees and charges 2025, council.example",
            "council.example",
            None,
            None,
            None,
        ),
        # Quoted titles win: the quotes are the author's own word on it.
        (
            "Example Wire, “Critics doubt port plan,” March 2, 2025.",
            "Example Wire",
            "Critics doubt port plan",
            "Example Wire",
            (),
        ),
    ],
)
def test_the_linked_words_of_an_entry_are_its_title(
    raw: str,
    link_text: str,
    title: str | None,
    outlet: str | None,
    authors: tuple[str, ...] | None,
) -> None:
    with_link = parse_reference(raw, link_text)
    if title is None:  # the hint is ignored: same reading as without it
        assert with_link == parse_reference(raw)
        return
    assert (with_link.title, with_link.outlet, with_link.authors) == (title, outlet, authors)


@pytest.mark.parametrize(
    ("raw", "title", "outlet"),
    [
        # Two fields and one has a year: the year is in the title, not the outlet's name.
        ("Example Council, Budget 2025.", "Budget 2025", "Example Council"),
        ("Example Council, Budget 2025, 4 March 2025.", "Budget 2025", "Example Council"),
        ("Harbour plan 2030, Example Gazette.", "Harbour plan 2030", "Example Gazette"),
        # Without a year the usual reading: title, then outlet.
        (
            "Harbour vote delayed, The Example Herald, 2023.",
            "Harbour vote delayed",
            "The Example Herald",
        ),
    ],
)
def test_a_year_tells_a_report_title_from_an_outlet(raw: str, title: str, outlet: str) -> None:
    ref = parse_reference(raw)
    assert (ref.title, ref.outlet) == (title, outlet)


def test_an_accessed_date_in_brackets_after_a_quoted_title_is_not_apa() -> None:
    ref = parse_reference(
        "Jane Roe, “The quay's numbers, read twice,” Example Gazette, July 2, 2025"
        " (accessed July 3, 2025), <https://gazette.example/quay-numbers>."
    )
    assert (ref.title, ref.outlet, ref.authors) == (
        "The quay's numbers, read twice",
        "Example Gazette",
        ("Jane Roe",),
    )
    assert (ref.date, ref.accessed, ref.url) == (
        "2025-07-02",
        "2025-07-03",
        "https://gazette.example/quay-numbers",
    )


def test_a_url_in_angle_brackets_leaves_no_bracket_behind() -> None:
    ref = parse_reference("Example Port. (2024). Annual report 2024. <https://port.example/ar>")
    assert (ref.title, ref.authors, ref.date, ref.url) == (
        "Annual report 2024",
        ("Example Port",),
        "2024",
        "https://port.example/ar",
    )


@pytest.mark.parametrize(
    ("raw", "title", "outlet", "authors", "date"),
    [
        # Harvard: the year between full stops, no quotes.
        (
            "Roe, J. 2025. Traffic doubles at the quay. Example Ledger, 1 June. Available at:"
            " https://ledger.example/q (Accessed: 3 June 2025).",
            "Traffic doubles at the quay",
            "Example Ledger",
            ("Roe, J",),
            "2025",
        ),
        # APA's venue is its first field, not the volume and pages after it.
        (
            "Roe, J. (2025). Quay traffic. Journal of Ports, 12(3), 45-67.",
            "Quay traffic",
            "Journal of Ports",
            ("Roe, J",),
            "2025",
        ),
        # "Last modified" before a date is not an outlet.
        (
            'Example Ledger. "Traffic Doubles at the Quay." Last modified June 1, 2025.',
            "Traffic Doubles at the Quay",
            "Example Ledger",
            (),
            "2025-06-01",
        ),
    ],
)
def test_harvard_apa_venues_and_modified_dates(
    raw: str, title: str, outlet: str, authors: tuple[str, ...], date: str
) -> None:
    ref = parse_reference(raw)
    assert (ref.title, ref.outlet, ref.authors, ref.date) == (title, outlet, authors, date)


def test_a_quoted_title_keeps_a_last_word_that_looks_like_noise() -> None:
    # Found by the round-trip property test: "In" closes "Available in:" but also "All In".
    ref = parse_reference('Roe, Jane. "All In." Example Ledger, 1 June 2025. https://l.example/a')
    assert (ref.title, ref.outlet) == ("All In", "Example Ledger")
    ref = parse_reference("Aa Wire, “Aa In,” January 1, 1990, http://0.example/")
    assert (ref.title, ref.outlet) == ("Aa In", "Aa Wire")
    ref = parse_reference("Aa In - Aa Wire (1990-01-01) http://0.example/")
    assert (ref.title, ref.outlet) == ("Aa In", "Aa Wire")
    ref = parse_reference("Harbour Plan Updated - Example Wire (2025-01-01) http://0.example/")
    assert (ref.title, ref.outlet) == ("Harbour Plan Updated", "Example Wire")


@pytest.mark.parametrize(
    ("raw", "outlet", "title"),
    [
        # The field the host spells is the outlet, first or last.
        (
            "Regional Water, Reservoir levels weekly update, https://regionalwater.example/weekly",
            "Regional Water",
            "Reservoir levels weekly update",
        ),
        (
            "Reservoir levels weekly update, Regional Water, https://www.regionalwater.example/w",
            "Regional Water",
            "Reservoir levels weekly update",
        ),
        # A host that spells neither field leaves the usual reading: the last short field.
        (
            "Reservoir levels weekly update, Regional Water, https://water.example/w",
            "Regional Water",
            "Reservoir levels weekly update",
        ),
    ],
)
def test_the_field_the_host_spells_is_the_outlet(raw: str, outlet: str, title: str) -> None:
    ref = parse_reference(raw)
    assert (ref.outlet, ref.title) == (outlet, title)


def test_a_note_with_a_second_source_takes_its_fields_from_the_first() -> None:
    # The first URL is the one checked, so its title and date must be the first source's: the
    # quoted title after it belongs to the second ("Also quoted in ...").
    ref = parse_reference(
        "Interview with J. Doe, council engineer, 14 May 2024. Transcript: "
        "https://council.example.gov/transcripts/2024-05-14. Also quoted in “Barrier doubts”, "
        "Coast News, 15 May 2024, https://coastnews.example/2024/05/15/barrier"
    )
    assert (ref.title, ref.outlet, ref.date) == (
        "Interview with J. Doe, council engineer",
        None,
        "2024-05-14",
    )
    assert ref.url == "https://council.example.gov/transcripts/2024-05-14"
    assert ref.raw.endswith("/2024/05/15/barrier")  # the note as written, whole
    # A quoted title before the first URL is that source's, whatever follows.
    archived = parse_reference(
        "“The depot fire of 1951” https://history.example.org/fire. History Society. "
        "12 June 2019. Archived from the original https://web.archive.org/web/2020/x"
    )
    assert (archived.title, archived.date) == ("The depot fire of 1951", "2019-06-12")
