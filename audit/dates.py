"""Dates as writers cite them: parse one date string, find every date in a text, read a URL's date.

Our own regexes handle the common English forms ("July 11, 2025", "11 July 2025", "Jul. 11,
2025", "2025-07-11", "July 2025", "2025"); python-dateutil's fuzzy parser is only a fallback,
and only when a four-digit year and a month name are both present, because on anything less it
invents the missing parts from today's date. A date keeps its precision (day, month or year) so
that "July 2025" is never compared with July 1st. Pure: no I/O, never raises on bad input.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from audit.model import DatePrecision

MIN_YEAR = 1000
"""Years outside MIN_YEAR..MAX_YEAR in text are not dates (page numbers, counts, IDs)."""
MAX_YEAR = 2199

MIN_URL_YEAR = 1990
"""No web page predates the web; a four-digit run below this in a URL is an ID, not a year."""
MAX_URL_YEAR = 2100


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A date as precise as the writer gave it."""

    iso: str
    """YYYY-MM-DD, YYYY-MM or YYYY, matching `precision`."""
    precision: DatePrecision


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date found in a longer text, with its offsets (text[start:end] is the date as written)."""

    start: int
    end: int
    date: ParsedDate
    accessed: bool
    """True when preceded by "accessed", "retrieved", "viewed" or "consulted"."""
    archived: bool = False
    """True when preceded by "archived (from the original) on": a snapshot's date, not the
    publication's (Wikipedia's reference lists write it after every archived source)."""


_MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

# Longest names first so "June" is not read as "Jun" + "e".
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MON = rf"(?P<mon>{_MONTH_ALT})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_NOT_WORD_BEFORE = r"(?<![\w])"
_NOT_DIGIT_AFTER = r"(?![\w])"

_PATTERNS: tuple[tuple[re.Pattern[str], DatePrecision], ...] = tuple(
    (re.compile(p, re.IGNORECASE), prec)
    for p, prec in (
        # 2025-07-11, 2025/07/11, 2025-07-11T08:00Z
        (rf"{_NOT_WORD_BEFORE}{_YEAR}(?P<sep>[-/.])(?P<mnum>\d{{1,2}})(?P=sep)(?P<day>\d{{1,2}})"
         r"(?![\d])", DatePrecision.DAY),
        # July 11, 2025 / Jul. 11 2025 / July 11th, 2025
        (rf"{_NOT_WORD_BEFORE}{_MON}\s+{_DAY},?\s+{_YEAR}{_NOT_DIGIT_AFTER}", DatePrecision.DAY),
        # 11 July 2025 / 11th of July, 2025
        (rf"{_NOT_WORD_BEFORE}{_DAY}\s+(?:of\s+)?{_MON},?\s+{_YEAR}{_NOT_DIGIT_AFTER}",
         DatePrecision.DAY),
        # APA: (2025, March 14)
        (rf"{_NOT_WORD_BEFORE}{_YEAR},\s+{_MON}\s+{_DAY}{_NOT_DIGIT_AFTER}", DatePrecision.DAY),
        # 14/03/2025 or 03/14/2025: kept only when unambiguous (see _numeric)
        (r"(?<![\w/.-])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4})(?![\w/])",
         DatePrecision.DAY),
        # 2025-07 (two-digit month only, and not a range like 2024-2025)
        (rf"{_NOT_WORD_BEFORE}{_YEAR}-(?P<mnum>0[1-9]|1[0-2])(?![\w-])", DatePrecision.MONTH),
        # July 2025 / (2025, March)
        (rf"{_NOT_WORD_BEFORE}{_MON},?\s+{_YEAR}{_NOT_DIGIT_AFTER}", DatePrecision.MONTH),
        # ... but not "Forecast 2030, January 2025": there the month goes with the next year.
        (rf"{_NOT_WORD_BEFORE}{_YEAR},\s+{_MON}(?![\w])(?![.,]?\s+\d{{4}})", DatePrecision.MONTH),
    )
)  # fmt: skip

# A bare year counts as a date only when it stands alone as a field: "(2025)", ", 2025." or the
# whole string; "the 2025 budget" or "2025 troops" are not citation dates.
_BARE_YEAR = re.compile(r"(?<![\w/.,-])(?P<year>\d{4})[a-z]?(?![\w/-]|[.,]\d)")
_FIELD_CHARS_BEFORE = frozenset("(,;.\"”’'")
_FIELD_WORD_BEFORE = re.compile(r"\b(?:accessed|retrieved|viewed|consulted)(?:\s+on)?:?$", re.I)
_FIELD_CHARS_AFTER = frozenset("),.;")
_YEAR_ANYWHERE = re.compile(r"(?<!\d)\d{4}(?!\d)")
_WINDOW = 40
"""Every date pattern holds a four-digit year and reaches at most this far either side of it."""
_ACCESSED_BEFORE = re.compile(
    r"\b(?:accessed|retrieved|viewed|consulted|last\s+checked)(?:\s+on)?\s*[:,]?\s*(?:the\s+)?$",
    re.IGNORECASE,
)
_ARCHIVED_BEFORE = re.compile(
    r"\barchived(?:\s+from\s+the\s+original)?(?:\s+(?:on|at))?\s*[:,]?\s*(?:the\s+)?$",
    re.IGNORECASE,
)
_NO_DATE = re.compile(r"^\s*\(?\s*(?:n\.?\s?d\.?|no date|undated)\s*\)?\s*$", re.IGNORECASE)
_LOOKBEHIND_CHARS = 40


def _make(year: int, month: int | None, day: int | None) -> ParsedDate | None:
    """A ParsedDate if the parts make a real calendar date, else None."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    if month is None:
        return ParsedDate(f"{year:04d}", DatePrecision.YEAR)
    if not 1 <= month <= 12:
        return None
    if day is None:
        return ParsedDate(f"{year:04d}-{month:02d}", DatePrecision.MONTH)
    try:
        datetime.date(year, month, day)
    except ValueError:
        return None
    return ParsedDate(f"{year:04d}-{month:02d}-{day:02d}", DatePrecision.DAY)


