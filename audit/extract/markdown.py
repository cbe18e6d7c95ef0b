"""The Markdown loader: a CommonMark parse (markdown-it-py) turned into citations with exact places.

markdown-it gives block tokens a 0-based line map but no columns, and inline tokens nothing at
all. Lines come from the parent block's map plus the soft/hard breaks before a child (as measured
in TOOLING.md, Q4); columns come from finding each text token's content in its source line,
moving a cursor along the line so repeated words land on the right occurrence.

What is read: inline, reference-style, autolinks and bare URLs (linkify); `[^n]` footnotes with
their definitions (parsed as references); front matter; markers pasted as plain text (¹, [3],
<sup>3</sup>); a "Notes"/"References" section written as a list or as `[1] ...` lines;
provenance lines; attributions; `<!-- citeaudit: ignore RULE -->` suppressions. Pure; bad input
never raises.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from markdown_it import MarkdownIt, helpers
from markdown_it.common.utils import unescapeAll
from markdown_it.helpers import parseLinkDestination
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from audit.dates import parse_date
from audit.extract.attribution import (
    AttributionHit,
    find_attributions,
    links_own_site,
    site_labels,
)
from audit.extract.clutter import COMMENT, EMAIL, FURTHER, IMAGE, ignore_reason
from audit.extract.common import DocumentBuilder, footnote_id, further_urls
from audit.extract.context import sentence_at, sentence_bounds
from audit.extract.frontmatter import read_front_matter
from audit.extract.markers import scan_markers, split_stacked
from audit.extract.refstring import parse_reference
from audit.model import CitationKind, DocFormat, ExtractedDocument, Mark, Reference

_NEWLINES = re.compile(r"\r\n?")
_SUPPRESS = re.compile(r"<!--\s*citeaudit:\s*ignore\s+(?P<rules>[^>]*?)\s*-->", re.IGNORECASE)
_SUP_OPEN = re.compile(r"^<sup(?:\s[^>]*)?>$", re.IGNORECASE)
_SUP_CLOSE = re.compile(r"^</sup\s*>$", re.IGNORECASE)
_SUP_LABELS = re.compile(r"^[\[(]?\s*(\d{1,4}(?:\s*[,;]\s*\d{1,4}){0,20})\s*[\])]?$")
_NOTE_NUMBER = re.compile(r"\d{1,4}")
_HTML_HREF = re.compile(r"""^<a\s[^>]*?href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_HTML_A_CLOSE = re.compile(r"^</a\s*>$", re.IGNORECASE)

NOTES_HEADING = re.compile(
    r"^\s*(?:foot\s?notes|end\s?notes|notes|references|sources|works cited|bibliography|"
    r"notes and references|sources and notes|notes and sources|sources and references|"
    r"citations)\s*:?\s*$",
    re.IGNORECASE,
)
"""A heading (or a paragraph on its own) that opens the notes section."""

COMMENTS_HEADING = re.compile(
    r"^\s*(?:\d+\s+)?(?:comments?|responses?|replies|reader comments|leave a (?:reply|comment)|"
    r"join the (?:discussion|conversation)|discussion)\s*:?\s*$",
    re.IGNORECASE,
)
"""A heading that opens a reader-comment thread: links below it are not citations."""

ENTRY_NUMBER = re.compile(
    r"^\s*(?:\[(?P<a>\d{1,4})\]|\((?P<b>\d{1,4})\)|(?P<c>\d{1,4})[.)](?=\s)|\^?(?P<d>[⁰¹²³⁴⁵⁶⁷⁸⁹]+))"
    r"\s*:?\s*"
)
"""The number a notes entry opens with: `[1]`, `(1)`, `1.`, `1)` or a superscript."""

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_TO_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_NUMBERED_PAIR = re.compile(r"\]\[(\d{1,4})\]")
"""After a link's text "3": the `][4]` of `[3][4]`."""
_BARE_HOST = re.compile(r"(?![a-z][a-z0-9+.-]*://|www\.)[\w.-]+\.[\w-]+/?", re.IGNORECASE)
"""What linkify makes a link of without a scheme, "www." or a path: a file or site name."""


def sup_numbers(inside: str) -> list[tuple[int, int, str]]:
    """The note numbers a `<sup>` holds ("3", "[3]", "2,3", "(4; 7)", "¹"), as (start, end,
    label) offsets into `inside`; none when it holds anything else (a power, an ordinal)."""
    text = inside.translate(_SUPERSCRIPTS)  # one character for one: offsets stay valid
    if _SUP_LABELS.match(text.strip()) is None:
        return []
    return [(m.start(), m.end(), str(int(m.group()))) for m in _NOTE_NUMBER.finditer(text)]


_PLAIN_LINK = re.compile(
    r"https?://[a-z0-9.-]+(?::[0-9]{1,5})?"
    r"(?:[/?#](?:[A-Za-z0-9;/?:@&=+$,_.!~*'()#-]|%[0-9A-Fa-f]{2})*)?"
)
"""An http(s) URL with a lower-case ASCII host and nothing that markdown-it-py's link
normaliser would change: no character it percent-encodes, no "%" outside an escape."""


_PAREN = re.compile(r"[()]")
_PLAIN_DESTINATION = re.compile(r"[^\x00-\x20\x7f\\()]+")
"""A link destination with nothing markdown-it-py's parser must walk through character by
character: no space, control character, backslash or parenthesis."""


def _link_destination(string: str, pos: int, maximum: int) -> Any:
    """markdown-it-py's `parseLinkDestination`, by one search where the destination is plain.

    The library reads a destination one character at a time (~5 µs a link). A run of plain
    characters that ends where the library would stop (a space, a control character, `)` or
    the end) is the same destination; `<...>`, nested parentheses and escapes go to it.
    """
    m = _PLAIN_DESTINATION.match(string, pos, maximum)
    if m is None or string[pos] == "<":
        return parseLinkDestination(string, pos, maximum)
    end = m.end()
    if end < maximum and string[end] in "(\\":
        return parseLinkDestination(string, pos, maximum)
    result = parseLinkDestination(string, pos, pos)  # the library's (empty) result object
    result.ok, result.pos, result.str = True, end, unescapeAll(m.group())
    return result


