"""Cassettes: our own JSON record/replay transport, hop by hop (format in docs/cassettes.md).

Recording tees the bytes the fetcher reads (never more: the body cap keeps protecting us, which
vcrpy's buffering would defeat), decodes them, and writes them readable; replay answers from the
file and never opens a socket. Cookies and authorisation headers are never written: request
headers are not stored at all, and Set-Cookie is dropped from responses.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections import defaultdict
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from audit import __version__
from audit.errors import CassetteError
from audit.fetch.decoding import DecompressionLimit, decode_all
from audit.fetch.safety import PrivateAddressError, UnknownHostError
from audit.files import write_atomic

FORMAT = "citeaudit-cassette"
VERSION = 1

OUTCOME = "citeaudit.outcome"
"""Response extension the fetcher sets when it stops reading: "body-cap" or "deadline"."""

DROP_HEADERS = frozenset(
    {
        "set-cookie",
        "set-cookie2",
        "cookie",
        "authorization",
        "proxy-authorization",
        "date",
        "content-encoding",
        "content-length",
        "transfer-encoding",
        "connection",
        "keep-alive",
    }
)
"""Secrets, noise, and headers that no longer describe the decoded body we store."""


class CassetteMiss(Exception):
    """The request is not in the cassette: the URL gets `not_checked`, "not in cassette"."""


class DeadlineReached(Exception):
    """Replayed: the URL's total deadline ran out here when it was recorded."""


_ERROR_KINDS: dict[str, type[Exception]] = {
    cls.__name__: cls
    for cls in (
        httpx.ConnectError,
        httpx.ConnectTimeout,
        httpx.ReadTimeout,
        httpx.WriteTimeout,
        httpx.PoolTimeout,
        httpx.ReadError,
        httpx.WriteError,
        httpx.RemoteProtocolError,
        httpx.LocalProtocolError,
        httpx.ProxyError,
        httpx.UnsupportedProtocol,
        DecompressionLimit,
        DeadlineReached,
    )
}


def _error_record(exc: BaseException) -> dict[str, str]:
    if isinstance(exc, UnknownHostError):
        return {"kind": "UnknownHostError", "host": exc.host, "message": str(exc)}
    if isinstance(exc, PrivateAddressError):
        return {
            "kind": "PrivateAddressError",
            "host": exc.host,
            "address": exc.address,
            "message": str(exc),
        }
    if isinstance(exc, asyncio.CancelledError | TimeoutError):
        return {"kind": "DeadlineReached", "message": "the total deadline ran out"}
    kind = type(exc).__name__ if type(exc).__name__ in _ERROR_KINDS else "ReadError"
    return {"kind": kind, "message": _describe(exc)}


def _describe(exc: BaseException) -> str:
    # anyio hides "connection refused" behind "All connection attempts failed"; keep the
    # words that decide the verdict, so a replay judges the error the same way.
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            break
        if isinstance(seen, ConnectionRefusedError):
            return f"connection refused ({exc})"
        seen = seen.__cause__ or seen.__context__
    return str(exc)


def _error_from_record(rec: dict[str, str]) -> Exception:
    kind, message = rec["kind"], rec.get("message", "")
    if kind == "UnknownHostError":
        return UnknownHostError(rec.get("host", "?"))
    if kind == "PrivateAddressError":
        return PrivateAddressError(rec.get("host", "?"), rec.get("address", "?"))
    cls = _ERROR_KINDS.get(kind)
    if cls is None:
        raise KeyError(kind)
    return cls(message)


def _body_fields(body: bytes) -> dict[str, str]:
    try:
        return {"body": body.decode("utf-8")}
    except UnicodeDecodeError:
        return {"body_base64": base64.b64encode(body).decode("ascii")}


class Recorder:
    """Collects interactions in the order they finish, and writes the cassette file."""

    def __init__(self, path: Path, max_decompressed_bytes: int) -> None:
        self.path = path
        self.limit = max_decompressed_bytes
        self.interactions: list[dict[str, Any]] = []

    def add(
        self,
        request: httpx.Request,
        response: httpx.Response | None,
        raw: bytes,
        outcome: str | None,
        error: BaseException | None,
    ) -> None:
        """Store one hop: the response as read (decoded), and any error that ended it."""
        entry: dict[str, Any] = {"request": {"method": request.method, "url": str(request.url)}}
        if response is not None:
            body, bomb = decode_all(raw, response.headers.get("content-encoding"), self.limit)
            headers: dict[str, str] = {}
            for k, v in response.headers.multi_items():
                if k.lower() not in DROP_HEADERS:
                    name = k.lower()
                    headers[name] = f"{headers[name]}, {v}" if name in headers else v
            entry["response"] = {"status": response.status_code, "headers": headers}
            entry["response"].update(_body_fields(body))
            if bomb:
                error = DecompressionLimit(f"the body inflates past {self.limit} bytes")
            elif outcome == "body-cap":
                entry["response"]["truncated"] = True
            elif outcome == "deadline":
                error = DeadlineReached("the total deadline ran out")
        if error is not None:
            entry["error"] = _error_record(error)
        self.interactions.append(entry)

    def save(self) -> None:
        """Write the cassette atomically: an interrupted run never leaves half a file."""
        doc = {
            "format": FORMAT,
            "version": VERSION,
            "recorded_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
            "recorded_by": f"citeaudit {__version__}",
            "interactions": self.interactions,
        }
        write_atomic(self.path, json.dumps(doc, indent=1, ensure_ascii=False) + "\n")


