"""Split one footnote entry ("Reuters, “Title,” July 11, 2025, https://...") into a Reference.

The forms handled, with curly or straight quotes:

* ``Outlet, “Title,” July 11, 2025, URL``
* ``Author, “Title,” Outlet, Month D, YYYY, URL``
* ``Author. "Title." Outlet, 11 July 2025. URL``
* ``Org. (2025, March 14). Title. Outlet. URL`` (APA-like)
* ``Title - Outlet (2025-07-11) URL``
* ``Outlet, “Title,” accessed July 2025, URL`` (the accessed date is not the publication date)
* a bare URL

A field the entry does not give stays None (or empty): the parser never guesses from nowhere.
Pure, linear time, and `parse_reference` never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from audit.dates import DateMatch, find_dates
from audit.model import Reference
from audit.names import loose_key
from audit.urls import find_urls, host_of

# "1.", "[1]", "1)", "(1)", "^", "↑" before the entry: the loaders usually strip them already.
# Numbering, and the back-links of a reference list pasted from a wiki: "^", "↑", "^ a b c".
_PREFIX = re.compile(
    r"^\s*(?:\[\d{1,4}\]|\(\d{1,4}\)|\d{1,4}[.)](?!\d))?\s*(?:[\^↑]+(?:\s+a(?:\s+[b-z])+(?=\s))?)?\s*"
)
# Format notes in brackets after a title, as wikis and catalogues write them: not the title.
_FORMAT_NOTE = re.compile(
    r"\((?:pdf|report|press release|video|audio|podcast|transcript|speech|map|thesis|"
    r"working paper|technical report|in [A-Z][a-z]+)\)",
    re.IGNORECASE,
)
_DOI = re.compile(r"\bdoi\s*:?\s*(?P<doi>10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
# "n.d." and its kin say there is no date: not part of a title or an outlet.
_NO_DATE_MARK = re.compile(r"\(\s*n\.\s?d\.?\s*\)|(?<!\w)n\.\s?d\.(?!\w)|\b(?i:no date|undated)\b")
# "Archived from the original on <date>": the phrase goes with the archive date it introduces.
_ARCHIVED_PHRASE = re.compile(r"\barchived(?:\s+from\s+the\s+original)?(?:\s+on)?\b", re.I)
# No inner class admits its own opener, so a scan stops at the next quote mark of its kind and a
# run of a million unmatched “ still costs linear time.
_DOUBLE_QUOTED = re.compile(r"“([^“”]{1,1000})”|\"([^\"]{1,1000})\"|„([^„“”]{1,1000})[“”]")
# Single quotes only count when they open after a field boundary and close before one, so the
# apostrophe in "Dugin’s" never starts a title.
_SINGLE_QUOTED = re.compile(r"(?:(?<=^)|(?<=[\s,.(]))[‘']([^‘’'\n]{2,1000})[’'](?=[\s,.;:)]|$)")
_APA = re.compile(
    r"^(?P<who>[^()]{0,300}?)[.\s]*\((?P<date>[^()]{1,80})\)[.,:]?\s*(?P<rest>.*)$",
    re.DOTALL,
)
_HARVARD = re.compile(
    # Roe, J. 2025. Title. Outlet, 1 June. — the year (blanked to \x00) between full stops.
    r"^(?P<who>[^()\x00]{1,300}?)\.\s+(?P<date>\x00{4})[a-z]?\.\s+(?P<rest>.*)$",
    re.DOTALL,
)
_DASH = re.compile(r"\s[-–—|]\s")
# A book in a note: "J. Rail, Freight Shift (Example Press, 2010)." The year is blanked by then.
# A report gives the year alone: "Port Authority, Annual Report 2023 (2024), 12."
_BOOK = re.compile(
    r"^(?P<who>[^,()\x00]{2,80}),\s+(?P<title>[^()\x00]{2,300}?)\s*"
    r"\((?:(?:[^()\x00:]*:\s*)?(?P<pub>[^()\x00]{2,120}?)[,;]?\s*)?\x00+\s*\)"
    r"(?:,\s*(?:pp?\.\s*)?\d[\d\s,–-]*+)?[\s.,;\x00]*$"
)
_EMPTY_PARENS = re.compile(r"\(\s*\)|\[\s*\]")
# Words that stand for the link itself right before its URL ("PDF https://...", "available at
# https://..."): never a title or an outlet. At most 40 characters are looked at.
_LINK_WORDS = re.compile(
    r"(?i)(?<!\w)[(\[]?(?:pdf|link|here|online|website|web ?page|full ?text|url|source|"
    r"available (?:at|from|online)|retrieved (?:from|at)|read (?:it )?(?:online|here))[)\]]?"
    r"\s*[:\-–—]?\s*$"
)
_SENTENCE_SPLIT = re.compile(r"(?<=[.?!])\s+(?=[\w“\"‘'(])")
_NOISE = re.compile(
    r"\b(?:available|retrieved|accessed|viewed|consulted|archived|last\s+checked|online)"
    # "in", "from" and "via" end a title as often as they lead to a link ("All In"): only
    # with a colon ("in:") or alone are they the lead-in to what follows; so "Last modified"
    # and "Published" before a date, which end titles too ("Harbour Plan Updated").
    r"(?:\s+(?:at|from|on|via))?\s*:?\s*$|\b(?:url|link)\s*:?\s*$|\b(?:in|from|via)\s*:\s*$"
    r"|^\s*(?:in|from|via|(?:last\s+)?(?:modified|updated)|published|posted)"
    r"(?:\s+(?:on|at))?\s*:?\s*$",
    re.IGNORECASE,
)
_AUTHOR_SPLIT = re.compile(r"\s*(?:;|\s&\s|,?\s+and\s+|,\s*(?=[A-Z][\w'’.-]+\s+[A-Z]))\s*")
_ET_AL = re.compile(r",?\s*et\s+al\.?$", re.IGNORECASE)
_STRIP = " \t\n,.;:–—-|()[]"
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_MAX_OUTLET_WORDS = 6
MAX_REFERENCE_CHARS = 5000
"""Only this much of an entry is read for fields: a longer "entry" is a loader that missed the
end of the notes, and parsing all of it would cost time for nothing. `raw` keeps everything."""
_IBID = re.compile(r"^(?:ibid|ibidem|id|op\.?\s*cit|loc\.?\s*cit)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Fields:
    """What one parse found; None where the entry is silent."""

    outlet: str | None = None
    authors: tuple[str, ...] = ()
    title: str | None = None


def _clean(text: str) -> str:
    """Collapse whitespace and drop field punctuation and "Retrieved from"-style noise."""
    text = _strip_field(" ".join(text.split()))
    previous = None
    while previous != text:
        previous = text
        text = _strip_field(_NOISE.sub("", text))
    return text


def _strip_field(text: str) -> str:
    """`text` without field punctuation at either end, but a bracket that closes one inside the
    field stays: "Report (2024)" keeps its ")"."""
    start, end = 0, len(text)
    while start < end and text[start] in _STRIP:
        start += 1
    while end > start:
        ch = text[end - 1]
        if ch in ")]":
            body = text[start : end - 1]
            if body.count("(" if ch == ")" else "[") > body.count(ch):
                break
        elif ch not in _STRIP:
            break
        end -= 1
    return text[start:end]


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each span replaced by a comma-like gap, so fields split around it."""
    if not spans:
        return text
    out = []
    pos = 0
    for start, end in sorted(spans):
        if start < pos:
            continue
        out.append(text[pos:start])
        out.append("\x00" * (end - start))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _segments(text: str) -> list[str]:
    """Non-empty fields of `text`, split at the gaps left by dates and URLs and at commas."""
    parts = re.split(r"\x00+|,", text)
    return [c for c in (_clean(p) for p in parts) if c]


