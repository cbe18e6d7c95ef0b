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
from collections.abc import Mapping, Sequence
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
    sup_numbers,
    suppressions_in,
)
from audit.model import DocFormat, ExtractedDocument
from audit.urls import find_urls

_CODE_TAGS = frozenset({"code", "pre", "kbd", "samp", "tt"})
"""Elements that show code or program output: a URL written out in them is an example."""

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
                "subscription", "newsletter", "signup", "paywall"}), clutter.SHARE),
    (frozenset({"bio", "author", "authors", "byline", "authorbox", "contributor", "about"}),
     clutter.BIO),
    (frozenset({"nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "pagination",
                "masthead", "topbar", "skip", "navbox", "catlinks"}), clutter.NAVIGATION),
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
_TRAILING_DIGITS = re.compile(r"(\d{1,4})$")
_CAP_LINE = 65535
"""libxml2 reports at most this line number; past it lines are counted from the text."""
_DEPTH_ERROR = "Excessive depth"
# Tags dropped when a page nests deeper than libxml2 allows: layout wrappers whose loss changes
# no citation (regions they marked are lost, which is the graceful part of the fallback).
_WRAPPERS = (
    "div|span|section|article|main|font|b|i|em|strong|u|small|big|center|table|tbody|thead|tr|td|"
    "th|blockquote|header|footer|nav|aside|figure|q|cite|abbr|mark|s|del|ins|code|kbd|label|"
    "details|summary"
)
_FLATTEN = re.compile(rf"</?(?:{_WRAPPERS})\b[^>]*>", re.IGNORECASE)
# Lists too, when the lists themselves nest too deep: footnote numbering is lost then.
_FLATTEN_LISTS = re.compile(rf"</?(?:{_WRAPPERS}|ul|ol|li|dl|dt|dd)\b[^>]*>", re.IGNORECASE)


# --------------------------------------------------------------------------------------------
# Parsing


_NEWLINE_CHAR_REF = re.compile(
    r"&#(?:(?P<dec>0*1[03])(?![0-9])|[xX](?P<hex>0*[aAdD])(?![0-9a-fA-F]))"
)
"""A line break written as a character reference (`&#10;`, `&#xA;`, `&#13;`)."""


def _as_space_ref(match: re.Match[str]) -> str:
    # libxml2 counts a referenced newline as a line of the file, which would put everything
    # after it on the wrong line. In HTML text it is only whitespace, so a space does as well;
    # keeping the reference's width keeps the columns of the rest of that line.
    if match.group("dec") is not None:
        return "&#" + "32".rjust(len(match.group("dec")), "0")
    return "&#x" + "20".rjust(len(match.group("hex")), "0")


