"""Cassettes (record, then replay with the server stopped) and proxies, on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from pathlib import Path

import fetchserver as fs
import pytest

from audit.errors import CassetteError
from audit.fetch.fetcher import FetchOutcome, fetch_all
from audit.fetch.options import FetchOptions
from audit.model import LinkVerdict

OPTS = FetchOptions(
    allow_private=True,
    use_cache=False,
    timeout=1.0,
    retries=1,
    backoff_base=0.01,
    max_retry_after=0.2,
    max_body_bytes=100_000,
    max_decompressed_bytes=1_000_000,
)

PATHS = [
    "/story", "/gzip", "/binary", "/setcookie", "/notfound", "/soft404", "/to-home", "/chain",
    "/loop-a", "/cloudflare", "/datadome", "/robot", "/paywall", "/ratelimit", "/bomb", "/big",
    "/flaky?fail=1", "/trickle", "/garbage",
]  # fmt: skip


def run(urls: list[str], options: FetchOptions) -> dict[str, FetchOutcome]:
    return asyncio.run(fetch_all(urls, options))


def test_record_then_replay_with_the_server_stopped_gives_the_same_results(
    tmp_path: Path,
) -> None:
    web = fs.FakeWeb().start()
    urls = [web.url(p) for p in PATHS] + [f"http://127.0.0.1:{fs.free_port()}/x"]
    cassette = tmp_path / "run.json"
    try:
        live = run(urls, replace(OPTS, record=cassette))
    finally:
        web.stop()
    replayed = run(urls, replace(OPTS, replay=cassette))
    for url in urls:
        a, b = live[url].link, replayed[url].link
        assert replace(a, elapsed_ms=None) == replace(b, elapsed_ms=None), url
    text = cassette.read_text(encoding="utf-8")
    doc = json.loads(text)
    assert doc["format"] == "citeaudit-cassette" and doc["version"] == 1
    assert "SECRET-TOKEN" not in text and "set-cookie" not in text.lower()
    assert "Harbour vote passes" in text  # bodies are stored decoded and readable
    binary = [i for i in doc["interactions"] if i["request"]["url"].endswith("/binary")]
    assert "body_base64" in binary[0]["response"]


def test_replay_never_touches_the_network_and_misses_are_not_checked(tmp_path: Path) -> None:
    web = fs.FakeWeb().start()
    cassette = tmp_path / "one.json"
    try:
        run([web.url("/story")], replace(OPTS, record=cassette))
        web.hits.clear()
        other = web.url("/story2")
        out = run([web.url("/story"), other], replace(OPTS, replay=cassette))
        assert sum(web.hits.values()) == 0
    finally:
        web.stop()
    assert out[web.url("/story")].link.verdict is LinkVerdict.OK
    assert out[other].link.verdict is LinkVerdict.NOT_CHECKED
    assert out[other].link.reason == "not in cassette"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ('{"format": "citeaudit-cassette", "version": 1, "interactions": [', "not valid JSON"),
        ('{"format": "citeaudit-cassette", "version": 9, "interactions": []}', "version"),
        ('{"format": "citeaudit-cassette", "version": 1, "interactions": [{}]}', "interaction 1"),
        ("[1, 2]", "not a citeaudit cassette"),
    ],
)
def test_a_broken_cassette_is_one_clear_error(tmp_path: Path, content: str, words: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(CassetteError, match=words) as info:
        run(["https://example.org/a"], replace(OPTS, replay=bad))
    assert "\n" not in str(info.value) and str(bad) in str(info.value)


def test_missing_cassette_is_a_cassette_error(tmp_path: Path) -> None:
    with pytest.raises(CassetteError, match="does not exist"):
        run(["https://example.org/a"], replace(OPTS, replay=tmp_path / "nope.json"))


def test_proxy_flag_sends_requests_through_the_proxy() -> None:
    web = fs.FakeWeb().start()
    proxy = fs.ForwardProxy(web.port).start()
    try:
        url = "http://news.example/story"
        out = run([url], replace(OPTS, proxy=proxy.url))
        assert out[url].link.verdict is LinkVerdict.OK
        assert proxy.requests == ["http://news.example/story"]
    finally:
        proxy.stop()
        web.stop()


def test_proxy_from_the_environment_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    web = fs.FakeWeb().start()
    proxy = fs.ForwardProxy(web.port).start()
    try:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", "skip.example")
        out = run(["http://news.example/story", "http://skip.example/story"], OPTS)
        assert out["http://news.example/story"].link.verdict is LinkVerdict.OK
        assert proxy.requests == ["http://news.example/story"]
        # NO_PROXY: that host was tried directly (and does not exist), not via the proxy.
        assert out["http://skip.example/story"].link.verdict is LinkVerdict.DEAD
    finally:
        proxy.stop()
        web.stop()


def test_redirect_to_loopback_is_refused_without_allow_private() -> None:
    web = fs.FakeWeb().start()
    proxy = fs.ForwardProxy(web.port).start()
    try:
        url = "http://news.example/to-private"  # answers 302 to http://127.0.0.1:<port>/story
        link = run([url], replace(OPTS, proxy=proxy.url, allow_private=False))[url].link
        assert link.verdict is LinkVerdict.ERROR
        assert "private" in link.reason and link.redirects[0].status == 302
        assert web.hits["/story"] == 0
        allowed = run([url], replace(OPTS, proxy=proxy.url, allow_private=True))[url].link
        assert allowed.verdict is LinkVerdict.REDIRECTED
    finally:
        proxy.stop()
        web.stop()


def test_literal_private_address_is_refused_even_through_a_proxy() -> None:
    web = fs.FakeWeb().start()
    proxy = fs.ForwardProxy(web.port).start()
    try:
        url = "http://10.1.2.3/story"
        link = run([url], replace(OPTS, proxy=proxy.url, allow_private=False))[url].link
        assert link.verdict is LinkVerdict.NOT_CHECKED and proxy.requests == []
    finally:
        proxy.stop()
        web.stop()