def _authors(text: str) -> tuple[str, ...]:
    text = _ET_AL.sub("", _clean(text))
    if not text:
        return ()
    return tuple(a for a in (_clean(p) for p in _AUTHOR_SPLIT.split(text)) if a)


def _looks_like_name(text: str) -> bool:
    """Short and capitalised: could be an outlet or an author, not a sentence-long title."""
    words = text.split()
    return 0 < len(words) <= _MAX_OUTLET_WORDS and text[:1].isupper()


def _quoted(text: str) -> re.Match[str] | None:
    return _DOUBLE_QUOTED.search(text) or _SINGLE_QUOTED.search(text)


def _quoted_title(blanked: str, m: re.Match[str]) -> _Fields:
    """Entries with a quoted title: who comes before the quotes, the outlet after them."""
    title = next(g for g in m.groups() if g is not None)
    return _title_at(blanked, title, m.start(), m.end())


def _title_at(blanked: str, title_text: str, start: int, end: int) -> _Fields:
    """Fields around a title known to span `blanked[start:end]` (quoted, or linked)."""
    # Only punctuation is trimmed: the title's own words are the author's ("All In", "Logged
    # In"), not "Retrieved from"-style noise, which stands outside the quotes.
    title = _strip_field(" ".join(title_text.split())) or None
    before = _segments(blanked[:start].replace("\x00", ","))
    # Only what sits between the title and the first date or URL is an outlet; a trailing
    # "Accessed ... via X" after the date is not the publisher.
    after_text = blanked[end:]
    gap = after_text.find("\x00")
    after = _segments(after_text if gap < 0 else after_text[:gap])
    who = " ".join(before) if len(before) <= 1 else ", ".join(before)
    if after and _looks_like_name(after[0]):
        return _Fields(outlet=after[0], authors=_authors(who), title=title)
    return _Fields(outlet=who or None, title=title)