class _TeeStream(httpx.AsyncByteStream):
    """Passes the inner stream through, keeping a copy of what was read for the recorder."""

    def __init__(
        self,
        inner: httpx.AsyncByteStream,
        recorder: Recorder,
        request: httpx.Request,
        cap: int,
    ) -> None:
        self._inner, self._recorder, self._request, self._cap = inner, recorder, request, cap
        self._parts: list[bytes] = []
        self._size = 0
        self._error: BaseException | None = None
        self._done = False
        self.response: httpx.Response | None = None

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._inner:
                if self._size < self._cap:
                    self._parts.append(chunk[: self._cap - self._size])
                    self._size += len(chunk)
                yield chunk
        except Exception as exc:
            self._error = exc
            raise

    async def aclose(self) -> None:
        if not self._done:
            self._done = True
            response = self.response
            outcome = response.extensions.get(OUTCOME) if response is not None else None
            self._recorder.add(self._request, response, b"".join(self._parts), outcome, self._error)
        await self._inner.aclose()


class RecordingTransport(httpx.AsyncBaseTransport):
    """Wraps a real transport and records every exchange into a Recorder."""

    def __init__(self, inner: httpx.AsyncBaseTransport, recorder: Recorder, cap: int) -> None:
        self._inner, self._recorder, self._cap = inner, recorder, cap

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = await self._inner.handle_async_request(request)
        except (Exception, asyncio.CancelledError) as exc:
            self._recorder.add(request, None, b"", None, exc)
            raise
        assert isinstance(response.stream, httpx.AsyncByteStream)
        tee = _TeeStream(response.stream, self._recorder, request, self._cap)
        recorded = httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=tee,
            extensions=response.extensions,
            request=request,
        )
        tee.response = recorded
        return recorded

    async def aclose(self) -> None:
        await self._inner.aclose()


class _ReplayStream(httpx.AsyncByteStream):
    def __init__(self, body: bytes, error: Exception | None) -> None:
        self._body, self._error = body, error

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self._body:
            yield self._body
        if self._error is not None:
            raise self._error


class ReplayTransport(httpx.AsyncBaseTransport):
    """Answers from a cassette; a request that is not in it raises CassetteMiss."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._entries: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._cursor: dict[str, int] = defaultdict(int)
        for entry in load_cassette(path):
            key = f"{entry['request']['method']} {entry['request']['url']}"
            self._entries[key].append(entry)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        key = f"{request.method} {request.url}"
        items = self._entries.get(key)
        if not items:
            raise CassetteMiss(f"{key} is not in {self.path}")
        # Repeats (retries) replay in recorded order, then keep answering with the last one.
        entry = items[min(self._cursor[key], len(items) - 1)]
        self._cursor[key] += 1
        error = _error_from_record(entry["error"]) if "error" in entry else None
        resp = entry.get("response")
        if resp is None:
            assert error is not None
            raise error
        if "body_base64" in resp:
            body = base64.b64decode(resp["body_base64"])
        else:
            body = str(resp.get("body", "")).encode("utf-8")
        extensions: dict[str, Any] = {}
        if resp.get("truncated"):
            extensions["citeaudit.truncated"] = True
        return httpx.Response(
            int(resp["status"]),
            headers={str(k): str(v) for k, v in resp.get("headers", {}).items()},
            stream=_ReplayStream(body, error),
            extensions=extensions,
            request=request,
        )


def load_cassette(path: Path) -> list[dict[str, Any]]:
    """The interactions of a cassette, checked; CassetteError with a one-line reason if not."""
    where = f"cassette {path}"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CassetteError(f"{where} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CassetteError(f"{where} cannot be read: {exc}") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CassetteError(
            f"{where} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "it may be truncated or badly edited: record it again with --record"
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise CassetteError(f'{where} is not a citeaudit cassette (no "format": "{FORMAT}")')
    if doc.get("version") != VERSION:
        raise CassetteError(
            f"{where} has format version {doc.get('version')!r}; this citeaudit reads version "
            f"{VERSION}: record it again with --record"
        )
    items = doc.get("interactions")
    if not isinstance(items, list):
        raise CassetteError(f'{where} has no "interactions" list')
    for i, entry in enumerate(items, start=1):
        problem = _entry_problem(entry)
        if problem:
            raise CassetteError(f"{where}: interaction {i} {problem}")
    return items


def _entry_problem(entry: Any) -> str | None:
    if not isinstance(entry, dict):
        return "is not an object"
    req = entry.get("request")
    if not (isinstance(req, dict) and isinstance(req.get("url"), str) and req.get("method")):
        return "has no request method and URL"
    resp = entry.get("response")
    err = entry.get("error")
    if resp is None and err is None:
        return "has neither a response nor an error"
    if resp is not None:
        if not isinstance(resp, dict) or not isinstance(resp.get("status"), int):
            return "has a response without a numeric status"
        headers = resp.get("headers", {})
        if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
            return "has headers that are not an object of strings"
        if "body_base64" in resp:
            try:
                base64.b64decode(resp["body_base64"], validate=True)
            except (ValueError, TypeError):
                return "has a body_base64 that is not base64"
        elif not isinstance(resp.get("body", ""), str):
            return "has a body that is not a string"
    if err is not None:
        if not isinstance(err, dict) or not isinstance(err.get("kind"), str):
            return "has an error without a kind"
        known = set(_ERROR_KINDS) | {"UnknownHostError", "PrivateAddressError"}
        if err["kind"] not in known:
            return f"has an unknown error kind {err['kind']!r}"
    return None
