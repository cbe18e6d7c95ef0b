"""Scores a reader can follow: per citation (0-100) and per document, each with its parts.

A citation starts from its tier's base and gains or loses points for what verification found
(link, title, date, outlet, quote). Every term becomes a `ScorePart`, so the JSON shows exactly
why a citation scored what it did. Weights are a dataclass with documented defaults; the config
can override any of them (`Weights.from_mapping`). Pure functions of the model types.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace

from audit.errors import ConfigError
from audit.model import (
    AuditedCitation,
    Finding,
    LinkVerdict,
    Score,
    ScorePart,
    Severity,
)


@dataclass(frozen=True, slots=True)
class Weights:
    """Points for each term of a score. Defaults are chosen so that a tier-1 source with a
    working, matching link scores 100, and a tier-1 source whose link is dead and whose title
    does not match scores 25 (below any healthy tier-3 citation)."""

    tier1: float = 90.0
    """Base for a tier-1 outlet (wire services, papers of record)."""
    tier2: float = 75.0
    tier3: float = 50.0
    tier4: float = 20.0
    unknown_tier: float = 40.0
    """Base for an outlet the list does not know: neither trusted nor condemned."""
    state_affiliated: float = -10.0
    """On top of the tier: state media needs saying so in the text."""
    link_ok: float = 10.0
    """A link that resolves (or redirects) to a live page."""
    link_redirected: float = 5.0
    link_dead: float = -40.0
    """404/410/unknown host, or a soft 404: the reader cannot check the claim."""
    link_dead_archived: float = -20.0
    """Dead, but the Wayback Machine holds a copy the reader can check."""
    link_blocked: float = 0.0
    """Blocked or paywalled: unverifiable by us, not the writer's fault."""
    link_timeout: float = -5.0
    link_error: float = -10.0
    link_invalid: float = -50.0
    no_link: float = -20.0
    """A citation with no URL at all (an unlinked attribution or a bare reference)."""
    title_partial: float = -5.0
    title_mismatch: float = -25.0
    date_mismatch: float = -10.0
    outlet_mismatch: float = -15.0
    quote_not_found: float = -25.0
    doc_uncheckable: float = -20.0
    """Document: times the share of citations without a URL."""
    doc_error: float = -5.0
    """Document: per error-level finding not tied to a citation (structure problems)."""
    doc_warning: float = -2.0
    doc_findings_cap: float = -25.0
    """Document: the findings penalty never exceeds this."""

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> Weights:
        """Weights from a config table (`[tool.citeaudit.weights]`); unknown keys are an error."""
        known = {f.name for f in fields(cls)}
        changes: dict[str, float] = {}
        for key, value in values.items():
            name = key.replace("-", "_")
            if name not in known:
                raise ConfigError(
                    f"weights: unknown key {key!r} (known: {', '.join(sorted(known))})"
                )
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ConfigError(f"weights: {key} must be a number, not {value!r}")
            changes[name] = float(value)
        return replace(cls(), **changes)


DEFAULT_WEIGHTS = Weights()

_DEAD = {LinkVerdict.DEAD, LinkVerdict.SOFT_404}
_UNVERIFIABLE = {LinkVerdict.BLOCKED, LinkVerdict.PAYWALLED}


def score_citation(ac: AuditedCitation, weights: Weights = DEFAULT_WEIGHTS) -> Score:
    """Score one audited citation from its rating, link verdict and checks (0-100)."""
    w = weights
    parts: list[ScorePart] = []
    rating = ac.rating
    tier = rating.tier if rating else None
    bases = {1: w.tier1, 2: w.tier2, 3: w.tier3, 4: w.tier4}
    outlet = (rating.outlet if rating else None) or "unknown outlet"
    if tier in bases:
        parts.append(ScorePart("tier", bases[tier], f"{outlet} is tier {tier}"))
    else:
        parts.append(ScorePart("tier", w.unknown_tier, "the outlet is not in the tier list"))
    if rating and "state_affiliated" in rating.flags and w.state_affiliated:
        parts.append(ScorePart("state_affiliated", w.state_affiliated, "state-affiliated media"))

    link_part = _link_part(ac, w)
    if link_part is not None:
        parts.append(link_part)
    parts.extend(_check_parts(ac, w))
    return Score(value=_clamp(sum(p.points for p in parts)), parts=tuple(parts))