def _apa(blanked: str, m: re.Match[str]) -> _Fields:
    """Org. (2025, March 14). Title. Outlet."""
    who = _clean(m.group("who").replace("\x00", " "))
    rest = m.group("rest")
    gap = rest.find("\x00")
    rest = rest if gap < 0 else rest[:gap]
    sentences = [s for s in (_clean(p) for p in _SENTENCE_SPLIT.split(rest)) if s]
    title = _unquote(sentences[0]) if sentences else None
    # "Example Ledger, 1 June" or "Journal, 12(3), 45-67": the outlet is the first field.
    venue = _clean(sentences[1].split(",", 1)[0]) if len(sentences) > 1 else ""
    outlet = venue if venue and _looks_like_name(venue) else None
    return _Fields(outlet=outlet, authors=_authors(who), title=title)


_QUOTE_PAIRS = {'"': '"', "“": "”", "‘": "’", "'": "'", "«": "»"}


def _unquote(title: str) -> str:
    """A title without the quotation marks around the whole of it (`"Freight first?"`)."""
    if len(title) > 2 and _QUOTE_PAIRS.get(title[0]) == title[-1]:
        inner = title[1:-1].strip()
        return inner or title
    return title


def _is_apa(m: re.Match[str]) -> bool:
    """The date in brackets right after the author, and a title after it (not only a URL).

    Not when the author part holds a quoted title ("Jane Roe, “Title,” Outlet, July 2, 2025
    (accessed July 3, 2025), <URL>"): those brackets hold an accessed date, not APA's year."""
    rest = m.group("rest").split("\x00", 1)[0]
    who = m.group("who")
    return (
        "\x00" in m.group("date")
        and bool(_clean(rest.strip("<> ")))
        and not _DASH.search(who)
        and _quoted(who) is None
    )


def _named_by_host(segments: list[str], url: str | None) -> int | None:
    """The one segment the URL's host spells ("Regional Water" for regionalwater.example)."""
    host = host_of(url) if url else None
    if not host:
        return None
    spelled = loose_key(host)
    found = [
        i
        for i, segment in enumerate(segments)
        if len(key := loose_key(segment)) >= 4 and key in spelled and _looks_like_name(segment)
    ]
    return found[0] if len(found) == 1 else None


def _unquoted(blanked: str, url: str | None = None) -> _Fields:
    """No quotes and no known shape: the conservative reading of comma-separated fields."""
    # Title - Outlet (2025-07-11): the date is blanked out, leaving "Title - Outlet ()".
    flat = _clean(_EMPTY_PARENS.sub(" ", blanked.replace("\x00", " ")))
    dashes = list(_DASH.finditer(flat))
    if dashes:
        title, outlet = _clean(flat[: dashes[-1].start()]), _clean(flat[dashes[-1].end() :])
        if _looks_like_name(outlet):
            return _Fields(outlet=outlet, title=title or None)
    segments = _segments(blanked)
    before = _segments(blanked.split("\x00", 1)[0])
    if len(before) >= 2:
        # What follows the date or the URL ("Read the notice", "Accessed via X") is neither
        # the title nor the outlet.
        segments = before
    if not segments or _IBID.match(segments[0]):
        return _Fields()
    if len(segments) == 1:
        only = segments[0]
        return _Fields(outlet=only) if _looks_like_name(only) else _Fields(title=only)
    if (named := _named_by_host(segments, url)) is not None:
        # "Regional Water, Reservoir levels weekly update, https://regionalwater.example/...":
        # the field the address spells is the outlet, wherever it stands.
        rest = segments[:named] + segments[named + 1 :]
        return _Fields(outlet=segments[named], title=", ".join(rest))
    if (
        len(segments) == 2
        and _YEAR.search(segments[1])
        and not _YEAR.search(segments[0])
        and _looks_like_name(segments[0])
    ):
        # "Example Council, Budget 2025": outlets' names carry no year, reports' titles do.
        return _Fields(outlet=segments[0], title=segments[1])
    if _looks_like_name(segments[-1]):
        return _Fields(outlet=segments[-1], title=", ".join(segments[:-1]))
    return _Fields(title=", ".join(segments))