def parse_html(text: str) -> etree._Element | None:
    """lxml's tree of `text`, flattened and re-parsed when it nests too deep; None if empty."""
    if "&#" in text:
        text = _NEWLINE_CHAR_REF.sub(_as_space_ref, text)
    root, deep = _parse(text)
    for flatten in (_FLATTEN, _FLATTEN_LISTS):
        if not deep:
            break
        # Keep the newlines inside dropped tags so line numbers stay right.
        flat = flatten.sub(lambda m: "\n" * m.group().count("\n"), text)
        flat_root, deep = _parse(flat)
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
    leading_sup: bool = False
    """A notes entry that opens with a `<sup>` (its number written as a superscript)."""

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
    skip: bool = False
    buffer: _Buffer | None = None
    region: bool = False
    notes: bool = False
    entry: bool = False
    entry_label: str = ""
    entry_numbered: bool = False
    list_counter: bool = False
    mute: bool = False
    link: tuple[_Buffer, int, str] | None = None
    sup: tuple[_Buffer, int] | None = None
    quote: tuple[str, int, int, int] | None = None
    """(cite URL, line, column, number of runs emitted before it)."""
    cite: tuple[_Buffer, int] | None = None
    """A `<cite>` in a notes entry: the title of the cited work starts here."""
    code: tuple[_Buffer, int] | None = None
    """Code (`<code>`, `<pre>`, ...) starts here: bare URLs in it are not read as citations."""


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
    lowered: dict[int, str] = field(default_factory=dict)
    """Source lines in lower case, made once each: a page on one line has thousands of tags."""
    line: int = 1
    buffers: list[_Buffer] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    notes_depth: int = 0
    mute_depth: int = 0
    entry_open: int = 0
    pending_notes: bool = False
    sup_depth: int = 0
    list_ordinals: list[int] = field(default_factory=list)
    linked: LinkedNotes | None = None
    """Footnotes found by their links (word processors' exports), when the page has any."""

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

    def skip_tag(self, tag: str) -> int:
        """Move the line's cursor past the start tag `<tag ...>` just opened; its 0-based column
        (-1 when it is not on this line)."""
        if not 1 <= self.line <= len(self.lines):
            return -1
        src = self.lines[self.line - 1]
        low = self.lowered.get(self.line)
        if low is None:
            low = self.lowered[self.line] = src.lower()
        start = self.cursors.get(self.line, 0)
        pos = low.find("<" + tag, start)
        if pos >= 0:
            close = src.find(">", pos)
            self.cursors[self.line] = close + 1 if close >= 0 else pos + 1
        return pos

    def add_text(self, text: str | None) -> None:
        """Append text found in the tree at the current line to the innermost block."""
        if not text:
            return
        if self.mute_depth or not self.buffers or (self.notes_depth and not self.entry_open):
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
                lead = len(collapsed) - len(collapsed.lstrip())
                col0 = self.column(self.line, collapsed) - lead
                if self.sup_depth:
                    # Shown as superscript digits, as a page pasted into text reads ("claim.¹"),
                    # so sentence splitting and the report treat both formats alike.
                    collapsed = collapsed.translate(_TO_SUPER)
                buffer.append(collapsed, self.line, col0)
            elif collapsed:
                buffer.append(" ", self.line, 0)

    # -- structure ---------------------------------------------------------------------------

    def _written_column(self, line: int, estimate: int, text: str, link: Link) -> int:
        """The column of a bare URL as written on its line; `estimate` when it is not there.

        Places are estimated from the text, which entities (`&amp;`, `&#10;`) make shorter
        than the source; a bare URL is usually written out as it reads, so look for it.
        """
        if not 1 <= line <= len(self.lines):
            return estimate
        src, written = self.lines[line - 1], text[link.start : link.end]
        if src.startswith(written, estimate - 1):
            return estimate
        found = [m.start() + 1 for m in re.finditer(re.escape(written), src)]
        return min(found, key=lambda col: abs(col - estimate)) if found else estimate

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
        if not frame.entry:
            _bare_urls(run)
        for link in run.links:
            link.line, link.column = run.place(link.start)
            if link.auto:
                link.column = self._written_column(link.line, link.column, run.text, link)
        for marker in run.markers:
            marker.line, marker.column = run.place(marker.start)
        if frame.entry:
            self._finish_entry(run, frame, buffer.leading_sup)
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

    def _finish_entry(self, run: Run, frame: _Frame, leading_sup: bool = False) -> None:
        start, label, numbered = _entry_start(run.text)
        if not label and leading_sup and (m := _SUP_NUMBER.match(run.text)) is not None:
            start, label, numbered = m.end(), str(int(m.group(1))), True
        if frame.entry_label:
            label, numbered = frame.entry_label, frame.entry_numbered or numbered
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


def _bare_urls(run: Run) -> None:
    """Add the URLs written out in the text (not inside an `<a>` or code) as links of the run."""
    spans = [(k.start, k.end) for k in run.links] + run.code
    for start, end, url in find_urls(run.text):
        if not any(start < e and s < end for s, e in spans):
            run.links.append(Link(start, end, url, 0, 0, True))
    run.links.sort(key=lambda k: k.start)


_SUP_NUMBER = re.compile(r"\s*(\d{1,4})\b\s*")
"""`<sup>1</sup> Jane Roe, ...`: the superscript's digits, once the markup is gone."""


