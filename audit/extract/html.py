"""The HTML loader: a saved page or CMS export turned into citations with their places.

One pass over lxml's tree (`iterwalk`, so a 10,000-deep page costs no Python recursion) builds
the visible text of every block element as a `Run` (the same structure the Markdown loader
uses, so both share the assembly in `audit.extract.markdown`). Along the way it notes `<sup>`
and `<a href="#fn…">` markers, links, `<blockquote cite>`, the notes list (a footnotes
section, a references block, or a Notes/References heading followed by a list) and the page's
furniture (nav, header, footer, aside, share, bio, comment regions, by tag, class, id or role),
whose links are set aside as ignored with the reason.

Lines come from lxml's `sourceline` (the line where a start tag ends) plus the newlines in the
text since; columns from finding the text in that source line (best effort, 1 when unknown).
Pure; garbage HTML never raises.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from audit.extract import clutter
from audit.extract.common import DocumentBuilder
from audit.extract.context import sentence_at
from audit.extract.markdown import (
    ENTRY_NUMBER,
    NOTES_HEADING,
    EntryDraft,
    Link,
    Marker,
    Run,
    add_body_run,
    add_entry,
    iso_date,
    normalise,
    suppressions_in,
)
from audit.model import DocFormat, ExtractedDocument

_SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "svg", "math", "head", "select", "button",
     "iframe", "object", "canvas", "form"}
)  # fmt: skip
_BLOCK_TAGS = frozenset(
    {"p", "li", "dd", "dt", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption",
     "td", "th", "pre", "caption", "address", "div", "section", "article", "main", "ul", "ol",
     "dl", "table", "tr", "figure", "header", "footer", "nav", "aside", "body", "html", "hr",
     "details", "summary", "center"}
)  # fmt: skip
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_NEVER_REGION = frozenset({"html", "body", "main", "article"})
"""Whole-page wrappers: a class like "post has-comments" on them must not hide the article."""

_SIDEBAR = "sidebar or related links"
_REGION_TAGS = {
    "nav": clutter.NAVIGATION,
    "header": "page header",
    "footer": "page footer",
    "aside": _SIDEBAR,
}
_REGION_ROLES = {
    "navigation": clutter.NAVIGATION,
    "banner": "page header",
    "contentinfo": "page footer",
    "complementary": _SIDEBAR,
    "comment": clutter.COMMENT,
    "search": clutter.NAVIGATION,
    "menu": clutter.NAVIGATION,
    "menubar": clutter.NAVIGATION,
}
_REGION_WORDS: tuple[tuple[frozenset[str], str], ...] = (
    (frozenset({"comment", "comments", "respond", "replies", "disqus", "discussion", "reply"}),
     clutter.COMMENT),
    (frozenset({"share", "sharing", "social", "sharedaddy", "addthis", "sharethis", "subscribe",
                "newsletter", "signup", "paywall"}), clutter.SHARE),
    (frozenset({"bio", "author", "authors", "byline", "authorbox", "contributor", "about"}),
     clutter.BIO),
    (frozenset({"nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "pagination",
                "masthead", "topbar", "skip"}), clutter.NAVIGATION),
    (frozenset({"header"}), "page header"),
    (frozenset({"footer"}), "page footer"),
    (frozenset({"ad", "ads", "advert", "advertisement", "sponsor", "sponsored", "promo", "dfp"}),
     clutter.ADVERT),
    (frozenset({"related", "recommended", "sidebar", "widget", "trending", "popular", "outbrain",
                "taboola", "more"}), _SIDEBAR),
)  # fmt: skip
_NOTES_WORDS = frozenset(
    {"footnotes", "footnote", "endnotes", "endnote", "notes", "references", "reflist", "refs",
     "citations", "sources", "bibliography", "fn"}
)  # fmt: skip
_NOTES_ROLES = frozenset({"doc-endnotes", "doc-footnotes", "doc-bibliography"})
_WORDS = re.compile(r"[a-z0-9]+")
_SPACES = re.compile(r"\s+")
_SUP_LABELS = re.compile(r"^[\[(]?\s*(\d{1,4}(?:\s*[,;]\s*\d{1,4}){0,20})\s*[\])]?$")
_TRAILING_DIGITS = re.compile(r"(\d{1,4})$")
_CAP_LINE = 65535
"""libxml2 reports at most this line number; past it lines are counted from the text."""
_DEPTH_ERROR = "Excessive depth"
# Tags dropped when a page nests deeper than libxml2 allows: layout wrappers whose loss changes
# no citation (regions they marked are lost, which is the graceful part of the fallback).
_FLATTEN = re.compile(
    r"</?(?:div|span|section|article|main|font|b|i|em|strong|u|small|big|center|table|tbody|"
    r"thead|tr|td|th|ul|ol|li|dl|dt|dd|blockquote|header|footer|nav|aside|figure|q|cite|"
    r"abbr|mark|s|del|ins|code|kbd|label|details|summary)\b[^>]*>",
    re.IGNORECASE,
)


# --------------------------------------------------------------------------------------------
# Parsing


def parse_html(text: str) -> etree._Element | None:
    """lxml's tree of `text`, flattened and re-parsed when it nests too deep; None if empty."""
    root, deep = _parse(text)
    if deep:
        # Keep the newlines inside dropped tags so line numbers stay right.
        flat = _FLATTEN.sub(lambda m: "\n" * m.group().count("\n"), text)
        flat_root, _ = _parse(flat)
        if flat_root is not None:
            root = flat_root
    return root


