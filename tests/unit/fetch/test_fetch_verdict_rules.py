"""The verdict table: pure functions from what was fetched to a verdict and a reason."""

from __future__ import annotations

import httpx
import pytest

from audit.fetch.cassette import CassetteMiss
from audit.fetch.safety import PrivateAddressError, UnknownHostError
from audit.fetch.verdicts import (
    BOT_WALLS,
    Exchange,
    classify,
    classify_error,
    is_home_page,
    same_page,
)
from audit.model import Hop, LinkVerdict


def ex(
    status: int = 200,
    title: str = "A story",
    *,
    url: str = "https://news.example/2025/07/story",
    final: str | None = None,
    hops: tuple[Hop, ...] = (),
    headers: dict[str, str] | None = None,
    body: str = "",
    ctype: str | None = "text/html",
    free: bool | None = None,
) -> Exchange:
    head = f"<html><head><title>{title}</title></head><body>{body}</body></html>"
    return Exchange(url, final or url, status, hops, headers or {}, ctype, head, free)


@pytest.mark.parametrize(
    ("exchange", "verdict"),
    [
        (ex(), LinkVerdict.OK),
        (ex(404), LinkVerdict.DEAD),
        (ex(410), LinkVerdict.DEAD),
        (ex(500), LinkVerdict.ERROR),
        (ex(401), LinkVerdict.BLOCKED),
        (ex(403), LinkVerdict.BLOCKED),
        (ex(429), LinkVerdict.BLOCKED),
        (ex(999), LinkVerdict.BLOCKED),
        (ex(title="Page Not Found - Example News"), LinkVerdict.SOFT_404),
        (ex(title="404"), LinkVerdict.SOFT_404),
        (ex(title="Sorry, this story is no longer available"), LinkVerdict.SOFT_404),
        (ex(title="Found: the lost city"), LinkVerdict.OK),
        (ex(title="Page not found", ctype="application/pdf"), LinkVerdict.OK),
        (ex(free=False), LinkVerdict.PAYWALLED),
        (ex(body='<script>{"isAccessibleForFree": "False"}</script>'), LinkVerdict.PAYWALLED),
    ],
)
def test_status_title_and_paywall_rules(exchange: Exchange, verdict: LinkVerdict) -> None:
    got, reason = classify(exchange)
    assert got is verdict
    assert reason


@pytest.mark.parametrize(
    "exchange",
    [
        ex(503, "Just a moment..."),
        ex(403, "Just a moment…"),
        ex(200, "Just a moment..."),  # a bot wall whatever its status
        ex(403, "Attention Required! | Cloudflare"),
        ex(403, "Access Denied", body="Reference #18.2f3c1402.1752230000.1a2b3c"),
        ex(403, headers={"x-datadome": "protected"}),
        ex(401, headers={"x-datadome": "protected"}),
        ex(403, body='<div id="px-captcha"></div>'),
        ex(202, "", headers={"x-amzn-waf-action": "challenge"}),
        ex(200, "Are you a robot?", final="https://www.bloomberg.example/tosv2.html?vid=1"),
        ex(200, "x", hops=(Hop("https://a.example/s", 302),), final="https://consent.a.example/"),
    ],
)
def test_bot_walls_are_blocked_never_dead(exchange: Exchange) -> None:
    verdict, reason = classify(exchange)
    assert verdict is LinkVerdict.BLOCKED
    assert "could not be verified" in reason


def test_bot_wall_table_is_named_and_described() -> None:
    names = [s.name for s in BOT_WALLS]
    assert len(names) == len(set(names))
    assert all(s.description and (s.header or s.title or s.body or s.url) for s in BOT_WALLS)


def test_datadome_header_on_a_normal_page_is_not_a_wall() -> None:
    assert classify(ex(200, headers={"x-datadome": "protected"}))[0] is LinkVerdict.OK


def test_redirect_rules() -> None:
    moved = ex(
        url="http://news.example/old", final="https://news.example/new", hops=(Hop("x", 301),)
    )
    assert classify(moved) == (
        LinkVerdict.REDIRECTED,
        "moved for good (301) to https://news.example/new",
    )
    home = ex(final="https://news.example/", hops=(Hop("x", 302),))
    assert classify(home)[0] is LinkVerdict.SOFT_404
    doi = ex(url="https://doi.org/10.1000/xyz", final="https://journal.example/a/1",
             hops=(Hop("https://doi.org/10.1000/xyz", 302),))  # fmt: skip
    assert classify(doi)[0] is LinkVerdict.OK
    upgrade = ex(url="http://news.example/a", final="https://www.news.example/a/",
                 hops=(Hop("http://news.example/a", 301),))  # fmt: skip
    assert classify(upgrade)[0] is LinkVerdict.OK


def test_home_page_and_same_page_helpers() -> None:
    assert is_home_page("https://x.example/") and is_home_page("https://x.example/en/")
    assert is_home_page("https://x.example/index.html")
    assert not is_home_page("https://x.example/2025/story") and not is_home_page("https://x/?p=1")
    assert same_page("http://x.example/a", "https://www.x.example/a/")
    assert not same_page("https://x.example/a", "https://x.example/b")


@pytest.mark.parametrize(
    ("exc", "verdict", "words"),
    [
        (UnknownHostError("nope.example"), LinkVerdict.DEAD, "does not exist"),
        (httpx.ConnectError("[Errno 111] Connection refused"), LinkVerdict.DEAD, "refused"),
        (httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED]"), LinkVerdict.ERROR, "TLS"),
        (httpx.ReadTimeout("timed out"), LinkVerdict.TIMEOUT, "stopped answering"),
        (TimeoutError(), LinkVerdict.TIMEOUT, "within 20 s"),
        (httpx.RemoteProtocolError("bad"), LinkVerdict.ERROR, "protocol error"),
        (CassetteMiss("x"), LinkVerdict.NOT_CHECKED, "not in cassette"),
        (PrivateAddressError("h", "10.0.0.1"), LinkVerdict.NOT_CHECKED, "--allow-private"),
        (RuntimeError("boom"), LinkVerdict.ERROR, "unexpected"),
    ],
)
def test_error_rules(exc: BaseException, verdict: LinkVerdict, words: str) -> None:
    got, reason = classify_error(exc, True, 20.0)
    assert got is verdict and words in reason


def test_private_address_on_a_later_hop_is_an_error() -> None:
    verdict, reason = classify_error(PrivateAddressError("h", "127.0.0.1"), False, 20.0)
    assert verdict is LinkVerdict.ERROR and "redirects to a private" in reason