def _entry_start(text: str) -> tuple[int, str, bool]:
    m = ENTRY_NUMBER.match(text)
    if m is None:
        return 0, "", False
    digits = next(g for g in m.group("a", "b", "c", "d") if g is not None)
    return m.end(), str(int(digits.translate(_SUPER))), True


_SUPER = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_TO_SUPER = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _classes(el: etree._Element) -> set[str]:
    words = f"{el.get('class', '')} {el.get('id', '')}".lower()
    return set(_WORDS.findall(words)) if words.strip() else set()


def _is_notes_container(el: etree._Element, tag: str, words: set[str]) -> bool:
    if tag in _NEVER_REGION or tag in _HEADINGS or tag in ("p", "a", "li", "sup", "span"):
        return False
    return bool(words & _NOTES_WORDS) or (el.get("role") or "").lower() in _NOTES_ROLES


def _region_reason(el: etree._Element, tag: str, words: set[str]) -> str | None:
    if tag in _NEVER_REGION:
        return None
    if tag in _REGION_TAGS:
        return _REGION_TAGS[tag]
    role = (el.get("role") or "").lower()
    if role in _REGION_ROLES:
        return _REGION_ROLES[role]
    if words:
        for vocabulary, reason in _REGION_WORDS:
            if words & vocabulary:
                return reason
    return None


def _id_label(el: etree._Element) -> str:
    m = _TRAILING_DIGITS.search(el.get("id") or "")
    return str(int(m.group(1))) if m else ""


@dataclass(slots=True)
class LinkedNotes:
    """Footnotes found by their links, where no notes section says what they are.

    Google Docs, Word and LibreOffice write each marker as an in-page link to its note
    (`<a href="#ftnt1" id="ftnt_ref1">[1]</a>`) and each note as a paragraph that links back
    (`<p><a href="#ftnt_ref1" id="ftnt1">[1]</a> Jane Doe, ...</p>`), under no heading. A pair
    of links pointing at each other is what makes them a footnote; a number alone is not. The
    back-link may point at the marker's wrapper or at an empty anchor just before it (WordPress's
    Easy Footnotes). A numbered marker that names its note with `aria-describedby` (WordPress's
    Modern Footnotes, whose notes are hidden spans inside the paragraph) is a pair too.
    """

    markers: dict[etree._Element, str]
    """Marker links, with their number."""
    entries: dict[etree._Element, str]
    """The element holding each note (`p`, `li`, `dd`, `div`, or the described element), with
    its marker's number."""


_NOTE_NUMBER = re.compile(r"\[?\(?(\d{1,4})\)?\]?")
_NOTE_BLOCKS = ("p", "li", "dd", "div")


def linked_notes(root: etree._Element) -> LinkedNotes | None:
    """Marker and note pairs that link to each other, or None when the page has none."""
    # One walk of the tree gathers what the pairing looks up: elements by id, in-page links by
    # the id they point at, the links in document order (a marker before its note), sidenotes.
    anchors: dict[str, etree._Element] = {}
    to_anchor: dict[str, list[etree._Element]] = {}
    links: list[etree._Element] = []
    sidenotes: list[etree._Element] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in ("id", "name") if el.tag == "a" else ("id",):
            key = el.get(attr)
            if key and key not in anchors:
                anchors[key] = el
        if el.tag == "a":
            links.append(el)
            href = el.get("href") or ""
            if href.startswith("#") and len(href) > 1:
                to_anchor.setdefault(href[1:], []).append(el)
        elif "sidenote" in (el.get("class") or "").split():
            sidenotes.append(el)
    markers: dict[etree._Element, str] = {}
    entries: dict[etree._Element, str] = {}
    backlinks: set[etree._Element] = set()
    for el in links:
        if el in backlinks:
            continue
        m = _NOTE_NUMBER.fullmatch("".join(el.itertext()).strip())
        if m is None:
            continue
        found = (
            _noteref_note(el, anchors)
            or _described_note(el, anchors)
            or _linked_back_note(el, anchors, to_anchor)
        )
        if found is None:
            continue
        note, back = found
        if note in entries or any(up is note for up in el.iterancestors()):
            continue  # a note cannot be its own marker's paragraph
        backlinks.update(back)
        label = str(int(m.group(1)))
        markers[el] = label
        entries[note] = label
    _sidenotes(sidenotes, markers, entries)
    return LinkedNotes(markers, entries) if markers else None


