"""Citation and document scores, the summary, and reliability findings (synthetic citations)."""

from __future__ import annotations

import pytest

from audit.checks.reliability import reliability_findings
from audit.errors import ConfigError
from audit.model import (
    AuditedCitation,
    CheckResult,
    Checks,
    Citation,
    CitationKind,
    Finding,
    LinkResult,
    LinkVerdict,
    Rating,
    Reference,
    Severity,
    Use,
)
from audit.scoring import Weights, score_citation, score_document, summarize

URL = "https://news.example.org/2025/07/11/story"


def _ac(
    tier: int | None,
    verdict: LinkVerdict | None = LinkVerdict.OK,
    *,
    url: str | None = URL,
    flags: tuple[str, ...] = (),
    title: str | None = "match",
    archive: str | None = None,
    kind: CitationKind = CitationKind.FOOTNOTE,
) -> AuditedCitation:
    citation = Citation(
        id="fn-1",
        kind=kind,
        marker="1",
        uses=(Use(12, 40, "A claim."),),
        reference=Reference(raw="Example Wire, 'Story', July 11, 2025", url=url),
        entry_line=30,
        entry_column=1,
    )
    link = (
        None if verdict is None else LinkResult(verdict, 200, url, (), "why", archive_url=archive)
    )
    checks = Checks(title=CheckResult(title, "t")) if title else None
    rating = Rating("Example Wire" if tier else None, tier, flags, "domain" if tier else "none")
    return AuditedCitation(citation=citation, link=link, checks=checks, rating=rating)


def test_healthy_tier1_scores_full_marks_with_parts() -> None:
    score = score_citation(_ac(1))
    assert score.value == 100
    assert [p.name for p in score.parts] == ["tier", "link"]
    assert sum(p.points for p in score.parts) == 100


def test_dead_tier1_with_wrong_title_scores_badly() -> None:
    bad = score_citation(_ac(1, LinkVerdict.DEAD, title="mismatch"))
    healthy_tier3 = score_citation(_ac(3))
    assert bad.value <= 30
    assert bad.value < healthy_tier3.value
    assert {p.name for p in bad.parts} == {"tier", "link", "title"}


def test_tiers_order_the_scores() -> None:
    values = [score_citation(_ac(t)).value for t in (1, 2, 3, 4)]
    assert values == sorted(values, reverse=True) and len(set(values)) == 4
    assert score_citation(_ac(None)).value < score_citation(_ac(2)).value


def test_archive_softens_a_dead_link_and_blocked_is_neutral() -> None:
    dead = score_citation(_ac(2, LinkVerdict.DEAD)).value
    archived = score_citation(_ac(2, LinkVerdict.DEAD, archive="https://web.archive.org/x")).value
    blocked = score_citation(_ac(2, LinkVerdict.BLOCKED)).value
    assert dead < archived < blocked
    offline = score_citation(_ac(2, LinkVerdict.NOT_CHECKED))
    assert [p.name for p in offline.parts] == ["tier"]


def test_unlinked_citation_and_state_media_lose_points() -> None:
    unlinked = score_citation(_ac(1, None, url=None, title=None))
    assert any(p.name == "link" and p.points < 0 for p in unlinked.parts)
    state = score_citation(_ac(3, flags=("state_affiliated",)))
    assert state.value < score_citation(_ac(3)).value


def test_weights_from_config() -> None:
    w = Weights.from_mapping({"tier1": 80, "link-ok": 0})
    assert score_citation(_ac(1), w).value == 80
    with pytest.raises(ConfigError, match="unknown key 'tier9'"):
        Weights.from_mapping({"tier9": 1})
    with pytest.raises(ConfigError, match="must be a number"):
        Weights.from_mapping({"tier1": "high"})


def test_document_score_and_summary() -> None:
    cites = [_ac(1), _ac(4, LinkVerdict.DEAD), _ac(2, None, url=None, title=None)]
    loose = Finding("FN001", "marker-without-entry", Severity.ERROR, "m", 3, 1, None)
    tied = Finding("LNK001", "dead-link", Severity.ERROR, "m", 3, 1, "fn-1")
    with_findings = score_document(cites, [loose, tied])
    without = score_document(cites, [])
    assert with_findings.value == without.value - 5  # only the finding not tied to a citation
    assert {p.name for p in with_findings.parts} == {"citations", "uncheckable", "findings"}
    assert score_document([], []).value == 0
    s = summarize(cites)
    assert s.by_tier == {"1": 1, "2": 1, "4": 1}
    assert s.by_link == {"dead": 1, "no_url": 1, "ok": 1}
    assert (s.citations, s.with_url, s.checkable_share) == (3, 2, 0.667)
    assert summarize([]).checkable_share is None


def _names(ac: AuditedCitation) -> list[tuple[str, str]]:
    return [(f.rule, f.severity.value) for f in reliability_findings(ac)]


def test_reliability_findings() -> None:
    assert _names(_ac(4)) == [("low-tier-source", "warning")]
    assert _names(_ac(3)) == [("low-tier-source", "info")]
    assert _names(_ac(1)) == []
    assert _names(_ac(3, flags=("state_affiliated",))) == [("state-affiliated-source", "warning")]
    assert _names(_ac(3, flags=("wiki", "user_generated"))) == [("user-generated-source", "info")]
    assert _names(_ac(3, flags=("social", "user_generated"))) == [("social-media-source", "info")]
    assert _names(_ac(4, flags=("state_affiliated",))) == [
        ("low-tier-source", "warning"),
        ("state-affiliated-source", "warning"),
    ]
    assert _names(_ac(None)) == [("unknown-source", "info")]
    assert _names(_ac(None, url=None, kind=CitationKind.ATTRIBUTION)) == []
    f = reliability_findings(_ac(4))[0]
    assert (f.id, f.line, f.column, f.citation) == ("SRC001", 12, 40, "fn-1")
