"""The lean HTTP/1.1 transport (audit/fetch/wire.py) against a scripted server on 127.0.0.1.

Every answer here is a synthetic byte string written for these tests: the server replays, per
connection, the raw responses a test gives it, so framing, reuse and failures are exact.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Sequence

import httpx
import pytest

from audit.fetch.verdicts import Exchange, classify, classify_error, required_literals
from audit.fetch.wire import WireTransport, parse_head
from audit.model import LinkVerdict

Script = Sequence[bytes | float | None]
"""Per connection, in order: bytes to answer the next request with, a pause in seconds, or None
to hang up at once."""


class Scripted:
    """A loopback server: connection i answers its requests with scripts[i] in order."""

    def __init__(self, scripts: Sequence[Script]) -> None:
        self.scripts = list(scripts)
        self.connections = 0
        self.requests: list[bytes] = []
        self.writers: list[asyncio.StreamWriter] = []
        self.server: asyncio.Server | None = None

    async def __aenter__(self) -> Scripted:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()
        for writer in self.writers:
            writer.close()
        await asyncio.sleep(0.01)  # let the handlers see their connections end

    @property
    def url(self) -> str:
        assert self.server is not None
        port = self.server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        index = min(self.connections, len(self.scripts) - 1)
        self.writers.append(writer)
        self.connections += 1
        try:
            for step in self.scripts[index]:
                if isinstance(step, float):
                    await asyncio.sleep(step)
                    continue
                if step is None:
                    break
                head = await reader.readuntil(b"\r\n\r\n")
                self.requests.append(head)
                writer.write(step)
                await writer.drain()
            else:
                await reader.read()  # keep the connection open until the client leaves
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()


def ok(body: bytes, extra: bytes = b"") -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n%s\r\n%s" % (len(body), extra, body)


async def get(
    transport: WireTransport, url: str, read_timeout: float = 2.0
) -> tuple[httpx.Response, bytes]:
    request = httpx.Request(
        "GET", url, extensions={"timeout": {"connect": 2.0, "read": read_timeout}}
    )
    response = await transport.handle_async_request(request)
    stream = response.stream
    assert isinstance(stream, httpx.AsyncByteStream)
    try:
        body = b"".join([part async for part in stream])
    finally:
        await stream.aclose()
    return response, body


def run(
    scripts: Sequence[Script], body: Callable[[Scripted, WireTransport], Awaitable[None]]
) -> None:
    async def main() -> None:
        async with Scripted(scripts) as server:
            transport = WireTransport(None, allow_private=True, max_idle=4)
            try:
                await body(server, transport)
            finally:
                await transport.aclose()

    asyncio.run(main())


def test_keep_alive_reuses_one_connection_and_sends_our_headers() -> None:
    async def body(server: Scripted, t: WireTransport) -> None:
        r1, b1 = await get(t, server.url + "/a?x=1")
        r2, b2 = await get(t, server.url + "/b")
        assert (r1.status_code, b1, r2.status_code, b2) == (200, b"first", 200, b"second!")
        assert server.connections == 1
        assert server.requests[0].startswith(b"GET /a?x=1 HTTP/1.1\r\n")
        assert b"\r\nHost: 127.0.0.1:" in server.requests[0]

    run([[ok(b"first"), ok(b"second!")]], body)


def test_chunked_body_with_extensions_and_trailers_is_decoded() -> None:
    chunked = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5;name=x\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: yes\r\n\r\n"
    )

    async def body(server: Scripted, t: WireTransport) -> None:
        _, got = await get(t, server.url + "/c")
        assert got == b"hello, world"
        _, again = await get(t, server.url + "/d")
        assert again == b"next" and server.connections == 1

    run([[chunked, ok(b"next")]], body)


def test_body_without_length_runs_to_close_and_is_not_reused() -> None:
    async def body(server: Scripted, t: WireTransport) -> None:
        _, got = await get(t, server.url + "/e")
        assert got == b"until the end"
        _, again = await get(t, server.url + "/f")
        assert again == b"fresh" and server.connections == 2

    run([[b"HTTP/1.0 200 OK\r\n\r\nuntil the end", None], [ok(b"fresh")]], body)


def test_bare_newlines_and_stray_line_ends_are_tolerated() -> None:
    lf_only = b"HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n4\nbare\n0\n\n"

    async def body(server: Scripted, t: WireTransport) -> None:
        _, got = await get(t, server.url + "/lf")
        assert got == b"bare"
        _, again = await get(t, server.url + "/crlf")
        assert again == b"after" and server.connections == 1

    run([[lf_only, b"\r\n" + ok(b"after")]], body)


def test_interim_100_continue_is_skipped() -> None:
    async def body(server: Scripted, t: WireTransport) -> None:
        response, got = await get(t, server.url + "/g")
        assert (response.status_code, got) == (200, b"real")

    run([[b"HTTP/1.1 100 Continue\r\n\r\n" + ok(b"real")]], body)


def test_a_pooled_connection_the_server_closed_is_replaced_transparently() -> None:
    async def body(server: Scripted, t: WireTransport) -> None:
        await get(t, server.url + "/h")
        await asyncio.sleep(0.05)  # the server hangs up the idle connection meanwhile
        _, got = await get(t, server.url + "/i")
        assert got == b"second connection" and server.connections == 2

    run([[ok(b"one"), None], [ok(b"second connection")]], body)


def test_a_partly_read_body_closes_its_connection() -> None:
    async def body(server: Scripted, t: WireTransport) -> None:
        request = httpx.Request("GET", server.url + "/j", extensions={"timeout": {"read": 2.0}})
        response = await t.handle_async_request(request)
        stream = response.stream
        assert isinstance(stream, httpx.AsyncByteStream)
        async for _ in stream:
            break
        await stream.aclose()
        _, got = await get(t, server.url + "/k")
        assert got == b"new" and server.connections == 2

    big = ok(b"x" * 300_000)
    run([[big], [ok(b"new")]], body)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"SPDY/3 200 OK\r\n\r\n", "status line"),
        (b"HTTP/1.1 200 OK\r\n" + b"x-flood: yyyyyyyyyy\r\n" * 8000 + b"\r\n", "too large"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nshort", "complete message body"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: nope\r\n\r\n", "Content-Length"),
    ],
)
def test_broken_http_is_a_protocol_error(raw: bytes, words: str) -> None:
    async def body(server: Scripted, t: WireTransport) -> None:
        with pytest.raises(httpx.RemoteProtocolError, match=re.escape(words)):
            await get(t, server.url + "/bad")

    run([[raw, None]], body)


def test_silence_is_a_read_timeout() -> None:
    async def body(server: Scripted, t: WireTransport) -> None:
        with pytest.raises(httpx.ReadTimeout):
            await get(t, server.url + "/slow", read_timeout=0.2)

    run([[2.0]], body)


def test_nothing_listening_is_a_refused_connection_judged_dead() -> None:
    async def main() -> None:
        server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        server.close()
        await server.wait_closed()
        transport = WireTransport(None, allow_private=True, max_idle=1)
        with pytest.raises(httpx.ConnectError) as caught:
            await get(transport, f"http://127.0.0.1:{port}/")
        verdict, _ = classify_error(caught.value, True, 5)
        assert verdict is LinkVerdict.DEAD

    asyncio.run(main())


def test_private_addresses_are_refused_before_connecting() -> None:
    async def main() -> None:
        transport = WireTransport(None, allow_private=False, max_idle=1)
        with pytest.raises(Exception, match="private or local address"):
            await get(transport, "http://127.0.0.1:9/")

    asyncio.run(main())


def test_parse_head_reads_folding_close_and_http10() -> None:
    head = parse_head(b"HTTP/1.1 301 Moved\r\nLocation: /a\r\n  /b\r\nConnection: close")
    assert head.status == 301 and head.headers[0] == (b"Location", b"/a /b")
    assert head.keep_alive is False
    assert parse_head(b"HTTP/1.0 200 OK").keep_alive is False
    assert parse_head(b"HTTP/1.0 200 OK\r\nConnection: keep-alive").keep_alive is True


def test_required_literals_are_what_every_match_contains() -> None:
    rx = re.compile(r"(geo\.)?captcha-delivery\.com|px-Captcha", re.IGNORECASE)
    assert required_literals(rx) == ("captcha-delivery.com", "px-captcha")
    assert required_literals(re.compile(r"a|\d+")) is None


def test_walls_and_paywalls_are_still_found_behind_the_quick_check() -> None:
    def judge(head: str, status: int = 200) -> LinkVerdict:
        ex = Exchange("https://n.example/a", "https://n.example/a", status, (), {}, None, head)
        return classify(ex)[0]

    filler = "<p>" + "words " * 5000 + "</p>"
    assert judge(filler + "<script src='/CDN-CGI/challenge-platform/h/b'></script>", 403) == (
        LinkVerdict.BLOCKED
    )
    assert judge(filler + '{"isAccessibleForFree": "False"}') is LinkVerdict.PAYWALLED
    assert judge(filler) is LinkVerdict.OK
