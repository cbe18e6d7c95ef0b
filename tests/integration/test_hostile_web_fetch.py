"""A hostile web, end to end: the real CLI against misbehaving servers on 127.0.0.1.

Each bad page must cost exactly one verdict, with a reason a user understands, while a good
page cited beside it stays `ok` and the run ends with a report in bounded time. The servers
(tests/hostileserver.py) are synthetic. `--no-archive` and `--no-cache` keep every run off the
real internet and off the user's cache.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import fetchserver as fs
import hostileserver as hs
import pytest
from typer.testing import CliRunner

import audit.cli
import audit.fetch.client as fetch_client

audit.cli._mount_subcommands()

SAFE = ["--format", "json", "--no-archive", "--no-cache", "--retries", "0", "--quiet"]


@pytest.fixture(autouse=True)
def _no_proxy_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # A proxy in the developer's environment would carry 127.0.0.1 requests elsewhere.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("all_proxy", raising=False)


def check(article: Path, *args: str) -> tuple[int, dict[str, Any], str, float]:
    """Run `citeaudit check` in-process: exit code, JSON report, stderr, seconds taken."""
    start = time.monotonic()
    result = CliRunner().invoke(audit.cli.app, ["check", str(article), *SAFE, *args])
    took = time.monotonic() - start
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr
    assert result.exit_code in (0, 1), (result.exit_code, result.stderr)
    return result.exit_code, json.loads(result.stdout), result.stderr, took


def links(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each citation's link and page, by the URL it cites."""
    out: dict[str, dict[str, Any]] = {}
    for doc in report["documents"]:
        for c in doc["citations"]:
            out[c["reference"]["url"]] = {**c["link"], "page": c["page"]}
    return out


def article(tmp: Path, urls: list[str]) -> Path:
    """A small Markdown draft citing each URL in its own sentence."""
    lines = ["# A synthetic draft", ""]
    lines += [f"Claim number {i} is reported [here]({u}).\n" for i, u in enumerate(urls, 1)]
    path = tmp / "draft.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def web() -> Iterator[Any]:
    server = hs.HostileWeb().start()
    yield server
    server.stop()


HOSTILE = [
    "/gzip-bomb", "/br-bomb", "/endless", "/trickle", "/many-headers", "/forever",
    "/chain?left=50", "/redirect?to=file:///etc/passwd", "/wrong-type", "/no-type", "/sjis",
    "/cp1251", "/huge-title", "/escape-title", "/script-title",
]  # fmt: skip
TIMEOUT_S = 6
"""Long enough for a busy 2-core machine; the trickle holds its URL exactly this long."""


