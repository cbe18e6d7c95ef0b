"""Findings from the verification checks: title, date, outlet, quote, and an archived copy.

Reads an `AuditedCitation` whose `checks` were filled by `audit.checks.verify.verify_citation`
and whose `link.archive_url` may hold a Wayback Machine snapshot. Pure.
"""

from __future__ import annotations

from audit.checks.registry import finding
from audit.model import AuditedCitation, CheckResult, Finding


def _where(ac: AuditedCitation, prefer_use: bool) -> tuple[int | None, int | None]:
    """A quote lives in the text; a title or date lives in the notes entry."""
    c = ac.citation
    use = c.uses[0] if c.uses else None
    if prefer_use and use is not None:
        return use.line, use.column
    if c.entry_line is not None:
        return c.entry_line, c.entry_column
    return (use.line, use.column) if use is not None else (None, None)


def _label(ac: AuditedCitation) -> str:
    c = ac.citation
    return f"note {c.marker}" if c.marker else c.id


def _origin(result: CheckResult) -> str:
    return " (checked against the archived copy)" if result.source == "archive" else ""


def verify_findings(ac: AuditedCitation) -> list[Finding]:
    """title-mismatch, title-changed, date-mismatch, outlet-mismatch, quote-not-found and
    archive-available findings for one citation."""
    out: list[Finding] = []
    checks = ac.checks
    cid = ac.citation.id
    line, column = _where(ac, prefer_use=False)
    label = _label(ac)
    if checks is not None:
        title = checks.title
        if title is not None and title.verdict == "mismatch":
            out.append(
                finding(
                    "title-mismatch",
                    f"{label}: the cited title does not match the page ({title.score}% similar): "
                    f"{title.reason}{_origin(title)}",
                    line=line,
                    column=column,
                    citation=cid,
                )
            )
        elif title is not None and title.verdict == "partial":
            out.append(
                finding(
                    "title-changed",
                    f"{label}: the cited title only partly matches ({title.score}% similar): "
                    f"{title.reason}{_origin(title)}",
                    line=line,
                    column=column,
                    citation=cid,
                )
            )
        dated = checks.date
        # A date only htmldate guessed (related stories, the copyright year) never fails a citation.
        heuristic = ac.page is not None and ac.page.date_source == "heuristic"
        if dated is not None and dated.verdict == "mismatch" and not heuristic:
            out.append(
                finding(
                    "date-mismatch",
                    f"{label}: the cited date is {dated.reason}{_origin(dated)}",
                    line=line,
                    column=column,
                    citation=cid,
                )
            )
        outlet = checks.outlet
        if outlet is not None and outlet.verdict == "mismatch":
            out.append(
                finding(
                    "outlet-mismatch",
                    f"{label}: {outlet.reason}{_origin(outlet)}",
                    line=line,
                    column=column,
                    citation=cid,
                )
            )
        quote = checks.quote
        if quote is not None and quote.verdict == "not_found":
            q_line, q_column = _where(ac, prefer_use=True)
            out.append(
                finding(
                    "quote-not-found",
                    f"{label}: a quoted passage is {quote.reason}{_origin(quote)}",
                    line=q_line,
                    column=q_column,
                    citation=cid,
                )
            )
    archive_url = ac.link.archive_url if ac.link is not None else None
    if archive_url:
        status = ac.link.verdict.value if ac.link is not None else "failed"
        out.append(
            finding(
                "archive-available",
                f"{label}: the live page is {status}; the Wayback Machine has a copy: "
                f"{archive_url}",
                line=line,
                column=column,
                citation=cid,
                suggestion=archive_url,
            )
        )
    return out
