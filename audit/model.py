"""The typed values that flow between the pipeline's stages.

Nothing here does I/O or imports from the rest of the package. The JSON report is these
dataclasses turned into dicts field by field (see `audit.render.json`), so a field's name here
is its name in the JSON contract: add fields freely, never rename one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum, StrEnum

SCHEMA_VERSION = "1.0"
"""Version of the JSON report's shape. Bump it on any change and note it in the CHANGELOG."""


class DocFormat(StrEnum):
    """How an input article is written."""

    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"


class CitationKind(StrEnum):
    """What kind of citation it is (see DESIGN.md, "What counts as a citation")."""

    FOOTNOTE = "footnote"
    INLINE = "inline"
    PROVENANCE = "provenance"
    ATTRIBUTION = "attribution"


class DatePrecision(StrEnum):
    """How much of a date the writer gave: "July 11, 2025" is a day, "July 2025" a month."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class Severity(StrEnum):
    """How bad a finding is; ordered by `rank`."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse: info 1, warning 2, error 3."""
        return {"info": 1, "warning": 2, "error": 3}[self.value]


class ExitCode(IntEnum):
    """Process exit codes: documented in the README and `--help`."""

    OK = 0
    FINDINGS = 1
    USAGE = 2


class LinkVerdict(StrEnum):
    """What fetching a cited URL told us (DESIGN.md, "Verdicts")."""

    OK = "ok"
    REDIRECTED = "redirected"
    DEAD = "dead"
    SOFT_404 = "soft_404"
    BLOCKED = "blocked"
    PAYWALLED = "paywalled"
    TIMEOUT = "timeout"
    ERROR = "error"
    INVALID_URL = "invalid_url"
    NOT_CHECKED = "not_checked"


# --------------------------------------------------------------------------------------------
# Extraction


@dataclass(frozen=True, slots=True)
class Use:
    """One place in the article where a citation is used (a marker, a link, a name)."""

    line: int
    """1-based line in the input file."""
    column: int
    """1-based column (in characters) in the input file."""
    context: str
    """The sentence that carries the use, as plain text."""


@dataclass(frozen=True, slots=True)
class Reference:
    """A reference string split into fields; every field but `raw` may be unknown."""

    raw: str
    outlet: str | None = None
    authors: tuple[str, ...] = ()
    title: str | None = None
    date: str | None = None
    """ISO date: YYYY-MM-DD, YYYY-MM or YYYY, as precise as the writer was."""
    date_precision: DatePrecision | None = None
    accessed: str | None = None
    """ISO date the writer says they accessed the page, as precise as given."""
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Citation:
    """A source the article relies on, with every place it is used."""

    id: str
    """Stable within a document: "fn-3" for footnote 3, "inline-2", "prov-1", "attr-4"."""
    kind: CitationKind
    marker: str | None
    """The footnote label as written ("3", "note-a"), or None for non-footnotes."""
    uses: tuple[Use, ...]
    reference: Reference
    entry_line: int | None = None
    """Line of the notes entry (footnotes) or of the link itself."""
    entry_column: int | None = None


@dataclass(frozen=True, slots=True)
class MarkerUse:
    """A footnote marker in the text, whether or not an entry answers it."""

    label: str
    line: int
    column: int
    context: str


@dataclass(frozen=True, slots=True)
class IgnoredLink:
    """A link that is deliberately not a citation (bio, share, e-mail, comment...)."""

    url: str
    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class Mark:
    """A highlighted stretch of a paragraph that belongs to a citation (for the HTML report)."""

    start: int
    """Offset into `Paragraph.text`."""
    end: int
    citation_id: str | None
    """None for a marker that no notes entry answers."""


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of the article's body text, as plain text."""

    line: int
    text: str
    marks: tuple[Mark, ...] = ()
    in_notes: bool = False
    """True for the notes section itself (not body text: no unsourced-claim findings)."""


@dataclass(frozen=True, slots=True)
class ExtractedDocument:
    """Everything extraction learns from one input file."""

    path: str
    fmt: DocFormat
    title: str | None
    date: str | None
    """The article's own date (ISO), from front matter, meta tags or a dateline."""
    author: str | None
    citations: tuple[Citation, ...]
    ignored_links: tuple[IgnoredLink, ...]
    paragraphs: tuple[Paragraph, ...]
    markers: tuple[MarkerUse, ...] = ()
    """Every marker use in reading order, answered or not (structure checks read these)."""
    notes_numbered: bool = True
    """False when the notes section had unnumbered entries (numbered here in order)."""
    suppressions: tuple[tuple[int, str], ...] = ()
    """(line, rule selector) pairs from `<!-- citeaudit: ignore X -->` comments."""
    unnumbered_entries: tuple[str, ...] = ()
    """Ids of notes entries that carried no number of their own (numbered here in order)."""