def _sidenotes(
    notes: Sequence[etree._Element],
    markers: dict[etree._Element, str],
    entries: dict[etree._Element, str],
) -> None:
    """Tufte CSS sidenotes: `<label class="sidenote-number">` (numbered by a CSS counter, empty
    in the markup), a checkbox, then `<span class="sidenote">` holding the note, in the text."""
    number = 0
    for note in notes:
        label = note.getprevious()
        while label is not None and label.tag == "input":
            label = label.getprevious()
        if label is None or label.tag != "label":
            continue
        if "sidenote-number" not in (label.get("class") or "").split() or note in entries:
            continue
        number += 1
        markers[label] = entries[note] = str(number)


def _linked_back_note(
    el: etree._Element,
    anchors: Mapping[str, etree._Element],
    to_anchor: Mapping[str, Sequence[etree._Element]],
) -> tuple[etree._Element, list[etree._Element]] | None:
    """The note block an in-page marker points at, and its links back, if it links back.

    The links back are looked up by the ids they point at, not by walking the block: a block
    can be a whole page, and walking it once per marker made such a page quadratic."""
    href = el.get("href") or ""
    target = anchors.get(href[1:]) if href.startswith("#") else None
    if target is None or target is el:
        return None
    if target.tag in _NOTE_BLOCKS:
        block: etree._Element | None = target
    else:
        block = next((b for b in target.iterancestors(*_NOTE_BLOCKS)), None)
    if block is None:
        return None
    back = [
        a
        for place in _marker_places(el)
        for a in to_anchor.get(place, ())
        if a is not el and any(up is block for up in a.iterancestors())
    ]
    return (block, back) if back else None


def _marker_places(el: etree._Element) -> set[str]:
    """The ids a note can link back to for this marker: its own, its inline wrappers', and an
    empty anchor element written right before it or its wrapper."""
    places: set[str] = set()
    node: etree._Element | None = el
    while node is not None and node.tag not in _NOTE_BLOCKS and node.tag not in ("body", "html"):
        for attr in ("id", "name") if node.tag == "a" else ("id",):
            if node.get(attr):
                places.add(node.get(attr) or "")
        before = node.getprevious()
        if (
            before is not None
            and isinstance(before.tag, str)
            and before.get("id")
            and not "".join(before.itertext()).strip()
            and not (before.tail or "").strip()
        ):
            places.add(before.get("id") or "")
        node = node.getparent()
    return places


_NOTEREF = frozenset({"doc-noteref", "noteref"})


def _noteref_note(
    el: etree._Element, anchors: Mapping[str, etree._Element]
) -> tuple[etree._Element, list[etree._Element]] | None:
    """The note a marker declares itself a note reference to (DPUB-ARIA `role="doc-noteref"`,
    EPUB's `epub:type="noteref"`): its target, whatever element it is (often an `<aside>`)."""
    kinds = {*(el.get("role") or "").split(), *(el.get("epub:type") or "").split()}
    href = el.get("href") or ""
    if not kinds & _NOTEREF or not href.startswith("#"):
        return None
    note = anchors.get(href[1:])
    if note is None or note is el or note in el.iterancestors():
        return None
    return note, []


def _described_note(
    el: etree._Element, anchors: Mapping[str, etree._Element]
) -> tuple[etree._Element, list[etree._Element]] | None:
    """The element a numbered marker names with `aria-describedby`, when it holds a note."""
    ids = (el.get("aria-describedby") or "").split()
    note = anchors.get(ids[0]) if len(ids) == 1 else None
    if note is None or note is el or any(up is note for up in el.iterancestors()):
        return None
    if not "".join(note.itertext()).strip():
        return None
    return note, []


