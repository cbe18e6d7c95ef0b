"""Where a use sits: 1-based line and column of an offset, and the sentence around a span.

Loaders call these for every marker, link and attribution. Both are bounded per call (line
lookups bisect a precomputed table; sentence searches look at most a few thousand characters
either way), so a 1 MB one-line article costs the same per use as a short one.
"""

from __future__ import annotations

import bisect
import re

from audit.settings import MAX_CONTEXT_CHARS

_WINDOW = 4 * MAX_CONTEXT_CHARS
"""How far either way a sentence boundary is looked for; past it the sentence is cut anyway."""

_CLOSERS = "\"'”’»)]"
_TERMINATORS = ".!?…"

# Words after which a full stop does not end a sentence ("Dr. Paine", "U.S. Naval War College").
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "jr",
        "sr",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "rep",
        "sen",
        "gov",
        "pres",
        "inc",
        "co",
        "ltd",
        "corp",
        "no",
        "vol",
        "pp",
        "p",
        "ed",
        "eds",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "approx",
        "est",
        "fig",
        "al",
    ]
)

_SPACE_RUN = re.compile(r"\s+")
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_BRACKET_MARK = re.compile(r"\[\^?(?:[0-9]{1,3}|[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})\]")
"""`[3]`, `[^3]`, and `[³]` (a bracketed marker the HTML reader shows as a superscript)."""


class LineIndex:
    """Maps character offsets in one text to 1-based (line, column), in O(log lines) per lookup."""

    __slots__ = ("_length", "_starts")

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._starts = starts
        self._length = len(text)

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of `offset`; clamped into the text."""
        offset = min(max(offset, 0), self._length)
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def line_start(self, line: int) -> int:
        """Offset of the first character of 1-based `line` (clamped to the known lines)."""
        line = min(max(line, 1), len(self._starts))
        return self._starts[line - 1]

    @property
    def line_count(self) -> int:
        """Number of lines (a text without a final newline still counts its last line)."""
        return len(self._starts)


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of `offset` in `text`. Use `LineIndex` for many lookups."""
    offset = min(max(offset, 0), len(text))
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of the sentence holding text[start:end], never crossing a line break.

    A marker right after a full stop ("...a superior.¹") belongs to the sentence that stop ends.
    """
    n = len(text)
    start = min(max(start, 0), n)
    end = min(max(end, start), n)
    lo = max(0, start - _WINDOW)
    left = text.rfind("\n", lo, start) + 1 or lo
    s = _sentence_start(text, left, start)
    hi = min(n, end + _WINDOW)
    right = text.find("\n", end, hi)
    if right == -1:
        right = hi
    if _ends_sentence_before(text, start, s):
        e = end
        while e < right and text[e] == "]":
            e += 1  # the marker's closing bracket: "repairs.[¹]"
    else:
        e = _sentence_end(text, end, right)
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end] as one line, cut to settings.MAX_CONTEXT_CHARS."""
    s, e = sentence_bounds(text, start, end)
    sentence = _SPACE_RUN.sub(" ", text[s:e]).strip()
    if len(sentence) <= MAX_CONTEXT_CHARS:
        return sentence
    # Too long: keep a window centred on the span so the marker itself stays in view.
    centre = (max(start, s) - s + min(end, e) - s) // 2
    half = (MAX_CONTEXT_CHARS - 2) // 2
    lo = max(0, min(centre - half, len(sentence) - (MAX_CONTEXT_CHARS - 2)))
    cut = sentence[lo : lo + MAX_CONTEXT_CHARS - 2]
    prefix = "…" if lo > 0 else ""
    suffix = "…" if lo + len(cut) < len(sentence) else ""
    return (prefix + cut + suffix)[:MAX_CONTEXT_CHARS]


def _is_boundary(text: str, i: int, limit: int) -> int:
    """If a sentence ends with the terminator at `i`, the offset just past it (closers included).

    Returns -1 when text[i] does not end a sentence: no terminator, no space after it, or an
    abbreviation such as "Dr." or "U.S.".
    """
    if text[i] not in _TERMINATORS:
        return -1
    j = i + 1
    while j < limit:
        # Closing quotes, further stops and footnote markers ("claim.”¹²", "claim.[3]") still
        # belong to the sentence the stop ends.
        if text[j] in _TERMINATORS or text[j] in _CLOSERS or text[j] in _SUPERSCRIPTS:
            j += 1
        elif text[j] == "[" and (m := _BRACKET_MARK.match(text, j, limit)):
            j = m.end()
        else:
            break
    if j < limit and not text[j].isspace():
        return -1
    if text[i] == ".":
        k = i
        while k > 0 and (text[k - 1].isalpha() or text[k - 1] == "."):
            k -= 1
        word = text[k:i].lower()
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha() and text[k].isupper()):
            return -1
    return j


def _sentence_start(text: str, left: int, start: int) -> int:
    # Walk back from the span to the nearest terminator that ends an earlier sentence. A stop
    # glued to the span ("superior.¹") is not followed by a space, so it is not taken.
    i = start - 1
    while i >= left:
        if text[i] in _TERMINATORS:
            after = _is_boundary(text, i, start)
            if after != -1 and after < start:
                return after
        i -= 1
    return left


def _ends_sentence_before(text: str, start: int, floor: int) -> bool:
    """True when the span follows a sentence's last character ("superior.¹", "when.”¹"), its
    own opening bracket aside ("repairs.[¹]", "repairs.[^2]")."""
    i = start - 1
    if i >= floor and text[i] == "^":
        i -= 1
    if i >= floor and text[i] == "[":
        i -= 1
    while i >= floor and text[i] in _CLOSERS:
        i -= 1
    return i >= floor and text[i] in _TERMINATORS


def _sentence_end(text: str, end: int, right: int) -> int:
    i = end
    while i < right:
        if text[i] in _TERMINATORS:
            after = _is_boundary(text, i, right)
            if after != -1:
                return after
        i += 1
    return right
