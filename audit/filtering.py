"""Which findings a run reports (--select, --ignore, in-draft suppressions) and its exit code.

Selectors work as ruff's do: a rule ID (`LNK001`), an ID prefix such as a family (`LNK`), a
kebab-case rule name (`dead-link`) or `ALL`. When a rule is matched by both --select and
--ignore, the more specific selector wins (`--select LNK001 --ignore LNK` keeps LNK001); on a
tie, ignore wins.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from audit.checks.registry import BY_ID, RULES, RuleInfo
from audit.errors import ConfigError
from audit.model import DocumentReport, ExitCode, ExtractedDocument, Finding, Report, Severity

FAIL_ON_CHOICES = ("error", "warning", "info", "never")
"""Values of --fail-on / `fail_on`: the least severe finding that fails the run, or never."""

_ALL = frozenset({"ALL", "*"})


def _specificity(selector: str, info: RuleInfo) -> int:
    """How precisely a selector names a rule: 0 no match, 1 ALL, 2+ prefix length, 100 exact."""
    sel = selector.strip()
    if not sel:
        return 0
    if sel.upper() in _ALL:
        return 1
    if sel.lower() == info.name or sel.upper() == info.id:
        return 100
    if info.id.startswith(sel.upper()):
        return 1 + len(sel)
    return 0


def unknown_selectors(selectors: Iterable[str]) -> list[str]:
    """The selectors that name no rule at all (for a usage error that lists them)."""
    return [s for s in selectors if not any(_specificity(s, info) for info in RULES)]


def validate_selectors(selectors: Iterable[str], option: str) -> None:
    """Raise ConfigError naming every selector of `option` that matches no rule."""
    bad = unknown_selectors(selectors)
    if bad:
        raise ConfigError(
            f"{option}: no rule matches {', '.join(repr(b) for b in bad)} "
            "(use an ID such as LNK001, a family prefix such as LNK, or a name such as dead-link)"
        )


def rule_enabled(info: RuleInfo, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """True if a rule is reported under these --select / --ignore lists."""
    chosen = max((_specificity(s, info) for s in select), default=0) if select else 1
    dropped = max((_specificity(s, info) for s in ignore), default=0)
    return chosen > 0 and chosen > dropped


def _lines_of(finding: Finding, doc: ExtractedDocument) -> set[int]:
    """Lines a suppression comment may sit before to silence this finding.

    The finding's own line, and for a citation's finding also the lines of its notes entry and
    of each use: a writer puts the comment above the sentence or above the note, whichever they
    are editing, and either should work.
    """
    lines = {finding.line} if finding.line is not None else set()
    if finding.citation is not None:
        for citation in doc.citations:
            if citation.id == finding.citation:
                if citation.entry_line is not None:
                    lines.add(citation.entry_line)
                lines.update(use.line for use in citation.uses)
    return lines


def _suppressed(finding: Finding, doc: ExtractedDocument) -> bool:
    if not doc.suppressions:
        return False
    info = BY_ID.get(finding.id)
    lines = _lines_of(finding, doc)
    for line, selector in doc.suppressions:
        if line not in lines:
            continue
        # A bare `<!-- citeaudit: ignore -->` comes through as an empty selector: all rules.
        if not selector.strip() or selector.strip().upper() in _ALL:
            return True
        if info is not None and _specificity(selector, info) > 0:
            return True
        if info is None and selector.strip().upper() == finding.id.upper():
            return True
    return False


def filter_findings(
    findings: Iterable[Finding],
    doc: ExtractedDocument,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> list[Finding]:
    """The findings to report: those whose rule is selected and not ignored nor suppressed.

    An empty `select` selects every rule. Findings with an ID outside the registry are kept
    unless a selector names that ID exactly. Never raises: validate selectors beforehand with
    `validate_selectors` to turn a typo into a usage error.
    """
    kept: list[Finding] = []
    for finding in findings:
        info = BY_ID.get(finding.id)
        if info is not None:
            if not rule_enabled(info, select, ignore):
                continue
        elif any(s.strip().upper() == finding.id.upper() for s in ignore):
            continue
        if _suppressed(finding, doc):
            continue
        kept.append(finding)
    return kept


def filter_report(report: Report, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> Report:
    """The report with `filter_findings` applied to every document."""
    docs: list[DocumentReport] = [
        dataclasses.replace(
            d, findings=tuple(filter_findings(d.findings, d.document, select, ignore))
        )
        for d in report.documents
    ]
    return dataclasses.replace(report, documents=tuple(docs))


def severity_sort_key(finding: Finding) -> tuple[int, int, int, str]:
    """Sort key putting the worst findings first, then by line, column and rule ID."""
    return (
        -finding.severity.rank,
        finding.line if finding.line is not None else 0,
        finding.column if finding.column is not None else 0,
        finding.id,
    )


def worst_first(findings: Iterable[Finding]) -> list[Finding]:
    """Findings ordered worst first (errors, then warnings, then info), stable within a rank."""
    return sorted(findings, key=severity_sort_key)


def parse_fail_on(fail_on: str) -> Severity | None:
    """The threshold severity of a --fail-on value (None for `never`); ConfigError if invalid."""
    value = fail_on.strip().lower()
    if value == "never":
        return None
    if value in FAIL_ON_CHOICES:
        return Severity(value)
    raise ConfigError(f"fail_on: {fail_on!r} is not one of {', '.join(FAIL_ON_CHOICES)}")


def exit_code(report: Report, fail_on: str) -> int:
    """ExitCode.FINDINGS if any finding is at or above `fail_on`, else ExitCode.OK.

    Raises ConfigError for a `fail_on` that is not error, warning, info or never.
    """
    threshold = parse_fail_on(fail_on)
    if threshold is None:
        return ExitCode.OK
    for doc in report.documents:
        if any(f.severity.rank >= threshold.rank for f in doc.findings):
            return ExitCode.FINDINGS
    return ExitCode.OK