def walk(root: etree._Element, lines: Sequence[str]) -> HtmlWalk:
    """One pass over the tree: body runs, notes entries, ignored links, quotes, comments."""
    w = HtmlWalk(lines)
    w.linked = linked_notes(root)
    frames: list[_Frame] = []
    walker = etree.iterwalk(root, events=("start", "end", "comment"))
    for event, el in walker:
        if event == "comment":
            line = el.sourceline if el.sourceline and el.sourceline < _CAP_LINE else w.line
            if el.text and "citeaudit" in el.text:
                w.comments.append((line, f"<!--{el.text}-->"))
            w.add_text(el.tail)
            continue
        if event == "start":
            frame = _start(w, walker, el)
            frames.append(frame)
            if not frame.skip:
                w.add_text(el.text)
            continue
        frame = frames.pop() if frames else _Frame("")
        if not frame.skip:
            _end(w, frame)
        w.add_text(el.tail)
    return w


def _start(w: HtmlWalk, walker: etree.iterwalk, el: etree._Element) -> _Frame:
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if el.sourceline and el.sourceline < _CAP_LINE:
        w.line = el.sourceline
    if not tag or tag in _SKIP_TAGS:
        walker.skip_subtree()
        return _Frame(tag, skip=True)
    frame = _Frame(tag)
    tag_col = w.skip_tag(tag)
    if tag == "label" and w.linked and el in w.linked.markers and w.buffers and not w.regions:
        # A sidenote's number is drawn by CSS: write it where the reader sees it.
        buffer, label = w.buffers[-1], w.linked.markers[el]
        start = buffer.length
        buffer.append(label.translate(_TO_SUPER), w.line, max(tag_col, 0))
        buffer.run.markers.append(Marker(start, buffer.length, label, 0, 0))
    words = _classes(el) if not w.mute_depth else set()
    in_entry = w.entry_open > 0
    if tag in ("ol", "ul"):
        start = el.get("start", "1")
        w.list_ordinals.append(int(start) - 1 if start.isdigit() and len(start) < 6 else 0)
        frame.list_counter = True
    if w.linked and el in w.linked.entries and not in_entry and not w.regions:
        if tag == "li" and w.list_ordinals:
            # Counted like any item, so an item after it that its links did not pair still
            # gets its own place in the list, not this one's.
            w.list_ordinals[-1] += 1
        frame.entry, frame.entry_numbered = True, True
        frame.entry_label = w.linked.entries[el]
        w.entry_open += 1
        w.open_buffer()
        frame.buffer = w.buffers[-1]
        return frame
    if not w.notes_depth and not w.regions:
        if _is_notes_container(el, tag, words) or (w.pending_notes and tag in ("ol", "ul", "dl")):
            frame.notes = True
            w.notes_depth += 1
            w.pending_notes = False
        elif (reason := _region_reason(el, tag, words)) is not None:
            frame.region = True
            w.regions.append(reason)
            w.mute_depth += 1
    elif w.notes_depth and not in_entry and tag in ("li", "p", "dd"):
        frame.entry = True
        w.entry_open += 1
        label = _id_label(el)
        if tag == "li" and w.list_ordinals:
            w.list_ordinals[-1] += 1
            parent = el.getparent()
            ordered = parent is not None and parent.tag == "ol"
            frame.entry_label = label or (str(w.list_ordinals[-1]) if ordered else "")
            frame.entry_numbered = bool(label) or ordered
        else:
            frame.entry_label, frame.entry_numbered = label, bool(label)
        w.open_buffer()
        frame.buffer = w.buffers[-1]
        return frame
    if tag == "a":
        _start_link(w, frame, el, in_entry)
    elif w.regions or w.mute_depth:
        return frame
    elif tag == "br" and w.buffers:
        w.buffers[-1].run.breaks.append(w.buffers[-1].length)
        w.buffers[-1].append(" ", w.line, 0)
    elif tag == "cite" and in_entry and w.buffers:
        frame.cite = (w.buffers[-1], w.buffers[-1].length)
    elif tag == "sup" and in_entry and w.buffers and not w.buffers[-1].text().strip():
        w.buffers[-1].leading_sup = True
    elif tag == "sup" and w.buffers and not in_entry and not w.notes_depth:
        frame.sup = (w.buffers[-1], w.buffers[-1].length)
        w.sup_depth += 1
    elif tag == "blockquote" and not w.notes_depth:
        cite = (el.get("cite") or "").strip()
        if cite.startswith(("http://", "https://")):
            frame.quote = (cite, w.line, max(tag_col, 0) + 1, len(w.body))
    if tag in _BLOCK_TAGS:
        if in_entry and w.buffers:
            w.buffers[-1].append(" ", w.line, 0)
        elif not w.notes_depth:
            w.open_buffer(_HEADINGS.get(tag, 0))
            frame.buffer = w.buffers[-1]
    if tag in _CODE_TAGS and w.buffers and not in_entry:
        frame.code = (w.buffers[-1], w.buffers[-1].length)
    return frame