_HELPERS = SimpleNamespace(
    parseLinkLabel=helpers.parseLinkLabel,
    parseLinkDestination=_link_destination,
    parseLinkTitle=helpers.parseLinkTitle,
)


class _Parser(MarkdownIt):
    def normalizeLink(self, url: str) -> str:
        # The normaliser parses, re-encodes and rebuilds every link (~20 µs each, a fifth of
        # reading a link): the first request waits for it. Nearly every cited URL is plain
        # and comes back as written; the rest still go through it.
        if _PLAIN_LINK.fullmatch(url):
            return url
        return super().normalizeLink(url)


def _parser(*, linkify: bool = True) -> MarkdownIt:
    md = _Parser("commonmark", {"linkify": linkify})
    md.helpers = _HELPERS  # type: ignore[assignment]  # ours, not the library's module patched
    if linkify:
        md.enable("linkify")
    md.use(front_matter_plugin).use(footnote_plugin)
    return md


_MD = _parser()
_MD_WITHOUT_LINKIFY = _parser(linkify=False)
"""For the rare text on which markdown-it-py's linkify rule stalls (a fuzzed `.[http://w://`):
the article is still read, with bare URLs left as text."""


def _parse(source: str, env: dict[str, Any]) -> list[Token]:
    try:
        return _MD.parse(source, env)
    except RuntimeError:
        # markdown-it-py raises "inline rule didn't increment state.pos" when linkify stops
        # without consuming anything; losing bare-URL links beats losing the whole article.
        env.clear()
        return _MD_WITHOUT_LINKIFY.parse(source, env)


# --------------------------------------------------------------------------------------------
# One inline run (a paragraph, heading or list-item paragraph) as plain text with places


@dataclass(slots=True)
class Link:
    """A link in a run: offsets into the run's text, its target and where it starts."""

    start: int
    end: int
    href: str
    line: int
    column: int
    auto: bool
    """True for autolinks and bare URLs, whose text is the URL itself."""


@dataclass(slots=True)
class Marker:
    """An explicit marker (`[^n]`, `<sup>n</sup>`): offsets into the run's text and its place."""

    start: int
    end: int
    label: str
    line: int
    column: int


@dataclass(slots=True)
class Run:
    """The plain text of one inline token and the means to turn its offsets into places."""

    line: int
    """1-based line of the run's first character."""
    text: str = ""
    links: list[Link] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    breaks: list[int] = field(default_factory=list)
    """Offsets of the spaces that stand for a line break in the source."""
    comments: list[tuple[int, str]] = field(default_factory=list)
    """(1-based line, comment text) of inline HTML comments."""
    cited_by: str | None = None
    """A citation id for the run as a whole (text inside an HTML `<blockquote cite>`)."""
    titles: list[tuple[int, int]] = field(default_factory=list)
    """Offsets of text marked as the title of a work (HTML `<cite>` in a notes entry)."""
    code: list[tuple[int, int]] = field(default_factory=list)
    """Offsets of text shown as code (HTML `<code>`, `<pre>`): a URL written out there is an
    example of an address, not a source (Markdown's code is not searched for URLs at all)."""
    _seg_starts: list[int] = field(default_factory=list)
    _seg_places: list[tuple[int, int]] = field(default_factory=list)

    def place(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) in the source of the run's character at `offset`."""
        i = bisect.bisect_right(self._seg_starts, offset) - 1
        if i < 0:
            return self.line, 1
        line, col0 = self._seg_places[i]
        return line, col0 + (offset - self._seg_starts[i]) + 1

    def line_of(self, offset: int) -> int:
        """1-based source line of the run's character at `offset`."""
        return self.line + bisect.bisect_right(self.breaks, offset - 1)


