"""--select / --ignore like ruff, in-draft suppressions, and --fail-on exit codes."""

from __future__ import annotations

import dataclasses

import pytest

from audit.checks import registry
from audit.errors import ConfigError
from audit.filtering import (
    exit_code,
    filter_findings,
    filter_report,
    validate_selectors,
    worst_first,
)
from audit.model import (
    Citation,
    CitationKind,
    DocFormat,
    DocumentReport,
    ExitCode,
    ExtractedDocument,
    Finding,
    Reference,
    Report,
    Use,
)


def _doc(suppressions: tuple[tuple[int, str], ...] = ()) -> ExtractedDocument:
    cite = Citation(
        id="fn-1",
        kind=CitationKind.FOOTNOTE,
        marker="1",
        uses=(Use(4, 10, "A claim."),),
        reference=Reference(raw="https://a.example", url="https://a.example"),
        entry_line=20,
    )
    return ExtractedDocument(
        path="a.md",
        fmt=DocFormat.MARKDOWN,
        title=None,
        date=None,
        author=None,
        citations=(cite,),
        ignored_links=(),
        paragraphs=(),
        suppressions=suppressions,
    )


FINDINGS = [
    registry.finding("dead-link", "gone", line=20, citation="fn-1"),
    registry.finding("moved-link", "moved", line=30),
    registry.finding("title-mismatch", "other title", line=20, citation="fn-1"),
    registry.finding("unknown-source", "unrated", line=40),
]


def _ids(findings: list[Finding]) -> list[str]:
    return [f.id for f in findings]


@pytest.mark.parametrize(
    ("select", "ignore", "expected"),
    [
        ((), (), ["LNK001", "LNK005", "TTL001", "SRC005"]),
        (("LNK",), (), ["LNK001", "LNK005"]),
        (("dead-link",), (), ["LNK001"]),
        (("lnk001", "TTL"), (), ["LNK001", "TTL001"]),
        ((), ("LNK",), ["TTL001", "SRC005"]),
        (("LNK001",), ("LNK",), ["LNK001"]),  # the more specific selector wins
        (("LNK",), ("LNK001",), ["LNK005"]),
        (("ALL",), ("moved-link",), ["LNK001", "TTL001", "SRC005"]),
        (("LNK",), ("LNK",), []),  # a tie goes to ignore
    ],
)
def test_select_and_ignore(
    select: tuple[str, ...], ignore: tuple[str, ...], expected: list[str]
) -> None:
    assert _ids(filter_findings(FINDINGS, _doc(), select, ignore)) == expected


def test_suppression_on_the_finding_line_or_the_citation_lines() -> None:
    # The comment above the notes entry (line 20) silences LNK001 only.
    assert _ids(filter_findings(FINDINGS, _doc(((20, "LNK001"),)))) == [
        "LNK005",
        "TTL001",
        "SRC005",
    ]
    # Above the sentence that uses the citation (line 4) works too; a family silences both.
    kept = filter_findings(FINDINGS, _doc(((4, "LNK"), (4, "title-mismatch"))))
    assert _ids(kept) == ["LNK005", "SRC005"]
    # A bare ignore silences every rule on that line; other lines are untouched.
    assert _ids(filter_findings(FINDINGS, _doc(((30, ""),)))) == ["LNK001", "TTL001", "SRC005"]
    # A selector on the wrong line or naming no rule does nothing (and never raises).
    assert len(filter_findings(FINDINGS, _doc(((31, "LNK005"), (30, "NOPE"))))) == 4


def test_unknown_selectors_are_usage_errors() -> None:
    validate_selectors(["LNK", "dead-link", "ALL", "FN001"], "--select")
    with pytest.raises(ConfigError, match=r"--ignore: no rule matches 'LNX', 'dead_link'"):
        validate_selectors(["LNX", "dead_link"], "--ignore")


def _report(findings: list[Finding]) -> Report:
    doc = DocumentReport(document=_doc(), citations=(), findings=tuple(findings))
    return Report(documents=(doc,), tool_version="0", generated_at="2026-01-01T00:00:00Z")


@pytest.mark.parametrize(
    ("fail_on", "findings", "expected"),
    [
        ("error", FINDINGS, ExitCode.FINDINGS),
        ("error", FINDINGS[1:], ExitCode.OK),
        ("warning", FINDINGS[1:], ExitCode.FINDINGS),
        ("warning", FINDINGS[3:], ExitCode.OK),
        ("info", FINDINGS[3:], ExitCode.FINDINGS),
        ("INFO", [], ExitCode.OK),
        ("never", FINDINGS, ExitCode.OK),
    ],
)
def test_exit_code(fail_on: str, findings: list[Finding], expected: ExitCode) -> None:
    assert exit_code(_report(findings), fail_on) == expected


def test_bad_fail_on() -> None:
    with pytest.raises(
        ConfigError, match="fail_on: 'fatal' is not one of error, warning, info, never"
    ):
        exit_code(_report([]), "fatal")


def test_filter_report_and_worst_first() -> None:
    report = filter_report(_report(FINDINGS), ignore=["SRC"])
    assert _ids(list(report.documents[0].findings)) == ["LNK001", "LNK005", "TTL001"]
    late_error = dataclasses.replace(FINDINGS[0], line=99)
    assert _ids(worst_first([FINDINGS[3], FINDINGS[1], late_error])) == [
        "LNK001",
        "LNK005",
        "SRC005",
    ]
