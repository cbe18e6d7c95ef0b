"""The results cache between runs: diskcache, JSON only, never pickle (CVE-2025-69872).

diskcache unpickles rows by default, so whoever can write the cache directory could run code
in our process. `SafeJSONDisk` stores JSON text (zlib-compressed) and refuses any row whose
mode or key says pickle, on store and on fetch. The directory is created with mode 0700.
What is stored is the link verdict, the page facts and capped page text, never bodies.
A cache that cannot be opened or read gives one warning and the run goes on without it.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import zlib
from collections.abc import Callable
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

import diskcache
import platformdirs

from audit import __version__
from audit.model import Hop, LinkResult, LinkVerdict, PageMeta

CACHE_FORMAT = 1
"""Bump when the stored shape changes: old entries are then simply not found."""

MAX_ROW_BYTES = 8 * 1024 * 1024
"""A stored row never inflates past this (a planted zlib bomb costs nothing)."""

_MODE_RAW = 1
_MODE_BINARY = 2


class UnsafeCacheRow(Exception):
    """A cache row is not JSON (a pickle, or garbage): refused, never decoded."""


class SafeJSONDisk(diskcache.Disk):  # type: ignore[misc]
    """A diskcache Disk that only stores and fetches JSON; keys must be strings."""

    def put(self, key: Any) -> tuple[Any, bool]:
        if not isinstance(key, str):
            raise UnsafeCacheRow("cache keys are strings")
        return key, True

    def get(self, key: Any, raw: bool) -> Any:
        if not raw or not isinstance(key, str):
            raise UnsafeCacheRow("a cache key is not a plain string (pickled?)")
        return key

    def store(self, value: Any, read: bool, key: Any = diskcache.UNKNOWN) -> Any:
        if read:
            raise UnsafeCacheRow("file values are not stored")
        data = zlib.compress(json.dumps(value, ensure_ascii=False).encode("utf-8"), 6)
        return super().store(data, False, key=key)

    def fetch(self, mode: int, filename: Any, value: Any, read: bool) -> Any:
        if read or mode not in (_MODE_RAW, _MODE_BINARY):
            raise UnsafeCacheRow(f"a cache row has mode {mode} (pickle or text), refused")
        data = super().fetch(mode, filename, value, False)
        if not isinstance(data, bytes):
            raise UnsafeCacheRow("a cache row is not bytes")
        try:
            inflater = zlib.decompressobj()
            text = inflater.decompress(data, MAX_ROW_BYTES)
            if inflater.unconsumed_tail:
                raise UnsafeCacheRow("a cache row inflates too far")
            return json.loads(text.decode("utf-8"))
        except (zlib.error, UnicodeDecodeError, ValueError) as exc:
            raise UnsafeCacheRow(f"a cache row is not JSON: {exc}") from None


def default_cache_dir() -> Path:
    """The user's cache directory for citeaudit (platformdirs)."""
    return Path(platformdirs.user_cache_dir("citeaudit", appauthor=False)) / "fetch"


def link_to_json(link: LinkResult) -> dict[str, Any]:
    """A LinkResult as JSON-ready data."""
    data = asdict(link)
    data["verdict"] = link.verdict.value
    return data


def link_from_json(data: dict[str, Any]) -> LinkResult:
    """Rebuild a LinkResult; KeyError/ValueError/TypeError on a bad shape."""
    return LinkResult(
        verdict=LinkVerdict(data["verdict"]),
        status=data["status"],
        final_url=data["final_url"],
        redirects=tuple(Hop(str(h["url"]), int(h["status"])) for h in data["redirects"]),
        reason=str(data["reason"]),
        from_cache=bool(data.get("from_cache", False)),
        elapsed_ms=data.get("elapsed_ms"),
        archive_url=data.get("archive_url"),
    )