def _pick_dates(matches: list[DateMatch]) -> tuple[DateMatch | None, DateMatch | None]:
    """The publication date (first one not marked accessed) and the accessed date."""
    published = next((d for d in matches if not d.accessed and not d.archived), None)
    accessed = next((d for d in matches if d.accessed), None)
    return published, accessed


_GENERIC_LINK_TEXT = re.compile(
    r"(?i)^(?:here|link|this|source|website|web ?site|online|pdf|full text|"
    r"read (?:it|more)(?: here)?|available (?:here|online)|report|article|story|page|view|"
    r"download)$"
    # "Read the notice", "See the full report", "Download (PDF)": an instruction, not a title.
    r"|^(?:read|see|view|visit|download|open|watch|listen|click|go|get|access|available|"
    r"accessed|retrieved|via|from|at|on|in)\b"
)


_FIELD_ENDS = frozenset(",.;:()[]|—–-\x00")
"""Characters that may stand right before or after a field of a reference."""


def _linked_title(blanked: str, link_text: str | None) -> tuple[int, int] | None:
    """Where the entry's link text stands as a whole field, when it can be its title.

    "Example Council, [Fees and charges 2025], 4 March 2025": the words a note links are its
    title far more often than its outlet. Not when they are a URL, a generic "here" or "PDF",
    or appear more than once or inside a longer field.
    """
    hint = _clean(link_text or "")
    if (
        len(hint) < 4
        or "://" in hint
        or hint.lower().startswith("www.")
        or _GENERIC_LINK_TEXT.match(hint)
    ):
        return None
    if " " not in hint and "." in hint:
        return None  # "example.com": a domain, the outlet's name at most
    words = hint.split()
    if words[0] in ("The", "the") and len(words) <= 5 and all(w[:1].isupper() for w in words[1:]):
        return None  # "The Example Herald": a linked outlet as often as a title
    at = blanked.find(hint)
    if at < 0 or blanked.find(hint, at + 1) >= 0:
        return None
    if "\x00" in blanked[:at]:
        return None  # after the date or the URL: a "read it here" line, not the title
    end = at + len(hint)
    left, right = blanked[:at].rstrip(" "), blanked[end:].lstrip(" ")
    if (left and left[-1] not in _FIELD_ENDS) or (right and right[0] not in _FIELD_ENDS):
        return None  # part of a longer field
    return at, end


_SENTENCE_END = re.compile(r"[.;](?=\s)")


def _next_source(body: str, first_end: int, second_start: int) -> int | None:
    """Where a note naming a second source begins describing it, if it does after the first URL.

    "Interview with J. Doe, 14 May 2024. Transcript: https://a.example/t. Also quoted in
    “Barrier doubts”, Coast News, https://b.example/..." takes its fields (title, outlet) from
    the first source, whose URL is checked: a quoted title between the two URLs is the second's.
    """
    quote = _quoted(body[first_end:second_start])
    if quote is None:
        return None
    start = first_end + quote.start()
    ends = [m.end() for m in _SENTENCE_END.finditer(body, first_end, start)]
    return ends[0] if ends else start