def _link_part(ac: AuditedCitation, w: Weights) -> ScorePart | None:
    if not ac.citation.reference.url:
        return ScorePart("link", w.no_link, "no link: a reader cannot check the source")
    link = ac.link
    if link is None or link.verdict is LinkVerdict.NOT_CHECKED:
        return None  # offline or skipped: no evidence either way
    v = link.verdict
    if v is LinkVerdict.OK:
        return ScorePart("link", w.link_ok, "the link works")
    if v is LinkVerdict.REDIRECTED:
        return ScorePart("link", w.link_redirected, "the link redirects to a new address")
    if v in _DEAD:
        if link.archive_url:
            return ScorePart(
                "link", w.link_dead_archived, "the link is dead; an archived copy exists"
            )
        return ScorePart("link", w.link_dead, "the link is dead")
    if v in _UNVERIFIABLE:
        return ScorePart("link", w.link_blocked, f"the link could not be checked ({v.value})")
    if v is LinkVerdict.TIMEOUT:
        return ScorePart("link", w.link_timeout, "the site did not answer in time")
    if v is LinkVerdict.INVALID_URL:
        return ScorePart("link", w.link_invalid, "the URL is not valid")
    return ScorePart("link", w.link_error, f"the link failed ({link.reason})")


def _check_parts(ac: AuditedCitation, w: Weights) -> list[ScorePart]:
    checks = ac.checks
    if checks is None:
        return []
    parts: list[ScorePart] = []
    if checks.title is not None:
        if checks.title.verdict == "partial":
            parts.append(ScorePart("title", w.title_partial, "the title only partly matches"))
        elif checks.title.verdict == "mismatch":
            parts.append(ScorePart("title", w.title_mismatch, "the title does not match the page"))
    if checks.date is not None and checks.date.verdict == "mismatch":
        parts.append(ScorePart("date", w.date_mismatch, "the date does not match the page"))
    if checks.outlet is not None and checks.outlet.verdict == "mismatch":
        parts.append(ScorePart("outlet", w.outlet_mismatch, "the named outlet did not publish it"))
    if checks.quote is not None and checks.quote.verdict == "not_found":
        parts.append(ScorePart("quote", w.quote_not_found, "the quote is not in the page"))
    return parts


def _clamp(points: float) -> int:
    return round(min(100.0, max(0.0, points)))


def score_document(
    citations: Sequence[AuditedCitation],
    findings: Sequence[Finding],
    weights: Weights = DEFAULT_WEIGHTS,
) -> Score:
    """The document's score: the mean citation score, less penalties for uncheckable sources
    and for document-level (structure) findings. A document with no citations scores 0."""
    w = weights
    if not citations:
        return Score(0, (ScorePart("citations", 0.0, "no citations: nothing supports the text"),))
    values = [(ac.score or score_citation(ac, w)).value for ac in citations]
    mean = sum(values) / len(values)
    parts = [ScorePart("citations", round(mean, 1), f"mean of {len(values)} citation scores")]
    uncheckable = sum(1 for ac in citations if not ac.citation.reference.url) / len(citations)
    if uncheckable and w.doc_uncheckable:
        parts.append(
            ScorePart(
                "uncheckable",
                round(w.doc_uncheckable * uncheckable, 1),
                f"{uncheckable:.0%} of citations have no link",
            )
        )
    # Findings tied to a citation already cost that citation points; count only the others.
    loose = Counter(f.severity for f in findings if f.citation is None)
    penalty = loose[Severity.ERROR] * w.doc_error + loose[Severity.WARNING] * w.doc_warning
    penalty = max(penalty, w.doc_findings_cap)
    if penalty:
        reason = f"{loose[Severity.ERROR]} errors, {loose[Severity.WARNING]} warnings in structure"
        parts.append(ScorePart("findings", penalty, reason))
    return Score(value=_clamp(sum(p.points for p in parts)), parts=tuple(parts))


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts for a document: citations by tier and by link verdict, and how many are checkable."""

    citations: int
    by_tier: dict[str, int]
    """"1".."4" and "unknown"."""
    by_link: dict[str, int]
    """Link verdicts, plus "no_url" for citations without a link."""
    with_url: int
    checkable_share: float | None
    """Share of citations with a URL a reader can follow (None with no citations)."""


def summarize(citations: Sequence[AuditedCitation]) -> Summary:
    """Counts by tier and by link verdict, and the share of citations with a checkable URL."""
    by_tier: Counter[str] = Counter()
    by_link: Counter[str] = Counter()
    with_url = 0
    for ac in citations:
        tier = ac.rating.tier if ac.rating else None
        by_tier[str(tier) if tier is not None else "unknown"] += 1
        if not ac.citation.reference.url:
            by_link["no_url"] += 1
            continue
        with_url += 1
        by_link[ac.link.verdict.value if ac.link else LinkVerdict.NOT_CHECKED.value] += 1
    total = len(citations)
    return Summary(
        citations=total,
        by_tier=dict(sorted(by_tier.items())),
        by_link=dict(sorted(by_link.items())),
        with_url=with_url,
        checkable_share=round(with_url / total, 3) if total else None,
    )