def _numeric(a: int, b: int, year: int) -> ParsedDate | None:
    """dd/mm/yyyy or mm/dd/yyyy: a date only when the reading is unambiguous."""
    if a > 12 >= b:
        return _make(year, b, a)
    if b > 12 >= a:
        return _make(year, a, b)
    if a == b:
        return _make(year, a, b)
    return None


def _from_match(m: re.Match[str], precision: DatePrecision) -> ParsedDate | None:
    groups = m.groupdict()
    year = int(groups["year"])
    if groups.get("a") is not None:
        return _numeric(int(groups["a"]), int(groups["b"]), year)
    if groups.get("mnum") is not None:
        month: int | None = int(groups["mnum"])
    else:
        month = _MONTHS[groups["mon"].lower()]
    day = int(groups["day"]) if precision is DatePrecision.DAY else None
    return _make(year, month, day)


def _windows(text: str) -> list[tuple[int, int]]:
    """Stretches of `text` around its four-digit numbers, merged: the only places a date can be.

    Scanning only these keeps prose with few years fast; the patterns are run with pos/endpos,
    so their look-behinds still see the real text.
    """
    out: list[tuple[int, int]] = []
    for m in _YEAR_ANYWHERE.finditer(text):
        start, end = max(0, m.start() - _WINDOW), min(len(text), m.end() + _WINDOW)
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _is_field_year(text: str, start: int, end: int) -> bool:
    """True if the year at text[start:end] stands alone as a field of a reference."""
    after = text[end : end + _WINDOW].lstrip()
    if after and after[0] not in _FIELD_CHARS_AFTER:
        return False
    if not after and end + _WINDOW < len(text):
        return False  # only blanks for a while, then more text: not the end of the string
    before = text[max(0, start - _WINDOW) : start].rstrip()
    if not before:
        return start <= _WINDOW
    return before[-1] in _FIELD_CHARS_BEFORE or bool(_FIELD_WORD_BEFORE.search(before))