def _parse(raw: str, link_text: str | None = None) -> Reference:
    """parse_reference without the safety net (the property tests call this one)."""
    text = raw.strip()
    prefix = _PREFIX.match(text)
    body = text[prefix.end() if prefix else 0 : MAX_REFERENCE_CHARS]
    urls = find_urls(body)
    if len(urls) >= 2 and (cut := _next_source(body, urls[0][1], urls[1][0])) is not None:
        # The fields are the first source's, as its URL is the one checked.
        body = body[:cut].rstrip()
        urls = urls[:1]
    url = urls[0][2] if urls else None
    # A URL written in angle brackets (`<https://…>`): the brackets go with it.
    url_spans = [
        (s - 1, e + 1) if s > 0 and body[s - 1] == "<" and body[e : e + 1] == ">" else (s, e)
        for s, e, _ in urls
    ]
    doi = _DOI.search(body) if url is None else None
    if doi is not None:
        # "doi:10.1234/x" with no link: the DOI resolver's address is the link to check.
        name = doi.group("doi").rstrip(".,;:)]}'\"”’")
        url = "https://doi.org/" + name
        url_spans.append((doi.start(), doi.start("doi") + len(name)))
    for start, _end, _url in urls:
        window = max(0, start - 40)
        words = _LINK_WORDS.search(body, window, start)
        if words is not None:
            url_spans.append((words.start(), start))
    # A date inside a quoted title ("The July 4, 1776 letter") is part of the title.
    pre_quote = _quoted(_blank(body, url_spans))
    dates = [
        d
        for d in find_dates(_blank(body, url_spans))
        if pre_quote is None or not (pre_quote.start() <= d.start < pre_quote.end())
    ]
    published, accessed = _pick_dates(dates)
    date_spans = [(d.start, d.end) for d in (published, accessed) if d is not None]
    date_spans += [(d.start, d.end) for d in dates if d.archived]
    notes = [m.span() for m in _FORMAT_NOTE.finditer(body)]
    notes += [m.span() for m in _ARCHIVED_PHRASE.finditer(body)]
    notes += [m.span() for m in _NO_DATE_MARK.finditer(body)]
    if pre_quote is not None:
        # "(PDF)" or "undated" inside a quoted title is part of the title.
        inside = range(pre_quote.start(), pre_quote.end() + 1)
        notes = [(s, e) for s, e in notes if not (s in inside and e in inside)]
    blanked = _blank(body, url_spans + date_spans + notes)

    apa = _APA.match(blanked) if published is not None else None
    quote = _quoted(blanked)
    book = _BOOK.match(blanked) if published is not None and quote is None else None
    if book is not None:
        # Checked before APA: "(London: Example Press, 2010)" is a publisher, not a date.
        who, pub = book.group("who"), book.group("pub")
        if pub is None and who.strip().lower().startswith("the "):
            # "The Guardian, Harbour vote delayed (2023)": no person's name starts with "The".
            who, pub = "", who
        fields = _Fields(
            outlet=_clean(pub or "") or None,
            authors=_authors(who) if who else (),
            title=_clean(book.group("title")) or None,
        )
    elif apa is not None and _is_apa(apa):
        fields = _apa(blanked, apa)
    elif quote is None and (harvard := _HARVARD.match(blanked)) is not None and _is_apa(harvard):
        fields = _apa(blanked, harvard)
    elif quote is not None:
        fields = _quoted_title(blanked, quote)
    elif (linked := _linked_title(blanked, link_text)) is not None:
        fields = _title_at(blanked, blanked[linked[0] : linked[1]], *linked)
    else:
        fields = _unquoted(blanked, url)
    return Reference(
        raw=text,
        outlet=fields.outlet,
        authors=fields.authors,
        title=fields.title,
        date=published.date.iso if published else None,
        date_precision=published.date.precision if published else None,
        accessed=accessed.date.iso if accessed else None,
        url=url,
    )


_SAME_AS_ABOVE = re.compile(r"^\s*(?:ibid|ibidem)\b", re.IGNORECASE)


def is_ibid(raw: str) -> bool:
    """True for an entry that says "the same source as the entry before" (Ibid., Ibidem)."""
    return bool(_SAME_AS_ABOVE.match(raw))


def parse_reference(raw: str, link_text: str | None = None) -> Reference:
    """Split one notes entry into outlet, authors, title, date, accessed date and URL.

    `link_text` is the text of the entry's link in Markdown or HTML, which is usually its title.
    Never raises: an entry it cannot read comes back with only `raw` (and the URL, if any).
    """
    try:
        return _parse(raw, link_text)
    except Exception:  # a bad footnote must cost one citation's fields, never the whole run
        urls = find_urls(raw[:MAX_REFERENCE_CHARS])
        return Reference(raw=raw.strip(), url=urls[0][2] if urls else None)
