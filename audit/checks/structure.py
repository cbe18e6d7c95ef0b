"""Findings from the extracted document alone: footnote structure, URLs, dates, unsourced claims.

No page has been fetched for any of these, so they run offline. Each finding points at the
offending marker use or notes entry (line and column), or at the paragraph for unsourced claims.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from typing import NamedTuple

from audit.checks.registry import finding
from audit.dates import ParsedDate, date_from_url, dates_agree, is_after, parse_iso
from audit.extract.refstring import is_ibid
from audit.model import Citation, CitationKind, ExtractedDocument, Finding, Paragraph
from audit.urls import cache_key, is_insecure, validate_url

URL_DATE_TOLERANCE_DAYS = 1
"""A URL dated a day off the cited date is a time-zone shift, not a wrong citation."""

MIN_QUOTE_WORDS = 4
"""Shorter quoted bits are scare quotes or names ("friendship without limits" is four)."""

_MAX_QUOTE_CHARS = 1000
"""Longer quoted stretches are not one quote; the bound also keeps the scan cheap."""

_QUOTE = re.compile(
    rf"“([^“”]{{1,{_MAX_QUOTE_CHARS}}})”|\"([^\"]{{1,{_MAX_QUOTE_CHARS}}})\"|"
    rf"(?:(?<=^)|(?<=[\s(—-]))‘([^‘’]{{1,{_MAX_QUOTE_CHARS}}})’(?![\w])"
)

_UNITS = (
    r"km|kilomet(?:re|er)s?|miles?|met(?:re|er)s?|tonnes?|tons?|barrels?|bcm|mcm|"
    r"cubic\s+met(?:re|er)s?|[kMGT]W[h]?|megawatts?|gigawatts?|kg|kilograms?|"
    r"hectares?|acres?|square\s+(?:kilomet(?:re|er)s?|miles?)|troops|soldiers|casualties"
)
_FIGURE = re.compile(
    # (?<!\d): start only at the first digit of a run, or a 100 KB run of digits is quadratic.
    r"(?<!\d)\d+(?:[.,]\d+)?\s?(?:%|per\s?cent\b)"  # 42%, 3.5 percent
    r"|[$€£¥₽]\s?\d"  # $4, € 3.2bn
    r"|\b\d+(?:[.,]\d+)?\s?(?:US\$|USD|EUR|GBP|CNY|RMB|dollars|euros|pounds|yuan|r[o]?ubles)\b"
    r"|\b\d+(?:[.,]\d+)?\s*(?:million|billion|trillion|bn|mn)\b"
    r"|\b\d{1,3}(?:,\d{3})+(?:\.\d+)?\b"  # 1,200 or 3,400,000: never a year
    rf"|\b\d+(?:[.,]\d+)?\s?(?:{_UNITS})\b",
    re.IGNORECASE,
)


class _Loc(NamedTuple):
    line: int | None
    column: int | None


def _loc(c: Citation) -> _Loc:
    """Where to point for a citation: its notes entry or link, else its first use."""
    if c.entry_line is not None:
        return _Loc(c.entry_line, c.entry_column)
    if c.uses:
        return _Loc(c.uses[0].line, c.uses[0].column)
    return _Loc(None, None)


_MAX_LINES_LISTED = 20
"""Line numbers named in a marker-reused message; the rest are counted."""


_MAX_URL_SHOWN = 200
"""Characters of an invalid URL quoted in its finding: a 1 MB URL must not make a 1 MB line."""


def _shorten(url: str) -> str:
    return url if len(url) <= _MAX_URL_SHOWN else url[:_MAX_URL_SHOWN] + "…"


def _name(c: Citation) -> str:
    return f"note {c.marker}" if c.kind is CitationKind.FOOTNOTE and c.marker else c.id


def _footnotes(doc: ExtractedDocument) -> list[Citation]:
    return [c for c in doc.citations if c.kind is CitationKind.FOOTNOTE]


def _marker_findings(doc: ExtractedDocument) -> Iterable[Finding]:
    notes = _footnotes(doc)
    labels = {c.marker for c in notes if c.marker is not None}
    for m in doc.markers:
        if m.label not in labels:
            yield finding(
                "marker-without-entry",
                f"Marker {m.label} has no entry in the notes.",
                line=m.line,
                column=m.column,
            )
    # A list of sources with no numbers, none of them cited by a marker, is a bibliography
    # ("Sources" bullets under a Markdown post), not notes whose markers went missing.
    unnumbered = set(doc.unnumbered_entries)
    bibliography = unnumbered if not any(c.uses for c in notes if c.id in unnumbered) else set()
    # An entry whose page the text links directly ("... (Transport Agency, 2016)" linked to the
    # report that entry 1 lists) is cited there, by its link instead of its number.
    linked = {
        cache_key(c.reference.url)
        for c in doc.citations
        if c.kind is CitationKind.INLINE and c.reference.url
    }
    for c in notes:
        url = c.reference.url
        if not c.uses and c.id not in bibliography and not (url and cache_key(url) in linked):
            line, column = _loc(c)
            yield finding(
                "entry-never-cited",
                f"{_name(c).capitalize()} is never cited in the text.",
                line=line,
                column=column,
                citation=c.id,
            )
        # A dict as an ordered set: a note cited 100,000 times must not cost a list scan per use.
        contexts: dict[str, None] = {}
        for use in c.uses:
            key = " ".join(use.context.split()).casefold()
            if key:
                contexts.setdefault(key, None)
        if len(contexts) > 1:
            first = next(iter(contexts))
            second = next(u for u in c.uses if " ".join(u.context.split()).casefold() != first)
            used_on = sorted({u.line for u in c.uses})
            # The message stays one line whatever the input: at most _MAX_LINES_LISTED numbers.
            lines = ", ".join(str(line) for line in used_on[:_MAX_LINES_LISTED])
            if len(used_on) > _MAX_LINES_LISTED:
                lines += f" and {len(used_on) - _MAX_LINES_LISTED} more"
            yield finding(
                "marker-reused",
                f"{_name(c).capitalize()} supports {len(contexts)} different sentences "
                f"({'line' if len(used_on) == 1 else 'lines'} {lines}).",
                line=second.line,
                column=second.column,
                citation=c.id,
            )


_MAX_NOTE_DIGITS = 4
"""Longer numeric labels ("¹²³⁴⁵⁶", a 5,000-digit run) are not note numbers: no article has
10,000 notes, and counting up to such a number would hang the run."""
_MAX_GAP_FINDINGS = 50
"""Missing numbers reported one by one; the rest of a larger gap is one summary finding."""


def _note_number(label: str | None) -> int | None:
    if label is None or not label.isdecimal() or len(label) > _MAX_NOTE_DIGITS:
        return None
    return int(label)


def _numbering_findings(doc: ExtractedDocument) -> Iterable[Finding]:
    notes = _footnotes(doc)
    if doc.notes_numbered:
        previous: int | None = None
        seen: set[int] = set()
        for c in notes:
            number = _note_number(c.marker)
            if number is None:
                continue
            line, column = _loc(c)
            if number in seen:
                yield finding(
                    "numbering-gap",
                    f"Note {number} appears twice in the notes.",
                    line=line,
                    column=column,
                    citation=c.id,
                )
            elif previous is not None and number != previous + 1:
                yield finding(
                    "numbering-gap",
                    f"The notes jump from {previous} to {number}.",
                    line=line,
                    column=column,
                    citation=c.id,
                )
            seen.add(number)
            previous = number
    # Numbers that neither a marker nor an entry carries: "1, 2, 4" with no 3 anywhere.
    entry_numbers = {n for c in notes if (n := _note_number(c.marker)) is not None}
    numbered = [(n, m) for m in doc.markers if (n := _note_number(m.label)) is not None]
    marker_numbers = {n for n, _ in numbered}
    known = entry_numbers | marker_numbers
    if not known or (not doc.notes_numbered and not marker_numbers):
        return
    missing = [n for n in range(1, max(known) + 1) if n not in known]
    # The first marker (in text order) numbered above n: found by bisecting the running maximum
    # of marker numbers, not by a scan of every marker for every missing number.
    running: list[int] = []
    for n, _ in numbered:
        running.append(max(n, running[-1]) if running else n)
    for n in missing[:_MAX_GAP_FINDINGS]:
        i = bisect.bisect_right(running, n)
        after = numbered[i][1] if i < len(numbered) else None
        yield finding(
            "numbering-gap",
            f"Footnote {n} is missing: neither a marker nor a note has that number.",
            line=after.line if after else None,
            column=after.column if after else None,
        )
    if len(missing) > _MAX_GAP_FINDINGS:
        rest = missing[_MAX_GAP_FINDINGS:]
        yield finding(
            "numbering-gap",
            f"{len(rest)} more footnote numbers are missing, from {rest[0]} to {rest[-1]}.",
            line=None,
            column=None,
        )


def _duplicate_url_findings(doc: ExtractedDocument) -> Iterable[Finding]:
    first: dict[str, Citation] = {}
    for c in doc.citations:
        url = c.reference.url
        if not url:
            continue
        key = cache_key(url)
        earlier = first.get(key)
        if earlier is None:
            first[key] = c
            continue
        # Linking one page twice in body text, or in the text and a note, is normal; two notes for
        # one page are not, unless the second says so ("Ibid.").
        if earlier.id == c.id or not (earlier.kind is c.kind is CitationKind.FOOTNOTE):
            continue
        if is_ibid(c.reference.raw):
            continue
        line, column = _loc(c)
        yield finding(
            "duplicate-url",
            f"{_name(c).capitalize()} cites the same URL as {_name(earlier)}: {url}",
            line=line,
            column=column,
            citation=c.id,
        )


def _written_without_scheme(c: Citation) -> bool:
    """A bare link the writer wrote as "www.example.com/x": its "http://" is the reader's guess.

    The link is still fetched over http:// (the site's redirect decides), but a writer who
    never chose http:// is not told that they did.
    """
    url, raw = c.reference.url or "", c.reference.raw.strip()
    return (
        c.kind is CitationKind.INLINE
        and url[:7].lower() == "http://"
        and "://" not in raw
        and url[7:].lower() == raw.lower()
    )


def _url_findings(c: Citation, doc_date: ParsedDate | None) -> Iterable[Finding]:
    ref = c.reference
    line, column = _loc(c)
    url = ref.url
    cited = parse_iso(ref.date)
    if url:
        reason = validate_url(url)
        if reason is not None:
            yield finding(
                "invalid-url",
                f"Invalid URL in {_name(c)}: {reason}: {_shorten(url)}",
                line=line,
                column=column,
                citation=c.id,
            )
        elif is_insecure(url) and not _written_without_scheme(c):
            yield finding(
                "insecure-link",
                f"{_name(c)} uses http://: {url}",
                line=line,
                column=column,
                citation=c.id,
                suggestion="https://" + url.strip()[7:],
            )
        in_url = date_from_url(url)
        if (
            in_url is not None
            and cited is not None
            and not dates_agree(in_url, cited, URL_DATE_TOLERANCE_DAYS)
        ):
            yield finding(
                "url-date-mismatch",
                f"{_name(c).capitalize()} is dated {cited.iso} but its URL says {in_url.iso}.",
                line=line,
                column=column,
                citation=c.id,
            )
        if c.kind is CitationKind.FOOTNOTE and ref.date is None and ref.accessed is None:
            yield finding(
                "missing-date",
                f"{_name(c).capitalize()} has neither a date nor an accessed date.",
                line=line,
                column=column,
                citation=c.id,
            )
    if cited is not None and doc_date is not None and is_after(cited, doc_date):
        yield finding(
            "future-citation-date",
            f"{_name(c).capitalize()} is dated {cited.iso}, after the article's own date "
            f"{doc_date.iso}.",
            line=line,
            column=column,
            citation=c.id,
        )


def _attribution_findings(
    doc: ExtractedDocument, tier_of: Callable[[str], int | None] | None
) -> Iterable[Finding]:
    for c in doc.citations:
        if c.kind is not CitationKind.ATTRIBUTION:
            continue
        outlet = c.reference.outlet or c.reference.raw
        tier = ""
        if tier_of is not None:
            rated = tier_of(outlet)
            tier = f" (tier {rated})" if rated is not None else " (not in the tier list)"
        line, column = (c.uses[0].line, c.uses[0].column) if c.uses else _loc(c)
        yield finding(
            "unlinked-attribution",
            f"{outlet}{tier} is named as a source but not linked.",
            line=line,
            column=column,
            citation=c.id,
        )


def has_direct_quote(text: str) -> bool:
    """True if `text` quotes at least MIN_QUOTE_WORDS words in straight or curly quotes."""
    for m in _QUOTE.finditer(text):
        inner = next(g for g in m.groups() if g is not None)
        if len(inner.split()) >= MIN_QUOTE_WORDS:
            return True
    return False


def has_figure(text: str) -> bool:
    """True if `text` states a statistic: a percentage, money, "N million", a large number.

    Years and small bare counts are not figures, so "in 2025, three ships" is not flagged.
    """
    return _FIGURE.search(text) is not None


def _unsourced_findings(paragraphs: Iterable[Paragraph]) -> Iterable[Finding]:
    for p in paragraphs:
        if p.in_notes or p.marks:
            continue
        if has_direct_quote(p.text):
            yield finding(
                "unsourced-quote", "A direct quote in this paragraph has no citation.", line=p.line
            )
        if has_figure(p.text):
            yield finding(
                "unsourced-figure", "A figure in this paragraph has no citation.", line=p.line
            )


def structure_findings(
    doc: ExtractedDocument, tier_of: Callable[[str], int | None] | None = None
) -> list[Finding]:
    """Every finding that needs no fetched page, sorted by line and column.

    `tier_of(outlet)` gives an outlet's tier (1-4) or None, to name it in unlinked-attribution
    messages; without it the message names the outlet only.
    """
    doc_date = parse_iso(doc.date)
    found: list[Finding] = []
    found += _marker_findings(doc)
    found += _numbering_findings(doc)
    found += _duplicate_url_findings(doc)
    for c in doc.citations:
        found += _url_findings(c, doc_date)
    found += _attribution_findings(doc, tier_of)
    found += _unsourced_findings(doc.paragraphs)
    return sorted(found, key=lambda f: (f.line or 0, f.column or 0, f.id))
