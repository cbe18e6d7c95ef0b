"""The builder every loader feeds: uses, entries, links and names in; an ExtractedDocument out.

A loader walks its format (plain-text lines, Markdown tokens, HTML elements) and reports what it
finds; the builder numbers citations, merges repeated uses and resolves markers to entries:

- footnotes are `fn-<label>`, one per notes entry, in entry order, with every marker use of the
  label; a marker no entry answers stays in `markers` only (its marks point to no citation);
- inline links are `inline-<n>`, numbered by first appearance; the same URL again is one more use
  of the same citation;
- provenance lines are `prov-<n>`; attributions `attr-<n>`, one per outlet named, each mention a
  use (two mentions of "Foreign Affairs" are one citation with two uses: the report rates the
  outlet, and the unlinked-attribution finding is about the outlet, not each essay).

The `add_*` methods return the citation id so a loader can build `Mark`s as it goes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from audit.model import (
    Citation,
    CitationKind,
    DocFormat,
    ExtractedDocument,
    IgnoredLink,
    Mark,
    MarkerUse,
    Paragraph,
    Reference,
    Use,
)
from audit.urls import unwrap_redirect

FOOTNOTE_PREFIX = "fn-"


def further_urls(raw: str, checked: str | None, hrefs: Sequence[str] = ()) -> list[str]:
    """The URLs of a notes entry besides the one its citation checks: its links' targets
    (`hrefs`) and the URLs written in its text, each once, in order."""
    from audit.urls import find_urls

    found = [h for h in hrefs if h and not h.startswith(("#", "javascript:"))]
    found += [url for _, _, url in find_urls(raw)]
    skip = {checked, unwrap_redirect(checked) if checked else None}
    out: list[str] = []
    for url in found:
        if url not in skip and (unwrap_redirect(url) or url) not in skip and url not in out:
            out.append(url)
    return out


def footnote_id(label: str) -> str:
    """The citation id of notes entry `label` ("3" -> "fn-3")."""
    return FOOTNOTE_PREFIX + label


def parse_reference_safe(raw: str) -> Reference:
    """`audit.extract.refstring.parse_reference`, with a bare Reference if it ever fails.

    The reference parser promises never to raise; this guard keeps one bad entry from costing
    the whole document if that promise is ever broken.
    """
    from audit.extract.refstring import parse_reference

    try:
        return parse_reference(raw)
    except Exception:  # pragma: no cover - defensive: per-item trouble is data
        return Reference(raw=raw)


def _unwrapped(ref: Reference) -> Reference:
    """`ref` with a click-tracking wrapper's URL replaced by the address it leads to."""
    target = unwrap_redirect(ref.url) if ref.url else None
    return replace(ref, url=target) if target else ref


@dataclass(slots=True)
class _Entry:
    label: str
    reference: Reference
    line: int
    column: int
    cid: str


@dataclass(slots=True)
class _Linked:
    cid: str
    kind: CitationKind
    reference: Reference
    uses: list[Use] = field(default_factory=list)
    line: int | None = None
    column: int | None = None