@pytest.fixture(scope="module")
def matrix(web: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One run over every hostile page plus a good one: what each case below asserts on."""
    urls = [web.url("/good")] + [web.url(p) for p in HOSTILE]
    draft = article(tmp_path_factory.mktemp("matrix"), urls)
    code, report, stderr, took = check(draft, "--allow-private", "--timeout", str(TIMEOUT_S))
    by_url = links(report)
    return {"code": code, "took": took, "stderr": stderr, "by_path": {
        u.split(str(web.port), 1)[1]: by_url[u] for u in urls
    }}  # fmt: skip


def test_the_run_finishes_with_a_report_and_the_good_page_survives(matrix: dict[str, Any]) -> None:
    assert matrix["by_path"]["/good"]["verdict"] == "ok"
    assert matrix["by_path"]["/good"]["page"]["title"] == hs.GOOD_TITLE
    assert len(matrix["by_path"]) == len(HOSTILE) + 1
    # Everything runs at once: the slowest case (the trickle) bounds the run, plus start-up.
    assert matrix["took"] < TIMEOUT_S + 30


@pytest.mark.parametrize(
    ("path", "verdict", "words"),
    [
        ("/gzip-bomb", "error", "too large once decompressed"),
        ("/br-bomb", "error", "'br' encoding"),
        ("/endless", "error", "larger than 5 MB"),
        ("/trickle", "timeout", f"within {TIMEOUT_S} s"),
        ("/many-headers", "error", "protocol error"),
        ("/forever", "error", "too many redirects"),
        ("/chain?left=50", "error", "too many redirects"),
        ("/redirect?to=file:///etc/passwd", "error", "non-web address (file:)"),
    ],
)
def test_a_hostile_page_costs_one_verdict_with_its_reason(
    matrix: dict[str, Any], path: str, verdict: str, words: str
) -> None:
    link = matrix["by_path"][path]
    assert (link["verdict"], words in link["reason"]) == (verdict, True), link["reason"]


def test_redirect_chains_stop_at_the_hop_limit(matrix: dict[str, Any]) -> None:
    for path in ("/forever", "/chain?left=50"):
        hops = matrix["by_path"][path]["redirects"]
        assert 5 <= len(hops) <= 11 and all(h["status"] == 302 for h in hops)


def test_a_wrong_content_type_is_trusted_and_a_missing_one_is_sniffed(
    matrix: dict[str, Any],
) -> None:
    # Declared image/png: the link works, but the body is not read as a page (no title).
    wrong = matrix["by_path"]["/wrong-type"]
    assert wrong["verdict"] == "ok" and wrong["page"]["title"] is None
    assert wrong["page"]["content_type"] == "image/png"
    missing = matrix["by_path"]["/no-type"]
    assert missing["verdict"] == "ok"
    assert missing["page"]["title"] == "A page with no content type"


@pytest.mark.parametrize(
    ("path", "title"), [("/sjis", hs.SJIS_TITLE), ("/cp1251", hs.CP1251_TITLE)]
)
def test_a_charset_declared_only_in_a_meta_tag_decodes_the_title(
    matrix: dict[str, Any], path: str, title: str
) -> None:
    link = matrix["by_path"][path]
    assert link["verdict"] == "ok", link["reason"]
    assert link["page"]["title"] == title


def test_a_title_of_a_megabyte_is_capped(matrix: dict[str, Any]) -> None:
    title = matrix["by_path"]["/huge-title"]["page"]["title"]
    assert title.startswith("Big word word") and len(title) <= 1000


def test_control_characters_and_escape_sequences_never_reach_the_report(
    matrix: dict[str, Any],
) -> None:
    title = matrix["by_path"]["/escape-title"]["page"]["title"]
    assert title == "Red ALERT click bell end"
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in title)


def test_script_in_a_title_is_kept_as_data(matrix: dict[str, Any]) -> None:
    # The report keeps the exact string; each renderer escapes it (test_hostile_web_output).
    assert matrix["by_path"]["/script-title"]["page"]["title"] == hs.SCRIPT_TITLE


# --------------------------------------------------------------------------------------------
# Private addresses: these runs are WITHOUT --allow-private.


@pytest.fixture
def proxy(web: Any) -> Iterator[Any]:
    # A forward proxy on loopback is allowed by design (corporate proxies live there), so it
    # lets a test reach our server by a public-looking name and watch every redirect hop
    # still go through the private-address refusal.
    server = fs.ForwardProxy(web.port).start()
    yield server
    server.stop()


def test_redirects_to_loopback_and_metadata_addresses_are_refused(
    web: Any, proxy: Any, tmp_path: Path
) -> None:
    good = "http://news.example/good"
    to_loopback = f"http://news.example/redirect?to=http://127.0.0.1:{web.port}/good"
    to_metadata = "http://news.example/redirect?to=http://169.254.169.254/latest/meta-data/"
    to_file = "http://news.example/redirect?to=file:///etc/passwd"
    draft = article(tmp_path, [good, to_loopback, to_metadata, to_file])
    before = len(web.headers_seen("/good"))
    _, report, _, _ = check(draft, "--proxy", proxy.url)
    got = links(report)
    assert got[good]["verdict"] == "ok"
    for url in (to_loopback, to_metadata):
        assert got[url]["verdict"] == "error"
        assert "private or local address, not followed" in got[url]["reason"]
        assert got[url]["redirects"][0]["status"] == 302
    assert "169.254.169.254" in got[to_metadata]["reason"]
    assert got[to_file]["verdict"] == "error" and "(file:)" in got[to_file]["reason"]
    # Only the good page reached /good: the redirect to 127.0.0.1 was never followed.
    assert len(web.headers_seen("/good")) == before + 1
    assert not any(p.startswith("http://169.254.169.254") for p in proxy.requests)
    assert any("169.254.169.254" in p for p in proxy.requests)  # the first hop did go


def test_a_host_that_resolves_to_a_private_address_is_not_contacted(
    web: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def resolver(host: str, port: int) -> list[str]:
        # A stub DNS: one name points into the private network, one mixes public and private
        # answers the way a DNS-rebinding attack does.
        return {"rebind.example": ["93.184.216.34", "127.0.0.1"]}.get(host, ["127.0.0.1"])

    monkeypatch.setattr(fetch_client, "resolve", resolver)
    intranet = f"http://intranet.example:{web.port}/good?via=intranet"
    rebind = f"http://rebind.example:{web.port}/good?via=rebind"
    local = f"http://localhost:{web.port}/good?via=localhost"
    draft = article(tmp_path, [intranet, rebind, local])
    _, report, _, _ = check(draft)
    got = links(report)
    for url, words in ((intranet, "127.0.0.1"), (rebind, "127.0.0.1"), (local, "local host")):
        assert got[url]["verdict"] == "not_checked"
        assert "private or local address" in got[url]["reason"] and words in got[url]["reason"]
        assert "--allow-private" in got[url]["reason"]
    assert not [p for p, _ in web.requests if "via=intranet" in p or "via=rebind" in p]
    assert not [p for p, _ in web.requests if "via=localhost" in p]
    # The same stub with --allow-private reaches the server: the refusal above was the check.
    _, allowed, _, _ = check(draft, "--allow-private")
    assert links(allowed)[intranet]["verdict"] == "ok"


# --------------------------------------------------------------------------------------------
# Credentials and TLS


def test_credentials_in_a_url_are_never_sent(web: Any, tmp_path: Path) -> None:
    url = f"http://user:s3cret-pw@127.0.0.1:{web.port}/good?creds=1"
    draft = article(tmp_path, [url])
    cassette = tmp_path / "run.cassette.json"
    _, report, stderr, _ = check(draft, "--allow-private", "--record", str(cassette))
    seen = [h for p, h in web.requests if p.endswith("creds=1")]
    assert seen and all("authorization" not in h for h in seen)
    assert all("s3cret" not in v for h in seen for v in h.values())
    (only,) = links(report).values()
    assert only["verdict"] == "ok"
    assert "s3cret" not in json.dumps(report) and "s3cret" not in stderr
    assert "s3cret" not in cassette.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def tls_web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Path]]:
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    cert, key = hs.self_signed_cert(tmp_path_factory.mktemp("tls"), host="wrong.example")
    server = hs.HostileWeb(hs.tls_context(cert, key)).start()
    yield server, cert
    server.stop()


def test_a_certificate_for_another_host_is_an_error_and_insecure_warns(
    web: Any, tls_web: tuple[Any, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server, cert = tls_web
    # Trust the test certificate, so the only fault left is the name it was issued for.
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    monkeypatch.setattr(fetch_client, "_SSL_CONTEXTS", {})
    good, bad = web.url("/good"), server.url("/good")
    draft = article(tmp_path, [good, bad])
    _, report, stderr, _ = check(draft, "--allow-private")
    got = links(report)
    assert got[good]["verdict"] == "ok"
    assert got[bad]["verdict"] == "error"
    assert "TLS failure" in got[bad]["reason"] and "mismatch" in got[bad]["reason"]
    assert "--insecure" not in stderr

    monkeypatch.setattr(fetch_client, "_SSL_CONTEXTS", {})
    _, insecure, stderr, _ = check(draft, "--allow-private", "--insecure")
    assert links(insecure)[bad]["verdict"] == "ok"
    assert "warning: --insecure: TLS certificates are not verified" in stderr
