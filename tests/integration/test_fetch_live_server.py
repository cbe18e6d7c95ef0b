"""The fetch engine against real local servers on 127.0.0.1 (tests/fetchserver.py)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from dataclasses import replace

import fetchserver as fs
import pytest

from audit.fetch.fetcher import FetchOutcome, fetch_all, fetch_all_sync
from audit.fetch.options import FetchOptions
from audit.model import LinkVerdict

OPTS = FetchOptions(
    allow_private=True,
    use_cache=False,
    timeout=1.5,
    connect_timeout=1.0,
    read_timeout=1.0,
    retries=1,
    backoff_base=0.01,
    max_retry_after=0.3,
    max_body_bytes=100_000,
    max_decompressed_bytes=1_000_000,
)


@pytest.fixture
def web() -> Iterator[object]:
    server = fs.FakeWeb().start()
    yield server
    server.stop()


def run(urls: list[str], options: FetchOptions = OPTS) -> dict[str, FetchOutcome]:
    return asyncio.run(fetch_all(urls, options))


VERDICTS = [
    ("/story", LinkVerdict.OK, 200),
    ("/gzip", LinkVerdict.OK, 200),
    ("/notfound", LinkVerdict.DEAD, 404),
    ("/gone", LinkVerdict.DEAD, 410),
    ("/soft404", LinkVerdict.SOFT_404, 200),
    ("/to-home", LinkVerdict.SOFT_404, 200),
    ("/moved", LinkVerdict.REDIRECTED, 200),
    ("/chain", LinkVerdict.REDIRECTED, 200),
    ("/to-dead", LinkVerdict.DEAD, 404),
    ("/forbidden", LinkVerdict.BLOCKED, 403),
    ("/unauthorized", LinkVerdict.BLOCKED, 401),
    ("/li", LinkVerdict.BLOCKED, 999),
    ("/ratelimit", LinkVerdict.BLOCKED, 429),
    ("/cloudflare", LinkVerdict.BLOCKED, 403),
    ("/attention", LinkVerdict.BLOCKED, 403),
    ("/datadome", LinkVerdict.BLOCKED, 403),
    ("/awswaf", LinkVerdict.BLOCKED, 202),
    ("/robot", LinkVerdict.BLOCKED, 200),
    ("/paywall", LinkVerdict.PAYWALLED, 200),
    ("/loop-a", LinkVerdict.ERROR, 302),
    ("/to-ftp", LinkVerdict.ERROR, 302),
    ("/bomb", LinkVerdict.ERROR, 200),
    ("/big", LinkVerdict.ERROR, 200),
    ("/garbage", LinkVerdict.ERROR, None),
]


def test_every_verdict_from_a_real_server(web: object) -> None:
    urls = [web.url(p) for p, _, _ in VERDICTS]  # type: ignore[attr-defined]
    urls += [f"http://127.0.0.1:{fs.free_port()}/x", "http://no-such-host.invalid/", "ftp://x.org/"]
    results = run(urls)
    for (path, verdict, status), url in zip(VERDICTS, urls, strict=False):
        link = results[url].link
        assert (link.verdict, link.status) == (verdict, status), (path, link)
        assert link.reason and link.elapsed_ms is not None
    assert results[urls[-3]].link.verdict is LinkVerdict.DEAD  # connection refused
    assert results[urls[-2]].link.verdict is LinkVerdict.DEAD  # unknown host
    assert results[urls[-1]].link.verdict is LinkVerdict.INVALID_URL


def test_redirect_chain_is_recorded_hop_by_hop(web: object) -> None:
    url = web.url("/chain")  # type: ignore[attr-defined]
    link = run([url])[url].link
    assert [(h.url.rsplit("/", 1)[1], h.status) for h in link.redirects] == [
        ("chain", 302),
        ("moved", 301),
    ]
    assert link.final_url == web.url("/story")  # type: ignore[attr-defined]
    assert "moved for good" in link.reason


def test_gzip_bomb_costs_one_verdict_not_the_memory(web: object) -> None:
    url = web.url("/bomb")  # type: ignore[attr-defined]
    link = run([url])[url].link
    assert link.verdict is LinkVerdict.ERROR
    assert "decompressed" in link.reason


def test_redirect_loop_is_an_error_with_a_reason(web: object) -> None:
    url = web.url("/loop-a")  # type: ignore[attr-defined]
    link = run([url])[url].link
    assert link.verdict is LinkVerdict.ERROR and "loop" in link.reason
    assert len(link.redirects) == 2


def test_retry_after_is_honoured_then_the_page_recovers(web: object) -> None:
    url = web.url("/flaky?fail=2")  # type: ignore[attr-defined]
    opts = replace(OPTS, retries=2, max_retry_after=0.2)
    start = time.monotonic()
    link = run([url], opts)[url].link
    took = time.monotonic() - start
    assert link.verdict is LinkVerdict.OK
    assert web.hits["/flaky"] == 3  # type: ignore[attr-defined]
    # Retry-After: 1 capped to 0.2 s, twice: the waits happened, and were capped.
    assert 0.35 <= took < 1.2


def test_no_retries_means_one_request(web: object) -> None:
    url = web.url("/flaky?fail=1")  # type: ignore[attr-defined]
    link = run([url], replace(OPTS, retries=0))[url].link
    assert link.verdict is LinkVerdict.ERROR and link.status == 503
    assert web.hits["/flaky"] == 1  # type: ignore[attr-defined]


def test_per_host_limit_is_held(web: object) -> None:
    urls = [web.url(f"/slow?s=0.15&n={i}") for i in range(8)]  # type: ignore[attr-defined]
    results = run(urls, replace(OPTS, per_host=2, concurrency=32))
    assert all(r.link.verdict is LinkVerdict.OK for r in results.values())
    assert web.max_active == 2  # type: ignore[attr-defined]


def test_global_limit_is_held(web: object) -> None:
    urls = [web.url(f"/slow?s=0.1&n={i}") for i in range(6)]  # type: ignore[attr-defined]
    run(urls, replace(OPTS, per_host=10, concurrency=3))
    assert web.max_active == 3  # type: ignore[attr-defined]


def test_a_redirect_waiting_for_its_slot_does_not_use_up_its_deadline(web: object) -> None:
    # One slot: the redirect's second request queues behind six pages of 0.15 s each (0.9 s),
    # longer than the 0.6 s deadline. Only time holding a slot counts against the deadline.
    moved = web.url("/moved")  # type: ignore[attr-defined]
    urls = [moved] + [web.url(f"/slow?s=0.15&n={i}") for i in range(6)]  # type: ignore[attr-defined]
    results = run(urls, replace(OPTS, per_host=1, concurrency=1, timeout=0.6))
    link = results[moved].link
    assert link.verdict is LinkVerdict.REDIRECTED and link.status == 200
    assert link.final_url == web.url("/story")  # type: ignore[attr-defined]
    assert all(results[u].link.verdict is LinkVerdict.OK for u in urls[1:])


def test_the_next_request_goes_out_before_the_page_before_it_is_digested(web: object) -> None:
    # One slot: /story2 waits for /story's connection. Digesting /story (parsing the page) is
    # CPU work; the freed slot's next request is sent first, so the server has it by the time
    # the digest looks (after a pause that gives the server's thread time to count it).
    from audit.fetch.fetcher import FetchedBody, PageFacts

    seen_during: dict[str, int] = {}

    def digest(page: FetchedBody) -> PageFacts:
        time.sleep(0.2)
        seen_during[page.url.rsplit("/", 1)[1]] = web.hits["/story2"]  # type: ignore[attr-defined]
        return PageFacts(None, None)

    urls = [web.url("/story"), web.url("/story2")]  # type: ignore[attr-defined]
    results = asyncio.run(fetch_all(urls, replace(OPTS, per_host=1, concurrency=1), digest))
    assert all(r.link.verdict is LinkVerdict.OK for r in results.values())
    assert seen_during == {"story": 1, "story2": 1}


def test_pages_waiting_to_be_digested_do_not_time_out(web: object) -> None:
    # Six pages answer at once; parsing each takes 0.15 s, so the last waits 0.75 s for its
    # turn, longer than the 0.5 s deadline. The deadline is for the network, not the queue.
    from audit.fetch.fetcher import FetchedBody, PageFacts

    def slow_digest(page: FetchedBody) -> PageFacts:
        time.sleep(0.15)
        return PageFacts(None, None)

    urls = [web.url(f"/story?n={i}") for i in range(6)]  # type: ignore[attr-defined]
    options = replace(OPTS, per_host=6, concurrency=6, timeout=0.5)
    results = asyncio.run(fetch_all(urls, options, slow_digest))
    assert [r.link.verdict for r in results.values()] == [LinkVerdict.OK] * 6


def test_trickling_server_cannot_outlast_the_total_deadline(web: object) -> None:
    url = web.url("/trickle")  # type: ignore[attr-defined]
    start = time.monotonic()
    link = run([url], replace(OPTS, timeout=0.8))[url].link
    assert time.monotonic() - start < 1.6
    assert link.verdict is LinkVerdict.TIMEOUT and link.status == 200


def test_same_url_cited_twice_is_fetched_once(web: object) -> None:
    a = web.url("/story")  # type: ignore[attr-defined]
    b = web.url("/story#section-2")  # type: ignore[attr-defined]
    c = web.url("/story?utm_source=newsletter")  # type: ignore[attr-defined]
    results = run([a, b, c, a])
    assert set(results) == {a, b, c}
    assert all(r.link.verdict is LinkVerdict.OK for r in results.values())
    assert web.hits["/story"] == 1  # type: ignore[attr-defined]


def test_private_addresses_are_refused_without_allow_private(web: object) -> None:
    url = web.url("/story")  # type: ignore[attr-defined]
    link = run([url], replace(OPTS, allow_private=False))[url].link
    assert link.verdict is LinkVerdict.NOT_CHECKED
    assert "private" in link.reason and "--allow-private" in link.reason
    assert web.hits["/story"] == 0  # type: ignore[attr-defined]


def test_user_agent_is_honest_and_overridable(web: object) -> None:
    seen: list[str] = []
    original = fs.FakeWeb.serve

    def spy(self: object, h: object, path: str, query: object, count: int) -> None:
        seen.append(h.headers["user-agent"])  # type: ignore[attr-defined]
        original(self, h, path, query, count)

    fs.FakeWeb.serve = spy
    try:
        run([web.url("/story")])  # type: ignore[attr-defined]
        run([web.url("/story2")], replace(OPTS, user_agent="newsroom-bot/2"))  # type: ignore[attr-defined]
    finally:
        fs.FakeWeb.serve = original
    assert seen[0].startswith("citeaudit/") and "+https://" in seen[0]
    assert seen[1] == "newsroom-bot/2"


def test_digest_gets_the_decoded_body_and_its_facts_come_back(web: object) -> None:
    from audit.fetch.fetcher import FetchedBody, PageFacts
    from audit.model import PageMeta

    got: list[FetchedBody] = []

    def digest(page: FetchedBody) -> PageFacts:
        got.append(page)
        return PageFacts(PageMeta(title="t"), page.body.decode()[:20])

    url = web.url("/gzip")  # type: ignore[attr-defined]
    out = asyncio.run(fetch_all([url], OPTS, digest))[url]
    assert b"Compressed synthetic story" in got[0].body and not got[0].truncated
    assert out.facts is not None and out.facts.meta is not None and out.facts.meta.title == "t"


def test_progress_reports_every_distinct_url(web: object) -> None:
    calls: list[tuple[int, int]] = []
    urls = [web.url("/story"), web.url("/story2"), web.url("/story")]  # type: ignore[attr-defined]
    fetch_all_sync(urls, OPTS, progress=lambda d, t: calls.append((d, t)))
    assert calls[0] == (0, 2) and calls[-1] == (2, 2)
