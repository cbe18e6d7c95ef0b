"""A lean HTTP/1.1 transport on asyncio protocols: one keep-alive pool per host, GET only.

Why not httpcore: on the benchmark's fake web (../shared/bench) httpcore + anyio + h11 spent
about 1 ms of CPU per request, four times our whole digest of a small page, and on a shared
2-core machine CPU per request decides the wall time (bench/README.md has the profiles). This
transport parses the status line and headers itself, frames the body (Content-Length, chunked,
or until close), and keeps idle connections for reuse. It speaks only what the fetcher sends:
a GET without a body, over plain TCP or TLS, straight to the origin. Proxies stay on httpcore.

It keeps the engine's contract: it connects only to addresses `safety` vetted, maps every
failure onto the httpx exception the verdicts already understand (ConnectError, ConnectTimeout,
ReadTimeout, ReadError, RemoteProtocolError), and never reads more than the caller consumes.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import cast

import httpx

from audit.fetch.safety import pick_addresses, resolve

Resolver = Callable[[str, int], Awaitable[list[str]]]

MAX_HEAD_BYTES = 65_536
"""Status line plus headers; a larger head is a protocol error (h11 allows 16 KiB)."""

_PAUSE_AT = 262_144
"""Buffered bytes at which the socket stops being read until the caller catches up."""

_NO_BODY = frozenset({204, 304})


class _Conn(asyncio.Protocol):
    """One TCP (or TLS) connection: a byte buffer that a reader awaits."""

    def __init__(self) -> None:
        self.buf = bytearray()
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.error: BaseException | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._paused = False

    # -- protocol callbacks (the event loop calls these)
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports implement the interface without subclassing asyncio.Transport.
        self.transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        self.buf += data
        if len(self.buf) > _PAUSE_AT and self.transport is not None and not self._paused:
            self._paused = True
            self.transport.pause_reading()
        self._wake()

    def eof_received(self) -> bool | None:
        self.closed = True
        self._wake()
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.error = exc
        self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    # -- reader side
    async def wait(self, timeout: float | None) -> None:
        """Wait for more bytes (or the end); ReadTimeout after `timeout` s of silence."""
        if self._paused and self.transport is not None:
            self._paused = False
            self.transport.resume_reading()
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        self._waiter = waiter
        # call_later is far cheaper than asyncio.wait_for, which wraps a task per read.
        timer = None
        if timeout is not None:
            timer = loop.call_later(timeout, _expire, waiter)
        try:
            await waiter
        finally:
            self._waiter = None
            if timer is not None:
                timer.cancel()

    def take(self, n: int) -> bytes:
        chunk = bytes(self.buf[:n])
        del self.buf[:n]
        return chunk

    def close(self) -> None:
        self.closed = True
        transport = self.transport
        if transport is None:
            return
        if transport.get_extra_info("sslcontext") is not None:
            # A polite TLS close waits up to 30 s for the server's close_notify; a run that
            # ends sooner would leave the socket open. Nothing more is owed to the server.
            transport.abort()
        else:
            transport.close()

    def reusable(self) -> bool:
        return not self.closed and not self.buf and self.transport is not None


def _expire(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_exception(httpx.ReadTimeout("no data from the server in time"))


class _Head:
    __slots__ = ("chunked", "headers", "keep_alive", "length", "reason", "status")

    def __init__(self, status: int, reason: bytes, headers: list[tuple[bytes, bytes]]) -> None:
        self.status, self.reason, self.headers = status, reason, headers
        self.length: int | None = None
        self.chunked = False
        self.keep_alive = True


def parse_head(raw: bytes) -> _Head:
    """Status line and headers (without the blank line); RemoteProtocolError if malformed."""
    lines = [line.rstrip(b"\r") for line in raw.split(b"\n")]
    parts = lines[0].split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/1.") or not parts[1].isdigit():
        raise httpx.RemoteProtocolError(f"not an HTTP/1.x status line: {lines[0][:80]!r}")
    status = int(parts[1])
    if not 100 <= status <= 999:
        raise httpx.RemoteProtocolError(f"status code out of range: {status}")
    headers: list[tuple[bytes, bytes]] = []
    for line in lines[1:]:
        if line[:1] in (b" ", b"\t") and headers:
            # Obsolete line folding (RFC 9112 section 5.2): join it to the previous value.
            name, value = headers[-1]
            headers[-1] = (name, value + b" " + line.strip())
            continue
        name, sep, value = line.partition(b":")
        if not sep or not name or name != name.strip():
            raise httpx.RemoteProtocolError(f"malformed header line: {line[:80]!r}")
        headers.append((name, value.strip()))
    head = _Head(status, parts[2] if len(parts) > 2 else b"", headers)
    head.keep_alive = parts[0] != b"HTTP/1.0"
    for name, value in headers:
        key = name.lower()
        if key == b"transfer-encoding":
            head.chunked = value.lower().split(b",")[-1].strip() == b"chunked"
        elif key == b"content-length":
            text = value.split(b",")[0].strip()
            if not text.isdigit():
                raise httpx.RemoteProtocolError(f"bad Content-Length: {value[:40]!r}")
            head.length = int(text)
        elif key == b"connection":
            tokens = {t.strip() for t in value.lower().split(b",")}
            if b"close" in tokens:
                head.keep_alive = False
            elif b"keep-alive" in tokens:
                head.keep_alive = True
    return head


_HEAD_END = re.compile(rb"\r?\n\r?\n")
"""The blank line after the headers; bare LF line ends are accepted, as h11 and browsers do."""


async def _read_head(conn: _Conn, timeout: float | None) -> bytes:
    start = 0
    while True:
        while conn.buf and conn.buf[0] in (13, 10):  # CR, LF
            del conn.buf[:1]  # stray line ends before a status line (RFC 9112 section 2.2)
        found = _HEAD_END.search(conn.buf, start)
        if found is not None:
            head = bytes(conn.buf[: found.start()])
            del conn.buf[: found.end()]
            return head
        if len(conn.buf) > MAX_HEAD_BYTES:
            raise httpx.RemoteProtocolError("the response headers are too large")
        if conn.closed:
            if conn.buf:
                raise httpx.RemoteProtocolError("the server closed the connection mid-headers")
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
        start = max(0, len(conn.buf) - 3)
        await conn.wait(timeout)


class _Body(httpx.AsyncByteStream):
    """The response body, framed per RFC 9112; the connection goes back to the pool when done."""

    def __init__(
        self, pool: WireTransport, conn: _Conn, head: _Head, timeout: float | None
    ) -> None:
        self._pool, self._conn, self._head, self._timeout = pool, conn, head, timeout
        self._done = head.status in _NO_BODY or head.length == 0
        self._released = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        conn, head = self._conn, self._head
        if self._done:
            return
        if head.chunked:
            async for part in self._chunks():
                yield part
        elif head.length is not None:
            left = head.length
            while left > 0:
                if not conn.buf:
                    if conn.closed:
                        raise httpx.RemoteProtocolError(
                            "peer closed connection without sending complete message body"
                        )
                    await conn.wait(self._timeout)
                    continue
                part = conn.take(left)
                left -= len(part)
                yield part
        else:
            # Neither length nor chunked: the body runs until the server closes.
            head.keep_alive = False
            while True:
                if conn.buf:
                    yield conn.take(len(conn.buf))
                elif conn.closed:
                    break
                else:
                    await conn.wait(self._timeout)
        self._done = True

    async def _chunks(self) -> AsyncIterator[bytes]:
        conn = self._conn
        while True:
            line = await self._line()
            size_text = line.split(b";", 1)[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError:
                raise httpx.RemoteProtocolError(f"bad chunk size: {size_text[:20]!r}") from None
            if size == 0:
                while await self._line():  # trailers, up to the blank line
                    pass
                return
            left = size
            while left > 0:
                if not conn.buf:
                    await self._more()
                    continue
                part = conn.take(left)
                left -= len(part)
                yield part
            if await self._line():
                raise httpx.RemoteProtocolError("chunk data longer than its size")

    async def _line(self) -> bytes:
        conn = self._conn
        while True:
            end = conn.buf.find(b"\n")
            if end >= 0:
                return conn.take(end + 1)[:-1].rstrip(b"\r")
            if len(conn.buf) > MAX_HEAD_BYTES:
                raise httpx.RemoteProtocolError("a chunk header line is too long")
            await self._more()

    async def _more(self) -> None:
        if self._conn.closed:
            raise httpx.RemoteProtocolError(
                "peer closed connection without sending complete message body"
            )
        await self._conn.wait(self._timeout)

    async def aclose(self) -> None:
        if self._released:
            return
        self._released = True
        # Only a fully read body leaves the connection in a known state for the next request.
        if self._done and self._head.keep_alive and self._conn.reusable():
            self._pool.release(self._conn)
        else:
            self._conn.close()


class WireTransport(httpx.AsyncBaseTransport):
    """One origin's keep-alive pool; the fetcher's per-host semaphore bounds its use."""

    def __init__(
        self,
        ssl_context: ssl.SSLContext | None,
        allow_private: bool,
        max_idle: int,
        resolver: Resolver = resolve,
    ) -> None:
        self._ssl = ssl_context
        self._resolve = resolver
        self._allow_private = allow_private
        self._max_idle = max(1, max_idle)
        self._idle: list[_Conn] = []

    def release(self, conn: _Conn) -> None:
        if len(self._idle) < self._max_idle:
            self._idle.append(conn)
        else:
            conn.close()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method != "GET" or request.url.scheme not in ("http", "https"):
            raise httpx.UnsupportedProtocol(f"{request.method} {request.url.scheme}: not spoken")
        timeouts = request.extensions.get("timeout", {})
        read_timeout = timeouts.get("read")
        wire = _request_bytes(request)
        while self._idle:
            conn = self._idle.pop()
            if not conn.reusable():
                conn.close()
                continue
            try:
                return await self._exchange(conn, wire, read_timeout, fresh=False)
            except _Stale:
                continue  # the server closed an idle connection: try another, then a new one
        conn = await self._connect(request.url, timeouts.get("connect"))
        return await self._exchange(conn, wire, read_timeout, fresh=True)

    async def _exchange(
        self, conn: _Conn, wire: bytes, timeout: float | None, *, fresh: bool
    ) -> httpx.Response:
        try:
            assert conn.transport is not None
            conn.transport.write(wire)
            while True:
                try:
                    raw = await _read_head(conn, timeout)
                except httpx.RemoteProtocolError:
                    if not fresh and not conn.buf:
                        raise _Stale from None
                    raise
                head = parse_head(raw)
                if head.status >= 200 or head.status == 101:
                    break
                # 1xx (100 Continue, 103 Early Hints): the real answer follows.
        except BaseException:
            conn.close()
            raise
        return httpx.Response(
            head.status,
            headers=head.headers,
            stream=_Body(self, conn, head, timeout),
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": head.reason},
        )

    async def _connect(self, url: httpx.URL, timeout: float | None) -> _Conn:
        host = url.host
        port = url.port or (443 if url.scheme == "https" else 80)
        tls = self._ssl if url.scheme == "https" else None
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                addresses = pick_addresses(
                    host, await self._resolve(host, port), self._allow_private
                )
                error: Exception | None = None
                for address in addresses[:3]:
                    try:
                        _, conn = await loop.create_connection(
                            _Conn,
                            address,
                            port,
                            ssl=tls,
                            server_hostname=host if tls is not None else None,
                        )
                        return conn
                    except ssl.SSLError as exc:
                        raise httpx.ConnectError(f"TLS handshake failed: {exc}") from exc
                    except OSError as exc:
                        error = exc
                assert error is not None
                raise httpx.ConnectError(str(error) or type(error).__name__) from error
        except TimeoutError:
            raise httpx.ConnectTimeout(f"no connection to {host} within {timeout} s") from None

    async def aclose(self) -> None:
        for conn in self._idle:
            with contextlib.suppress(Exception):
                conn.close()
        self._idle.clear()


class _Stale(Exception):
    """A pooled connection the server had already closed; the request was not answered."""


def _request_bytes(request: httpx.Request) -> bytes:
    target = request.url.raw_path or b"/"
    lines = [b"GET " + target + b" HTTP/1.1"]
    lines.extend(name + b": " + value for name, value in request.headers.raw)
    return b"\r\n".join(lines) + b"\r\n\r\n"
