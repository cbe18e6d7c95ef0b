"""The terminal report: a table of citations per document, then the findings.

Strings from pages and drafts are attacker-controlled: control characters and terminal escape
sequences are stripped before anything reaches the terminal.
"""

from __future__ import annotations

import io
import re

from audit.model import AuditedCitation, DocumentReport, Finding, Report, Severity
from audit.render.labels import outlet_label

_CONTROL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|[\x00-\x1f\x7f-\x9f]"
)
_VERDICT_STYLE = {
    "ok": "green",
    "redirected": "yellow",
    "dead": "bold red",
    "soft_404": "bold red",
    "blocked": "magenta",
    "paywalled": "cyan",
    "timeout": "yellow",
    "error": "red",
    "invalid_url": "bold red",
    "not_checked": "dim",
}
_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def safe(text: str | None, limit: int = 200) -> str:
    """A string made harmless for a terminal: no control characters, no escape sequences."""
    if not text:
        return ""
    cleaned = _CONTROL.sub(" ", text[: limit * 4])
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def render_table(report: Report, *, color: bool = False, width: int = 120) -> str:
    """The report as the terminal shows it (color only when asked: NO_COLOR and pipes say no)."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
    )
    for dr in report.documents:
        doc = dr.document
        heading = safe(doc.path)
        if doc.title:
            heading += f" — {safe(doc.title, 80)}"
        if dr.score is not None:
            heading += f"  (score {dr.score.value})"
        console.print(Text(heading, style="bold"), soft_wrap=True)
        if dr.citations:
            table = Table(show_edge=False, pad_edge=False, expand=False)
            for name in ("#", "kind", "outlet", "tier", "link", "title", "date", "score"):
                table.add_column(name, overflow="fold")
            for ac in dr.citations:
                table.add_row(*_row(ac))
            console.print(table)
        else:
            console.print("  no citations found")
        if doc.ignored_links:
            console.print(
                f"  {len(doc.ignored_links)} link(s) ignored (bio, share, e-mail, comments)"
            )
        for f in _sorted_findings(dr.findings):
            style = _SEVERITY_STYLE[f.severity.value]
            where = safe(doc.path)
            if f.line:
                where += f":{f.line}" + (f":{f.column}" if f.column else "")
            line = Text(f"{where}: ")
            line.append(f"{f.id} {f.rule}", style=style)
            line.append(f" [{f.severity.value}] {safe(f.message, 300)}")
            if f.suggestion:
                line.append(f" (suggested: {safe(f.suggestion, 300)})")
            # One finding per line, never wrapped: editors and CI logs jump to path:line:col.
            console.print(line, soft_wrap=True)
        console.print(escape(_counts_line(dr)))
        console.print()
    for note in report.notes:
        console.print(Text(f"note: {safe(note, 300)}", style="dim"))
    return buffer.getvalue()


def _row(ac: AuditedCitation) -> tuple[str, ...]:
    from rich.markup import escape

    c = ac.citation
    label = c.marker or c.id
    outlet = outlet_label(ac)
    tier = "?"
    if ac.rating is not None and ac.rating.tier is not None:
        tier = str(ac.rating.tier)
    link = "—"
    if ac.link is not None:
        style = _VERDICT_STYLE.get(ac.link.verdict.value, "")
        link = f"[{style}]{ac.link.verdict.value}[/]" if style else ac.link.verdict.value
    title = "—"
    date = "—"
    if ac.checks is not None:
        if ac.checks.title is not None:
            title = ac.checks.title.verdict
        if ac.checks.date is not None:
            date = ac.checks.date.verdict
    elif c.reference.title:
        title = "cited"
    if ac.checks is None and c.reference.date:
        date = c.reference.date
    score = str(ac.score.value) if ac.score else "—"
    return (
        escape(safe(label, 12)),
        c.kind.value,
        escape(safe(outlet, 28) or "—"),
        tier,
        link,
        escape(safe(title, 40)),
        escape(safe(date, 12)),
        score,
    )


def _sorted_findings(findings: tuple[Finding, ...]) -> list[Finding]:
    return sorted(findings, key=lambda f: (-f.severity.rank, f.line or 0, f.column or 0, f.id))


def _counts_line(dr: DocumentReport) -> str:
    counts = dict.fromkeys(Severity, 0)
    for f in dr.findings:
        counts[f.severity] += 1
    kinds: dict[str, int] = {}
    for ac in dr.citations:
        kinds[ac.citation.kind.value] = kinds.get(ac.citation.kind.value, 0) + 1
    kind_text = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "0 citations"
    return (
        f"  {len(dr.citations)} citation(s) ({kind_text}); findings: "
        f"{counts[Severity.ERROR]} error, {counts[Severity.WARNING]} warning, "
        f"{counts[Severity.INFO]} info"
    )
