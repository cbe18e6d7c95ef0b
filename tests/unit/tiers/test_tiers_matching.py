"""Tier list loading and matching: order, private suffixes, offline suffix list, sample articles.

Rules files written here are synthetic (example.* domains, invented outlets).
"""

from __future__ import annotations

import re
import socket
import time
from pathlib import Path

import pytest

from audit import tiers as tiers_mod
from audit.errors import RulesFileError
from audit.model import Citation, CitationKind, Reference
from audit.tiers import load_tiers

REPO = Path(__file__).resolve().parents[3]
ARTICLES = REPO / ".." / "shared" / "articles"


@pytest.fixture(scope="module")
def tiers() -> tiers_mod.TierList:
    return load_tiers()


def test_default_list_loads_fast_and_is_big(tiers: tiers_mod.TierList) -> None:
    tiers_mod._default_outlets.cache_clear()
    tiers_mod._default_list.cache_clear()
    start = time.perf_counter()
    fresh = load_tiers()
    cold = time.perf_counter() - start
    start = time.perf_counter()
    load_tiers()
    warm = time.perf_counter() - start
    print(
        f"\ndefault list: {len(fresh.outlets)} outlets, cold {cold * 1000:.1f} ms, "
        f"warm {warm * 1000:.3f} ms"
    )
    assert len(fresh.outlets) >= 400


def test_every_flag_has_outlets(tiers: tiers_mod.TierList) -> None:
    from audit.tiers_data import FLAGS

    used = {flag for o in tiers.outlets for flag in o.flags}
    assert used == set(FLAGS)
    assert {o.tier for o in tiers.outlets} == {1, 2, 3, 4}


@pytest.mark.parametrize(
    ("url", "outlet", "tier", "flag", "matched_by"),
    [
        ("https://www.reuters.com/world/x-2025-07-15/", "Reuters", 1, None, "domain"),
        ("https://tass.com/politics/1937047", "TASS", 3, "state_affiliated", "domain"),
        (
            "https://en.wikipedia.org/wiki/Sino-Soviet_border_conflict",
            "Wikipedia",
            3,
            "wiki",
            "domain",
        ),
        (
            "https://jasonjaysmart.substack.com",
            "Substack: jasonjaysmart.substack.com",
            3,
            "user_generated",
            "domain",
        ),
        ("https://x.com/OfficeJJSmart", "X (Twitter)", 3, "social", "domain"),
        ("https://Facebook.com/OfficeJJSmart", "Facebook", 3, "social", "domain"),
        ("https://Linkedin.com/in/JasonJaySmart", "LinkedIn", 3, "social", "domain"),
        ("https://YouTube.com/@JasonJaySmart", "YouTube", 3, "social", "domain"),
        ("https://bsky.app/profile/JJSmart.bsky.social", "Bluesky", 3, "social", "domain"),
        ("https://defenseofliberty.social/@OfficeJJSmart", "Mastodon", 3, "social", "domain"),
        ("https://medium.com/@someone/a-post", "Medium", 3, "user_generated", "domain"),
        ("https://www.kyivpost.com/authors/5", "Kyiv Post", 2, None, "domain"),
        ("https://www.pratidintime.com/world/x-9346789", "Pratidin Time", 3, None, "domain"),
        (
            "https://economictimes.indiatimes.com/news/x/articleshow/1.cms",
            "The Economic Times",
            2,
            None,
            "host",
        ),
        ("https://timesofindia.indiatimes.com/world/x.cms", "The Times of India", 3, None, "host"),
        (
            "https://lansinginstitute.org/2025/06/09/bear-meets-dragon/",
            "Lansing Institute",
            3,
            "think_tank",
            "domain",
        ),
        (
            "https://www.scmp.com/news/china/article/1",
            "South China Morning Post",
            2,
            None,
            "domain",
        ),
        (
            "https://www.foreignaffairs.com/articles/1993-06-01/clash",
            "Foreign Affairs",
            2,
            None,
            "domain",
        ),
        (
            "https://www.nytimes.com/2025/06/07/world/europe/x.html",
            "The New York Times",
            1,
            None,
            "domain",
        ),
        ("https://asiatimes.com/2025/09/x/", "Asia Times", 3, "opinion", "domain"),
    ],
)
def test_sample_article_sources(
    tiers: tiers_mod.TierList,
    url: str,
    outlet: str,
    tier: int,
    flag: str | None,
    matched_by: str,
) -> None:
    r = tiers.rate_url(url)
    assert (r.outlet, r.tier, r.matched_by) == (outlet, tier, matched_by)
    if flag:
        assert flag in r.flags
    assert r.rules_file and r.rules_file.startswith("default:")


