"""`--format html`: one self-contained HTML audit report (inline CSS, JS and SVG).

The page makes no request of any kind: styles, script and the chart are inline, and a
Content-Security-Policy with `default-src 'none'` (and hashes of our own style and script)
makes the browser refuse anything else, as a second line of defence behind escaping. Every
string that came from a page or a draft goes through Jinja2 autoescaping, and only http(s)
URLs ever become links (a cited `javascript:` URL is shown as text).

This module turns the Report into small view objects (pure); `templates/report.html.j2` lays
them out.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from audit.filtering import worst_first
from audit.model import (
    AuditedCitation,
    DocumentReport,
    Finding,
    LinkVerdict,
    Paragraph,
    Report,
    Severity,
)

VERDICT_ORDER = tuple(LinkVerdict)
TIER_LABELS = ("1", "2", "3", "4", "unknown")
SEVERITIES = tuple(s.value for s in Severity)

_CHART_WIDTH = 320
_CHART_LABEL = 64
_CHART_ROW = 22


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of paragraph text; `anchor` set when it is a mark linked to a card."""

    text: str
    is_mark: bool = False
    anchor: str | None = None
    mark_id: str | None = None


@dataclass(frozen=True, slots=True)
class ParagraphView:
    line: int
    in_notes: bool
    segments: tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class Hyperlink:
    """A URL to show; `href` is None when it must not be clickable (not http/https)."""

    text: str
    href: str | None


@dataclass(frozen=True, slots=True)
class CardView:
    ac: AuditedCitation
    anchor: str
    label: str
    verdict: str
    tier: str
    severities: str
    """Space-separated severities of its findings, or "none" (read by the filter script)."""
    findings: tuple[Finding, ...]
    url: Hyperlink | None
    final_url: Hyperlink | None
    archive_url: Hyperlink | None
    redirects: tuple[tuple[Hyperlink, int], ...]
    back_links: tuple[tuple[str, str, str], ...]
    """(mark id, label, tooltip) of each place in the article text that cites it."""
    """Ids of the marks in the text that point at this card."""


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    width: float
    verdict: str
    count: int


@dataclass(frozen=True, slots=True)
class ChartRow:
    label: str
    y: int
    bars: tuple[Bar, ...]
    total: int


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    label_width: int
    rows: tuple[ChartRow, ...]
    legend: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DocView:
    index: int
    anchor: str
    report: DocumentReport
    heading: str
    cards: tuple[CardView, ...]
    paragraphs: tuple[ParagraphView, ...]
    raw_text: str | None
    loose_findings: tuple[Finding, ...]
    verdict_counts: tuple[tuple[str, int], ...]
    tier_counts: tuple[tuple[str, int], ...]
    severity_counts: tuple[tuple[str, int], ...]
    ignored: tuple[tuple[Hyperlink, int, str], ...]
    chart: Chart


def hyperlink(url: str | None) -> Hyperlink | None:
    """A URL for display; clickable only when it is a plain http(s) URL with a host."""
    if not url:
        return None
    href: str | None = None
    try:
        parts = urlsplit(url)
        if (
            parts.scheme.lower() in ("http", "https")
            and parts.netloc
            and not any(ch.isspace() or ord(ch) < 32 for ch in url)
        ):
            href = url
    except ValueError:
        href = None
    return Hyperlink(url, href)


def _verdict(ac: AuditedCitation) -> str:
    return ac.link.verdict.value if ac.link is not None else LinkVerdict.NOT_CHECKED.value


def _tier(ac: AuditedCitation) -> str:
    tier = ac.rating.tier if ac.rating is not None else None
    return str(tier) if tier in (1, 2, 3, 4) else "unknown"


def paragraph_segments(
    paragraph: Paragraph, anchors: Mapping[str, str], prefix: str
) -> tuple[Segment, ...]:
    """Split a paragraph into text and marks, skipping overlapping or out-of-range marks."""
    text = paragraph.text
    out: list[Segment] = []
    pos = 0
    for n, mark in enumerate(sorted(paragraph.marks, key=lambda m: (m.start, m.end))):
        start, end = max(mark.start, 0), min(mark.end, len(text))
        if start < pos or end <= start:
            continue
        if start > pos:
            out.append(Segment(text[pos:start]))
        anchor = anchors.get(mark.citation_id) if mark.citation_id is not None else None
        out.append(Segment(text[start:end], True, anchor, f"{prefix}-m{paragraph.line}-{n}"))
        pos = end
    if pos < len(text):
        out.append(Segment(text[pos:]))
    return tuple(out)


def _chart(cards: Sequence[CardView]) -> Chart:
    counts: Counter[tuple[str, str]] = Counter((c.tier, c.verdict) for c in cards)
    totals = Counter(c.tier for c in cards)
    widest = max(totals.values(), default=0) or 1
    scale = (_CHART_WIDTH - _CHART_LABEL - 30) / widest
    rows: list[ChartRow] = []
    for i, tier in enumerate(TIER_LABELS):
        x = float(_CHART_LABEL)
        bars: list[Bar] = []
        for verdict in VERDICT_ORDER:
            n = counts[(tier, verdict.value)]
            if n:
                bars.append(Bar(round(x, 2), round(n * scale, 2), verdict.value, n))
                x += n * scale
        rows.append(ChartRow(tier, i * _CHART_ROW, tuple(bars), totals[tier]))
    legend = tuple(v.value for v in VERDICT_ORDER if any(c.verdict == v.value for c in cards))
    return Chart(_CHART_WIDTH, len(TIER_LABELS) * _CHART_ROW, _CHART_LABEL, tuple(rows), legend)


