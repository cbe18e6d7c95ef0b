"""`--format markdown`: a summary of the audit for a pull-request comment.

Also the Markdown building blocks (escaped table cells, the per-document summary table, the
findings table) that `audit.render.github` reuses for `$GITHUB_STEP_SUMMARY`. Page titles and
draft text are untrusted: every cell is escaped so it cannot open HTML, break the table, or
@-mention someone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from audit.filtering import worst_first
from audit.model import AuditedCitation, DocumentReport, Finding, Report, Severity
from audit.render.labels import outlet_label

MAX_CELL_CHARS = 200
"""Longer cell text is cut: a 10 kB title would make the comment unreadable."""

MAX_FINDINGS_PER_DOCUMENT = 50
"""Findings listed per document in a PR comment; the rest are counted, not listed."""

_SEVERITY_LABEL = {
    Severity.ERROR: "**error**",
    Severity.WARNING: "warning",
    Severity.INFO: "info",
}

# Characters with a meaning in GitHub-flavoured Markdown tables and inline syntax.
_MD_SPECIAL = set("\\`*_{}[]()#+!|~$")


def md_cell(value: object, limit: int = MAX_CELL_CHARS) -> str:
    """Text made safe for one Markdown table cell (escaped, one line, cut to `limit` chars)."""
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    out: list[str] = []
    for ch in text:
        if ch in _MD_SPECIAL:
            out.append("\\" + ch)
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ch == "&":
            out.append("&amp;")
        elif ch == "@":
            # A zero-width space after @ keeps a page title from pinging a GitHub user or team.
            out.append("@\u200b")
        elif ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0:
            continue
        else:
            out.append(ch)
    return "".join(out)


def severity_counts(findings: Iterable[Finding]) -> dict[Severity, int]:
    """Findings counted by severity (every severity present, zero included)."""
    counts = dict.fromkeys(Severity, 0)
    for f in findings:
        counts[f.severity] += 1
    return counts


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def headline(report: Report) -> str:
    """One line: documents audited and findings by severity."""
    counts = severity_counts(f for d in report.documents for f in d.findings)
    return (
        f"{_plural(len(report.documents), 'document')}, "
        f"{_plural(sum(len(d.citations) for d in report.documents), 'citation')}: "
        f"{_plural(counts[Severity.ERROR], 'error')}, "
        f"{_plural(counts[Severity.WARNING], 'warning')}, "
        f"{counts[Severity.INFO]} info"
    )


def summary_table(report: Report) -> list[str]:
    """A row per document: file, title, score, citations and findings by severity."""
    lines = [
        "| File | Title | Score | Citations | Errors | Warnings | Info |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for doc in report.documents:
        counts = severity_counts(doc.findings)
        score = str(doc.score.value) if doc.score is not None else "–"
        lines.append(
            f"| {md_cell(doc.document.path)} | {md_cell(doc.document.title or '')} | {score} "
            f"| {len(doc.citations)} | {counts[Severity.ERROR]} | {counts[Severity.WARNING]} "
            f"| {counts[Severity.INFO]} |"
        )
    return lines


def _location(path: str | None, finding: Finding) -> str:
    where = "" if finding.line is None else str(finding.line)
    if finding.line is not None and finding.column is not None:
        where += f":{finding.column}"
    if path is None:
        return where or "–"
    return md_cell(f"{path}:{where}" if where else path)


def findings_table(rows: Sequence[tuple[str | None, Finding]]) -> list[str]:
    """A findings table; each row is (file or None to leave the column out, finding)."""
    with_file = any(path is not None for path, _ in rows)
    head = "| Severity | Rule | Location | Message |" if with_file else None
    lines = [head or "| Severity | Rule | Line | Message |", "|---|---|---|---|"]
    for path, f in rows:
        message = f.message if not f.suggestion else f"{f.message} (suggested: {f.suggestion})"
        lines.append(
            f"| {_SEVERITY_LABEL[f.severity]} | {md_cell(f.id)} {md_cell(f.rule)} "
            f"| {_location(path, f)} | {md_cell(message, 400)} |"
        )
    return lines


def _citation_row(ac: AuditedCitation) -> str:
    c = ac.citation
    label = f"[{c.marker}]" if c.marker else c.id
    outlet = outlet_label(ac)
    tier = str(ac.rating.tier) if ac.rating and ac.rating.tier is not None else "?"
    link = ac.link.verdict.value if ac.link else "not_checked"
    title = ac.checks.title.verdict if ac.checks and ac.checks.title else "–"
    date = ac.checks.date.verdict if ac.checks and ac.checks.date else "–"
    score = str(ac.score.value) if ac.score else "–"
    return (
        f"| {md_cell(label)} | {md_cell(outlet, 60)} | {tier} | {md_cell(link)} "
        f"| {md_cell(title)} | {md_cell(date)} | {score} |"
    )


def _document_section(doc: DocumentReport) -> list[str]:
    lines = [f"### {md_cell(doc.document.path)}", ""]
    if doc.document.title:
        lines += [f"*{md_cell(doc.document.title)}*", ""]
    ordered = worst_first(doc.findings)
    if ordered:
        shown = ordered[:MAX_FINDINGS_PER_DOCUMENT]
        lines += findings_table([(None, f) for f in shown])
        if len(ordered) > len(shown):
            lines += ["", f"…and {len(ordered) - len(shown)} more (see the full report)."]
    else:
        lines.append("No findings.")
    if doc.citations:
        lines += [
            "",
            "<details><summary>" + _plural(len(doc.citations), "citation") + "</summary>",
            "",
            "| # | Outlet | Tier | Link | Title | Date | Score |",
            "|---|---|---:|---|---|---|---:|",
            *(_citation_row(ac) for ac in doc.citations),
            "",
            "</details>",
        ]
    return [*lines, ""]


def render_markdown(report: Report) -> str:
    """The report as Markdown for a pull-request comment: summary, findings worst first."""
    lines = ["## citeaudit", "", headline(report), "", *summary_table(report), ""]
    for note in report.notes:
        lines += [f"> {md_cell(note, 400)}", ""]
    for doc in report.documents:
        lines += _document_section(doc)
    lines.append(
        f"<sub>citeaudit {md_cell(report.tool_version)} · {md_cell(report.generated_at)}</sub>"
    )
    return "\n".join(lines) + "\n"
