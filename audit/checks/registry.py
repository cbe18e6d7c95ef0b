"""The catalogue of finding rules: stable IDs, kebab-case names, default severities and help.

IDs are never reused or renumbered. `docs/rules.md` is generated from this table
(`python -m audit.checks.registry > docs/rules.md`) and a test keeps the two in sync.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from audit.model import Finding, Severity


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """One rule of the catalogue."""

    id: str
    name: str
    severity: Severity
    family: str
    summary: str
    example: str
    """A short example of text that triggers it."""
    help: str
    """How to fix it."""


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

FAMILIES = {
    "FN": "structure",
    "LNK": "link",
    "TTL": "title",
    "DAT": "date",
    "OUT": "outlet",
    "QUO": "quote",
    "SRC": "reliability",
    "UNS": "unsourced",
}

RULES: tuple[RuleInfo, ...] = (
    RuleInfo(
        "FN001",
        "marker-without-entry",
        _E,
        "structure",
        "A footnote marker has no entry in the notes section.",
        "Text with a marker⁷ but the notes list only six entries.",
        "Add the missing note, or remove the marker.",
    ),
    RuleInfo(
        "FN002",
        "entry-never-cited",
        _W,
        "structure",
        "A notes entry is never referred to by a marker in the text. A list of sources without"
        " numbers of which no entry is cited by a marker is a bibliography and is not flagged;"
        " nor is an entry whose URL the text links directly.",
        "Notes 1-9 where no sentence carries marker 9.",
        "Cite the entry where its claim is made, or remove it.",
    ),
    RuleInfo(
        "FN003",
        "marker-reused",
        _I,
        "structure",
        "One marker is attached to several different claims.",
        "Marker ¹ after a sentence about a letter and again after one about a pipeline.",
        "Check that the one source really supports every claim; give each its own note.",
    ),
    RuleInfo(
        "FN004",
        "numbering-gap",
        _W,
        "structure",
        "Footnote numbers skip or repeat.",
        "Markers 1, 2, 4 with no 3.",
        "Renumber the notes so they run in order.",
    ),
    RuleInfo(
        "FN005",
        "duplicate-url",
        _W,
        "structure",
        "The same URL is cited under two different notes.",
        "Notes 2 and 5 both point to https://example.org/story.",
        "Reuse one note for the source, or check that one of them is the wrong link.",
    ),
    RuleInfo(
        "LNK001",
        "dead-link",
        _E,
        "link",
        "The cited URL is gone (404, 410, unknown host, refused).",
        "https://example.org/removed answers 404 Not Found.",
        "Replace it with the page's new address or an archived copy.",
    ),
    RuleInfo(
        "LNK002",
        "soft-404",
        _E,
        "link",
        "The page answers but says it is not found, or sends you to the home page.",
        "A 200 page titled 'Page not found'.",
        "Find where the story moved, or cite an archived copy.",
    ),
    RuleInfo(
        "LNK003",
        "blocked-link",
        _W,
        "link",
        "The site refused an automated check (bot wall, 401, 403, 429); it could not be verified.",
        "A Cloudflare 'Just a moment...' challenge.",
        "Open it in a browser to confirm; an archived copy can be checked instead.",
    ),
    RuleInfo(
        "LNK004",
        "link-timeout",
        _W,
        "link",
        "The site did not answer in time.",
        "A server that never sends its response.",
        "Retry later; if it persists, cite an archived copy.",
    ),
    RuleInfo(
        "LNK005",
        "moved-link",
        _W,
        "link",
        "The URL redirects to another page for good; cite the new address.",
        "http://example.org/a answers 301 to https://example.org/b.",
        "Replace the URL with the one suggested.",
    ),
    RuleInfo(
        "LNK006",
        "paywalled-link",
        _I,
        "link",
        "The page is behind a paywall; readers may not be able to check it.",
        "A page whose structured data says isAccessibleForFree: false.",
        "Consider a free source for the same fact, or an archived copy.",
    ),
    RuleInfo(
        "LNK007",
        "fetch-error",
        _W,
        "link",
        "The page could not be fetched (TLS error, protocol error, redirect loop, too large).",
        "A certificate for the wrong host name.",
        "Check the URL in a browser; the reason says what failed.",
    ),
    RuleInfo(
        "LNK008",
        "invalid-url",
        _E,
        "link",
        "The cited URL is not a valid web address.",
        "htps//example.org or a URL with spaces in its host.",
        "Correct the URL.",
    ),
    RuleInfo(
        "LNK009",
        "insecure-link",
        _I,
        "link",
        "The citation uses http:// where https:// is expected. A bare link written without a"
        " scheme (`www.example.org/story`) is not flagged: the http:// is the reader's guess.",
        "http://www.example.org/story",
        "Use the https:// address if the site offers it.",
    ),
    RuleInfo(
        "LNK010",
        "archive-available",
        _I,
        "link",
        "The live page failed, but the Wayback Machine holds a copy.",
        "A dead link with a snapshot from the cited date.",
        "Cite the archived copy beside (or instead of) the dead link.",
    ),
    RuleInfo(
        "TTL001",
        "title-mismatch",
        _W,
        "title",
        "The cited title does not match the page's title.",
        "Cited 'Talks collapse' for a page titled 'Minister visits Paris'.",
        "Check that the link points to the story you meant, and copy its title.",
    ),
    RuleInfo(
        "TTL002",
        "title-changed",
        _I,
        "title",
        "The cited title only partly matches: the page was likely retitled.",
        "Cited 'Talks stall in Geneva' for 'Talks stall in Geneva as envoys leave early'.",
        "Update the title to the page's current one, or note the original.",
    ),
    RuleInfo(
        "DAT001",
        "date-mismatch",
        _W,
        "date",
        "The cited date differs from the page's published date.",
        "Cited June 9, 2025 for a page published 2024-06-09.",
        "Copy the date from the page.",
    ),
    RuleInfo(
        "DAT002",
        "url-date-mismatch",
        _W,
        "date",
        "A date in the URL's path disagrees with the cited date.",
        "Cited July 1, 2025 for https://example.org/2024/03/02/story.",
        "Check the date and the link: one of them is wrong.",
    ),
    RuleInfo(
        "DAT003",
        "future-citation-date",
        _W,
        "date",
        "The cited date is after the article's own date.",
        "An article dated 2025-03-01 citing a story of 2025-06-01.",
        "Correct the cited date or the article's date.",
    ),
    RuleInfo(
        "DAT004",
        "missing-date",
        _I,
        "date",
        "The citation gives no date (neither published nor accessed).",
        "Example Times, 'A story', https://example.org/story",
        "Add the publication date, or an accessed date for undated pages.",
    ),
    RuleInfo(
        "OUT001",
        "outlet-mismatch",
        _W,
        "outlet",
        "The outlet named in the citation is neither the one the tier list gives the page's host "
        "nor the site name the page gives. A suffix rule (`.gov.uk`, a blog platform) names a "
        "class of sites, not a publisher, so it is not compared.",
        "'Reuters' cited for a page on a content farm that republished the story.",
        "Cite the original outlet's page, or name the outlet you linked.",
    ),
    RuleInfo(
        "QUO001",
        "quote-not-found",
        _E,
        "quote",
        "A quoted passage in the cited sentence is not in the cited page.",
        "'\"we will never leave\"' with a source page that does not say it.",
        "Check the wording against the source, or cite the page that has it.",
    ),
    RuleInfo(
        "SRC001",
        "low-tier-source",
        _W,
        "reliability",
        "The source is rated tier 4 (warning) or tier 3 (info) in the outlet list.",
        "A link to a site known for fabricated stories.",
        "Find a better-rated source for the same fact.",
    ),
    RuleInfo(
        "SRC002",
        "state-affiliated-source",
        _W,
        "reliability",
        "The source is state-affiliated media.",
        "A link to a state-controlled broadcaster's site.",
        "Say so in the text, or corroborate with an independent source.",
    ),
    RuleInfo(
        "SRC003",
        "user-generated-source",
        _I,
        "reliability",
        "The source is user-generated (blog platform, newsletter, wiki).",
        "A Medium post or a Wikipedia article.",
        "Cite the primary source the page relies on.",
    ),
    RuleInfo(
        "SRC004",
        "social-media-source",
        _I,
        "reliability",
        "The source is a social-media post.",
        "A link to a post on X or Telegram.",
        "Check that the account is who it claims; cite reporting about the post if you can.",
    ),
    RuleInfo(
        "SRC005",
        "unknown-source",
        _I,
        "reliability",
        "The outlet is not in the tier list.",
        "A link to a small site nobody has rated.",
        "Check the outlet's standards; add it to your own rules file.",
    ),
    RuleInfo(
        "SRC006",
        "unlinked-attribution",
        _I,
        "reliability",
        "An outlet is named as a source but not linked.",
        "'According to The New York Times, ...' with no link.",
        "Link the story you mean so readers can check it.",
    ),
    RuleInfo(
        "UNS001",
        "unsourced-quote",
        _I,
        "unsourced",
        "A direct quote in a paragraph with no citation.",
        "'\"We are ready,\" the minister said.' with no source.",
        "Cite where the quote comes from.",
    ),
    RuleInfo(
        "UNS002",
        "unsourced-figure",
        _I,
        "unsourced",
        "A statistic in a paragraph with no citation.",
        "'Exports grew 42% last year.' with no source.",
        "Cite the source of the figure.",
    ),
)

BY_ID: dict[str, RuleInfo] = {r.id: r for r in RULES}
BY_NAME: dict[str, RuleInfo] = {r.name: r for r in RULES}

_ID_SHAPE = re.compile(r"^[A-Z]{2,3}\d{3}$")


def rule(name_or_id: str) -> RuleInfo:
    """Look a rule up by its name ("dead-link") or ID ("LNK001")."""
    found = BY_NAME.get(name_or_id) or BY_ID.get(name_or_id)
    if found is None:
        raise KeyError(f"no rule named {name_or_id!r}")
    return found


def finding(
    name: str,
    message: str,
    *,
    line: int | None = None,
    column: int | None = None,
    citation: str | None = None,
    severity: Severity | None = None,
    suggestion: str | None = None,
) -> Finding:
    """Build a Finding for the rule called `name`, at its default severity unless told."""
    info = rule(name)
    return Finding(
        id=info.id,
        rule=info.name,
        severity=severity or info.severity,
        message=message,
        line=line,
        column=column,
        citation=citation,
        suggestion=suggestion,
    )


def selector_matches(selector: str, info: RuleInfo) -> bool:
    """True if a --select/--ignore selector names this rule: an ID, an ID prefix or a name."""
    sel = selector.strip()
    return sel == info.name or info.id.startswith(sel.upper()) if sel else False


def render_markdown() -> str:
    """The rule catalogue as Markdown (docs/rules.md)."""
    lines = [
        "# Rules",
        "",
        "Every finding citeaudit reports, by family. IDs are stable; select or ignore them with",
        "`--select` / `--ignore` (an ID such as `LNK001`, a family prefix such as `LNK`, or a",
        "name such as `dead-link`), or silence one in the draft with",
        "`<!-- citeaudit: ignore LNK001 -->` on the line before.",
        "",
        "This file is generated: `python -m audit.checks.registry > docs/rules.md`.",
        "",
    ]
    family = ""
    for info in RULES:
        if info.family != family:
            family = info.family
            lines += [f"## {family.capitalize()}", ""]
        lines += [
            f"### {info.id} `{info.name}` ({info.severity.value})",
            "",
            info.summary,
            "",
            f"Example: {info.example}",
            "",
            f"Fix: {info.help}",
            "",
        ]
    return "\n".join(lines)


assert all(_ID_SHAPE.match(r.id) for r in RULES), "rule IDs must look like ABC123"
assert len(BY_ID) == len(RULES) and len(BY_NAME) == len(RULES), "rule IDs and names are unique"

if __name__ == "__main__":
    print(render_markdown(), end="")
