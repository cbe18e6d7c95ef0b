"""Tests for audit.dates: citation date strings, dates in text, dates in URLs, precision."""

from __future__ import annotations

import datetime

import pytest

from audit.dates import (
    ParsedDate,
    date_from_url,
    date_in_range,
    dates_agree,
    days_apart,
    find_dates,
    is_after,
    parse_date,
    parse_iso,
)
from audit.model import DatePrecision

DAY, MONTH, YEAR = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        ("July 11, 2025", "2025-07-11", DAY),
        ("11 July 2025", "2025-07-11", DAY),
        ("Jul. 11, 2025", "2025-07-11", DAY),
        ("Sept. 3rd, 2024", "2024-09-03", DAY),
        ("2025-07-11", "2025-07-11", DAY),
        ("2025-07-11T08:15:00Z", "2025-07-11", DAY),
        ("2025/7/4", "2025-07-04", DAY),
        ("July 2025", "2025-07", MONTH),
        ("2025-07", "2025-07", MONTH),
        ("2025", "2025", YEAR),
        ("March 14, 2025 at 8:32 AM EDT", "2025-03-14", DAY),
        ("Friday the 14th of March, 2025", "2025-03-14", DAY),
        ("(2025, March 14)", "2025-03-14", DAY),
        ("14/03/2025", "2025-03-14", DAY),
        ("03/14/2025", "2025-03-14", DAY),
        ("  december 1, 1999 ", "1999-12-01", DAY),
    ],
)
def test_parse_date_reads_common_forms_with_precision(
    text: str, iso: str, precision: DatePrecision
) -> None:
    assert parse_date(text) == ParsedDate(iso, precision)


@pytest.mark.parametrize(
    "text",
    ["n.d.", "(n.d.)", "no date", "", "   ", "03/04/2025", "February 30, 2025", "2025-13-01",
     "the 2025 budget", "page 12", "soon", "Spring"],
)  # fmt: skip
def test_parse_date_refuses_non_dates_and_ambiguous_dates(text: str) -> None:
    assert parse_date(text) is None


def test_parse_date_never_reads_iso_dayfirst() -> None:
    # dayfirst on ISO would turn the 3rd of April into the 4th of March.
    assert parse_date("2025-04-03") == ParsedDate("2025-04-03", DAY)


def test_find_dates_gives_offsets_and_marks_accessed_dates() -> None:
    text = "Example Wire, “Talks,” June 9, 2025, accessed July 2025, https://example.org/a"
    found = find_dates(text)
    assert [(text[d.start : d.end], d.date.iso, d.accessed) for d in found] == [
        ("June 9, 2025", "2025-06-09", False),
        ("July 2025", "2025-07", True),
    ]


@pytest.mark.parametrize("word", ["Retrieved", "viewed on", "Consulted", "Accessed:"])
def test_find_dates_knows_every_accessed_word(word: str) -> None:
    (match,) = find_dates(f"Some Outlet. {word} 11 July 2025.")
    assert match.accessed
    assert match.date.iso == "2025-07-11"


def test_find_dates_prefers_the_longest_reading() -> None:
    (match,) = find_dates("Published July 11, 2025.")
    assert match.date == ParsedDate("2025-07-11", DAY)


def test_find_dates_ignores_years_inside_prose_but_keeps_field_years() -> None:
    assert find_dates("The 2025 budget sent 2024 troops north") == []
    assert [d.date.iso for d in find_dates("Example Post, “A story,” 2024, https://x.org")] == [
        "2024"
    ]
    assert [d.date.iso for d in find_dates("Doe, J. (2019). A title.")] == ["2019"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/2025/06/09/bear-meets-dragon/", ParsedDate("2025-06-09", DAY)),
        ("https://example.org/world/talks-stall-2025-07-11/", ParsedDate("2025-07-11", DAY)),
        ("https://example.org/2025-07-11/talks", ParsedDate("2025-07-11", DAY)),
        ("https://example.org/news/20250711/talks.html", ParsedDate("2025-07-11", DAY)),
        ("https://example.org/2025/07/", ParsedDate("2025-07", MONTH)),
        ("https://example.org/2025/07/talks", ParsedDate("2025-07", MONTH)),
    ],
)
def test_date_from_url(url: str, expected: ParsedDate) -> None:
    assert date_from_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/politics/1937047",
        "https://example.org/articleshow/121727671.cms",
        "https://example.org/1066/10/14/hastings",  # before the web
        "https://example.org/2025/13/40/x",
        "https://2025.example.org/07/11",  # the host is not the path
        "https://example.org/story?date=2025-07-11",
        "not a url",
    ],
)
def test_date_from_url_rejects_non_dates(url: str) -> None:
    assert date_from_url(url) is None


def test_precision_aware_comparisons() -> None:
    july = ParsedDate("2025-07", MONTH)
    day = ParsedDate("2025-07-11", DAY)
    assert dates_agree(july, day)
    assert date_in_range(july, datetime.date(2025, 7, 31))
    assert not date_in_range(july, datetime.date(2025, 8, 1))
    assert date_in_range(ParsedDate("2024", YEAR), datetime.date(2024, 2, 29))
    assert days_apart(ParsedDate("2025-07-10", DAY), day) == 1
    assert dates_agree(ParsedDate("2025-07-10", DAY), day, tolerance_days=1)
    assert not dates_agree(ParsedDate("2025-07-09", DAY), day, tolerance_days=1)
    assert days_apart(ParsedDate("2025-06", MONTH), ParsedDate("2025-08-01", DAY)) == 32
    assert is_after(ParsedDate("2025-08-01", DAY), july)
    assert not is_after(day, july)
    assert not is_after(ParsedDate("2025-12", MONTH), ParsedDate("2025", YEAR))


def test_parse_iso() -> None:
    assert parse_iso("2025-03-01T09:00:00+00:00") == ParsedDate("2025-03-01", DAY)
    assert parse_iso("2025-03") == ParsedDate("2025-03", MONTH)
    assert parse_iso(None) is None
    assert parse_iso("March 2025") is None


def test_a_year_in_a_title_does_not_take_the_month_of_the_date_after_it() -> None:
    # "Freight forecast 2030, January 2025": the month goes with 2025; APA's "(2025, March)" stays.
    found = [(d.date.iso, d.date.precision) for d in find_dates("Forecast 2030, January 2025.")]
    assert found == [("2025-01", DatePrecision.MONTH)]
    assert [d.date.iso for d in find_dates("Report 2030, Jan. 2025")] == ["2025-01"]
    assert [d.date.iso for d in find_dates("Smith (2025, March). Title.")] == ["2025-03"]
