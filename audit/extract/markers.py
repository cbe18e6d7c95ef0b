"""Footnote markers in running text: superscripts (¹, ¹⁰, stacked ¹²³), `[3]`, `[^3]`, `[3, 4]`.

The scanner is shared by every loader. It only finds candidates and their labels; deciding
whether a label answers a notes entry is the loader's job (see `split_stacked` for the one case,
stacked superscripts, where the notes' labels decide how a run is read).

Everything here runs in linear time: the only regular expressions are simple character classes
or patterns whose repetition is bounded, so a 100k run of digits or brackets cannot make them
backtrack.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_TO_ASCII = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")

_SUPER_RUN = re.compile(f"[{SUPERSCRIPT_DIGITS}]+")

# `[3]`, `[3, 4]`, `[3–5]`: one to three digits, at most 20 items, at most one space around each
# separator. Every repetition is bounded, so a failed attempt costs a bounded number of steps.
_BRACKET = re.compile(r"\[(?P<body>[0-9]{1,3}(?:[ \u00a0]?[,;–—-][ \u00a0]?[0-9]{1,3}){0,20})\]")
# `[^3]`, `[^note-a]`: Markdown footnote references, also pasted into plain text.
_CARET = re.compile(r"\[\^(?P<label>[A-Za-z0-9_.:-]{1,40})\]")

# Short unit words after which a superscript is an exponent ("km²"), not a marker.
_UNITS = frozenset(
    {"m", "km", "cm", "mm", "ft", "in", "mi", "yd", "s", "kg", "g", "nm", "µm", "sq", "cu", "m/s"}
)

MAX_RANGE = 50
"""A range `[3–500]` longer than this is read as its two ends (a typo, not 498 notes)."""


@dataclass(frozen=True, slots=True)
class RawMarker:
    """A marker candidate: its span in the scanned text, its label and how it was written."""

    start: int
    end: int
    label: str
    """ASCII label: "3", "10", or for stacked superscripts the whole run ("123")."""
    style: str
    """"superscript", "bracket" or "caret"."""


def scan_markers(text: str) -> list[RawMarker]:
    """Every footnote marker candidate in `text`, in order of position.

    A run of superscript digits is ONE marker whose label is the whole run; call `split_stacked`
    with the notes' labels to read "¹²³" as 1, 2, 3 or as 12, 3. A bracket list `[3, 4]` or range
    `[3–5]` gives one marker per label, each spanning its own digits.
    """
    found = [
        RawMarker(m.start(), m.end(), m.group().translate(_TO_ASCII), "superscript")
        for m in _SUPER_RUN.finditer(text)
        if not _is_exponent(text, m.start())
    ]
    lines = _LineIndex.of(text) if "[" in text else None
    brackets = [
        m
        for m in _BRACKET.finditer(text)
        if lines is not None and _bracket_is_marker(text, m.start(), m.end(), lines)
    ]
    indexed = _indexed_names(text)
    for m in brackets:
        if _glued_name(text, m.start()) not in indexed:
            found.extend(_bracket_markers(m.group("body"), m.start(), m.end()))
    found.extend(
        RawMarker(m.start(), m.end(), m.group("label"), "caret")
        for m in _CARET.finditer(text)
        if not _at_line_start(text, m.start()) or not _followed_by_colon(text, m.end())
    )
    found.sort(key=lambda r: (r.start, r.end))
    return found


def to_ascii_digits(s: str) -> str:
    """Superscript digits turned into ASCII ("¹⁰" -> "10"); other characters kept."""
    return s.translate(_TO_ASCII)


def split_stacked(label: str, known: set[str]) -> list[str]:
    """Read a stacked superscript run as the labels it means, given the notes' labels.

    "10" with a note 10 is one marker. "123" with notes 1-20 is 1, 2, 3 (writers stack markers in
    increasing order, so 12, 3 is rejected). "1011" with notes up to 11 is 10, 11. When no reading
    uses only known labels, or there are no notes, the run stays one label, so the report's
    marker-without-entry finding shows what was written.
    """
    if label in known or len(label) < 2 or not known or len(label) > 12:
        return [label]
    best: list[str] | None = None
    for parts in _segmentations(label, known):
        numbers = [int(p) for p in parts]
        increasing = all(a < b for a, b in itertools.pairwise(numbers))
        if increasing and (best is None or len(parts) < len(best)):
            best = parts
    return best if best is not None else [label]


def _segmentations(label: str, known: set[str]) -> list[list[str]]:
    # Labels are at most 12 digits here, so the number of splits is small (at most 2**11).
    out: list[list[str]] = []

    def walk(i: int, acc: list[str]) -> None:
        if i == len(label):
            out.append(list(acc))
            return
        for j in range(i + 1, min(len(label), i + 4) + 1):
            piece = label[i:j]
            if piece in known and not (len(piece) > 1 and piece.startswith("0")):
                acc.append(piece)
                walk(j, acc)
                acc.pop()

    walk(0, [])
    return out


def _is_exponent(text: str, start: int) -> bool:
    """True when a superscript at `start` is a power ("km²", "10³", "x²"), not a marker."""
    if start == 0:
        return False
    before = text[max(0, start - 12) : start]
    if before[-1].isdigit():
        # "10⁶" and "5²" are powers; "in 1969⁵" is a marker after a year. Read it as a power only
        # for base ten or a square/cube of a short number.
        number = re.split(r"[^0-9]", before)[-1]
        return number == "10" or (len(number) <= 2 and text[start] in "²³")
    word = re.split(r"[^\w/µ]", before)[-1]
    if word.lower() in _UNITS:
        # "50 km²" but not "a threat²": require the unit itself to follow a number.
        rest = before[: len(before) - len(word)].rstrip()
        return bool(rest) and rest[-1].isdigit()
    # A lone letter used as a variable: "x²", "a² + b²".
    return len(word) == 1 and word.isalpha() and word.islower()


def _at_line_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] == "\n"


def _followed_by_colon(text: str, end: int) -> bool:
    return text.startswith(":", end)


@dataclass(frozen=True, slots=True)
class _LineIndex:
    """Where lines start and where backticks are, so each bracket's checks cost O(log n).

    Scanning back to the line start for every bracket made a 100 KB line of "x[1]" quadratic.
    """

    newlines: list[int]
    ticks: list[int]

    @classmethod
    def of(cls, text: str) -> _LineIndex:
        return cls(
            [m.start() for m in re.finditer("\n", text)],
            [m.start() for m in re.finditer("`", text)],
        )

    def line_start(self, pos: int) -> int:
        i = bisect.bisect_left(self.newlines, pos)
        return self.newlines[i - 1] + 1 if i else 0

    def ticks_between(self, lo: int, hi: int) -> int:
        return bisect.bisect_left(self.ticks, hi) - bisect.bisect_left(self.ticks, lo)


def _bracket_is_marker(text: str, start: int, end: int, lines: _LineIndex) -> bool:
    """Reject brackets that are list labels, link texts or code, not markers."""
    body = text[start + 1 : end - 1]
    if body.strip("0") == "":
        return False  # [0] is an array index, never a footnote
    if _at_line_start(text, start):
        return False  # "[1] Reuters, ..." opens a notes entry; "[1]: http..." a link definition
    nxt = text[end : end + 1]
    if nxt in ("(", ":", "="):
        return False  # "[1](http...)" is Markdown link text; "[1]:" a definition; "x[1] = 2" code
    if text[end : end + 3].lstrip(" ").startswith("=") and not text.startswith("==", end):
        return False  # "x[1] = 2"
    if nxt == "." and text[end + 1 : end + 2].isalpha():
        return False  # "items[1].name"
    # Code: an identifier with "_" or "." right before the bracket ("my_list[2]", "obj.items[1]"),
    # or an odd number of backticks earlier on the line (inside `inline code`).
    j = start
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] in "_."):
        j -= 1
    ident = text[j:start]
    if "_" in ident or ("." in ident.strip(".") and ident[:1].isalpha()):
        return False
    return lines.ticks_between(lines.line_start(start), start) % 2 == 0


def _glued_name(text: str, start: int) -> str:
    """The word glued to a bracket ("items" in "items[1]"), or "" when a space or stop precedes."""
    j = start
    while j > 0 and start - j < 64 and (text[j - 1].isalnum() or text[j - 1] == "_"):
        j -= 1
    return text[j:start]


def _indexed_names(text: str) -> set[str]:
    """Words written with a zero index somewhere ("items[0]"): their other brackets are code too."""
    names: set[str] = set()
    i = text.find("[0]")
    while i != -1:
        name = _glued_name(text, i)
        if name:
            names.add(name)
        i = text.find("[0]", i + 1)
    return names


def _bracket_markers(body: str, start: int, end: int) -> list[RawMarker]:
    if body.isdigit():
        return [RawMarker(start, end, str(int(body)), "bracket")]
    out: list[RawMarker] = []
    pos = 0
    offset = start + 1
    items = re.split(r"([ \u00a0]?[,;][ \u00a0]?)", body)
    for item in items:
        if item and item[0].isdigit():
            out.extend(_range_markers(item, offset + pos))
        pos += len(item)
    return out


def _range_markers(item: str, offset: int) -> list[RawMarker]:
    """One item of a bracket list: "4" or a range "3–5" (expanded when it is short)."""
    parts = re.split(r"[ \u00a0]?[–—-][ \u00a0]?", item)
    end = offset + len(item)
    if len(parts) == 1:
        return [RawMarker(offset, end, str(int(item)), "bracket")]
    lo, hi = int(parts[0]), int(parts[-1])
    if lo < hi and hi - lo <= MAX_RANGE:
        return [RawMarker(offset, end, str(n), "bracket") for n in range(lo, hi + 1)]
    return [RawMarker(offset, end, str(int(p)), "bracket") for p in parts if p]