def _parse(text: str) -> tuple[etree._Element | None, bool]:
    data = text.encode("utf-8", "replace")
    parser = lxml.html.HTMLParser(
        encoding="utf-8", huge_tree=True, remove_comments=False, remove_pis=True
    )
    try:
        root = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None, False
    deep = any(_DEPTH_ERROR in entry.message for entry in parser.error_log)
    return root, deep


# --------------------------------------------------------------------------------------------
# The walk


@dataclass(slots=True)
class _Buffer:
    """Text of one block being built, and the places of its pieces."""

    run: Run
    parts: list[str] = field(default_factory=list)
    length: int = 0
    heading: int = 0

    def append(self, piece: str, line: int, col0: int) -> None:
        if not piece:
            return
        if (not self.length or self.parts[-1].endswith(" ")) and piece.startswith(" "):
            piece = piece[1:]
            col0 += 1
            if not piece:
                return
        self.run._seg_starts.append(self.length)
        self.run._seg_places.append((line, col0))
        self.parts.append(piece)
        self.length += len(piece)

    def text(self) -> str:
        return "".join(self.parts)


@dataclass(slots=True)
class _Frame:
    """What an open element changed, undone when it closes."""

    tag: str
    buffer: bool = False
    region: bool = False
    notes: bool = False
    entry: bool = False
    mute: bool = False
    link: tuple[int, str] | None = None
    sup: int | None = None
    quote: tuple[str, int, int, int] | None = None
    """(cite URL, line, column, number of runs emitted before it)."""


@dataclass(slots=True)
class HtmlWalk:
    """Everything one pass over the tree collects."""

    lines: Sequence[str]
    body: list[tuple[Run, int]] = field(default_factory=list)
    """Runs of body text with their heading level (0 for paragraphs)."""
    entries: list[EntryDraft] = field(default_factory=list)
    ignored: list[tuple[str, int, str]] = field(default_factory=list)
    quotes: list[tuple[str, int, int, str]] = field(default_factory=list)
    """(cite URL, line, column, context) of `<blockquote cite>`."""
    comments: list[tuple[int, str]] = field(default_factory=list)
    h1: str | None = None
    cursors: dict[int, int] = field(default_factory=dict)
    line: int = 1
    buffers: list[_Buffer] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    notes_depth: int = 0
    mute_depth: int = 0
    entry_index: int = 0
    pending_notes: bool = False
    list_ordinals: list[int] = field(default_factory=list)

    # -- places -------------------------------------------------------------------------------

    def column(self, line: int, piece: str) -> int:
        """0-based column of `piece`'s first word on `line`, moving that line's cursor."""
        if not 1 <= line <= len(self.lines):
            return 0
        src = self.lines[line - 1]
        probe = piece.strip()[:24]
        start = self.cursors.get(line, 0)
        pos = src.find(probe, start) if probe else -1
        if pos < 0:
            return start
        self.cursors[line] = pos + len(probe)
        return pos

    def add_text(self, text: str | None) -> None:
        """Append text found in the tree at the current line to the innermost block."""
        if not text:
            return
        if self.mute_depth or not self.buffers:
            self.line += text.count("\n")
            return
        buffer = self.buffers[-1]
        for i, chunk in enumerate(text.split("\n")):
            if i:
                self.line += 1
            collapsed = _SPACES.sub(" ", chunk)
            if i and not collapsed.startswith(" "):
                collapsed = " " + collapsed
            if collapsed.strip():
                buffer.append(collapsed, self.line, self.column(self.line, collapsed))
            elif collapsed:
                buffer.append(" ", self.line, 0)

    # -- structure ---------------------------------------------------------------------------

    def open_buffer(self, heading: int = 0) -> None:
        self.buffers.append(_Buffer(Run(line=self.line), heading=heading))

    def close_buffer(self, frame: _Frame) -> None:
        buffer = self.buffers.pop()
        run = buffer.run
        raw = buffer.text()
        stripped = raw.rstrip()
        run.text = stripped
        if not stripped.strip():
            return
        if run._seg_places:
            run.line = run._seg_places[0][0]
        for link in run.links:
            link.line, link.column = run.place(link.start)
        if frame.entry:
            self._finish_entry(run)
            return
        if self.regions:
            return
        if self.pending_notes and frame.tag == "p":
            if self._entry_paragraph(run):
                return
            self.pending_notes = False
        if buffer.heading:
            if buffer.heading == 1 and self.h1 is None:
                self.h1 = stripped.strip()
            self.pending_notes = bool(NOTES_HEADING.match(stripped.strip()))
        self.body.append((run, buffer.heading))

    def _finish_entry(self, run: Run) -> None:
        start, label, numbered = _entry_start(run.text)
        if not label:
            label, numbered = run.entry_label, run.entry_numbered  # type: ignore[attr-defined]
        line, col = run.place(start)
        draft = EntryDraft(label or str(len(self.entries) + 1), numbered, line, col)
        draft.parts.append((run, start, len(run.text)))
        self.entries.append(draft)

    def _entry_paragraph(self, run: Run) -> bool:
        start, label, numbered = _entry_start(run.text)
        if not label and not (run.links or "http" in run.text or "www." in run.text):
            return False
        line, col = run.place(start)
        draft = EntryDraft(label or str(len(self.entries) + 1), numbered, line, col)
        draft.parts.append((run, start, len(run.text)))
        self.entries.append(draft)
        return True


def _entry_start(text: str) -> tuple[int, str, bool]:
    m = ENTRY_NUMBER.match(text)
    if m is None:
        return 0, "", False
    digits = next(g for g in m.group("a", "b", "c", "d") if g is not None)
    return m.end(), str(int(digits.translate(_SUPER))), True


_SUPER = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