def test_every_url_in_the_sample_articles_is_rated(tiers: tiers_mod.TierList) -> None:
    if not ARTICLES.is_dir():
        pytest.skip("sample articles not present")
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.txt")))
    urls = re.findall(r"https?://[^\s)>\"]+", text)
    assert len(urls) >= 15
    unknown = [u for u in urls if tiers.rate_url(u).tier is None]
    # Only the author's personal site is unknown; every outlet and platform is rated.
    assert unknown == ["https://JasonJaySmart.com"]


def test_matching_order_prefix_host_domain_suffix(tmp_path: Path) -> None:
    rules = tmp_path / "order.toml"
    rules.write_text(
        "version = 1\n"
        '[[outlet]]\nname = "Whole Domain"\ndomains = ["example.org"]\ntier = 2\n'
        '[[outlet]]\nname = "News Host"\ndomains = ["news.example.org"]\ntier = 1\n'
        '[[outlet]]\nname = "Opinion Section"\ndomains = ["news.example.org/opinion"]\ntier = 3\n'
        '[[outlet]]\nname = "Deep Section"\ndomains = ["news.example.org/opinion/guest"]\n'
        "tier = 4\n"
        '[[outlet]]\nname = "Any Example Gov"\ndomains = [".gov.example"]\ntier = 2\n',
        encoding="utf-8",
    )
    t = load_tiers([rules])
    cases = {
        "https://news.example.org/opinion/guest/1": ("Deep Section", "url_prefix"),
        "https://news.example.org/opinion/2": ("Opinion Section", "url_prefix"),
        "https://news.example.org/opinionated": ("News Host", "host"),
        "https://m.news.example.org/world/1": ("News Host", "host"),
        "https://www.example.org/x": ("Whole Domain", "domain"),
        "https://shop.example.org/": ("Whole Domain", "domain"),
        "https://agency.gov.example/report": ("Any Example Gov", "suffix"),
    }
    for url, expected in cases.items():
        r = t.rate_url(url)
        assert (r.outlet, r.matched_by) == expected, url
    assert t.rate_url("https://gov.example/").tier is None  # a suffix rule covers hosts below it


def test_suffix_rules_and_private_suffixes(tiers: tiers_mod.TierList) -> None:
    gov = tiers.rate_url("https://www.whitehouse.gov/briefings/")
    assert (gov.tier, gov.matched_by, gov.rule) == (2, "suffix", ".gov")
    assert "government" in gov.flags
    assert tiers.rate_url("https://www.gov.uk/government/news").matched_by == "suffix"
    assert tiers.rate_url("https://ec.europa.eu/commission/x").outlet == "European Union"
    assert tiers.rate_url("https://www.who.int/news").outlet == "World Health Organization"
    blog = tiers.rate_url("https://someone.blogspot.com/2024/01/post.html")
    assert blog.outlet == "Blogger: someone.blogspot.com"
    assert blog.matched_by == "suffix"  # blogspot.com is a private public suffix
    other = tiers.rate_url("https://another.blogspot.com/")
    assert other.outlet != blog.outlet  # two blogs are two publishers


def test_user_rule_for_one_blog_beats_the_platform(tmp_path: Path) -> None:
    rules = tmp_path / "blog.toml"
    rules.write_text(
        'version = 1\n[[outlet]]\nname = "A Trusted Newsletter"\n'
        'domains = ["trusted.substack.com"]\ntier = 2\n',
        encoding="utf-8",
    )
    t = load_tiers([rules])
    assert t.rate_url("https://trusted.substack.com/p/x").outlet == "A Trusted Newsletter"
    assert t.rate_url("https://other.substack.com/p/x").outlet == "Substack: other.substack.com"


