"""`--format github`: GitHub Actions workflow-command annotations, and the step summary.

Annotations look like `::error file=F,line=L,col=C,title=T::message`. GitHub shows at most
10 of each kind per step (and 50 per job), so the worst findings come first; the full list
goes to `$GITHUB_STEP_SUMMARY` as a Markdown table (`github_step_summary`). An `::error`
does not fail the step: the CLI's exit code does.
See https://docs.github.com/actions/reference/workflow-commands-for-github-actions
"""

from __future__ import annotations

from audit.filtering import severity_sort_key
from audit.model import Finding, Report, Severity
from audit.render.markdown import findings_table, headline, summary_table

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}

MAX_SUMMARY_BYTES = 1_000_000
"""GitHub refuses a step summary over 1 MiB; stay under it and say the rest was cut."""


def escape_data(text: str) -> str:
    """Escape an annotation's message as the runner expects (%, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (file, title): as a message, plus ':' and ','."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(path: str, finding: Finding) -> str:
    """One workflow command for one finding."""
    props = [f"file={escape_property(path)}"]
    if finding.line is not None and finding.line > 0:
        props.append(f"line={finding.line}")
        if finding.column is not None and finding.column > 0:
            props.append(f"col={finding.column}")
    props.append(f"title={escape_property(f'{finding.id} {finding.rule}')}")
    message = finding.message
    if finding.suggestion:
        message += f" (suggested: {finding.suggestion})"
    return f"::{_COMMAND[finding.severity]} {','.join(props)}::{escape_data(message)}"


def _ordered(report: Report) -> list[tuple[str, Finding]]:
    rows = [(d.document.path, f) for d in report.documents for f in d.findings]
    # Worst first across all files, so the 10 annotations GitHub shows are the ones that matter.
    rows.sort(key=lambda row: (-row[1].severity.rank, row[0], severity_sort_key(row[1])))
    return rows


def render_github(report: Report) -> str:
    """Every finding as a workflow command, worst first; empty string when there are none."""
    return "".join(annotation(path, f) + "\n" for path, f in _ordered(report))


def github_step_summary(report: Report) -> str:
    """Markdown for `$GITHUB_STEP_SUMMARY`: the summary row per file and every finding."""
    lines = ["## citeaudit", "", headline(report), "", *summary_table(report), ""]
    rows = _ordered(report)
    if rows:
        lines += findings_table([(path, f) for path, f in rows])
    else:
        lines.append("No findings.")
    text = "\n".join(lines) + "\n"
    encoded = text.encode("utf-8")
    if len(encoded) <= MAX_SUMMARY_BYTES:
        return text
    cut = encoded[: MAX_SUMMARY_BYTES - 200].decode("utf-8", "ignore")
    cut = cut[: cut.rfind("\n") + 1]
    return cut + "\n…the table was cut to stay under GitHub's 1 MiB summary limit.\n"