class DocumentBuilder:
    """Collects what a loader finds in one document and assembles the ExtractedDocument."""

    def __init__(self, path: str, fmt: DocFormat) -> None:
        self.path = path
        self.fmt = fmt
        self._paragraphs: list[Paragraph] = []
        self._markers: list[MarkerUse] = []
        self._entries: dict[str, _Entry] = {}
        self._entry_order: list[_Entry] = []
        self._reserved: set[str] = set()
        self._unnumbered: list[str] = []
        self._repeats: dict[str, int] = {}
        self._inline: dict[str, _Linked] = {}
        self._provenance: list[_Linked] = []
        self._attributions: dict[str, _Linked] = {}
        self._ignored: list[IgnoredLink] = []
        self._ignored_seen: set[tuple[str, int]] = set()
        self._suppressions: list[tuple[int, str]] = []

    # -- body -------------------------------------------------------------------------------

    def add_paragraph(
        self, line: int, text: str, marks: Sequence[Mark] = (), *, in_notes: bool = False
    ) -> None:
        """A paragraph of text as plain text; `marks` are offsets into `text` with citation ids."""
        # Loaders compute offsets over text they clean up afterwards; a mark that no longer fits
        # the text is dropped here, once for every loader, rather than trusted by the reports.
        fitting = (m for m in marks if 0 <= m.start < m.end <= len(text))
        ordered = tuple(sorted(fitting, key=lambda m: (m.start, m.end)))
        self._paragraphs.append(Paragraph(line, text, ordered, in_notes))

    def resolve_marks(self, ids: Mapping[str, str]) -> None:
        """Give marks added with a stand-in citation id (a key of `ids`) their real id."""
        if not ids:
            return
        for i, p in enumerate(self._paragraphs):
            if any(m.citation_id in ids for m in p.marks):
                marks = tuple(
                    Mark(m.start, m.end, ids.get(m.citation_id, m.citation_id))
                    if m.citation_id is not None
                    else m
                    for m in p.marks
                )
                self._paragraphs[i] = Paragraph(p.line, p.text, marks, p.in_notes)

    def add_marker_use(self, label: str, line: int, column: int, context: str) -> str:
        """A footnote marker in the text; returns the id its entry has (or would have)."""
        self._markers.append(MarkerUse(label, line, column, context))
        return footnote_id(label)

    def reserve_label(self, label: str) -> None:
        """Keep `label`'s id for a footnote definition (Markdown `[^label]:`) still to come.

        An entry of a notes list numbered in order ("Sources" bullets) that gets the same label
        first then takes `fn-<label>-<k>`, so `[^label]` in the text reaches its definition.
        """
        self._reserved.add(label)

    def add_footnote(
        self,
        label: str,
        raw: str,
        line: int,
        column: int,
        reference: Reference | None = None,
        *,
        definition: bool = False,
        numbered: bool = True,
    ) -> str:
        """A notes entry: `raw` is parsed with the reference parser unless `reference` is given.

        A second entry with a label already seen gets the id `fn-<label>-<k>` (k = 2, 3, ...):
        it keeps its marker label, so the numbering-gap check sees the repeat, but no marker use
        can reach it. So does an entry whose label is reserved for a definition it is not.
        `numbered=False`: the entry had no number of its own; its label is its place in the list.
        """
        cid = footnote_id(label)
        if cid in self._entries or (label in self._reserved and not definition):
            # A counter per label: probing "-2", "-3", ... would be quadratic on junk input.
            k = self._repeats.get(label, 1) + 1
            while f"{cid}-{k}" in self._entries:
                k += 1
            self._repeats[label] = k
            cid = f"{cid}-{k}"
        from audit.extract.refstring import is_ibid

        if is_ibid(raw) and self._entry_order:
            # "Ibid." is the entry before it: same outlet, title, date and link to check.
            reference = replace(self._entry_order[-1].reference, raw=raw.strip())
        entry = _Entry(label, _unwrapped(reference or parse_reference_safe(raw)), line, column, cid)
        if not numbered:
            self._unnumbered.append(cid)
        self._entries[cid] = entry
        self._entry_order.append(entry)
        return cid

    def has_footnote(self, label: str) -> bool:
        """True when a notes entry with `label` has been added."""
        return footnote_id(label) in self._entries

    def add_inline(
        self,
        url: str,
        line: int,
        column: int,
        context: str,
        text: str | None = None,
        reference: Reference | None = None,
    ) -> str:
        """A link or bare URL in body text; the same URL again is another use of one citation.

        `text` is the link text (None for a bare URL). The reference is `Reference(raw=text or
        url, url=url)` unless the loader passes a parsed one.
        """
        url = unwrap_redirect(url) or url
        existing = self._inline.get(url)
        use = Use(line, column, context)
        if existing is not None:
            existing.uses.append(use)
            return existing.cid
        cid = f"inline-{len(self._inline) + 1}"
        ref = reference or Reference(raw=(text or url).strip() or url, url=url)
        self._inline[url] = _Linked(cid, CitationKind.INLINE, ref, [use], line, column)
        return cid

    def add_provenance(
        self,
        raw: str,
        line: int,
        column: int,
        context: str,
        url: str | None = None,
        reference: Reference | None = None,
    ) -> str:
        """A `Source:` / `Originally published at` line; `raw` is the text after the cue."""
        ref = _unwrapped(reference or parse_reference_safe(raw))
        url = url and (unwrap_redirect(url) or url)
        if url and ref.url is None:
            ref = Reference(
                raw=ref.raw,
                outlet=ref.outlet,
                authors=ref.authors,
                title=ref.title,
                date=ref.date,
                date_precision=ref.date_precision,
                accessed=ref.accessed,
                url=url,
            )
        for existing in self._provenance:
            if ref.url and existing.reference.url == ref.url:
                existing.uses.append(Use(line, column, context))
                return existing.cid
        cid = f"prov-{len(self._provenance) + 1}"
        self._provenance.append(
            _Linked(cid, CitationKind.PROVENANCE, ref, [Use(line, column, context)], line, column)
        )
        return cid

    def add_attribution(
        self, outlet: str, line: int, column: int, context: str, phrase: str
    ) -> str:
        """An outlet named without a link; every mention of one outlet is a use of one citation."""
        use = Use(line, column, context)
        existing = self._attributions.get(outlet)
        if existing is not None:
            existing.uses.append(use)
            return existing.cid
        cid = f"attr-{len(self._attributions) + 1}"
        ref = Reference(raw=phrase, outlet=outlet)
        self._attributions[outlet] = _Linked(
            cid, CitationKind.ATTRIBUTION, ref, [use], line, column
        )
        return cid

    def add_ignored(self, url: str, line: int, reason: str) -> None:
        """A link that is not a citation, with why (see `audit.extract.clutter`)."""
        key = (url, line)
        if key not in self._ignored_seen:
            self._ignored_seen.add(key)
            self._ignored.append(IgnoredLink(url, line, reason))

    def add_suppression(self, line: int, selector: str) -> None:
        """A `citeaudit: ignore RULE` comment that applies to `line`."""
        self._suppressions.append((line, selector))

    # -- output -----------------------------------------------------------------------------

    def build(
        self,
        title: str | None,
        date: str | None,
        author: str | None,
        *,
        notes_numbered: bool = True,
    ) -> ExtractedDocument:
        """The finished document. Marks of markers that no entry answers lose their citation id."""
        markers = sorted(self._markers, key=lambda m: (m.line, m.column))
        uses_by_label: dict[str, list[Use]] = {}
        for m in markers:
            uses_by_label.setdefault(m.label, []).append(Use(m.line, m.column, m.context))
        citations: list[Citation] = []
        for entry in self._entry_order:
            first = entry.cid == footnote_id(entry.label)
            uses = tuple(uses_by_label.get(entry.label, ())) if first else ()
            citations.append(
                Citation(
                    entry.cid,
                    CitationKind.FOOTNOTE,
                    entry.label,
                    uses,
                    entry.reference,
                    entry.line,
                    entry.column,
                )
            )
        linked: Iterable[_Linked] = [
            *self._inline.values(),
            *self._provenance,
            *self._attributions.values(),
        ]
        citations.extend(
            Citation(c.cid, c.kind, None, tuple(c.uses), c.reference, c.line, c.column)
            for c in linked
        )
        known = {c.id for c in citations}
        paragraphs = tuple(
            p
            if all(m.citation_id is None or m.citation_id in known for m in p.marks)
            else Paragraph(
                p.line,
                p.text,
                tuple(
                    m
                    if m.citation_id is None or m.citation_id in known
                    else Mark(m.start, m.end, None)
                    for m in p.marks
                ),
                p.in_notes,
            )
            for p in self._paragraphs
        )
        return ExtractedDocument(
            path=self.path,
            fmt=self.fmt,
            title=title,
            date=date,
            author=author,
            citations=tuple(citations),
            ignored_links=tuple(self._ignored),
            paragraphs=paragraphs,
            markers=tuple(markers),
            notes_numbered=notes_numbered,
            suppressions=tuple(self._suppressions),
            unnumbered_entries=tuple(self._unnumbered),
        )
