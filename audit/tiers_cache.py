"""The parsed default tier list, kept on disk between runs.

Reading and validating the 737 outlets of `rules/*.toml` takes about 30 ms on every run (tomllib
and the line-number bookkeeping for error messages), a tenth of a replayed audit's start-up. The
result is stored as JSON under the user's cache directory, keyed by a hash of the rules files'
names and bytes, of the code that parses them and of the tool's version, so an edited list, a
changed parser or an upgrade means a fresh parse. The
cache is an optimisation only: any trouble reading or writing it (a read-only or corrupted
directory, a hand-edited file) means the TOML is parsed as before, silently.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import platformdirs

from audit import __version__
from audit.files import write_atomic

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")

CACHE_ENV = "CITEAUDIT_TIERS_CACHE"
"""A directory to keep the parsed list in instead of the user cache; "off" disables it."""


def cache_dir() -> Path | None:
    """Where the parsed list is kept, or None when the cache is switched off."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    return Path(platformdirs.user_cache_dir("citeaudit", appauthor=False)) / "tiers"


_PARSER_SOURCES = ("tiers.py", "tiers_data.py", "tiers_cache.py")
"""The modules whose code decides what the parsed list holds."""


def files_key(files: Sequence[Path]) -> str | None:
    """A hash of the files, the parser's code and the tool's version (None if unreadable)."""
    digest = hashlib.sha256(__version__.encode())
    here = Path(__file__).resolve().parent
    try:
        for path in [*(here / name for name in _PARSER_SOURCES), *files]:
            digest.update(b"\0" + path.name.encode() + b"\0" + path.read_bytes())
    except OSError:
        return None
    return digest.hexdigest()[:32]


def load_or_build(
    files: Sequence[Path],
    build: Callable[[], Sequence[T]],
    cls: type[T],
    directory: Path | None = None,
) -> tuple[T, ...]:
    """`build()`'s dataclasses, from the cache when its key matches, else built and stored."""
    where = directory if directory is not None else cache_dir()
    key = files_key(files) if where is not None else None
    if where is None or key is None:
        return tuple(build())
    path = where / f"default-{key}.json"
    cached = _read(path, cls)
    if cached is not None:
        return cached
    built = tuple(build())
    _write(path, [dataclasses.asdict(item) for item in built])
    return built


def _read(path: Path, cls: type[T]) -> tuple[T, ...] | None:
    # The first line is the SHA-256 of the rest: a truncated or hand-edited file is not used.
    try:
        seal, _, payload = path.read_text(encoding="utf-8").partition("\n")
        if hashlib.sha256(payload.encode()).hexdigest() != seal:
            return None
        names = {f.name for f in dataclasses.fields(cls)}
        out = []
        for row in json.loads(payload):
            if set(row) != names:
                return None  # another shape (an older version wrote it): parse afresh
            values = {k: tuple(v) if isinstance(v, list) else v for k, v in row.items()}
            out.append(cls(**values))
        return tuple(out)
    except (OSError, ValueError, TypeError, AttributeError):
        return None


def _write(path: Path, rows: list[dict[str, Any]]) -> None:
    payload = json.dumps(rows, ensure_ascii=False)
    seal = hashlib.sha256(payload.encode()).hexdigest()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomic(path, seal + "\n" + payload)
        for old in path.parent.glob("default-*.json"):
            if old != path:
                old.unlink(missing_ok=True)  # an earlier version's or an edited list's
    except OSError:
        pass  # a cache we cannot write is a cache we do without