def find_dates(text: str) -> list[DateMatch]:
    """Every date written in `text`, in order, without overlaps (the longest reading wins)."""
    # A match that is not a real date ("February 30, 2025") still claims its span, so that the
    # year inside it is not then read as a date of its own.
    found: list[tuple[int, int, ParsedDate | None]] = []
    for lo, hi in _windows(text):
        for pattern, precision in _PATTERNS:
            found.extend(
                (m.start(), m.end(), _from_match(m, precision))
                for m in pattern.finditer(text, lo, hi)
            )
        found.extend(
            (m.start("year"), m.end("year"), _make(int(m["year"]), None, None))
            for m in _BARE_YEAR.finditer(text, lo, hi)
            if _is_field_year(text, m.start(), m.end())
        )
    # Earliest first, then longest: the greedy pass keeps "July 11, 2025" over "2025".
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out: list[DateMatch] = []
    last_end = -1
    for start, end, parsed in found:
        if start < last_end:
            continue
        last_end = end
        if parsed is None:
            continue
        before = text[max(0, start - _LOOKBEHIND_CHARS) : start]
        # "accessed (2025, March 14)" or "Retrieved: 11 July 2025": skip one opening bracket.
        accessed = bool(_ACCESSED_BEFORE.search(before.rstrip("( ")))
        archived = not accessed and bool(_ARCHIVED_BEFORE.search(before.rstrip("( ")))
        out.append(DateMatch(start, end, parsed, accessed, archived))
    return out


_MONTH_WORD = re.compile(rf"\b(?:{_MONTH_ALT})\b", re.IGNORECASE)
_FOUR_DIGITS = re.compile(r"(?<!\d)\d{4}(?!\d)")
_MAX_FALLBACK_CHARS = 100
"""dateutil's fuzzy parser is only tried on short strings: it is slow and guesses on long ones."""


def _dateutil_fallback(text: str) -> ParsedDate | None:
    """dateutil's fuzzy parse, with precision found by parsing twice with different defaults."""
    from dateutil import parser as du_parser

    try:
        one = du_parser.parse(text, fuzzy=True, default=datetime.datetime(2000, 1, 1))
        two = du_parser.parse(text, fuzzy=True, default=datetime.datetime(2001, 2, 2))
    except Exception:  # dateutil raises assorted types on odd input; none may escape
        return None
    if one.year != two.year or str(one.year) not in text:
        return None
    if one.month != two.month:
        return _make(one.year, None, None)
    if one.day != two.day:
        return _make(one.year, one.month, None)
    return _make(one.year, one.month, one.day)


def parse_date(text: str) -> ParsedDate | None:
    """Parse one date string ("July 11, 2025", "2025-07", "March 14, 2025 at 8:32 AM EDT").

    Returns None for "n.d.", for ambiguous all-numeric dates such as 03/04/2025, and for text
    with no date in it. A time of day after the date is ignored.
    """
    stripped = text.strip()
    if not stripped or _NO_DATE.match(stripped):
        return None
    matches = find_dates(stripped)
    if matches:
        # The first date is the one meant ("March 14, 2025, updated March 15, 2025").
        return matches[0].date
    if (
        len(stripped) <= _MAX_FALLBACK_CHARS
        and _FOUR_DIGITS.search(stripped)
        and _MONTH_WORD.search(stripped)
    ):
        return _dateutil_fallback(stripped)
    return None


