"""The plain-text loader: an article pasted from a web page, one paragraph a line, clutter and all,
or a text hard-wrapped at a fixed width (an e-mail, a newsletter, a copy from a PDF).

How a text is read:

1. The notes section: a heading (Footnotes / Notes / References / Sources / Endnotes, any case,
   optional colon) followed by entries, numbered (`1.`, `[1]`, `1)`, `¹`) or not (numbered here
   in order, `notes_numbered=False`). The section ends where entries stop: a line that does not
   look like a reference (no URL, no dated outlet/title shape; first-person prose) is a reader
   comment, and so is everything after it. Without a heading, a trailing run of `[1]`/`1.` entries
   that look like references counts too.
2. Page furniture is set aside by line: login banners, adverts, "you might also like" tails, an
   author's "Follow ..." block of profile links, the author bio, comment threads.
3. Body lines give markers (mapped to entries; stacked superscripts read with the entries'
   labels), bare URLs (inline citations unless `clutter.ignore_reason` says otherwise),
   provenance lines (`Source: URL`, `Originally published at ...`), unlinked attributions and
   e-mail addresses (ignored). In a hard-wrapped text the lines of a paragraph are read as one
   for sentences and contexts (`_paragraphs`); places stay those of the lines.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum

from audit.dates import find_dates
from audit.extract import clutter
from audit.extract.attribution import (
    AttributionHit,
    find_attributions,
    links_own_site,
    site_labels,
)
from audit.extract.common import DocumentBuilder, further_urls
from audit.extract.context import sentence_at, sentence_bounds
from audit.extract.markers import SUPERSCRIPT_DIGITS, scan_markers, split_stacked, to_ascii_digits
from audit.model import DatePrecision, DocFormat, ExtractedDocument, Mark
from audit.urls import find_urls

_NOTES_HEADING = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*|__)?\s*(?:foot\s?notes|notes|references|sources|end\s?notes|"
    r"works cited|bibliography|citations|notes and references|sources and notes|"
    r"notes and sources|sources and references)\s*:?\s*(?:\*\*|__)?\s*:?\s*$",
    re.IGNORECASE,
)
# An entry's number: "1.", "1)", "(1)", "[1]", "^1", "¹". Bounded, anchored: no backtracking.
_ENTRY_NUMBER = re.compile(
    r"^\s*(?:\[(?P<a>\d{1,3})\]|\((?P<b>\d{1,3})\)|(?P<c>\d{1,3})[.)](?=\s)|\^(?P<d>\d{1,3})"
    rf"|(?P<e>[{SUPERSCRIPT_DIGITS}]{{1,4}}))[\s:.]*"
)
_PROVENANCE = re.compile(
    r"^\s*(?:sources?\b|originally (?:published|appeared|posted)(?: (?:at|in|on|by))?|"
    r"first (?:published|appeared|posted)(?: (?:at|in|on|by))?|"
    r"this (?:article|piece|story|post|essay) (?:was )?(?:originally |first )?"
    r"(?:published|appeared|posted)(?: (?:at|in|on|by))?|"
    r"republished (?:from|with permission from)|reprinted (?:from|with permission from)|"
    r"cross-posted from|via\b)\s*:?\s*",
    re.IGNORECASE,
)
_BARE_ENTRY_NUMBER = re.compile(r"^\s*(\d{1,3})\s+(?=\S)")
"""An entry's number with nothing after it but a space ("1 Jane Doe, ..."), as a PDF copy has it."""
_MARKER_HINT = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]|\[\^?\d")
"""A trace of a superscript or bracket marker: then "(1)" is not read as one."""
_PAREN_MARKER = re.compile(r"(?<=\S) ?\((?P<n>\d{1,3})\)(?=[\s.,;:!?\"”’]|$)")
"""A note number in brackets after a word: "rose on Tuesday (1), the first"."""
_GLUED_MARKER = re.compile(r"[^\W\d_](?:[.,;:!?][”\"’)]?|[”\"’)])(?P<n>\d{1,3})(?=\s|$)")
"""A superscript flattened by copying from a PDF: "approved in March.1 The port", "said,”2":
digits right after a word's closing punctuation or quote. After a digit ("2030.2") it is a
decimal number, and with nothing between ("COVID19") part of the word."""
_FIRST_PERSON = re.compile(
    r"(?<![\w'’])(?:I|I'm|I’m|I've|I’ve|I'd|I’d|me|my|mine|you|your|we|us|our|lol|thanks|"
    r"thank you)(?![\w'’])"
)
_YEAR = re.compile(r"(?<!\d)(?:1[6-9]\d\d|20\d\d)(?!\d)|\bn\.d\.")
_QUOTED = re.compile(r"[“\"‘][^“”\"]{3,300}[”\"’]")
_IBID = re.compile(r"^\s*(?:ibid|op\.? cit|id\.)", re.IGNORECASE)
_BYLINE = re.compile(
    r"^\s*(?:[Bb]y|[Ww]ords by|[Ww]ritten by)\s+(?P<name>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})",
)
_SENTENCE_BREAK = re.compile(r"[.!?][\"”’)]?\s+[A-Z“\"]")
_ADVERT_WORDS = re.compile(r"\b(?:advert|advertisement|sponsored|promoted)\b", re.IGNORECASE)
_EMAIL_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_EMAIL_DOMAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")

_MAX_HEADINGS = 20
"""Notes-heading candidates tried, from the bottom up: a real article has one or two."""
_TOP_LINES = 8
"""Lines at the top searched for a title, byline and dateline."""
_BIO_TAIL = 0.6
"""Bio paragraphs are looked for only after this fraction of the text (and just under the title)."""


class _Kind(Enum):
    BLANK = "blank"
    TITLE = "title"
    META = "meta"
    BODY = "body"
    CLUTTER = "clutter"
    BIO = "bio"
    TAIL = "tail"
    COMMENT = "comment"
    NOTES_HEADING = "notes heading"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class NoteEntry:
    """One entry of a notes section: its 0-based line index, label, text and text offset."""

    index: int
    label: str
    raw: str
    offset: int
    """Where `raw` starts in its line (after the number)."""
    width: int = -1
    """How much of the entry's first line `raw` covers (-1: all of `raw`, one line)."""

    def going_on(self, joined: str) -> NoteEntry:
        """The entry with `joined` (its text and the wrapped line after it) as its text."""
        width = self.width if self.width >= 0 else len(self.raw)
        return NoteEntry(self.index, self.label, joined, self.offset, width)


@dataclass(frozen=True, slots=True)
class NotesSection:
    """A notes section found in a list of lines."""

    heading: int | None
    """0-based index of the heading line, None for a section found without one."""
    entries: tuple[NoteEntry, ...]
    end: int
    """Index of the first line after the last entry: where comments may begin."""
    numbered: bool


def extract_text(path: str, text: str, outlet_names: Sequence[str]) -> ExtractedDocument:
    """Extract every citation from a plain-text article (see the module docstring)."""
    lines = [ln.rstrip("\r") for ln in text.split("\n")]
    notes = find_notes_section(lines)
    kinds = _classify(lines, notes)
    builder = DocumentBuilder(path, DocFormat.TEXT)
    known: set[str] = set()
    entry_marks: dict[int, Mark] = {}
    if notes is not None:
        for entry in notes.entries:
            cid = builder.add_footnote(
                entry.label, entry.raw, entry.index + 1, entry.offset + 1, numbered=notes.numbered
            )
            # The reference parser checks the entry's first URL; the rest are listed.
            for url in further_urls(entry.raw, None)[1:]:
                builder.add_ignored(url, entry.index + 1, clutter.FURTHER)
            width = entry.width if entry.width >= 0 else len(entry.raw)
            entry_marks[entry.index] = Mark(entry.offset, entry.offset + width, cid)
            known.add(entry.label)
    trailing = _trailing_body(lines, kinds)
    # "(1)" is a marker only in an article with numbered notes and no marker of any other kind:
    # elsewhere it is an enumeration ("we need (1) money and (2) time"). So is "March.1".
    paren = (
        notes is not None
        and notes.numbered
        and not any(_MARKER_HINT.search(lines[i]) for i, k in enumerate(kinds) if k is _Kind.BODY)
    )
    paragraphs = _paragraphs(lines, kinds)
    for i, kind in enumerate(kinds):
        line = lines[i].rstrip()
        if kind is _Kind.BODY:
            nxt = lines[i + 1] if i + 1 < len(lines) and kinds[i + 1] is _Kind.BODY else None
            rest = _cut_url_rest(line, nxt)
            para = paragraphs[i]
            _body_line(builder, i, line, known, outlet_names, i >= trailing, paren, rest, para)
            if para.last == i:
                _finish_paragraph(builder, para)
        elif kind in (_Kind.NOTES_HEADING, _Kind.NOTE):
            builder.add_paragraph(i + 1, line, _opt(entry_marks.get(i)), in_notes=True)
        elif kind is not _Kind.BLANK:
            _ignore_links(builder, i, line, kind)
    title = _title(lines, kinds)
    date, author = _dateline(lines, kinds)
    numbered = notes.numbered if notes is not None else True
    return builder.build(title, date, author, notes_numbered=numbered)


# -- notes section ----------------------------------------------------------------------------


def find_notes_section(lines: Sequence[str]) -> NotesSection | None:
    """The notes section of a text given as lines, or None.

    The last heading followed by at least one entry wins (a "Sources" line early in the body
    followed by prose is not a section). Without a heading, a run of two or more numbered entries
    starting at 1, each looking like a reference, is taken.
    """
    tried = 0
    for i in range(len(lines) - 1, -1, -1):
        if len(lines[i]) <= 60 and _NOTES_HEADING.match(lines[i]):
            section = _symbol_entries(lines, i, i + 1) or _entries_after(lines, i)
            if section is not None:
                return section
            tried += 1
            if tried >= _MAX_HEADINGS:
                break
    return _headingless(lines) or _trailing_symbol_notes(lines)


def _entries_after(
    lines: Sequence[str], heading: int | None, first: int | None = None
) -> NotesSection | None:
    entries: list[NoteEntry] = []
    numbered: bool | None = None
    end = first if first is not None else (heading if heading is not None else 0) + 1
    i = end
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        m = _ENTRY_NUMBER.match(line)
        label = _number_label(m) if m else None
        if m is None and heading is not None and numbered is not False:
            # "1 Jane Doe, ..." under a heading: a superscript flattened by copying from a PDF.
            # Only the next number in line, on an entry that reads like a reference.
            m = _BARE_ENTRY_NUMBER.match(line)
            label = str(int(m.group(1))) if m is not None else None
            next_label = str(int(entries[-1].label) + 1) if entries else "1"
            if m is not None and (label != next_label or not looks_like_reference(line[m.end() :])):
                m = label = None
        if label is not None and m is not None and line[m.end() :].strip():
            rest = line[m.end() :].rstrip()
            expected = str(int(entries[-1].label) + 1) if entries and numbered else None
            if not (label == expected or not entries or looks_like_reference(rest)):
                break
            if numbered is False:
                break  # a numbered line after unnumbered entries is not part of the list
            numbered = True
            entries.append(NoteEntry(i, label, rest, m.end()))
        elif (
            entries
            # Unnumbered, only a line set deeper than the entry's first: a bibliography's
            # hanging indent ("Garcia, M. (2020). Title." then "    Journal, 12(3). https://…").
            and (numbered or len(line) - len(line.lstrip()) > entries[-1].offset)
            and (joined := _continued(entries[-1], line, i)) is not None
        ):
            entries[-1] = entries[-1].going_on(joined)
        elif looks_like_reference(line) and numbered is not True:
            numbered = False
            offset = len(line) - len(line.lstrip())
            entries.append(NoteEntry(i, str(len(entries) + 1), line.strip(), offset))
        else:
            break
        i += 1
        end = i
    if not entries:
        return None
    return NotesSection(heading, tuple(entries), end, bool(numbered))


_MAX_CONTINUATION_LINES = 3


def _first_after(kinds: Sequence[_Kind], start: int) -> int:
    """The first line at or after `start` that is not blank."""
    for i in range(start, len(kinds)):
        if kinds[i] is not _Kind.BLANK:
            return i
    return len(kinds)


def _continued(entry: NoteEntry, line: str, index: int) -> str | None:
    """The entry's text with `line` joined to it when the entry wraps onto it, else None.

    Pasted notes often break before the URL ("Office, “Title,” Feb. 12, 2025," then the URL on
    its own line), or indent the wrapped part (joined with a space). Text copied from a PDF
    breaks long URLs themselves ("https://example.com/news/harbour-" then "plan.html"): that
    rest is joined with nothing between, and what follows it on the line with a space. A line
    that starts another entry, or prose after an entry that already has its URL, ends the notes
    as before. `entry.raw` never ends in whitespace.
    """
    if index - entry.index > _MAX_CONTINUATION_LINES or len(line) > 500:
        return None
    whole = line.strip()
    if _url_rest(entry.raw, whole) is not None:
        return f"{entry.raw}{whole}"
    words = whole.split(None, 1)
    # Only the first word, with more after it ("reservoirs/weekly?week=40 (accessed 8 May)"):
    # it must look like a path, not an abbreviation ("e.g.") after a URL that ends in "/".
    if words and _url_rest(entry.raw, words[0], _PATH_STRONG) is not None:
        return f"{entry.raw}{words[0]} {words[1]}" if len(words) > 1 else f"{entry.raw}{whole}"
    has_url = bool(find_urls(line))
    if (has_url and not find_urls(entry.raw)) or (
        line[:1] in (" ", "\t") and not has_url and len(line.strip()) < 120
    ):
        return f"{entry.raw} {line.strip()}"
    return None


# The rest of a URL cut at the end of a line: one token of URL characters, not itself the start
# of an address. After a URL that stops on "/" (where a whole URL may end) the rest must have a
# path-like character too, so "Accessed" or "next" on the next line stays prose.
_URL_REST = re.compile(r"(?!https?://|www\.)[\w%~+=&?#/.:;,@!$*'()-]+")
_PATH_LIKE = re.compile(r"[/.\-_=&]")
_PATH_STRONG = re.compile(r"[/?=&]")
_CUT_URL_ENDS = frozenset("-/_=&?%~+#")
_SURELY_CUT_ENDS = frozenset("-_=&%")
"""Where no address ends: a URL stopping on one of these was cut ("?" and "#" also end
questions and hashtags, "/" whole URLs)."""


def _ends_in_cut_url(raw: str) -> bool:
    """True when `raw` ends with a URL that stops on a character a URL does not end with."""
    text = raw.rstrip()
    if not text or text[-1] not in _CUT_URL_ENDS:
        return False
    last = text.rsplit(None, 1)[-1]
    return last.lower().startswith(("http://", "https://", "www."))


def _url_rest(text: str, word: str, path: re.Pattern[str] = _PATH_LIKE) -> str | None:
    """`word`, when it is the rest of a URL that `text` ends with, cut at the line's end.

    After a URL cut where no address ends any word of URL characters is its rest; after one
    that may be whole, the word needs a character that `path` finds.
    """
    if not _URL_REST.fullmatch(word) or not _ends_in_cut_url(text):
        return None
    if text.rstrip()[-1] in _SURELY_CUT_ENDS or path.search(word):
        return word
    return None


def _cut_url_rest(line: str, next_line: str | None) -> str | None:
    """The first word of `next_line` when `line` ends with a URL cut there, else None."""
    if next_line is None:
        return None
    words = next_line.split(None, 1)
    return _url_rest(line, words[0]) if words else None


_SYMBOLS = "*†‡§¶‖"
_SYMBOL_ENTRY = re.compile(rf"^\s*([{_SYMBOLS}]{{1,3}})\s+(?=\S)")
"""A note marked by a symbol instead of a number: "* Ofwat, ...", "† Regulator, ..."."""
_SYMBOL_MARKER = re.compile(rf"(?<=[^\s{_SYMBOLS}])[{_SYMBOLS}]{{1,3}}(?=[\s.,;:!?)”\"’]|$)")
"""A symbol glued to the end of a word or sentence: "next year.*", "October.†"."""


def _symbol_entries(lines: Sequence[str], heading: int | None, first: int) -> NotesSection | None:
    """Notes marked *, †, ‡, ... from line `first` on (the first non-blank line must be one),
    each symbol once; a wrapped line goes on with its entry as in numbered notes (`_continued`)."""
    entries: list[NoteEntry] = []
    i = end = first
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        m = _SYMBOL_ENTRY.match(line)
        rest = line[m.end() :].rstrip() if m else ""
        if (
            m is not None
            and looks_like_reference(rest)
            and m.group(1) not in {e.label for e in entries}
        ):
            entries.append(NoteEntry(i, m.group(1), rest, m.end()))
        elif m is None and entries and (joined := _continued(entries[-1], line, i)) is not None:
            entries[-1] = entries[-1].going_on(joined)
        else:
            break
        i += 1
        end = i
    return NotesSection(heading, tuple(entries), end, True) if entries else None


def _trailing_symbol_notes(lines: Sequence[str]) -> NotesSection | None:
    """Notes marked by symbols at the end of a text, under no heading: the first "* " or "† "
    entry from which every line to the end is an entry or goes on with one, when the text
    before it carries that symbol as a marker."""
    last = max((i for i, line in enumerate(lines) if line.strip()), default=-1)
    first_marker: dict[str, int] = {}  # the line each symbol is first used on as a marker
    for i, line in enumerate(lines):
        if "*" in line or "†" in line:
            for mark in _SYMBOL_MARKER.finditer(line):
                first_marker.setdefault(mark.group(), i)
    for i, line in enumerate(lines):
        m = _SYMBOL_ENTRY.match(line) if i >= 2 else None
        if m is None or m.group(1) not in ("*", "†") or first_marker.get(m.group(1), i) >= i:
            continue
        section = _symbol_entries(lines, None, i)
        if section is not None and section.end > last:
            return section
    return None


def _headingless(lines: Sequence[str]) -> NotesSection | None:
    starts = [
        i
        for i, line in enumerate(lines)
        if i >= 3 and (m := _ENTRY_NUMBER.match(line)) and _number_label(m) == "1"
    ]
    # Forward, skipping starts inside a run already read, so every line is read about once.
    best: NotesSection | None = None
    resume = 0
    for i in starts:
        if i < resume:
            continue
        section = _entries_after(lines, None, first=i)
        if section is None:
            continue
        resume = section.end
        if (
            section.numbered
            and len(section.entries) >= 2
            and all(looks_like_reference(e.raw) for e in section.entries)
        ):
            best = section
    return best


def _number_label(m: re.Match[str]) -> str | None:
    for name in ("a", "b", "c", "d"):
        if m.group(name):
            return str(int(m.group(name)))
    sup = m.group("e")
    return str(int(to_ascii_digits(sup))) if sup else None


def looks_like_reference(line: str) -> bool:
    """True when a line reads like a notes entry, not prose or a reader's comment.

    A reference has a URL, or a year with an outlet/title shape (quoted title, comma-separated
    fields); a comment is first-person, exclamatory or several sentences long.
    """
    text = line.strip()
    if not text or len(text) > 1000:
        return False
    urls = find_urls(text)
    prose = text
    for start, end, _ in reversed(urls):
        prose = prose[:start] + prose[end:]
    unquoted = _QUOTED.sub(" ", prose)
    chatty = bool(_FIRST_PERSON.search(unquoted)) or "!" in unquoted
    sentences = len(_SENTENCE_BREAK.findall(unquoted))
    if urls:
        return not chatty and sentences <= 3
    if _IBID.match(text):
        return True
    if chatty or sentences > 2 or len(text) > 400:
        return False
    has_shape = bool(_QUOTED.search(prose)) or prose.count(",") >= 2 or prose.count(". ") >= 2
    return bool(_YEAR.search(prose)) and has_shape


# -- classifying lines ------------------------------------------------------------------------


def _classify(lines: Sequence[str], notes: NotesSection | None) -> list[_Kind]:
    n = len(lines)
    kinds = [_Kind.BLANK if not ln.strip() else _Kind.BODY for ln in lines]
    body_end = n
    if notes is not None:
        first_note = notes.heading if notes.heading is not None else notes.entries[0].index
        body_end = first_note
        if notes.heading is not None:
            kinds[notes.heading] = _Kind.NOTES_HEADING
        for e in notes.entries:
            kinds[e.index] = _Kind.NOTE
        for i in range(first_note, notes.end):
            if kinds[i] is _Kind.BODY:
                kinds[i] = _Kind.NOTE  # a wrapped line inside the list stays in the notes
        after = _Kind.COMMENT
        first_after = _first_after(kinds, notes.end)
        for i in range(notes.end, n):
            if kinds[i] is _Kind.BLANK:
                continue
            line = lines[i].strip()
            # A wiki's "External links" after its references is not a reader's comment.
            if clutter.is_tail_heading(line):
                after = _Kind.TAIL
            elif clutter.is_comment_start(line):
                after = _Kind.COMMENT
            elif (
                after is _Kind.COMMENT
                and i == first_after
                and (_PROVENANCE.match(line) and find_urls(line))
            ):
                # "Sources: https://..." right after the notes is the writer's, not a reader's.
                continue
            kinds[i] = after
    title = _first_content(lines, kinds)
    if title is not None and _looks_like_headline(lines[title]):
        kinds[title] = _Kind.TITLE
    tail = follow = comments = signature = False
    for i in range(body_end):
        if kinds[i] is not _Kind.BODY:
            continue
        line = lines[i].strip()
        late = i >= body_end * _BIO_TAIL
        has_url = bool(find_urls(line)) if len(line) <= 300 else True
        if signature:
            kinds[i] = _Kind.BIO
        elif tail or comments:
            kinds[i] = _Kind.TAIL if tail else _Kind.COMMENT
        elif line == "--" and late:
            # An e-mail's signature delimiter ("-- "): the sender's name, role and links follow.
            signature = True
            kinds[i] = _Kind.CLUTTER
        elif i < _TOP_LINES and (_BYLINE.match(line) or _is_dateline(line)):
            kinds[i] = _Kind.META
        elif clutter.is_follow_line(line) and (late or _next_has_url(lines, i)):
            follow = True
            kinds[i] = _Kind.BIO
        elif _in_links_block(line, follow, has_url):
            kinds[i] = _Kind.BIO
        elif clutter.is_tail_heading(line):
            tail = late
            kinds[i] = _Kind.TAIL if late else _Kind.CLUTTER
        elif clutter.is_comment_start(line) and late:
            comments = True
            kinds[i] = _Kind.COMMENT
            prev = _previous_content(kinds, i)
            if prev is not None and _looks_like_comment_header(lines[prev]):
                kinds[prev] = _Kind.COMMENT  # the commenter's name or job title line
        elif clutter.is_clutter_line(line):
            kinds[i] = _Kind.CLUTTER
        elif clutter.is_bio_line(line) and (late or (title is not None and i <= title + 3)):
            kinds[i] = _Kind.BIO
        else:
            follow = False
    return kinds


def _in_links_block(line: str, follow: bool, has_url: bool) -> bool:
    """A "Platform: URL" line, or any short line with a URL inside a "Follow ..." block."""
    if (follow or has_url) and clutter.is_social_line(line):
        return True
    return follow and has_url and len(line) <= 200


def _previous_content(kinds: Sequence[_Kind], i: int) -> int | None:
    j = i - 1
    while j >= 0 and kinds[j] is _Kind.BLANK:
        j -= 1
    return j if j >= 0 and kinds[j] is _Kind.BODY else None


def _looks_like_comment_header(line: str) -> bool:
    text = line.strip()
    return len(text) <= 100 and not text.endswith((".", "!", "?", "”", '"'))


def _first_content(lines: Sequence[str], kinds: Sequence[_Kind]) -> int | None:
    for i in range(min(len(lines), 40)):
        if kinds[i] is not _Kind.BODY:
            continue
        if clutter.is_clutter_line(lines[i]):
            continue
        return i
    return None


_CITING = re.compile(r"\[\^?\d{1,3}\]|[.!?][\"”’)]*[⁰¹²³⁴⁵⁶⁷⁸⁹]+$")
"""A note marker ("[1]", "claim.¹"): a headline cites nothing, so a line with one is body text."""


def _looks_like_headline(line: str) -> bool:
    text = line.strip()
    words = text.split()
    return (
        2 <= len(words) <= 25
        and len(text) <= 200
        and not text.endswith((".", ",", ";", ":"))
        and not _CITING.search(text)
        and not find_urls(text)
        and (text[0].isupper() or text[0].isdigit() or text[0] in "“\"‘'¿¡")
        and not clutter.is_bio_line(text)
    )


def _is_dateline(line: str) -> bool:
    if len(line) > 80:
        return False
    dates = find_dates(line)
    if not dates or dates[0].date.precision is not DatePrecision.DAY:
        return False
    rest = line[: dates[0].start] + line[dates[0].end :]
    return len(rest.split()) <= 6


def _next_has_url(lines: Sequence[str], i: int) -> bool:
    for j in range(i + 1, min(len(lines), i + 4)):
        if lines[j].strip():
            return bool(find_urls(lines[j][:300]))
    return False


def _trailing_body(lines: Sequence[str], kinds: Sequence[_Kind]) -> int:
    """Index after the last long body paragraph: `Source:` lines from here on are provenance."""
    last = -1
    for i, kind in enumerate(kinds):
        if kind is _Kind.BODY and len(lines[i]) > 200 and not _PROVENANCE.match(lines[i]):
            last = i
    return last + 1


def _title(lines: Sequence[str], kinds: Sequence[_Kind]) -> str | None:
    for i, kind in enumerate(kinds):
        if kind is _Kind.TITLE:
            return " ".join(lines[i].split()).strip("#* ") or None
    return None


def _dateline(lines: Sequence[str], kinds: Sequence[_Kind]) -> tuple[str | None, str | None]:
    date = author = None
    for i in range(min(len(lines), _TOP_LINES)):
        if kinds[i] is not _Kind.META:
            continue
        line = lines[i]
        m = _BYLINE.match(line)
        if m and author is None:
            author = m.group("name").strip()
        if date is None:
            found = [d for d in find_dates(line) if d.date.precision is DatePrecision.DAY]
            if found:
                date = found[0].date.iso
    return date, author


# -- per-line extraction ----------------------------------------------------------------------


def _body_line(
    builder: DocumentBuilder,
    i: int,
    line: str,
    known: set[str],
    outlet_names: Sequence[str],
    trailing: bool,
    paren_markers: bool,
    url_rest: str | None,
    para: _Paragraph,
) -> None:
    """Read one body line; what it cites goes into `para`, the paragraph it belongs to, which
    `_finish_paragraph` hands to the builder once its last line is read."""
    lineno = i + 1
    shift = para.shifts[i]

    def context(start: int, end: int) -> str:
        return sentence_at(para.text, shift + start, shift + end)

    marks: list[Mark] = []
    urls = find_urls(line)
    if url_rest is not None and urls:
        # The line's last URL goes on at the start of the next line (text copied from a PDF).
        start = urls[-1][0]
        joined = find_urls(line[start:] + url_rest)
        if joined and joined[0][0] == 0:
            urls[-1] = (start, len(line), joined[0][2])
    url_spans = [(s, e) for s, e, _ in urls]
    prov = _PROVENANCE.match(line)
    is_source_cue = prov is not None and prov.group().strip().lower().rstrip(":").strip() in (
        "source",
        "sources",
        "via",
    )
    listed = prov is not None and is_source_cue and not urls
    if listed and prov is not None:
        # "Sources: Reuters, Associated Press": outlets named as the sources, without links.
        for hit in find_attributions(line[prov.end() :], outlet_names, listed=True):
            start, end = prov.end() + hit.start, prov.end() + hit.end
            para.attributions.append(
                (AttributionHit(start, end, hit.outlet, line.strip()), lineno, shift)
            )
    if prov is not None and (urls or not is_source_cue) and (trailing or not is_source_cue):
        raw = line[prov.end() :].strip()
        if raw:
            url = urls[0][2] if urls else None
            col = (urls[0][0] if urls else prov.end()) + 1
            cid = builder.add_provenance(raw, lineno, col, line.strip(), url=url)
            span = (urls[0][0], urls[0][1]) if urls else (prov.end(), len(line))
            marks.append(Mark(span[0], span[1], cid))
            for _s, _e, extra in urls[1:]:
                builder.add_ignored(extra, lineno, "provenance line")
            para.add_marks(marks, shift)
            return
    for m in scan_markers(line):
        if _inside(m.start, m.end, url_spans):
            continue
        labels = split_stacked(m.label, known) if m.style == "superscript" else [m.label]
        pos = m.start
        for label in labels:
            width = len(label) if m.style == "superscript" and len(labels) > 1 else m.end - pos
            end = min(pos + width, m.end)
            cid = builder.add_marker_use(label, lineno, pos + 1, context(m.start, m.end))
            marks.append(Mark(pos, end, cid))
            if m.style == "superscript":
                pos = end
    for sym in _SYMBOL_MARKER.finditer(line) if _has_symbol_labels(known) else ():
        start, end = sym.span()
        if (
            sym.group() in known
            and _is_symbol_marker(line, start)
            and not _inside(start, end, url_spans)
        ):
            cid = builder.add_marker_use(sym.group(), lineno, start + 1, context(start, end))
            marks.append(Mark(start, end, cid))
    if paren_markers:
        found = [(p, p.start("n") - 1, p.end("n") + 1) for p in _PAREN_MARKER.finditer(line)]
        found += [(g, g.start("n"), g.end("n")) for g in _GLUED_MARKER.finditer(line)]
        for p, start, end in sorted(found, key=lambda f: f[1]):
            label = str(int(p.group("n")))
            if label in known and not _inside(start, end, url_spans):
                cid = builder.add_marker_use(label, lineno, start + 1, context(start, end))
                marks.append(Mark(start, end, cid))
    for start, end, url in urls:
        reason = clutter.ignore_reason(url, line)
        if reason is not None:
            builder.add_ignored(url, lineno, reason)
            continue
        written = line[start:end]
        # "www.example.com/x" keeps its text as written (see markdown's add_body_run).
        text = written if "://" not in written else None
        cid = builder.add_inline(url, lineno, start + 1, context(start, end), text)
        marks.append(Mark(start, end, cid))
    for start, end, email in find_emails(line):
        if not _inside(start, end, url_spans):
            builder.add_ignored(email, lineno, clutter.EMAIL)
    para.add_marks(marks, shift)
    para.urls.extend(url for _s, _e, url in urls)
    for hit in () if listed else find_attributions(line, outlet_names):
        if not _inside(hit.start, hit.end, url_spans):
            # Decided once the paragraph is read: its sentence may go on to a marker on the
            # next line of a hard-wrapped text.
            para.attributions.append((hit, lineno, shift))


def _has_symbol_labels(known: set[str]) -> bool:
    return any(label[:1] in _SYMBOLS for label in known)


def _is_symbol_marker(line: str, at: int) -> bool:
    """Whether the symbol at `at` marks a note: a dagger always; an asterisk only after
    punctuation or a word it does not close ("*really*" is emphasis, "year.*" a note)."""
    if line[at] != "*":
        return True
    if line[at - 1] in '.,;:!?)”"’':
        return True
    lo = max(0, at - _LONGEST_WORD)  # looked back over one word at most, never the whole line
    word_start = max(line.rfind(" ", lo, at), line.rfind("\t", lo, at), lo - 1) + 1
    return "*" not in line[word_start:at]


_LONGEST_WORD = 100


@dataclass(slots=True)
class _Paragraph:
    """Body lines read as one paragraph, in which sentences are found and contexts taken.

    One line in an article pasted from a web page; in a text hard-wrapped at a fixed width (an
    e-mail, a newsletter, a copy from a PDF) the lines of one paragraph, joined by spaces.
    """

    first: int
    """0-based index of its first line."""
    last: int
    text: str
    shifts: dict[int, int] = field(default_factory=dict)
    """By line index: what to add to an offset in that line to get one in `text`."""
    marks: list[Mark] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    """The URLs written in it."""
    attributions: list[tuple[AttributionHit, int, int]] = field(default_factory=list)
    """(hit, 1-based line, shift) of the outlets named in it, decided at its end."""

    def add_marks(self, marks: Sequence[Mark], shift: int) -> None:
        self.marks.extend(Mark(m.start + shift, m.end + shift, m.citation_id) for m in marks)


def _finish_paragraph(builder: DocumentBuilder, para: _Paragraph) -> None:
    sourced = sorted(m.start for m in para.marks)
    labels = site_labels(para.urls) if para.attributions else frozenset()
    own: dict[str, bool] = {}  # by outlet: an endless paragraph names few outlets many times
    for hit, lineno, shift in para.attributions:
        start, end = shift + hit.start, shift + hit.end
        s, e = sentence_bounds(para.text, start, end)
        k = bisect.bisect_left(sourced, s)
        if k < len(sourced) and sourced[k] < e:
            continue  # the sentence carries its own marker or link: the outlet is sourced
        if own.setdefault(hit.outlet, links_own_site(hit.outlet, labels)):
            continue  # the paragraph links the outlet's own page
        context = sentence_at(para.text, start, end)
        cid = builder.add_attribution(hit.outlet, lineno, hit.start + 1, context, hit.phrase)
        para.marks.append(Mark(start, end, cid))
    builder.add_paragraph(para.first + 1, para.text, para.marks)


_WRAP_MAX = 100
"""Wider lines than this are not a hard wrap: one paragraph a line, as pasted from a page."""
_LIST_START = re.compile(r"\s*(?:[-*•–]\s|\d{1,3}[.)]\s|\[\d{1,3}\]|[⁰¹²³⁴⁵⁶⁷⁸⁹])")


def _paragraphs(lines: Sequence[str], kinds: Sequence[_Kind]) -> dict[int, _Paragraph]:
    """The paragraph of each body line (by index).

    A text is taken as hard-wrapped when nine in ten of its body lines are at most _WRAP_MAX
    wide and at least half of them come near the widest of those: the right margin a wrapping
    editor leaves. There a line goes on in the next when the next one's first word would not
    have fitted on it; a short line ends its paragraph, and a list item, a note or a `Source:`
    line starts its own. Anything else is one paragraph a line.
    """
    body = [i for i, k in enumerate(kinds) if k is _Kind.BODY]
    widths = sorted(len(lines[i].rstrip()) for i in body)
    narrow = [w for w in widths if w <= _WRAP_MAX]
    width = narrow[(9 * (len(narrow) - 1)) // 10] if narrow else 0
    wrapped = (
        len(body) >= 3
        and len(narrow) >= 0.9 * len(widths)
        and sum(width - 15 <= w <= width for w in narrow) >= 0.5 * len(narrow)
    )
    out: dict[int, _Paragraph] = {}
    para: _Paragraph | None = None
    # A paragraph's lines are gathered and joined once: adding each to a growing string made a
    # hard-wrapped text of one endless paragraph quadratic.
    pieces: list[str] = []
    length = 0
    for i in body:
        line = lines[i].rstrip()
        if para is not None and para.last == i - 1 and _goes_on(lines[i - 1].rstrip(), line, width):
            piece = line.lstrip()
            para.shifts[i] = length + 1 - (len(line) - len(piece))
            pieces.append(piece)
            length += 1 + len(piece)
            para.last = i
        else:
            if para is not None and len(pieces) > 1:
                para.text = " ".join(pieces)
            para = _Paragraph(i, i, line, {i: 0})
            pieces, length = [line], len(line)
        out[i] = para
        if not wrapped:
            para = None
    if para is not None and len(pieces) > 1:
        para.text = " ".join(pieces)
    return out


def _goes_on(line: str, nxt: str, width: int) -> bool:
    """Whether `line` of a hard-wrapped text was broken before `nxt` for want of room."""
    words = nxt.split(None, 1)
    if not words or not line.strip():
        return False
    if _LIST_START.match(nxt) or _PROVENANCE.match(nxt) or _ENTRY_NUMBER.match(nxt):
        return False
    return len(line) + 1 + len(words[0]) > width


def _opt(mark: Mark | None) -> tuple[Mark, ...]:
    return (mark,) if mark is not None else ()


def _ignore_links(builder: DocumentBuilder, i: int, line: str, kind: _Kind) -> None:
    """Links on a line that is not body text are listed as ignored, with the reason."""
    for _s, _e, url in find_urls(line):
        builder.add_ignored(url, i + 1, _reason_for(url, line, kind))
    for _s, _e, email in find_emails(line):
        builder.add_ignored(email, i + 1, clutter.EMAIL)


def _reason_for(url: str, line: str, kind: _Kind) -> str:
    reason = clutter.ignore_reason(url, line)
    if kind is _Kind.COMMENT:
        # A link inside a comment is the commenter's, whatever its shape, unless it is clearly
        # page furniture that followed the notes (a share button, the author's profiles).
        return (
            reason
            if reason in (clutter.SHARE, clutter.EMAIL, clutter.ADVERT)
            else (clutter.BIO if clutter.is_social_line(line) else clutter.COMMENT)
        )
    if kind is _Kind.TAIL:
        return (
            reason if reason in (clutter.SHARE, clutter.EMAIL, clutter.ADVERT) else clutter.RELATED
        )
    if kind in (_Kind.BIO, _Kind.META):
        return reason if reason in (clutter.SHARE, clutter.EMAIL) else clutter.BIO
    if kind is _Kind.CLUTTER and _ADVERT_WORDS.search(line):
        return clutter.ADVERT
    return reason or clutter.NAVIGATION


def find_emails(text: str) -> list[tuple[int, int, str]]:
    """E-mail addresses in `text` as (start, end, address); linear (each "@" scanned boundedly)."""
    out: list[tuple[int, int, str]] = []
    at = text.find("@")
    last_end = 0
    while at != -1:
        s = at
        while s > last_end and at - s < 64 and text[s - 1] in _EMAIL_LOCAL:
            s -= 1
        e = at + 1
        while e < len(text) and e - at < 255 and text[e] in _EMAIL_DOMAIN:
            e += 1
        while e > at + 1 and text[e - 1] in ".-":
            e -= 1
        while s < at and text[s] in ".":
            s += 1
        domain = text[at + 1 : e]
        tld = domain.rsplit(".", 1)[-1] if "." in domain else ""
        if s < at and len(tld) >= 2 and tld.isalpha() and text[s - 1 : s] != "/":
            out.append((s, e, text[s:e]))
            last_end = e
        at = text.find("@", max(at + 1, e if out and out[-1][1] == e else at + 1))
    return out


def _inside(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    """True when [start, end) lies in one of `spans` (sorted, not overlapping): O(log n)."""
    k = bisect.bisect_right(spans, (start, len(spans) and spans[-1][1] + end + 1)) - 1
    return k >= 0 and spans[k][0] <= start and end <= spans[k][1]