def _start_link(w: HtmlWalk, frame: _Frame, el: etree._Element, in_entry: bool) -> None:
    href = (el.get("href") or "").strip()
    if not href or (w.mute_depth and not w.regions):
        return
    if w.regions:
        if not href.startswith(("#", "javascript:")):
            email = clutter.ignore_reason(href, "") == clutter.EMAIL
            w.ignored.append((href, w.line, clutter.EMAIL if email else w.regions[-1]))
        return
    if in_entry and href.startswith("#"):
        frame.mute = True  # a back-link ("↩") from the note to the text: not part of the entry
        w.mute_depth += 1
        return
    if w.buffers:
        if not href.lower().startswith("javascript:"):
            # A script button (`javascript:void(0)`, a tooltip's trigger) leads nowhere.
            frame.link = (w.buffers[-1], w.buffers[-1].length, href)
        linked = w.linked
        if linked and el in linked.markers and not w.sup_depth and el.find(".//sup") is None:
            # A marker styled as a superscript by a class (Word) reads as one.
            frame.sup = (w.buffers[-1], w.buffers[-1].length)
            w.sup_depth += 1


def quote_placeholder(index: int) -> str:
    """A stand-in citation id for the marks of the `index`-th `<blockquote cite>`."""
    return f"\x00quote-{index}"


def _end(w: HtmlWalk, frame: _Frame) -> None:
    if frame.link is not None:
        buffer, start, href = frame.link
        end = buffer.length
        # `<a href="#fn1"><sup>1</sup></a>` (Pandoc, WordPress plugins): the superscript inside
        # is already the marker; the in-page link around it is not a second use of the note.
        markers = buffer.run.markers
        # Markers come in text order: only the last can lie inside this link.
        inside = href.startswith("#") and bool(markers) and start <= markers[-1].start < end
        if not inside:
            buffer.run.links.append(Link(start, end, href, w.line, 1, False))
    if frame.sup is not None:
        w.sup_depth -= 1
        _end_sup(*frame.sup)
    if frame.cite is not None:
        buffer, start = frame.cite
        buffer.run.titles.append((start, buffer.length))
    if frame.code is not None:
        buffer, start = frame.code
        buffer.run.code.append((start, buffer.length))
    if frame.buffer is not None:
        w.close_buffer(frame)
    if frame.quote is not None:
        cite, line, col, first = frame.quote
        runs = [run for run, _ in w.body[first:]]
        joined = " ".join(run.text for run in runs)
        context = sentence_at(joined, 0, min(len(joined), 1)) if joined else ""
        for run in runs:
            # The quoted text is cited by the blockquote's own URL; the loader swaps this
            # placeholder for the citation's id once it has one.
            run.cited_by = quote_placeholder(len(w.quotes))
        w.quotes.append((cite, line, col, context))
    if frame.entry:
        w.entry_open -= 1
    if frame.mute:
        w.mute_depth -= 1
    if frame.region:
        w.regions.pop()
        w.mute_depth -= 1
    if frame.notes:
        w.notes_depth -= 1
    if frame.list_counter and w.list_ordinals:
        w.list_ordinals.pop()


