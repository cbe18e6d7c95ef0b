"""link_findings: one finding per problem verdict, with the moved URL as the suggestion."""

from __future__ import annotations

import pytest

from audit.checks.links import link_findings
from audit.fetch.fetcher import not_checked
from audit.model import Citation, CitationKind, Hop, LinkResult, LinkVerdict, Reference, Use

CITE = Citation(
    id="fn-3",
    kind=CitationKind.FOOTNOTE,
    marker="3",
    uses=(Use(line=4, column=12, context="A claim."),),
    reference=Reference(raw="Example, https://news.example/a", url="https://news.example/a"),
    entry_line=20,
    entry_column=1,
)


def link(verdict: LinkVerdict, final: str | None = "https://news.example/a") -> LinkResult:
    return LinkResult(verdict, 200, final, (), "because")


@pytest.mark.parametrize(
    ("verdict", "rule", "severity"),
    [
        (LinkVerdict.DEAD, "dead-link", "error"),
        (LinkVerdict.SOFT_404, "soft-404", "error"),
        (LinkVerdict.BLOCKED, "blocked-link", "warning"),
        (LinkVerdict.TIMEOUT, "link-timeout", "warning"),
        (LinkVerdict.REDIRECTED, "moved-link", "warning"),
        (LinkVerdict.PAYWALLED, "paywalled-link", "info"),
        (LinkVerdict.ERROR, "fetch-error", "warning"),
    ],
)
def test_each_problem_verdict_has_its_rule(verdict: LinkVerdict, rule: str, severity: str) -> None:
    (found,) = link_findings(CITE, link(verdict))
    assert (found.rule, found.severity.value) == (rule, severity)
    assert (found.line, found.column, found.citation) == (20, 1, "fn-3")
    assert "https://news.example/a" in found.message and "because" in found.message


@pytest.mark.parametrize(
    "verdict", [LinkVerdict.OK, LinkVerdict.INVALID_URL, LinkVerdict.NOT_CHECKED]
)
def test_no_finding_for_ok_invalid_or_not_checked(verdict: LinkVerdict) -> None:
    assert link_findings(CITE, link(verdict)) == []


def test_moved_link_suggests_the_new_url() -> None:
    moved = LinkResult(
        LinkVerdict.REDIRECTED,
        200,
        "https://news.example/b",
        (Hop("https://news.example/a", 301),),
        "moved",
    )
    (found,) = link_findings(CITE, moved)
    assert found.id == "LNK005" and found.suggestion == "https://news.example/b"


def test_dead_link_suggests_the_archive_copy_when_known() -> None:
    dead = LinkResult(
        LinkVerdict.DEAD, 404, None, (), "gone", archive_url="https://web.archive.org/web/1/x"
    )
    (found,) = link_findings(CITE, dead)
    assert found.suggestion == "https://web.archive.org/web/1/x"


def test_not_checked_helper() -> None:
    result = not_checked("offline")
    assert result.verdict is LinkVerdict.NOT_CHECKED and result.reason == "offline"
    assert result.status is None and result.redirects == ()