class _RunReader:
    """Walks one inline token's children, building a Run and tracking the source cursor."""

    def __init__(
        self,
        lines: Sequence[str],
        line0: int,
        inline_notes: dict[int, tuple[int, int]] | None = None,
        cursor: int = 0,
        references: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self.lines = lines
        self.line0 = line0
        self.cursor = cursor
        self.references = references or {}
        """The document's link reference definitions, by markdown-it's normalised label."""
        self.inline_notes = inline_notes
        """Where each inline note's text starts (0-based line and column), by note id."""
        self.run = Run(line=line0 + 1)
        self.parts: list[str] = []
        self.length = 0
        self.open_link: tuple[int, str, int, int, bool] | None = None
        self.open_sup: tuple[int, int, int] | None = None

    @property
    def src(self) -> str:
        return self.lines[self.line0] if 0 <= self.line0 < len(self.lines) else ""

    def find(self, needle: str) -> int:
        """Column (0-based) of `needle` at or after the cursor on this line, or -1."""
        if not needle:
            return -1
        return self.src.find(needle, self.cursor)

    def emit(self, content: str, col0: int | None) -> None:
        if not content:
            return
        self.run._seg_starts.append(self.length)
        self.run._seg_places.append((self.line0 + 1, self.cursor if col0 is None else col0))
        self.parts.append(content)
        self.length += len(content)

    def text(self, content: str) -> None:
        pos = self.find(content)
        if pos >= 0:
            self.emit(content, pos)
            self.cursor = pos + len(content)
        else:
            # Escapes and entities ("\[", "&amp;") make the content differ from the source:
            # keep the cursor as the best estimate rather than jumping to a wrong match.
            self.emit(content, None)

    def newline(self) -> None:
        self.run.breaks.append(self.length)
        self.emit(" ", len(self.src))
        self.line0 += 1
        self.cursor = 0

    def _inline_note(self, tok: Token) -> None:
        """`^[note text]`: a marker here, the note's text read later as its definition."""
        note_id = int(tok.meta.get("id", 0))
        label = inline_note_label(note_id)
        pos = self.find("^[")
        col0 = pos if pos >= 0 else self.cursor
        needle = "^[…]"  # the note's words are not part of the sentence that cites it
        self.run.markers.append(
            Marker(self.length, self.length + len(needle), label, self.line0 + 1, col0 + 1)
        )
        self.emit(needle, col0)
        if pos < 0:
            return
        if self.inline_notes is not None:
            self.inline_notes.setdefault(note_id, (self.line0, pos + 2))
        depth, i, src = 0, pos + 1, self.src
        while i < len(src):  # past the closing bracket, when it is on this line
            depth += {"[": 1, "]": -1}.get(src[i], 0)
            i += 1
            if depth == 0:
                self.cursor = i
                break

    def skip_destination(self) -> None:
        """Move the cursor past `](dest "title")` or `][ref]` after a link's text."""
        src, i = self.src, self.cursor
        while i < len(src) and src[i] in "*_`":
            i += 1
        if i >= len(src) or src[i] != "]":
            return
        i += 1
        if i < len(src) and src[i] == "(":
            depth = 0
            # From parenthesis to parenthesis: a URL between them is skipped in one search.
            for paren in _PAREN.finditer(src, i):
                depth += 1 if paren.group() == "(" else -1
                if depth == 0:
                    i = paren.end()
                    break
            else:
                i = len(src)
        elif i < len(src) and src[i] == "[":
            close = src.find("]", i)
            i = close + 1 if close >= 0 else i
        self.cursor = i

    def child(self, tok: Token) -> None:
        kind = tok.type
        if kind == "text":
            self.text(tok.content)
        elif kind in ("softbreak", "hardbreak"):
            self.newline()
        elif kind == "code_inline":
            pos = self.find(tok.content)
            self.emit(tok.content, pos if pos >= 0 else None)
            if pos >= 0:
                self.cursor = pos + len(tok.content) + len(tok.markup)
        elif kind == "footnote_ref" and tok.meta and tok.meta.get("label") is None:
            self._inline_note(tok)
        elif kind == "footnote_ref":
            label = str(tok.meta.get("label", "")) if tok.meta else ""
            needle = f"[^{label}]"
            pos = self.find(needle)
            col0 = pos if pos >= 0 else self.cursor
            self.run.markers.append(
                Marker(self.length, self.length + len(needle), label, self.line0 + 1, col0 + 1)
            )
            self.emit(needle, col0)
            self.cursor = col0 + len(needle)
        elif kind == "link_open":
            self._link_open(tok)
        elif kind == "link_close":
            self._link_close(tok)
        elif kind == "image":
            pos = self.find("![")
            if pos >= 0:
                self.cursor = pos + 2 + len(tok.content)
                self.skip_destination()
        elif kind == "html_inline":
            self._html(tok.content)
        elif kind in ("em_open", "em_close", "strong_open", "strong_close"):
            pos = self.find(tok.markup)
            if pos >= 0:
                self.cursor = pos + len(tok.markup)
        elif tok.content and kind != "footnote_anchor":
            self.text(tok.content)

    def _link_open(self, tok: Token) -> None:
        href = str(tok.attrs.get("href", "") or "")
        auto = tok.markup in ("autolink", "linkify")
        col1 = 0
        if tok.markup == "autolink":
            pos = self.find("<")
            if pos >= 0:
                col1, self.cursor = pos + 1, pos + 1
        elif tok.markup != "linkify":
            pos = self.find("[")
            if pos >= 0:
                col1, self.cursor = pos + 1, pos + 1
        self.open_link = (self.length, href, self.line0 + 1, col1, auto)

    def _link_close(self, tok: Token) -> None:
        if self.open_link is None:
            return
        start, href, line, col1, auto = self.open_link
        self.open_link = None
        if tok.markup == "linkify" and _BARE_HOST.fullmatch(self._text_since(start)):
            return  # "timeline.md", "example.com": a name in the prose, not a link to check
        if not col1:
            line, col1 = self.run.place(start) if self.length > start else (line, self.cursor + 1)
        pair = self._numbered_pair(start) if tok.markup not in ("autolink", "linkify") else None
        if pair is not None:
            href = pair[0]
        self.run.links.append(Link(start, self.length, href, line, col1, auto))
        if tok.markup == "autolink":
            pos = self.find(">")
            if pos >= 0:
                self.cursor = pos + 1
        elif tok.markup != "linkify":
            self.skip_destination()
            if pair is not None:
                self._second_of_pair(pair[1], pair[2])

    def _numbered_pair(self, start: int) -> tuple[str, str, str] | None:
        """`[3][4]` with both numbers defined (`[3]: https://…`): two citations side by side.

        Markdown reads it as the text "3" linked to definition 4, losing 3's link; a writer
        numbering links that way means notes 3 and 4. Gives (3's URL, "4", 4's URL).
        """
        m = _NUMBERED_PAIR.match(self.src, self.cursor)
        if m is None:
            return None
        text = self._text_since(start)
        if not text.isdigit() or text == m.group(1):
            return None
        first, second = self.references.get(text), self.references.get(m.group(1))
        if not first or not second:
            return None
        return str(first.get("href", "")), m.group(1), str(second.get("href", ""))

    def _second_of_pair(self, label: str, href: str) -> None:
        """The second number of a `[3][4]` pair, just read past: a link of its own."""
        col0 = self.cursor - len(label) - 1  # of the number; its "[" is one before
        self.emit(" ", col0 - 1)
        start = self.length
        self.emit(label, col0)
        # Placed at its "[", as the first number's link is.
        self.run.links.append(Link(start, self.length, href, self.line0 + 1, col0, False))

    def _html(self, content: str) -> None:
        pos = self.find(content)
        col0 = pos if pos >= 0 else self.cursor
        if pos >= 0:
            self.cursor = pos + len(content)
        if content.startswith("<!--"):
            self.run.comments.append((self.line0 + 1, content))
        elif _SUP_OPEN.match(content):
            self.open_sup = (self.length, self.line0 + 1, col0 + 1)
        elif _SUP_CLOSE.match(content) and self.open_sup is not None:
            start, line, col1 = self.open_sup
            self.open_sup = None
            numbers = sup_numbers(self._text_since(start))
            for lo, hi, label in numbers:
                # One number fills the whole <sup>; in "2,3" each number is its own marker.
                span = (start, self.length) if len(numbers) == 1 else (start + lo, start + hi)
                self.run.markers.append(Marker(*span, label, line, col1))
            if numbers:
                self._superscript_since(start)
        elif (m := _HTML_HREF.match(content)) is not None:
            href = next((g for g in m.groups() if g is not None), "")
            self.open_link = (self.length, href, self.line0 + 1, col0 + 1, False)
        elif _HTML_A_CLOSE.match(content) and self.open_link is not None:
            start, href, line, col1, auto = self.open_link
            self.open_link = None
            self.run.links.append(Link(start, self.length, href, line, col1, auto))

    def _text_since(self, start: int) -> str:
        """The text emitted from offset `start` on (walking back only over those parts)."""
        pieces: list[str] = []
        pos = self.length
        for part in reversed(self.parts):
            if pos <= start:
                break
            pos -= len(part)
            pieces.append(part[max(start - pos, 0) :])
        return "".join(reversed(pieces))

    def _superscript_since(self, start: int) -> None:
        """Show a marker's digits as superscripts ("claim.¹"), as the HTML reader does, so a
        sentence ends at the stop before them in both formats (offsets are unchanged)."""
        pos = self.length
        for i in range(len(self.parts) - 1, -1, -1):
            if pos <= start:
                break
            part = self.parts[i]
            pos -= len(part)
            cut = max(start - pos, 0)
            self.parts[i] = part[:cut] + part[cut:].translate(_TO_SUPERSCRIPTS)

    def finish(self) -> Run:
        self.run.text = "".join(self.parts)
        return self.run


def read_run(
    tok: Token,
    lines: Sequence[str],
    inline_notes: dict[int, tuple[int, int]] | None = None,
    start: tuple[int, int] | None = None,
    references: Mapping[str, Mapping[str, Any]] | None = None,
) -> Run:
    """The plain text, links and markers of one `inline` token, with source places.

    `inline_notes` collects where each `^[inline note]` met in the run starts; `start` is that
    place for the run of an inline note itself, which markdown-it gives no line of its own.
    """
    line0, cursor = start if start is not None else (tok.map[0] if tok.map else 0, 0)
    reader = _RunReader(lines, line0, inline_notes, cursor, references)
    for child in tok.children or ():
        reader.child(child)
    return reader.finish()


def inline_note_label(note_id: int) -> str:
    """The label of an `^[inline note]`: its place among all the notes, as Pandoc numbers it."""
    return f"inline-{note_id + 1}"


# --------------------------------------------------------------------------------------------
# Blocks: each run with the structure around it


@dataclass(slots=True)
class Block:
    """One run and where it sits: heading level, footnote definition, list item."""

    run: Run
    heading: int = 0
    footnote: str | None = None
    """The label of the `[^label]:` definition this run belongs to."""
    item: tuple[int, int, str] | None = None
    """(list serial, item ordinal, item number or "") of the outermost list item around it."""
    ordered: bool = False
    after_rule: bool = False
    """The first run after a thematic break (`---`): the notes, if any, ended before it."""


def read_blocks(
    tokens: Sequence[Token],
    lines: Sequence[str],
    references: Mapping[str, Mapping[str, Any]] | None = None,
) -> tuple[list[Block], list[tuple[int, str]]]:
    """Every inline run in document order with its structure, and the lines of HTML comments.

    The second value lists (line, text) of HTML blocks that are comments, for suppressions.
    """
    blocks: list[Block] = []
    heading = 0
    footnote: str | None = None
    list_serial = 0
    list_stack: list[tuple[int, bool]] = []
    item_stack: list[tuple[int, int, str]] = []
    ordinals: dict[int, int] = {}
    comment_lines: list[tuple[int, str]] = []
    rule = False
    inline_notes: dict[int, tuple[int, int]] = {}
    inline_id: int | None = None
    for tok in tokens:
        kind = tok.type
        if kind == "hr":
            rule = True
        elif kind == "heading_open":
            heading = int(tok.tag[1:]) if tok.tag[1:].isdigit() else 1
        elif kind == "heading_close":
            heading = 0
        elif kind == "footnote_open":
            label = tok.meta.get("label") if tok.meta else ""
            note_id = tok.meta.get("id") if tok.meta else None
            inline_id = note_id if label is None and isinstance(note_id, int) else None
            footnote = str(label) if inline_id is None else inline_note_label(inline_id)
        elif kind == "footnote_close":
            footnote, inline_id = None, None
        elif kind in ("bullet_list_open", "ordered_list_open"):
            list_serial += 1
            list_stack.append((list_serial, kind == "ordered_list_open"))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            if list_stack:
                list_stack.pop()
        elif kind == "list_item_open" and list_stack:
            serial = list_stack[-1][0]
            ordinals[serial] = ordinals.get(serial, 0) + 1
            item_stack.append((serial, ordinals[serial], tok.info or ""))
        elif kind == "list_item_close" and item_stack:
            item_stack.pop()
        elif kind == "html_block" and tok.map and "<!--" in tok.content:
            comment_lines.append((tok.map[0] + 1, tok.content))
        elif kind == "inline":
            start = inline_notes.get(inline_id) if inline_id is not None and not tok.map else None
            run = read_run(tok, lines, inline_notes, start, references)
            item = item_stack[0] if item_stack else None
            ordered = bool(list_stack) and list_stack[0][1]
            blocks.append(Block(run, heading, footnote, item, ordered, rule))
            rule = False
    return blocks, comment_lines


def parse_tokens(source: str) -> tuple[list[Token], dict[str, Any]]:
    """Parse normalised Markdown; footnote definitions nobody cites are kept too.

    The footnote plugin drops a definition that no `[^label]` refers to. Those are exactly what
    the entry-never-cited rule needs, so a second parse appends one reference per dropped label
    after the text: every original line keeps its number, and the extra line is ignored later.
    """
    env: dict[str, Any] = {}
    tokens = _parse(source, env)
    refs = env.get("footnotes", {}).get("refs", {})
    unused = [key[1:] for key, value in refs.items() if value == -1]
    if unused:
        extra = " ".join(f"[^{label}]" for label in unused)
        env = {}
        tokens = _parse(f"{source}\n\n{extra}\n", env)
    return tokens, env


def normalise(text: str) -> str:
    """The text as markdown-it sees it: CR/CRLF to LF, NUL to U+FFFD (lines stay the same)."""
    return _NEWLINES.sub("\n", text).replace("\0", "\ufffd")


def suppressions_in(
    lines: Sequence[str], comments: Sequence[tuple[int, str]]
) -> list[tuple[int, str]]:
    """(line of the next non-blank line, selector) for each `citeaudit: ignore` comment."""
    out: list[tuple[int, str]] = []
    for line, content in comments:
        for m in _SUPPRESS.finditer(content):
            end_line = line + content.count("\n", 0, m.end())
            target = _next_nonblank(lines, end_line, content[m.end() :])
            selectors = re.split(r"[\s,]+", m.group("rules"))
            out.extend((target, selector) for selector in selectors if selector)
    return out


def _next_nonblank(lines: Sequence[str], line: int, rest: str) -> int:
    """The 1-based line after a comment ending on `line` that has text (the comment's own line
    when text follows the comment on it)."""
    if rest.split("\n", 1)[0].strip():
        return line
    for index in range(line, len(lines)):
        if lines[index].strip():
            return index + 1
    return line


# --------------------------------------------------------------------------------------------
# Sections: body, notes entries, reader comments


@dataclass(slots=True)
class EntryDraft:
    """A notes entry being collected: its label and the stretches of runs that make it up."""

    label: str
    numbered: bool
    line: int
    column: int
    parts: list[tuple[Run, int, int]] = field(default_factory=list)
    definition: bool = False
    """A `[^label]:` footnote definition, not an entry of a notes list."""


@dataclass(slots=True)
class Sections:
    """The blocks sorted into body text, notes entries and reader comments."""

    body: list[Block] = field(default_factory=list)
    entries: list[EntryDraft] = field(default_factory=list)
    comments: list[Block] = field(default_factory=list)
    headings: list[Block] = field(default_factory=list)
    """Notes and comment headings themselves (kept as paragraphs, not body)."""


def sort_blocks(blocks: Sequence[Block], lines: Sequence[str], last_line: int) -> Sections:
    """Sort runs into body, notes entries and comments (the notes end where entries stop)."""
    out = Sections()
    footnote_lines = sorted(b.run.line for b in blocks if b.footnote is not None)
    by_label: dict[str, EntryDraft] = {}
    mode = "body"
    mode_level = 0
    notes_line = 0
    item_entries: dict[tuple[int, int], EntryDraft] = {}
    for block in blocks:
        run = block.run
        if block.footnote is not None:
            draft = by_label.get(block.footnote)
            if draft is None:
                line = run.line
                col = _column_of(lines, line, f"[^{block.footnote}]:")
                if block.footnote.startswith("inline-") and run._seg_places:
                    col = run._seg_places[0][1] + 1  # `^[` is written in the text itself
                draft = EntryDraft(block.footnote, True, line, col, definition=True)
                by_label[block.footnote] = draft
                out.entries.append(draft)
            draft.parts.append((run, 0, len(run.text)))
            continue
        if run.line > last_line:
            continue  # the references added by parse_tokens, not the writer's text
        stripped = run.text.strip()
        if block.heading:
            if NOTES_HEADING.match(stripped):
                mode, mode_level, notes_line = "notes", block.heading, run.line
                out.headings.append(block)
                continue
            if COMMENTS_HEADING.match(stripped):
                mode, mode_level = "comments", block.heading
                out.headings.append(block)
                continue
            if mode == "comments" and block.heading > mode_level:
                out.comments.append(block)
                continue
            mode = "body"
        elif (
            mode == "body"
            and block.item is None
            and len(stripped) < 40
            and NOTES_HEADING.match(stripped.strip("*_# "))
        ):
            mode, mode_level, notes_line = "notes", 0, run.line
            out.headings.append(block)
            continue
        if mode == "notes" and block.after_rule:
            mode = "body"  # "---" then a bio or a sign-off: not one more note
        if mode == "notes":
            defs_between = bisect.bisect_left(footnote_lines, run.line) - bisect.bisect_right(
                footnote_lines, notes_line
            )
            if defs_between == 0 and _take_entry(block, item_entries, out.entries):
                continue
            mode = "body"
        if mode == "comments":
            out.comments.append(block)
        else:
            out.body.append(block)
    return out


def _take_entry(
    block: Block, item_entries: dict[tuple[int, int], EntryDraft], entries: list[EntryDraft]
) -> bool:
    """Add `block` to the notes entries when it reads as one; False ends the notes section."""
    run = block.run
    if block.item is not None:
        serial, ordinal, number = block.item
        key = (serial, ordinal)
        draft = item_entries.get(key)
        if draft is None:
            start, label, numbered = _entry_label(run.text, 0, number if block.ordered else "")
            if not label:
                label, numbered = str(len(entries) + 1), False
            line, col = run.place(start)
            draft = EntryDraft(label, numbered, line, col)
            item_entries[key] = draft
            entries.append(draft)
            draft.parts.append((run, start, len(run.text)))
        else:
            draft.parts.append((run, 0, len(run.text)))
        return True
    # A paragraph: `[1] ...` lines (one entry per numbered line), or one unnumbered entry with
    # a link in it. Anything else is the end of the notes ("Comments (3)", a bio, a new topic).
    bounds = [0, *(b + 1 for b in run.breaks), len(run.text) + 1]
    pieces = [(bounds[i], bounds[i + 1] - 1) for i in range(len(bounds) - 1)]
    numbered_lines = [_entry_label(run.text, s, "") for s, _ in pieces]
    if numbered_lines[0][1]:
        current: EntryDraft | None = None
        for (start, end), (text_start, label, _) in zip(pieces, numbered_lines, strict=True):
            if label:
                line, col = run.place(text_start)
                current = EntryDraft(label, True, line, col)
                entries.append(current)
                current.parts.append((run, text_start, end))
            elif current is not None:
                current.parts.append((run, start, end))
        return True
    if run.links or "http" in run.text or "www." in run.text:
        line, col = run.place(0)
        draft = EntryDraft(str(len(entries) + 1), False, line, col)
        draft.parts.append((run, 0, len(run.text)))
        entries.append(draft)
        return True
    return False


def _entry_label(text: str, start: int, number: str) -> tuple[int, str, bool]:
    """(offset where the entry's text starts, label, numbered) for text beginning at `start`."""
    m = ENTRY_NUMBER.match(text, start)
    if m is not None:
        digits = next(g for g in m.group("a", "b", "c", "d") if g is not None)
        return m.end(), str(int(digits.translate(_SUPERSCRIPTS))), True
    if number.isdigit():
        return start, str(int(number)), True
    return start, "", False


def _column_of(lines: Sequence[str], line: int, needle: str) -> int:
    if 1 <= line <= len(lines):
        pos = lines[line - 1].find(needle)
        if pos >= 0:
            return pos + 1
    return 1


# --------------------------------------------------------------------------------------------
# Assembly (shared with the HTML loader, which builds the same Runs and EntryDrafts)

PROVENANCE = re.compile(
    r"^\s*(?:sources?\b|via\b|originally published(?: (?:at|in|on|by))?|"
    r"first published(?: (?:at|in|on|by))?|republished (?:from|with permission from)|"
    r"this (?:article|piece|story|essay|post|commentary) (?:was )?(?:originally|first) "
    r"(?:appeared|published|ran)(?: (?:at|in|on|by))?)\s*[:\-–—]?\s*",
    re.IGNORECASE,
)
"""A line naming where the piece ran: `Source: URL`, `Originally published at ...`."""

_MAX_PROVENANCE_CHARS = 400
"""A "Source: ..." paragraph longer than this is prose that starts with the word, not a line."""

_ANCHOR_MARKER = re.compile(r"^#(?:fn|footnote|note|endnote|ref|cite[_-]?note)[-_:]?\w*$", re.I)


def footnote_anchor_label(href: str, text: str) -> str | None:
    """The label of an in-page link to a note (`#fn3` with text "3" or "[3]"), else None."""
    if not _ANCHOR_MARKER.match(href):
        return None
    digits = text.strip().strip("[]()").translate(_SUPERSCRIPTS).strip()
    if digits.isdigit() and len(digits) <= 4:
        return str(int(digits))
    tail = re.search(r"(\d{1,4})$", href)
    return str(int(tail.group(1))) if tail and not digits else None


def visible_line(run: Run, offset: int) -> str:
    """The source line's worth of a run's text around `offset` (for clutter heuristics)."""
    i = bisect.bisect_right(run.breaks, offset - 1)
    start = run.breaks[i - 1] + 1 if i > 0 else 0
    end = run.breaks[i] if i < len(run.breaks) else len(run.text)
    return run.text[start:end]


def entry_reference(draft: EntryDraft) -> tuple[str, Reference]:
    """The raw text of a notes entry and its parsed reference, the first link's URL included."""
    texts: list[str] = []
    url: str | None = None
    link_text: str | None = None
    for run, start, end in draft.parts:
        texts.append(run.text[start:end].strip())
        if url is None:
            for link in run.links:
                if start <= link.start < max(end, start + 1) and not link.href.startswith("#"):
                    url = link.href.strip()
                    link_text = None if link.auto else run.text[link.start : link.end]
                    break
    raw = " ".join(t for t in texts if t)
    cited = next(
        (
            run.text[a:b]
            for run, start, end in draft.parts
            for a, b in run.titles
            if start <= a < end
        ),
        None,
    )
    if cited:
        link_text = cited  # `<cite>` says which words are the title; a link's text only suggests
    # A Markdown/HTML link hides its URL behind the title: append it, so the parser sees the
    # usual "..., Title, date, URL" shape.
    if url and url not in raw:
        raw = f"{raw} {url}".strip()
    try:
        reference = parse_reference(raw, link_text)
    except Exception:  # the parser promises not to raise; one entry must never cost the document
        reference = Reference(raw=raw)
    if url and reference.url is None:
        reference = _with_url(reference, url)
    return raw, reference


def _with_url(ref: Reference, url: str) -> Reference:
    return Reference(
        ref.raw, ref.outlet, ref.authors, ref.title, ref.date, ref.date_precision, ref.accessed, url
    )


def add_entry(builder: DocumentBuilder, draft: EntryDraft) -> None:
    """Give one notes entry to the builder, with its in-notes paragraph (and its URLs besides
    the checked one, listed as set aside)."""
    raw, reference = entry_reference(draft)
    hrefs = [
        link.href.strip()
        for run, start, end in draft.parts
        for link in run.links
        if start <= link.start < max(end, start + 1)
    ]
    for url in further_urls(raw, reference.url, hrefs):
        builder.add_ignored(url, draft.line, FURTHER)
    cid = builder.add_footnote(
        draft.label,
        raw,
        draft.line,
        draft.column,
        reference,
        definition=draft.definition,
        numbered=draft.numbered,
    )
    builder.add_paragraph(draft.line, raw, (Mark(0, len(raw), cid),), in_notes=True)


def context_at(run: Run, start: int, end: int, rows: Sequence[int] | None = None) -> str:
    """The sentence around run.text[start:end]; in a pipe table (which the reader does not parse
    as one), the row it sits in: a table's "sentences" run across all its rows. `rows` is
    `table_rows(run)`, worked out once per run."""
    if not rows:
        return sentence_at(run.text, start, end)
    i = bisect.bisect_right(rows, start) - 1
    row_end = rows[i + 1] - 1 if i + 1 < len(rows) else len(run.text)
    return _SPACES.sub(" ", run.text[rows[i] : row_end]).strip()


def table_rows(run: Run) -> list[int] | None:
    """Where each line of the run starts, when every line is a pipe-table row; else None."""
    if not run.breaks:
        return None
    starts = [0, *(b + 1 for b in run.breaks)]
    ends = [*run.breaks, len(run.text)]
    if not all(run.text[a:b].lstrip().startswith("|") for a, b in zip(starts, ends, strict=True)):
        return None
    return starts


_SPACES = re.compile(r"\s+")


def add_body_run(
    builder: DocumentBuilder, run: Run, known: set[str], outlet_names: Sequence[str]
) -> None:
    """Give one run of body text to the builder: links, markers, provenance, attributions."""
    text = run.text
    rows = table_rows(run)
    marks: list[Mark] = []
    taken: list[tuple[int, int]] = []
    prov = PROVENANCE.match(text) if len(text) <= _MAX_PROVENANCE_CHARS else None
    prov_done = False
    for marker in run.markers:
        context = context_at(run, marker.start, marker.end, rows)
        cid = builder.add_marker_use(marker.label, marker.line, marker.column, context)
        marks.append(Mark(marker.start, marker.end, cid))
        taken.append((marker.start, marker.end))
    for link in run.links:
        href = link.href.strip()
        taken.append((link.start, link.end))
        context = context_at(run, link.start, link.end, rows)
        if href.startswith("#"):
            label = footnote_anchor_label(href, text[link.start : link.end])
            # `<sup><a href="#fn1">1</a></sup>` or the link around the `<sup>`: the superscript
            # is the marker already, not a second use of the note.
            seen = any(m.start < link.end and link.start < m.end for m in run.markers)
            if label is not None and not seen:
                cid = builder.add_marker_use(label, link.line, link.column, context)
                marks.append(Mark(link.start, link.end, cid))
            continue
        if not href:
            continue
        reason = ignore_reason(href, visible_line(run, link.start))
        if reason is None and not text[link.start : link.end].strip():
            # `[![](small.jpg)](big.jpg)`, `<a href="big.jpg"><img ...></a>`: no reader sees
            # words that cite anything; the link only enlarges the picture.
            reason = IMAGE
        if reason is not None:
            builder.add_ignored(href, link.line, reason)
            continue
        if prov is not None and not prov_done:
            prov_done = True
            raw = text[prov.end() :].strip()
            cid = builder.add_provenance(raw, link.line, link.column, context, url=href)
        else:
            label_text: str | None = text[link.start : link.end]
            if link.auto and "://" in (label_text or ""):
                label_text = None  # a bare URL written whole: the URL is its own text
            # A bare "www.example.com/x" keeps its text as written: the "http://" linkify put
            # before it is not the writer's, and insecure-link does not hold it against them.
            cid = builder.add_inline(href, link.line, link.column, context, label_text)
        marks.append(Mark(link.start, link.end, cid))
    listed: list[AttributionHit] = []
    if prov is not None and not prov_done and not run.links and prov.end() < len(text):
        raw = text[prov.end() :].strip()
        cue = prov.group().strip().lower().rstrip(":-–— ").strip()
        if cue in ("source", "sources"):
            # "Sources: Reuters, Associated Press": outlets named as the sources, without links.
            listed = find_attributions(text[prov.end() :], outlet_names, listed=True)
        for hit in listed:
            start, end = prov.end() + hit.start, prov.end() + hit.end
            line, col = run.place(start)
            context = sentence_at(text, 0, len(text))
            cid = builder.add_attribution(hit.outlet, line, col, context, text.strip())
            marks.append(Mark(start, end, cid))
        if raw and not listed:
            line, col = run.place(prov.end())
            cid = builder.add_provenance(raw, line, col, sentence_at(text, 0, len(text)))
            marks.append(Mark(prov.end(), len(text), cid))
    overlaps = _overlap_test(taken)
    for raw_marker in scan_markers(text):
        if overlaps(raw_marker.start, raw_marker.end):
            continue
        labels = (
            split_stacked(raw_marker.label, known)
            if raw_marker.style == "superscript"
            else [raw_marker.label]
        )
        context = context_at(run, raw_marker.start, raw_marker.end, rows)
        offset = raw_marker.start
        for label in labels:
            line, col = run.place(offset)
            cid = builder.add_marker_use(label, line, col, context)
            width = len(label) if len(labels) > 1 else raw_marker.end - raw_marker.start
            marks.append(Mark(offset, offset + width, cid))
            offset += width
        taken.append((raw_marker.start, raw_marker.end))
    hosts: frozenset[str] | None = None
    own: dict[str, bool] = {}  # by outlet: a long run names few outlets many times
    starts = sorted(a for a, _ in taken)  # searched, not scanned, for each outlet named
    for hit in () if listed else find_attributions(text, outlet_names):
        s, e = sentence_bounds(text, hit.start, hit.end)
        k = bisect.bisect_left(starts, s)
        if k < len(starts) and starts[k] < e:
            continue  # the sentence carries a link or a marker: the outlet is sourced
        if hosts is None:
            hosts = site_labels(k.href for k in run.links if not k.href.startswith("#"))
        if own.setdefault(hit.outlet, links_own_site(hit.outlet, hosts)):
            continue  # the paragraph links the outlet's own page
        line, col = run.place(hit.start)
        context = context_at(run, hit.start, hit.end, rows)
        cid = builder.add_attribution(hit.outlet, line, col, context, hit.phrase)
        marks.append(Mark(hit.start, hit.end, cid))
    if run.cited_by is not None:
        # The whole run is quoted from the cited page: mark it up to the first other mark, so
        # the report still shows the links and markers inside it.
        end = min((m.start for m in marks), default=len(text))
        if end > 0:
            marks.append(Mark(0, end, run.cited_by))
    builder.add_paragraph(run.line, text, marks)


def add_comment_run(builder: DocumentBuilder, run: Run) -> None:
    """Links in a reader comment are set aside, never cited."""
    for link in run.links:
        href = link.href.strip()
        if href and not href.startswith("#"):
            email = ignore_reason(href, "") == EMAIL
            builder.add_ignored(href, link.line, EMAIL if email else COMMENT)


def _overlap_test(spans: Sequence[tuple[int, int]]) -> Callable[[int, int], bool]:
    """A test of whether [start, end) overlaps any of `spans`, in logarithmic time per call.

    A run can hold tens of thousands of links and markers; a linear scan per marker made
    such a paragraph quadratic.
    """
    ordered = sorted(spans)
    starts = [s for s, _ in ordered]
    furthest: list[int] = []  # furthest[i]: the largest end among ordered[: i + 1]
    for _, e in ordered:
        furthest.append(max(e, furthest[-1]) if furthest else e)

    def overlaps(start: int, end: int) -> bool:
        before = bisect.bisect_left(starts, end)  # spans that start before `end`
        return before > 0 and furthest[before - 1] > start

    return overlaps


def iso_date(value: str | None) -> str | None:
    """An article date as written ("July 11, 2025", "2025-07-11") in ISO form, or None."""
    if not value:
        return None
    parsed = parse_date(value)
    return parsed.iso if parsed is not None else None


_HTML_NOTES = re.compile(
    r"<(?:ol|ul|div|section|aside|dl)\b[^>]*\b(?:class|id|role)\s*=\s*[\"']?[^\"'>]*"
    r"(?:footnote|endnote|notes\b|references|reflist|bibliography)"
    r"|<li\b[^>]*\bid\s*=\s*[\"']?(?:fn|footnote|note|endnote|cite[_-]?note)[-_:]?\w",
    re.IGNORECASE,
)
"""A block of raw HTML that holds notes: a footnotes list or its entries (`<li id="fn1">`)."""


@dataclass(frozen=True, slots=True)
class HtmlBlock:
    """A block of raw HTML in the Markdown, read by the HTML loader."""

    offset: int
    """Its first line's index: what to add to a line of `doc` to get the file's line."""
    doc: ExtractedDocument
    notes: bool
    """A list of notes: its entries answer the article's markers."""


def html_blocks(tokens: Sequence[Token], path: str, outlet_names: Sequence[str]) -> list[HtmlBlock]:
    """The blocks of raw HTML in the Markdown (a CMS export's notes, a paragraph or table with
    links), each read by the HTML loader; comments are left to the suppressions."""
    found: list[HtmlBlock] = []
    for tok in tokens:
        if tok.type != "html_block" or not tok.map or tok.content.lstrip().startswith("<!--"):
            continue
        from audit.extract.html import extract_html

        notes = _HTML_NOTES.search(tok.content) is not None
        doc = extract_html(path, tok.content, () if notes else outlet_names)
        if doc.citations or doc.markers or doc.ignored_links:
            found.append(HtmlBlock(tok.map[0], doc, notes))
    return found


def add_html_notes(builder: DocumentBuilder, block: HtmlBlock) -> None:
    """A raw HTML list of notes: its entries, at their lines in the file."""
    for c in block.doc.citations:
        if c.kind is CitationKind.FOOTNOTE and c.marker:
            line = block.offset + (c.entry_line or 1)
            builder.add_footnote(c.marker, c.reference.raw, line, c.entry_column or 1, c.reference)


def add_html_block(builder: DocumentBuilder, block: HtmlBlock) -> None:
    """A raw HTML block of body text: its markers, links and named outlets join the article's,
    at their lines in the file, and its paragraphs its text (marks pointing at the new ids)."""
    at = block.offset
    ids: dict[str, str] = {}
    for m in block.doc.markers:
        ids.setdefault(
            footnote_id(m.label), builder.add_marker_use(m.label, m.line + at, m.column, m.context)
        )
    for c in block.doc.citations:
        ref = c.reference
        for u in c.uses:
            if c.kind is CitationKind.INLINE and ref.url:
                cid = builder.add_inline(ref.url, u.line + at, u.column, u.context, ref.raw)
            elif c.kind is CitationKind.PROVENANCE:
                cid = builder.add_provenance(
                    ref.raw, u.line + at, u.column, u.context, ref.url, ref
                )
            elif c.kind is CitationKind.ATTRIBUTION and ref.outlet:
                cid = builder.add_attribution(ref.outlet, u.line + at, u.column, u.context, ref.raw)
            else:
                continue
            ids[c.id] = cid
    for link in block.doc.ignored_links:
        builder.add_ignored(link.url, link.line + at, link.reason)
    for para in block.doc.paragraphs:
        if not para.in_notes:
            marks = [
                Mark(
                    m.start, m.end, ids.get(m.citation_id, m.citation_id) if m.citation_id else None
                )
                for m in para.marks
            ]
            builder.add_paragraph(para.line + at, para.text, marks)


def extract_markdown(path: str, text: str, outlet_names: Sequence[str]) -> ExtractedDocument:
    """Extract every citation from a Markdown article (see the module docstring)."""
    source = normalise(text)
    lines = source.split("\n")
    front = read_front_matter(source)
    tokens, env = parse_tokens(source)
    blocks, html_comments = read_blocks(tokens, lines, env.get("references"))
    sections = sort_blocks(blocks, lines, len(lines))
    builder = DocumentBuilder(path, DocFormat.MARKDOWN)
    raw_html = html_blocks(tokens, path, outlet_names)
    # Stacked superscripts are split by the notes' labels, so the labels are known first; then
    # everything is handed over in reading order (the footnote plugin moves definitions last).
    known = {d.label for d in sections.entries} | {
        c.marker or "" for b in raw_html if b.notes for c in b.doc.citations
    }
    for draft in sections.entries:
        if draft.definition:
            # `[^2]` means the `[^2]:` definition, even after a "Sources" list's second bullet.
            builder.reserve_label(draft.label)
    order: list[tuple[int, int, EntryDraft | Block | HtmlBlock]] = [
        *((d.line, 0, d) for d in sections.entries),
        *((b.offset + 1, 0 if b.notes else 1, b) for b in raw_html),
        *((b.run.line, 1, b) for b in sections.body),
        *((b.run.line, 2, b) for b in sections.headings),
        *((b.run.line, 3, b) for b in sections.comments),
    ]
    for _line, kind, item in sorted(order, key=lambda o: (o[0], o[1])):
        if isinstance(item, EntryDraft):
            add_entry(builder, item)
        elif isinstance(item, HtmlBlock):
            (add_html_notes if item.notes else add_html_block)(builder, item)
        elif kind == 1:
            add_body_run(builder, item.run, known, outlet_names)
        elif kind == 2 and NOTES_HEADING.match(item.run.text.strip().strip("*_# ")):
            builder.add_paragraph(item.run.line, item.run.text, in_notes=True)
        elif kind == 3:
            add_comment_run(builder, item.run)
    title = front.title
    for block in blocks:
        if title is None and block.heading == 1:
            title = block.run.text.strip() or None
    inline_comments = [c for b in blocks for c in b.run.comments]
    for line, selector in suppressions_in(lines, [*html_comments, *inline_comments]):
        builder.add_suppression(line, selector)
    numbered = all(d.numbered for d in sections.entries)
    return builder.build(title, iso_date(front.date), front.author, notes_numbered=numbered)