def _end_sup(buffer: _Buffer, start: int) -> None:
    numbers = sup_numbers(buffer.text()[start:])
    if not numbers:
        return
    run = buffer.run
    for lo, hi, label in numbers:
        run.markers.append(Marker(start + lo, start + hi, label, 0, 0))
    # `<sup><a href="#fn1">1</a></sup>`: the marker stands for the link; it is not a second use.
    # Links come in text order, so those inside the superscript are the last ones: dropping
    # them from the end keeps a paragraph of thousands of markers linear.
    end = buffer.length
    kept: list[Link] = []
    while run.links and run.links[-1].start >= start:
        link = run.links.pop()
        if not (link.start < end and link.href.startswith("#")):
            kept.append(link)
    run.links.extend(reversed(kept))


# --------------------------------------------------------------------------------------------
# Head: title, date, author

_TITLE_META = ("og:title", "twitter:title", "dc.title", "citation_title")
_DATE_META = (
    "article:published_time", "datepublished", "og:published_time", "published_time",
    "pubdate", "publishdate", "publish-date", "date", "dc.date", "dc.date.issued",
    "dcterms.date", "dcterms.created", "citation_publication_date", "sailthru.date",
    "parsely-pub-date", "article.published",
)  # fmt: skip
_AUTHOR_META = (
    "author",
    "article:author",
    "byl",
    "dc.creator",
    "citation_author",
    "parsely-author",
)


def head_info(root: etree._Element, h1: str | None) -> tuple[str | None, str | None, str | None]:
    """The article's title, ISO date and author from meta tags, `<h1>`, `<title>`, `<time>`."""
    metas: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        content = _SPACES.sub(" ", meta.get("content") or "").strip()
        if key and content and key not in metas:
            metas[key] = content
    title = next((metas[k] for k in _TITLE_META if k in metas), None) or h1
    if title is None:
        tag = next(root.iter("title"), None)
        text = _SPACES.sub(" ", tag.text_content()).strip() if tag is not None else ""
        title = text or None
    date = next((d for k in _DATE_META if k in metas and (d := iso_date(metas[k]))), None)
    if date is None:
        for time in root.iter("time"):
            date = iso_date(time.get("datetime") or time.text_content())
            if date:
                break
    author = next((metas[k] for k in _AUTHOR_META if k in metas and "://" not in metas[k]), None)
    return title, date, author


# --------------------------------------------------------------------------------------------
# The loader


def extract_html(path: str, text: str, outlet_names: Sequence[str]) -> ExtractedDocument:
    """Extract every citation from an HTML article (see the module docstring)."""
    source = normalise(text)
    lines = source.split("\n")
    builder = DocumentBuilder(path, DocFormat.HTML)
    root = parse_html(source) if source.strip() else None
    if root is None:
        return builder.build(None, None, None)
    w = walk(root, lines)
    title, date, author = head_info(root, w.h1)
    known = {d.label for d in w.entries}
    order: list[tuple[int, int, EntryDraft | Run]] = [
        *((d.line, 0, d) for d in w.entries),
        *((run.line, 1, run) for run, _ in w.body),
    ]
    for _line, _kind, item in sorted(order, key=lambda o: (o[0], o[1])):
        if isinstance(item, EntryDraft):
            add_entry(builder, item)
        else:
            add_body_run(builder, item, known, outlet_names)
    quote_ids = {
        quote_placeholder(i): builder.add_inline(cite, line, col, context)
        for i, (cite, line, col, context) in enumerate(w.quotes)
    }
    builder.resolve_marks(quote_ids)
    for url, line, reason in w.ignored:
        builder.add_ignored(url, line, reason)
    for line, selector in suppressions_in(lines, w.comments):
        builder.add_suppression(line, selector)
    numbered = all(d.numbered for d in w.entries)
    return builder.build(title, date, author, notes_numbered=numbered)
