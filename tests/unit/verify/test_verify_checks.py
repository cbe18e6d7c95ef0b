"""The title, date, outlet and quote checks, and verify_citation over a whole citation."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit.checks.verify import (
    VerifySettings,
    check_date,
    check_outlet,
    check_quote,
    check_title,
    checked_against,
    outlets_match,
    quoted_passages,
    verify_citation,
)
from audit.model import (
    CheckResult,
    Citation,
    CitationKind,
    DatePrecision,
    PageMeta,
    Rating,
    Reference,
    Use,
)

PAGE = PageMeta(
    title="Minister vows to keep 'green' pledge despite backlash",
    title_source="og",
    site_name="Reuters",
    published="2025-07-11T08:32:00+00:00",
    modified="2025-07-13T09:00:00+00:00",
    date_source="json_ld",
    title_candidates=(
        ("og", "Minister vows to keep 'green' pledge despite backlash"),
        ("h1", "Minister vows to keep green pledge despite backlash"),
    ),
)


@pytest.mark.parametrize(
    ("cited", "verdict"),
    [
        ("Minister vows to keep “green” pledge despite backlash", "match"),
        ("MINISTER VOWS TO KEEP GREEN PLEDGE DESPITE BACKLASH - Reuters", "match"),
        ("Despite backlash, minister vows to keep green pledge", "match"),
        ("Minister vows to keep green pledge", "partial"),
        ("Minister vows to keep green pledge amid growing backlash", "partial"),
        # An edited headline that says the opposite is not a near miss.
        ("Minister drops green pledge after backlash", "mismatch"),
        ("Talks collapse as envoys leave Geneva early", "mismatch"),
        ("Minister vows", "mismatch"),
    ],
)
def test_title_verdicts(cited: str, verdict: str) -> None:
    result = check_title(cited, PAGE, ["Reuters"])
    assert result.verdict == verdict
    assert result.score is not None and 0 <= result.score <= 100


def test_title_unknowns_and_thresholds() -> None:
    assert check_title(None, PAGE).verdict == "unknown"
    assert check_title("A title", None).verdict == "unknown"
    assert check_title("A title", PageMeta()).verdict == "unknown"
    strict = VerifySettings(title_match=100.0, title_partial=99.0)
    assert (
        check_title(
            "Minister vows to keep green pledge despite backlash!!", PAGE, (), strict
        ).verdict
        == "match"
    )
    loose = "Minister vows to keep green pledge amid growing backlash"
    assert check_title(loose, PAGE, (), strict).verdict == "mismatch"


@pytest.mark.parametrize(
    ("cited", "precision", "verdict", "delta"),
    [
        ("2025-07-11", DatePrecision.DAY, "match", 0),
        ("2025-07-13", DatePrecision.DAY, "match", 0),  # the modified date
        ("2025-07-10", DatePrecision.DAY, "near", 1),
        ("2025-07-01", DatePrecision.DAY, "mismatch", 10),
        ("2025-07", DatePrecision.MONTH, "match", 0),
        ("2025", DatePrecision.YEAR, "match", 0),
        ("2024", None, "mismatch", 192),
        ("2025-08", None, "mismatch", 19),
    ],
)
def test_date_verdicts(
    cited: str, precision: DatePrecision | None, verdict: str, delta: int
) -> None:
    result = check_date(cited, precision, PAGE, None)
    assert (result.verdict, result.delta_days) == (verdict, delta)


def test_date_time_zones_and_tolerance() -> None:
    late = PageMeta(published="2025-07-11T23:30:00-05:00", date_source="json_ld")
    # Same instant is July 12 in UTC: a citation written from a UTC wire copy matches.
    assert check_date("2025-07-12", DatePrecision.DAY, late, None).verdict == "match"
    assert check_date("2025-07-11", DatePrecision.DAY, late, None).verdict == "match"
    assert (
        check_date("2025-07-14", DatePrecision.DAY, late, None, tolerance_days=3).verdict == "near"
    )


def test_date_from_url_and_unknowns() -> None:
    url = "https://example.org/2024/03/02/story"
    assert check_date("2025-07-01", DatePrecision.DAY, None, url).verdict == "mismatch"
    assert check_date("2024-03-02", DatePrecision.DAY, PageMeta(), url).verdict == "match"
    assert check_date(None, None, PAGE, None).verdict == "unknown"
    assert check_date("not a date", None, PAGE, None).verdict == "unknown"
    assert check_date("2025-07-11", DatePrecision.DAY, PageMeta(), None).verdict == "unknown"


def test_a_month_in_the_url_covers_every_day_of_that_month() -> None:
    # /2025/01/ says January, not January 1: a citation dated January 9 matches it.
    url = "https://wire.example/2025/01/harbour-losses"
    assert check_date("2025-01-09", DatePrecision.DAY, None, url).verdict == "match"
    assert check_date("2025-01-31", DatePrecision.DAY, PageMeta(), url).verdict == "match"
    late = check_date("2025-02-09", DatePrecision.DAY, None, url)
    assert (late.verdict, late.delta_days) == ("mismatch", 9)  # from January 31
    early = check_date("2024-12-30", DatePrecision.DAY, None, url, tolerance_days=3)
    assert (early.verdict, early.delta_days) == ("near", 2)  # to January 1


def test_heuristic_date_never_mismatches() -> None:
    guessed = PageMeta(published="2022-06-19", date_source="heuristic")
    result = check_date("2025-07-11", DatePrecision.DAY, guessed, None)
    assert result.verdict == "unknown"
    assert check_date("2022-06-19", DatePrecision.DAY, guessed, None).verdict == "match"


def test_outlet_verdicts() -> None:
    reuters = Rating(outlet="Reuters", tier=1)
    farm = PageMeta(site_name="DailyNewsHub")
    assert check_outlet("Reuters", reuters, PageMeta(site_name="Reuters")).verdict == "match"
    assert check_outlet("reuters.com", None, PageMeta(site_name="Reuters")).verdict == "match"
    assert check_outlet("NYT", Rating(outlet="The New York Times", tier=1), None).verdict == "match"
    assert check_outlet("The Guardian", None, PageMeta(site_name="Guardian")).verdict == "match"
    result = check_outlet("Reuters", Rating(outlet=None, tier=None), farm)
    assert result.verdict == "mismatch" and "DailyNewsHub" in result.reason
    assert check_outlet(None, reuters, farm).verdict == "unknown"
    assert check_outlet("Reuters", None, PageMeta()).verdict == "unknown"
    assert not outlets_match("AP", "Reuters")
    assert outlets_match("AP", "Associated Press")


TEXT = (
    "The minister spoke on Tuesday.\n"
    "“We will not be rushed into a decision that binds the next generation,” she said, "
    "adding that the plan’s costs were “under review”.\n"
    "Critics said the council-led review - due in March - would change nothing."
)


def test_quote_found_with_curly_quotes_case_and_ellipsis() -> None:
    sentence = 'She said "we will not be rushed ... that binds the next generation."¹'
    result, fragment = check_quote([sentence], TEXT)
    assert result.verdict == "found"
    assert fragment is not None and fragment.startswith("#:~:text=")
    start, end = unquote(fragment.removeprefix("#:~:text=")).split(",")
    assert start.startswith("We will not be") and end.endswith("the next generation")


def test_quote_not_found_and_na() -> None:
    result, fragment = check_quote(['She said "we will never leave this town again".'], TEXT)
    assert result.verdict == "not_found" and "never leave" in result.reason
    assert fragment is None
    assert check_quote(["No quotes in this sentence."], TEXT)[0].verdict == "n/a"
    assert check_quote(['"A quote of many words here"'], None)[0].verdict == "n/a"


def test_fragment_encodes_reserved_characters() -> None:
    result, fragment = check_quote(
        ['It said the "council-led review - due in March" was late.'], TEXT
    )
    assert result.verdict == "found"
    assert fragment is not None and "-" not in fragment.removeprefix("#:~:text=")
    assert unquote(fragment.removeprefix("#:~:text=")) == "council-led review - due in March"


def test_quoted_passages_rules() -> None:
    # A lone quoted term counts; beside a long quote, short scare quotes do not.
    assert quoted_passages("costs were “under review”, she said") == ["under review"]
    assert quoted_passages('"we will stay here for good" and "soon" and "later"') == [
        "we will stay here for good"
    ]
    assert quoted_passages("it's the minister's plan") == []


def test_verify_citation_labels_source_and_fragment() -> None:
    citation = Citation(
        id="fn-1",
        kind=CitationKind.FOOTNOTE,
        marker="1",
        uses=(Use(3, 10, 'She said "we will not be rushed into a decision".'),),
        reference=Reference(
            raw="...",
            outlet="Reuters",
            title="Minister vows to keep green pledge despite backlash",
            date="2025-07-11",
            date_precision=DatePrecision.DAY,
            url="https://www.reuters.com/x",
        ),
    )
    checks = verify_citation(citation, PAGE, TEXT, Rating(outlet="Reuters", tier=1), "archive")
    assert checks.title is not None and checks.title.verdict == "match"
    assert checks.date is not None and checks.date.verdict == "match"
    assert checks.outlet is not None and checks.outlet.verdict == "match"
    assert checks.quote is not None and checks.quote.verdict == "found"
    assert checks.quote.text_fragment is not None
    assert {c.source for c in (checks.title, checks.date, checks.outlet, checks.quote)} == {
        "archive"
    }


_TEXT = st.text(max_size=12)


@given(
    result=st.builds(
        CheckResult,
        verdict=_TEXT,
        reason=_TEXT,
        score=st.none() | st.floats(allow_nan=False),
        delta_days=st.none() | st.integers(),
        source=st.none() | _TEXT,
        text_fragment=st.none() | _TEXT,
    ),
    source=_TEXT,
    fragment=st.none() | _TEXT,
)
def test_labelling_a_result_is_dataclasses_replace(
    result: CheckResult, source: str, fragment: str | None
) -> None:
    # Built field by field for speed: a field added to CheckResult and not carried over would
    # be lost from every report; replace() carries every field.
    expected = replace(result, source=source)
    if fragment is not None:
        expected = replace(expected, text_fragment=fragment)
    assert checked_against(result, source, fragment) == expected


def test_a_suffix_rule_names_no_outlet_to_contradict() -> None:
    # ".gov.uk" rates a council's site, but "UK government" is a class of sites, not its name.
    gov_uk = Rating(outlet="UK government (.gov.uk)", tier=2, matched_by="suffix", rule=".gov.uk")
    assert check_outlet("County council press release", gov_uk, None).verdict == "unknown"
    council = PageMeta(site_name="Example County Council")
    mismatch = check_outlet("Regional Water", gov_uk, council)
    assert mismatch.verdict == "mismatch" and "UK government" not in mismatch.reason
    assert check_outlet("Example County Council", gov_uk, council).verdict == "match"
    # A host or domain rule still names the outlet.
    bbc = Rating(outlet="BBC", tier=1, matched_by="domain", rule="bbc.co.uk")
    assert check_outlet("The Guardian", bbc, None).verdict == "mismatch"