def _back_links(places: Sequence[tuple[str, bool]]) -> tuple[tuple[str, str, str], ...]:
    """Links from a card to where the article cites it: each use in the text ("↑ text", or
    "↑ text 1", "↑ text 2", ... for several), and its entry among the notes ("↑ note")."""
    uses = [m for m, in_notes in places if not in_notes]
    out = [
        (m, "↑ text" if len(uses) == 1 else f"↑ text {i}", "Back to the text")
        for i, m in enumerate(uses, 1)
    ]
    out += [(m, "↑ note", "To its entry in the notes") for m, in_notes in places if in_notes]
    return tuple(out)


def _card(
    ac: AuditedCitation,
    anchor: str,
    findings: Sequence[Finding],
    back: Sequence[tuple[str, str, str]],
) -> CardView:
    c = ac.citation
    link = ac.link
    severities = sorted({f.severity.value for f in findings}, key=SEVERITIES.index)
    final = (
        link.final_url if link and link.final_url and link.final_url != c.reference.url else None
    )
    redirects = tuple(
        (h, hop.status)
        for hop in (link.redirects if link else ())
        if (h := hyperlink(hop.url)) is not None
    )
    return CardView(
        ac=ac,
        anchor=anchor,
        label=f"[{c.marker}]" if c.marker else c.id,
        verdict=_verdict(ac),
        tier=_tier(ac),
        severities=" ".join(severities) or "none",
        findings=tuple(worst_first(findings)),
        url=hyperlink(c.reference.url),
        final_url=hyperlink(final),
        archive_url=hyperlink(link.archive_url if link else None),
        redirects=redirects,
        back_links=tuple(back),
    )


def _document_view(
    index: int, doc: DocumentReport, source_texts: Mapping[str, str] | None
) -> DocView:
    prefix = f"d{index}"
    anchors = {ac.citation.id: f"{prefix}-c{i}" for i, ac in enumerate(doc.citations, 1)}
    paragraphs = tuple(
        ParagraphView(p.line, p.in_notes, paragraph_segments(p, anchors, prefix))
        for p in doc.document.paragraphs
    )
    places: dict[str, list[tuple[str, bool]]] = {}
    for p in paragraphs:
        for s in p.segments:
            if s.anchor is not None and s.mark_id is not None:
                places.setdefault(s.anchor, []).append((s.mark_id, p.in_notes))
    back = {anchor: _back_links(found) for anchor, found in places.items()}
    by_citation: dict[str, list[Finding]] = {}
    loose: list[Finding] = []
    for f in doc.findings:
        if f.citation is not None and f.citation in anchors:
            by_citation.setdefault(f.citation, []).append(f)
        else:
            loose.append(f)
    cards = tuple(
        _card(
            ac,
            anchors[ac.citation.id],
            by_citation.get(ac.citation.id, []),
            back.get(anchors[ac.citation.id], []),
        )
        for ac in doc.citations
    )
    verdicts = Counter(c.verdict for c in cards)
    tiers = Counter(c.tier for c in cards)
    severities = Counter(f.severity.value for f in doc.findings)
    raw = None
    if not paragraphs and source_texts is not None:
        raw = source_texts.get(doc.document.path)
    return DocView(
        index=index,
        anchor=f"doc-{index}",
        report=doc,
        heading=doc.document.title or doc.document.path,
        cards=cards,
        paragraphs=paragraphs,
        raw_text=raw,
        loose_findings=tuple(worst_first(loose)),
        verdict_counts=tuple((v.value, verdicts[v.value]) for v in VERDICT_ORDER if verdicts[v]),
        tier_counts=tuple((t, tiers[t]) for t in TIER_LABELS if tiers[t]),
        severity_counts=tuple((s, severities[s]) for s in SEVERITIES),
        ignored=tuple(
            (h, link.line, link.reason)
            for link in doc.document.ignored_links
            if (h := hyperlink(link.url)) is not None
        ),
        chart=_chart(cards),
    )


@cache
def _asset(name: str) -> str:
    return resources.files("audit.render").joinpath("templates", name).read_text("utf-8")


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("audit.render", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["words"] = lambda value: str(value).replace("_", " ")
    return env


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def render_html(report: Report, source_texts: Mapping[str, str] | None = None) -> str:
    """The report as one self-contained HTML page.

    `source_texts` maps a document's path to its raw text; it is shown (escaped) only for a
    document that has no extracted paragraphs.
    """
    css, js = _asset("report.css"), _asset("report.js")
    csp = (
        "default-src 'none'; img-src data:; base-uri 'none'; form-action 'none'; "
        f"style-src {_csp_hash(css)}; script-src {_csp_hash(js)}"
    )
    docs = tuple(_document_view(i, d, source_texts) for i, d in enumerate(report.documents, 1))
    all_verdicts = [
        v.value for v in VERDICT_ORDER if any(c.verdict == v for d in docs for c in d.cards)
    ]
    template = _environment().get_template("report.html.j2")
    return template.render(
        report=report,
        docs=docs,
        css=Markup(css),  # our own files, not untrusted text
        js=Markup(js),
        csp=csp,
        verdicts=all_verdicts,
        severities=SEVERITIES,
        total_cards=sum(len(d.cards) for d in docs),
    )