# --------------------------------------------------------------------------------------------
# Fetching


@dataclass(frozen=True, slots=True)
class Hop:
    """One redirect: the URL that answered and the status it answered with."""

    url: str
    status: int


@dataclass(frozen=True, slots=True)
class LinkResult:
    """The link verdict for one URL."""

    verdict: LinkVerdict
    status: int | None
    """The last HTTP status, or None when no response came."""
    final_url: str | None
    redirects: tuple[Hop, ...]
    reason: str
    """Why, in words a user understands."""
    from_cache: bool = False
    elapsed_ms: int | None = None
    archive_url: str | None = None
    """A Wayback Machine snapshot offered as a replacement, when the live page failed."""


# --------------------------------------------------------------------------------------------
# Page metadata


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What a fetched page says about itself; each value keeps where it came from."""

    title: str | None = None
    title_source: str | None = None
    """json_ld, og, twitter, meta, title_tag, h1, pdf."""
    site_name: str | None = None
    site_name_source: str | None = None
    published: str | None = None
    """ISO 8601, time zone kept when the page gave one."""
    modified: str | None = None
    date_source: str | None = None
    """json_ld, og, meta, time, url, pdf or heuristic (htmldate: never fails a citation)."""
    canonical_url: str | None = None
    language: str | None = None
    free_to_read: bool | None = None
    from_archive: bool = False
    content_type: str | None = None
    title_candidates: tuple[tuple[str, str], ...] = ()
    """(source, title) pairs, best first, site names stripped; the title check tries each."""
    modified_source: str | None = None
    """Where `modified` came from (same names as date_source)."""


# --------------------------------------------------------------------------------------------
# Checks, rating and score


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One verification's answer: a verdict, a figure and a reason."""

    verdict: str
    reason: str
    score: float | None = None
    """Similarity 0-100 (title)."""
    delta_days: int | None = None
    """Difference in days (date)."""
    source: str | None = None
    """Which page it was checked against: "live" or "archive"."""
    text_fragment: str | None = None
    """Quote check: a `#:~:text=...` suffix for the page URL that lands on the found passage."""


@dataclass(frozen=True, slots=True)
class Checks:
    """All verifications of one citation against its page."""

    title: CheckResult | None = None
    date: CheckResult | None = None
    outlet: CheckResult | None = None
    quote: CheckResult | None = None


@dataclass(frozen=True, slots=True)
class Rating:
    """How reliable the source is, by the outlet-tier rules."""

    outlet: str | None
    tier: int | None
    """1 (best) to 4, or None for unknown."""
    flags: tuple[str, ...] = ()
    matched_by: str = "none"
    """url_prefix, host, domain, suffix, alias or none."""
    rule: str | None = None
    """The domain, prefix or alias that matched."""
    rules_file: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ScorePart:
    """One term of a score: what it is, the points it adds or takes, and why."""

    name: str
    points: float
    reason: str


@dataclass(frozen=True, slots=True)
class Score:
    """A 0-100 score with its breakdown."""

    value: int
    parts: tuple[ScorePart, ...] = ()


# --------------------------------------------------------------------------------------------
# Findings and the report


@dataclass(frozen=True, slots=True)
class Finding:
    """A lint-style finding."""

    id: str
    """Stable rule ID, e.g. "LNK001"."""
    rule: str
    """Kebab-case rule name, e.g. "dead-link"."""
    severity: Severity
    message: str
    line: int | None
    column: int | None
    citation: str | None
    """The id of the citation it concerns, if any."""
    suggestion: str | None = None
    """A suggested fix, e.g. the new URL of a moved link."""


@dataclass(frozen=True, slots=True)
class AuditedCitation:
    """A citation with everything the later stages learned about it."""

    citation: Citation
    link: LinkResult | None = None
    page: PageMeta | None = None
    checks: Checks | None = None
    rating: Rating | None = None
    score: Score | None = None


@dataclass(frozen=True, slots=True)
class DocumentReport:
    """The audit of one input file."""

    document: ExtractedDocument
    citations: tuple[AuditedCitation, ...]
    findings: tuple[Finding, ...]
    score: Score | None = None


@dataclass(frozen=True, slots=True)
class Report:
    """The audit of one run: one or more documents."""

    documents: tuple[DocumentReport, ...]
    tool_version: str
    generated_at: str
    """ISO timestamp; fixed in tests so outputs are deterministic."""
    offline: bool = False
    notes: tuple[str, ...] = field(default=())
    """Run-level warnings (e.g. cache unavailable), shown once."""
