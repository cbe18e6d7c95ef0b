"""Findings from verification results: one per failing check, plus an archived copy."""

from __future__ import annotations

from audit.checks.verify_findings import verify_findings
from audit.model import (
    AuditedCitation,
    CheckResult,
    Checks,
    Citation,
    CitationKind,
    LinkResult,
    LinkVerdict,
    PageMeta,
    Reference,
    Use,
)

CITATION = Citation(
    id="fn-2",
    kind=CitationKind.FOOTNOTE,
    marker="2",
    uses=(Use(4, 17, 'He said "we will stay".'),),
    reference=Reference(raw="Reuters, “Title,” July 11, 2025, https://example.org/a"),
    entry_line=30,
    entry_column=1,
)


def _ac(checks: Checks, page: PageMeta | None = None, link: LinkResult | None = None):
    return AuditedCitation(citation=CITATION, checks=checks, page=page or PageMeta(), link=link)


def test_each_failing_check_gives_its_rule() -> None:
    checks = Checks(
        title=CheckResult("mismatch", "the page is titled 'Other'", score=40.0),
        date=CheckResult("mismatch", "10 days from the page's date", delta_days=10),
        outlet=CheckResult("mismatch", "cited as 'Reuters', but the page calls itself 'Hub'"),
        quote=CheckResult("not_found", "not in the page's text: 'we will stay'"),
    )
    found = verify_findings(_ac(checks, PageMeta(date_source="json_ld")))
    by_rule = {f.rule: f for f in found}
    assert set(by_rule) == {"title-mismatch", "date-mismatch", "outlet-mismatch", "quote-not-found"}
    assert by_rule["title-mismatch"].id == "TTL001"
    assert by_rule["quote-not-found"].severity.value == "error"
    # Metadata findings point at the notes entry; the quote at the sentence that carries it.
    assert (by_rule["date-mismatch"].line, by_rule["date-mismatch"].column) == (30, 1)
    assert (by_rule["quote-not-found"].line, by_rule["quote-not-found"].column) == (4, 17)
    assert all(f.citation == "fn-2" for f in found)


def test_partial_title_is_title_changed_and_passing_checks_are_silent() -> None:
    checks = Checks(
        title=CheckResult("partial", "part of the page title", score=80.0),
        date=CheckResult("near", "1 day", delta_days=1),
        outlet=CheckResult("match", "ok"),
        quote=CheckResult("found", "ok"),
    )
    assert [f.rule for f in verify_findings(_ac(checks))] == ["title-changed"]
    assert verify_findings(_ac(Checks())) == []


def test_heuristic_date_never_yields_date_mismatch() -> None:
    checks = Checks(date=CheckResult("mismatch", "guessed", delta_days=400))
    assert verify_findings(_ac(checks, PageMeta(date_source="heuristic"))) == []


def test_archive_available_suggests_the_snapshot() -> None:
    snap = "https://web.archive.org/web/20250711000000/https://example.org/a"
    link = LinkResult(LinkVerdict.DEAD, 404, None, (), "404 Not Found", archive_url=snap)
    checks = Checks(title=CheckResult("mismatch", "x", score=10.0, source="archive"))
    found = verify_findings(_ac(checks, link=link))
    archive = [f for f in found if f.rule == "archive-available"]
    assert len(archive) == 1 and archive[0].suggestion == snap and archive[0].id == "LNK010"
    title = [f for f in found if f.rule == "title-mismatch"]
    assert "archived copy" in title[0].message