_URL_DAY_PATTERNS = (
    # /2025/07/11/ or /2025/7/11
    re.compile(r"/(?P<year>\d{4})/(?P<month>\d{1,2})/(?P<day>\d{1,2})(?=[/?#]|$)"),
    # /2025-07-11/, -2025-07-11/ slug, _2025_07_11
    re.compile(r"(?<=[/_-])(?P<year>\d{4})([-_])(?P<month>\d{2})\2(?P<day>\d{2})(?=[/_.?#-]|$)"),
    # /20250711/ or -20250711.html
    re.compile(r"(?<=[/_-])(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})(?=[/_.?#-]|$)"),
)
_URL_MONTH_PATTERN = re.compile(r"/(?P<year>\d{4})/(?P<month>\d{1,2})(?=[/?#]|$)")


def date_from_url(url: str) -> ParsedDate | None:
    """The date a URL's path carries (/2025/07/11/, -2025-07-11/, /20250711/, /2025/07/), or None.

    Only the path is read (a host or query string with digits is not a date), and years before
    the web or far in the future are rejected.
    """
    scheme_end = url.find("://")
    rest = url[scheme_end + 3 :] if scheme_end >= 0 else url
    slash = rest.find("/")
    if slash < 0:
        return None
    path = rest[slash:].split("?", 1)[0].split("#", 1)[0]
    for pattern in _URL_DAY_PATTERNS:
        for m in pattern.finditer(path):
            year = int(m.group("year"))
            if MIN_URL_YEAR <= year <= MAX_URL_YEAR:
                parsed = _make(year, int(m.group("month")), int(m.group("day")))
                if parsed is not None:
                    return parsed
    for m in _URL_MONTH_PATTERN.finditer(path):
        year = int(m.group("year"))
        if MIN_URL_YEAR <= year <= MAX_URL_YEAR:
            parsed = _make(year, int(m.group("month")), None)
            if parsed is not None:
                return parsed
    return None


def date_bounds(d: ParsedDate) -> tuple[datetime.date, datetime.date]:
    """The first and last calendar day a date of its precision can mean."""
    parts = [int(p) for p in d.iso.split("-")]
    year = parts[0]
    if d.precision is DatePrecision.YEAR or len(parts) == 1:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    month = parts[1]
    if d.precision is DatePrecision.MONTH or len(parts) == 2:
        first = datetime.date(year, month, 1)
        following = datetime.date(year + (month == 12), month % 12 + 1, 1)
        return first, following - datetime.timedelta(days=1)
    day = datetime.date(year, month, parts[2])
    return day, day


def date_in_range(cited: ParsedDate, day: datetime.date) -> bool:
    """True if `day` is within what `cited` means (the same day, month or year)."""
    first, last = date_bounds(cited)
    return first <= day <= last


def days_apart(a: ParsedDate, b: ParsedDate) -> int:
    """How many days separate two dates at their precision: 0 when their ranges overlap."""
    a_first, a_last = date_bounds(a)
    b_first, b_last = date_bounds(b)
    if a_last < b_first:
        return (b_first - a_last).days
    if b_last < a_first:
        return (a_first - b_last).days
    return 0


def dates_agree(a: ParsedDate, b: ParsedDate, tolerance_days: int = 0) -> bool:
    """True if two dates can mean the same day: "July 2025" agrees with 2025-07-11."""
    return days_apart(a, b) <= tolerance_days


def is_after(a: ParsedDate, b: ParsedDate) -> bool:
    """True if `a` is certainly later than `b`: every day `a` can mean is after every day of `b`."""
    return date_bounds(a)[0] > date_bounds(b)[1]


def parse_iso(text: str | None) -> ParsedDate | None:
    """A ParsedDate from an ISO string (YYYY, YYYY-MM, YYYY-MM-DD, or a timestamp), else None."""
    if not text:
        return None
    m = re.match(r"^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T\s].*)?$", text)
    if m is None:
        return None
    year, month, day = m.groups()
    return _make(int(year), int(month) if month else None, int(day) if day else None)
