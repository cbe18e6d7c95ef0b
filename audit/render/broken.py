"""The broken-link list (`check --broken-list FILE`): the cited URLs whose link check failed.

One URL a line, each once, in the order the report gives them (file by file, citation by
citation), spelled as the article cites it, so a script can find it in the draft, ask an
archive for it or open a ticket. Nothing else is on a line: a character that would break the
one-a-line shape (a line break, any control character) is written percent-encoded.
"""

from __future__ import annotations

import re

from audit.model import LinkVerdict, Report

BROKEN_VERDICTS = frozenset(
    {
        LinkVerdict.DEAD,
        LinkVerdict.SOFT_404,
        LinkVerdict.BLOCKED,
        LinkVerdict.TIMEOUT,
        LinkVerdict.ERROR,
        LinkVerdict.INVALID_URL,
    }
)
"""The link could not be read as cited. A `blocked` page (a bot wall, 403, 429) is listed: the
check could not confirm it, and link checkers count it as failed too. `paywalled`, `redirected`
and `not_checked` are not."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")


def broken_urls(report: Report) -> list[str]:
    """Distinct cited URLs with a broken verdict, in report order."""
    seen: dict[str, None] = {}
    for document in report.documents:
        for audited in document.citations:
            url = audited.citation.reference.url
            link = audited.link
            if url and link is not None and link.verdict in BROKEN_VERDICTS:
                seen.setdefault(url, None)
    return list(seen)


def render_broken_list(report: Report) -> str:
    """The list as text: one URL a line, empty when no link is broken."""
    return "".join(_one_line(url) + "\n" for url in broken_urls(report))


def _one_line(url: str) -> str:
    return _CONTROL.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), url)
