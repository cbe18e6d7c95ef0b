"""Content-Encoding decoding with a hard cap on the decompressed size (gzip bombs).

httpx's own decoders inflate a whole network chunk at once, so one 64 KB chunk of a bomb can
become 64 MB before anything can stop it; here every step asks zlib for at most what is left.
We only ever ask for gzip and deflate (see ACCEPT_ENCODING), so that is all we decode.
"""

from __future__ import annotations

import zlib
from typing import Protocol

ACCEPT_ENCODING = "gzip, deflate"


class DecompressionLimit(Exception):
    """The body inflates past the decompressed-size cap."""


class UnsupportedEncoding(Exception):
    """The server used a Content-Encoding we did not ask for and cannot decode."""


class _Inflater(Protocol):
    @property
    def unconsumed_tail(self) -> bytes: ...

    def decompress(self, data: bytes, max_length: int = ..., /) -> bytes: ...

    def flush(self) -> bytes: ...


class BoundedDecoder:
    """Feeds raw body bytes in, gets decoded bytes out, never more than `limit` in total."""

    def __init__(self, content_encoding: str | None, limit: int) -> None:
        self._limit = limit
        self._produced = 0
        self._stages: list[_Inflater] = []
        codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
        # Encodings are listed in the order they were applied: undo them last first.
        for coding in reversed(codings):
            if coding in ("identity", ""):
                continue
            if coding in ("gzip", "x-gzip"):
                self._stages.append(zlib.decompressobj(zlib.MAX_WBITS | 16))
            elif coding == "deflate":
                self._stages.append(_DeflateAny())
            else:
                raise UnsupportedEncoding(f"the server used the {coding!r} encoding")

    def feed(self, data: bytes) -> bytes:
        """Decode the next raw chunk; raises DecompressionLimit past the cap."""
        for stage in self._stages:
            data = self._inflate(stage, data)
        self._count(len(data))
        return data

    def flush(self) -> bytes:
        """Whatever the decoders still hold at the end of the body."""
        out = b""
        for stage in self._stages:
            out = self._inflate(stage, out) + stage.flush()
        self._count(len(out))
        return out

    def _inflate(self, stage: _Inflater, data: bytes) -> bytes:
        parts: list[bytes] = []
        room = self._limit - self._produced
        while True:
            got = stage.decompress(data, max(1, room + 1))
            parts.append(got)
            room -= len(got)
            if room < 0:
                raise DecompressionLimit(f"the body inflates past {self._limit} bytes")
            data = stage.unconsumed_tail
            if not data:
                return b"".join(parts)

    def _count(self, n: int) -> None:
        self._produced += n
        if self._produced > self._limit:
            raise DecompressionLimit(f"the body inflates past {self._limit} bytes")


class _DeflateAny:
    """'deflate' is zlib-wrapped by the standard and raw in some servers: accept both."""

    def __init__(self) -> None:
        self._obj = zlib.decompressobj()
        self._first = True

    @property
    def unconsumed_tail(self) -> bytes:
        return self._obj.unconsumed_tail

    def decompress(self, data: bytes, max_length: int = 0, /) -> bytes:
        if self._first and data:
            self._first = False
            try:
                return self._obj.decompress(data, max_length)
            except zlib.error:
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
        return self._obj.decompress(data, max_length)

    def flush(self) -> bytes:
        return self._obj.flush()


def decode_all(raw: bytes, content_encoding: str | None, limit: int) -> tuple[bytes, bool]:
    """Decode a whole raw body: (decoded bytes up to `limit`, True if the cap was hit)."""
    try:
        decoder = BoundedDecoder(content_encoding, limit)
    except UnsupportedEncoding:
        return raw[:limit], len(raw) > limit
    try:
        return decoder.feed(raw) + decoder.flush(), False
    except DecompressionLimit:
        return b"", True
    except zlib.error:
        return raw[:limit], False
