"""Reliability findings from a citation's rating: low tier, state media, user-generated, social,
unknown outlet. A pure function of one AuditedCitation.

`unlinked-attribution` is reported by the structure checks (they see the attribution's place in
the text); this module only rates what the tier list says about the source.
"""

from __future__ import annotations

from audit.checks.registry import finding
from audit.model import AuditedCitation, Finding, Severity


def reliability_findings(ac: AuditedCitation) -> list[Finding]:
    """Findings for one citation's source; none if it was not rated."""
    rating = ac.rating
    if rating is None:
        return []
    c = ac.citation
    if c.uses:
        line: int | None = c.uses[0].line
        column: int | None = c.uses[0].column
    else:
        line, column = c.entry_line, c.entry_column

    def make(name: str, message: str, severity: Severity | None = None) -> Finding:
        return finding(name, message, line=line, column=column, citation=c.id, severity=severity)

    out: list[Finding] = []
    outlet = rating.outlet or "the source"
    flags = set(rating.flags)
    if rating.tier is None:
        if c.reference.url:
            out.append(make("unknown-source", f"{_host(c.reference.url)} is not in the tier list"))
        return out
    specific = False
    if "state_affiliated" in flags:
        out.append(make("state-affiliated-source", f"{outlet} is state-affiliated media"))
        specific = True
    if "social" in flags:
        out.append(make("social-media-source", f"{outlet} is a social-media post"))
        specific = True
    elif flags & {"user_generated", "wiki"}:
        kind = "a wiki anyone can edit" if "wiki" in flags else "self-published (user-generated)"
        out.append(make("user-generated-source", f"{outlet} is {kind}"))
        specific = True
    if rating.tier == 4:
        why = f": {rating.note}" if rating.note else ""
        out.insert(0, make("low-tier-source", f"{outlet} is rated tier 4 (unreliable){why}"))
    elif rating.tier == 3 and not specific:
        # Tier 3 is often *because* of a flag reported above; one finding is enough then.
        out.insert(
            0,
            make(
                "low-tier-source",
                f"{outlet} is rated tier 3 (use with care)",
                severity=Severity.INFO,
            ),
        )
    return out


def _host(url: str) -> str:
    from audit.urls import host_of

    # host_of leaves out user-info: a password in a cited URL must not reach a message.
    return host_of(url) or url
