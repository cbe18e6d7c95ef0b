"""GitHub annotations: escaping, worst first, and the step summary table."""

from __future__ import annotations

from report_factory import HOSTILE_TITLE, empty_report, make_report

from audit.checks import registry
from audit.render.github import (
    annotation,
    escape_data,
    escape_property,
    github_step_summary,
    render_github,
)


def test_escaping_follows_the_runner_rules() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_annotation_shape() -> None:
    f = registry.finding(
        "dead-link", "gone: 404, sadly\nreally", line=12, column=20, citation="fn-1"
    )
    assert annotation("docs/a,b.md", f) == (
        "::error file=docs/a%2Cb.md,line=12,col=20,title=LNK001 dead-link"
        "::gone: 404, sadly%0Areally"
    )
    note = registry.finding("unsourced-figure", "no source")
    assert annotation("x.md", note) == "::notice file=x.md,title=UNS002 unsourced-figure::no source"


def test_worst_first_and_one_line_per_finding() -> None:
    report = make_report()
    lines = render_github(report).splitlines()
    total = sum(len(d.findings) for d in report.documents)
    assert len(lines) == total
    kinds = [line.split(" ", 1)[0] for line in lines]
    order = {"::error": 0, "::warning": 1, "::notice": 2}
    assert [order[k] for k in kinds] == sorted(order[k] for k in kinds)
    assert kinds[0] == "::error"
    # A message's newline never starts a new (forged) workflow command.
    assert all(line.startswith("::") for line in lines)
    assert any(
        "suggested: https%3A" not in line and "suggested: https://web.archive.org" in line
        for line in lines
    )


def test_clean_report_prints_nothing() -> None:
    assert render_github(empty_report()) == ""


def test_step_summary_lists_every_finding_escaped() -> None:
    report = make_report()
    text = github_step_summary(report)
    assert "| File | Title | Score |" in text
    rows = [
        line
        for line in text.splitlines()
        if line.startswith("| **error**")
        or line.startswith("| warning")
        or line.startswith("| info")
    ]
    assert len(rows) == sum(len(d.findings) for d in report.documents)
    assert HOSTILE_TITLE not in text
    assert "&lt;script&gt;" in text
    assert "drafts/harbour piece.md:11:40" in text