def meta_from_json(data: dict[str, Any] | None) -> PageMeta | None:
    """Rebuild PageMeta from stored data, tolerating fields added or removed since."""
    if data is None:
        return None
    known = {f.name for f in fields(PageMeta)}
    kwargs: dict[str, Any] = {
        k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in known
    }
    return PageMeta(**kwargs)


PUT_BATCH = 200
"""Values buffered before they are written in one transaction (and at close)."""


class ResultCache:
    """Get and put fetch results by key; every failure becomes one warning and a disabled cache."""

    def __init__(
        self,
        directory: Path | None,
        ttl_ok: float,
        ttl_fail: float,
        warn: Callable[[str], None],
        extractor_version: str = "",
    ) -> None:
        self.directory = directory or default_cache_dir()
        self.ttl_ok, self.ttl_fail = ttl_ok, ttl_fail
        self._warn = warn
        self._prefix = f"v{CACHE_FORMAT}|{__version__}|{extractor_version}|"
        self._cache: diskcache.Cache | None = None
        self._warned = False
        self._pending: dict[str, tuple[dict[str, Any], float]] = {}
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            # mkdir's mode is masked by umask and ignored for an existing directory.
            if (self.directory.stat().st_mode & 0o777) != 0o700:
                os.chmod(self.directory, 0o700)
            self._cache = diskcache.Cache(
                str(self.directory), disk=SafeJSONDisk, timeout=5, size_limit=2**30
            )
        except (OSError, sqlite3.Error, diskcache.Timeout) as exc:
            self._disable(f"cannot open {self.directory}: {exc}")

    @property
    def enabled(self) -> bool:
        """False once the cache failed; the run then goes on without it."""
        return self._cache is not None

    def _disable(self, why: str) -> None:
        if not self._warned:
            self._warned = True
            self._warn(f"the fetch cache is not used this run ({why})")
        if self._cache is not None:
            with contextlib.suppress(OSError, sqlite3.Error):
                self._cache.close()
        self._cache = None

    def full_key(self, kind: str, key: str) -> str:
        """The row key: format and tool version, extractor version, kind, cache key."""
        return self._prefix + kind + "|" + key

    def get(self, kind: str, key: str) -> dict[str, Any] | None:
        """The stored value, or None if absent, expired, refused or unreadable."""
        if self._cache is None:
            return None
        full_key = self.full_key(kind, key)
        if full_key in self._pending:
            return self._pending[full_key][0]
        try:
            value = self._cache.get(full_key)
        except UnsafeCacheRow as exc:
            self._warn_once_row(str(exc))
            return None
        except (OSError, sqlite3.Error, diskcache.Timeout) as exc:
            self._disable(f"cannot read it: {exc}")
            return None
        return value if isinstance(value, dict) else None

    def put(self, kind: str, key: str, value: dict[str, Any], ok: bool) -> None:
        """Store a value with the success or failure time-to-live (written in batches)."""
        if self._cache is None:
            return
        self._pending[self.full_key(kind, key)] = (value, self.ttl_ok if ok else self.ttl_fail)
        if len(self._pending) >= PUT_BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the buffered values in one transaction.

        One SQLite commit per value cost 0.15 ms, 0.45 s for a 3,000-link run; a transaction
        per batch costs a few hundredths of that (docs/performance.md).
        """
        if self._cache is None or not self._pending:
            return
        pending, self._pending = self._pending, {}
        try:
            with self._cache.transact():
                for full_key, (value, expire) in pending.items():
                    self._cache.set(full_key, value, expire=expire)
        except (OSError, sqlite3.Error, diskcache.Timeout) as exc:
            self._disable(f"cannot write it: {exc}")

    def _warn_once_row(self, why: str) -> None:
        if not self._warned:
            self._warned = True
            self._warn(f"a fetch cache entry was refused and ignored ({why})")

    def close(self) -> None:
        """Write what is buffered and close the database; safe to call twice."""
        self.flush()
        if self._cache is not None:
            with contextlib.suppress(OSError, sqlite3.Error):
                self._cache.close()
            self._cache = None