def test_the_public_suffix_list_makes_no_network_call(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        calls.append(args)
        raise OSError("network blocked by test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    tiers_mod._suffix_list.cache_clear()
    tiers_mod._registered_domain.cache_clear()
    t = load_tiers()
    assert t.rate_url("https://someone.blogspot.com/x").matched_by == "suffix"
    assert t.rate_url("https://news.bbc.co.uk/x").outlet == "BBC"
    assert calls == []


@pytest.mark.parametrize(
    "url",
    [
        "",
        "not a url",
        "https://",
        "http://[::1",
        "ftp://reuters.com/x",
        "https://a..b/x",
        "javascript:alert(1)",
        "https://exa mple.com/",
        "http://127.0.0.1/x",
        "//",
    ],
)
def test_bad_urls_are_unknown_not_errors(tiers: tiers_mod.TierList, url: str) -> None:
    r = tiers.rate_url(url)
    assert (r.outlet, r.tier, r.matched_by) == (None, None, "none")


def test_names_are_case_aware(tiers: tiers_mod.TierList) -> None:
    ap = tiers.rate_name("AP")
    assert ap is not None and ap.outlet == "Associated Press" and ap.matched_by == "alias"
    assert tiers.rate_name("ap") is None  # acronyms only as written
    assert tiers.rate_name("Ap") is None
    for name in (
        "Reuters",
        "reuters",
        "the New York Times",
        "NYT",
        "Economic Times India",
        "South China Morning Post",
        "Foreign Affairs",
        "TASS",
        "the Times of India",
    ):
        assert tiers.rate_name(name) is not None, name
    assert tiers.rate_name("the Times of India").outlet == "The Times of India"  # type: ignore[union-attr]
    assert tiers.rate_name("Some Unknown Gazette") is None
    assert tiers.rate_name("") is None
    assert tiers.rate_name("kyivpost.com").outlet == "Kyiv Post"  # type: ignore[union-attr]


def test_attribution_names_longest_first(tiers: tiers_mod.TierList) -> None:
    names = tiers.attribution_names()
    assert "The New York Times" in names and "AP" in names and "Reuters" in names
    assert names.index("The New York Times") < names.index("NYT")
    assert [len(n) for n in names] == sorted((len(n) for n in names), reverse=True)


def test_rate_citation_url_first_then_outlet_name(tiers: tiers_mod.TierList) -> None:
    linked = Citation(
        "fn-1",
        CitationKind.FOOTNOTE,
        "1",
        (),
        Reference(raw="x", outlet="Reuters", url="https://tass.com/x"),
    )
    assert tiers.rate_citation(linked).outlet == "TASS"
    named = Citation(
        "attr-1",
        CitationKind.ATTRIBUTION,
        None,
        (),
        Reference(raw="The New York Times", outlet="The New York Times"),
    )
    assert tiers.rate_citation(named).tier == 1
    nothing = Citation("fn-2", CitationKind.FOOTNOTE, "2", (), Reference(raw="Ibid."))
    assert tiers.rate_citation(nothing).matched_by == "none"


def test_bad_rules_file_raises_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'version = 1\n\n[[outlet]]\nname = "X Daily"\ndomains = ["x.example"]\ntier = 7\n',
        encoding="utf-8",
    )
    with pytest.raises(RulesFileError, match=r"bad\.toml:6: .*tier must be 1, 2, 3 or 4"):
        load_tiers([bad])
    broken = tmp_path / "broken.toml"
    broken.write_text('version = 1\n[[outlet]]\nname = "Y\n', encoding="utf-8")
    with pytest.raises(RulesFileError, match=r"broken\.toml:3: not valid TOML"):
        load_tiers([broken])
    with pytest.raises(RulesFileError, match="cannot read"):
        load_tiers([tmp_path / "missing.toml"])


@pytest.mark.parametrize(
    ("host", "registered"),
    [
        ("www.bbc.co.uk", "bbc.co.uk"),
        ("WWW.Reuters.COM", "reuters.com"),
        ("someone.github.io", "someone.github.io"),  # a private suffix: its own publisher
        ("co.uk", ""),  # a public suffix has no registered domain
        ("a.b.not-a-real-tld", ""),
        ("127.0.0.1", ""),
        ("::1", ""),
    ],
)
def test_registered_domain_follows_the_public_suffix_list(host: str, registered: str) -> None:
    assert tiers_mod._registered_domain(host) == registered


@pytest.mark.parametrize(
    ("url", "outlet", "tier"),
    [
        # A snapshot of a page the list knows is rated as that page ...
        (
            "https://web.archive.org/web/20240301000000/https://www.reuters.com/world/x",
            "Reuters",
            1,
        ),
        ("http://web.archive.org/web/20240301000000id_/http://www.bbc.co.uk/news/x", "BBC", 1),
        ("https://web.archive.org/web/2024/nytimes.com/2024/01/01/x.html", "The New York Times", 1),
        ("https://archive.ph/2024.03.01-000000/https://www.theguardian.com/x", "The Guardian", 1),
        # ... and of a page it does not know, or without the original address, as the archive.
        (
            "https://web.archive.org/web/20240301000000/https://port.example/quay",
            "Internet Archive",
            2,
        ),
        ("https://archive.ph/AbCd1", "archive.today", 2),
    ],
)
def test_an_archived_copy_is_rated_as_the_page_it_copies(
    tiers: tiers_mod.TierList, url: str, outlet: str, tier: int
) -> None:
    rated = tiers.rate_url(url)
    assert (rated.outlet, rated.tier) == (outlet, tier)
