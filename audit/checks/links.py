"""Link findings: one finding per citation whose link verdict is a problem.

`invalid-url` is not produced here: the structure checks report it from the citation itself.
"""

from __future__ import annotations

from audit.checks.registry import finding
from audit.model import Citation, Finding, LinkResult, LinkVerdict

_RULES: dict[LinkVerdict, tuple[str, str]] = {
    LinkVerdict.DEAD: ("dead-link", "Dead link"),
    LinkVerdict.SOFT_404: ("soft-404", "Soft 404"),
    LinkVerdict.BLOCKED: ("blocked-link", "Could not verify"),
    LinkVerdict.TIMEOUT: ("link-timeout", "Timed out"),
    LinkVerdict.REDIRECTED: ("moved-link", "Moved"),
    LinkVerdict.PAYWALLED: ("paywalled-link", "Paywalled"),
    LinkVerdict.ERROR: ("fetch-error", "Could not fetch"),
}
"""Verdict -> (rule name, message lead). ok, invalid_url and not_checked give no finding."""


def _location(citation: Citation) -> tuple[int | None, int | None]:
    # The notes entry carries the URL, so point there; else the first use in the text.
    if citation.entry_line is not None:
        return citation.entry_line, citation.entry_column
    if citation.uses:
        return citation.uses[0].line, citation.uses[0].column
    return None, None


def link_findings(citation: Citation, link: LinkResult) -> list[Finding]:
    """The finding this link verdict calls for (none for ok, invalid_url, not_checked)."""
    rule = _RULES.get(link.verdict)
    if rule is None:
        return []
    name, lead = rule
    url = citation.reference.url or link.final_url or ""
    line, column = _location(citation)
    suggestion = None
    if link.verdict is LinkVerdict.REDIRECTED and link.final_url:
        suggestion = link.final_url
    elif link.archive_url and link.verdict in (
        LinkVerdict.DEAD,
        LinkVerdict.SOFT_404,
        LinkVerdict.BLOCKED,
        LinkVerdict.TIMEOUT,
    ):
        suggestion = link.archive_url
    return [
        finding(
            name,
            f"{lead}: {link.reason} ({url})",
            line=line,
            column=column,
            citation=citation.id,
            suggestion=suggestion,
        )
    ]
