"""A shortened or resolver link is rated by the outlet it lands on, once the fetch got there.

The rules file, URLs and outlets are synthetic (example.* names); no page is fetched: the link
outcomes are made here as the fetcher would report them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.extract import extract
from audit.fetch.fetcher import FetchOutcome
from audit.model import DocFormat, Hop, LinkResult, LinkVerdict
from audit.pipeline import AuditOptions, _Auditor
from audit.tiers import load_tiers

RULES = """version = 1
[[outlet]]
name = "Example Gazette"
domains = ["gazette.example.com"]
tier = 1

[[outlet]]
name = "Example Resolver"
domains = ["resolve.example.org"]
tier = 2
flags = ["resolver"]

[[outlet]]
name = "Example Blog Network"
domains = ["blogs.example.net"]
tier = 4
"""


@pytest.fixture
def auditor(tmp_path: Path) -> _Auditor:
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    return _Auditor(load_tiers([rules]), AuditOptions())


def _rated(auditor: _Auditor, url: str, link: LinkResult) -> tuple[str | None, int | None]:
    doc = extract("a.md", f"# A\n\nThe plan passed [report]({url}).\n", DocFormat.MARKDOWN, ())
    citation = doc.citations[0]
    audited, _ = auditor.audit(citation, {url: FetchOutcome(link)})
    assert audited.rating is not None
    return audited.rating.outlet, audited.rating.tier


def _landed_at(cited: str, final: str, verdict: LinkVerdict = LinkVerdict.REDIRECTED) -> LinkResult:
    return LinkResult(verdict, 200, final, (Hop(cited, 301),), "moved")


@pytest.mark.parametrize(
    "cited", ["https://short.example/abc", "https://resolve.example.org/10.1000/xyz"]
)
def test_a_link_unknown_or_a_resolver_is_rated_where_it_lands(
    auditor: _Auditor, cited: str
) -> None:
    link = _landed_at(cited, "https://gazette.example.com/news/plan")
    assert _rated(auditor, cited, link) == ("Example Gazette", 1)


def test_a_link_the_list_knows_keeps_its_own_rating(auditor: _Auditor) -> None:
    # A listed outlet that now redirects elsewhere (a sold domain) is not re-rated.
    cited = "https://blogs.example.net/post"
    link = _landed_at(cited, "https://gazette.example.com/news/plan")
    assert _rated(auditor, cited, link) == ("Example Blog Network", 4)


@pytest.mark.parametrize(
    ("final", "verdict"),
    [
        ("https://gazette.example.com/", LinkVerdict.SOFT_404),  # a dead link sent home
        ("https://gazette.example.com/news/plan", LinkVerdict.DEAD),
        ("https://unlisted.example.org/page", LinkVerdict.REDIRECTED),  # lands nowhere known
    ],
)
def test_a_failed_or_unknown_landing_keeps_the_links_own_rating(
    auditor: _Auditor, final: str, verdict: LinkVerdict
) -> None:
    short, resolver = "https://short.example/abc", "https://resolve.example.org/10.1000/xyz"
    assert _rated(auditor, short, _landed_at(short, final, verdict)) == (None, None)
    landed = _landed_at(resolver, final, verdict)
    assert _rated(auditor, resolver, landed) == ("Example Resolver", 2)
