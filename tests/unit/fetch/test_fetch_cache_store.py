"""The results cache: JSON only, pickles refused, failures are one warning, shared safely."""

from __future__ import annotations

import asyncio
import os
import stat
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import diskcache
import fetchserver as fs
import pytest

from audit.fetch.cache import ResultCache, SafeJSONDisk, UnsafeCacheRow
from audit.fetch.fetcher import fetch_all
from audit.fetch.options import FetchOptions
from audit.model import LinkVerdict


class Evil:
    """Unpickling this writes a marker file: proof that code ran."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (Path.write_text, (Path(self.marker), "pwned"))  # type: ignore[arg-type]


def make(tmp_path: Path, warnings: list[str]) -> ResultCache:
    return ResultCache(tmp_path / "cache", 3600, 60, warnings.append, "x1")


def test_values_round_trip_as_json_and_dir_is_private(tmp_path: Path) -> None:
    warnings: list[str] = []
    cache = make(tmp_path, warnings)
    cache.put("link", "https://a.example/", {"verdict": "ok", "n": [1, 2]}, ok=True)
    assert cache.get("link", "https://a.example/") == {"verdict": "ok", "n": [1, 2]}
    assert cache.get("link", "https://b.example/") is None
    assert stat.S_IMODE(os.stat(tmp_path / "cache").st_mode) == 0o700
    cache.close()
    assert warnings == []


def test_a_planted_pickle_is_refused_not_executed(tmp_path: Path) -> None:
    warnings: list[str] = []
    cache = make(tmp_path, warnings)
    key = cache.full_key("link", "https://a.example/")
    cache.close()
    marker = tmp_path / "marker"
    with diskcache.Cache(str(tmp_path / "cache")) as attacker:  # default Disk: pickle
        attacker.set(key, Evil(str(marker)))
    cache = make(tmp_path, warnings)
    assert cache.get("link", "https://a.example/") is None
    assert not marker.exists()
    assert len(warnings) == 1 and "refused" in warnings[0]
    cache.close()


def test_the_disk_refuses_to_store_or_fetch_pickles(tmp_path: Path) -> None:
    disk = SafeJSONDisk(str(tmp_path))
    with pytest.raises(UnsafeCacheRow):
        disk.fetch(4, None, b"\x80\x04N.", False)  # MODE_PICKLE
    with pytest.raises(UnsafeCacheRow):
        disk.put(("tuple", "key"))
    with pytest.raises(UnsafeCacheRow):
        disk.get(b"\x80\x04N.", False)


def test_unusable_cache_dir_gives_one_warning_and_the_run_goes_on(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    warnings: list[str] = []
    cache = ResultCache(blocker / "cache", 3600, 60, warnings.append)
    assert not cache.enabled
    cache.put("link", "k", {"a": 1}, ok=True)
    assert cache.get("link", "k") is None
    assert len(warnings) == 1


def test_corrupt_cache_database_gives_one_warning(tmp_path: Path) -> None:
    (tmp_path / "cache").mkdir(mode=0o700)
    (tmp_path / "cache" / "cache.db").write_bytes(b"this is not sqlite" * 100)
    warnings: list[str] = []
    cache = make(tmp_path, warnings)
    assert cache.get("link", "k") is None
    assert len(warnings) == 1


def test_second_run_is_served_from_cache_then_refresh_and_no_cache_refetch(
    tmp_path: Path,
) -> None:
    web = fs.FakeWeb().start()
    try:
        url = web.url("/story")
        opts = FetchOptions(allow_private=True, cache_dir=tmp_path / "c", timeout=2.0)
        first = asyncio.run(fetch_all([url], opts))[url].link
        second = asyncio.run(fetch_all([url], opts))[url].link
        assert (first.from_cache, second.from_cache) == (False, True)
        assert second.verdict is LinkVerdict.OK and second.final_url == first.final_url
        assert web.hits["/story"] == 1
        asyncio.run(fetch_all([url], replace(opts, refresh=True)))
        asyncio.run(fetch_all([url], replace(opts, use_cache=False)))
        assert web.hits["/story"] == 3
        dead = web.url("/notfound")
        asyncio.run(fetch_all([dead], opts))
        again = asyncio.run(fetch_all([dead], opts))[dead].link
        assert again.from_cache and again.verdict is LinkVerdict.DEAD
    finally:
        web.stop()


WRITER = """
import sys
from audit.fetch.cache import ResultCache
c = ResultCache(__import__("pathlib").Path(sys.argv[1]), 3600, 60, print)
for i in range(150):
    c.put("link", f"{sys.argv[2]}-{i}", {"i": i}, ok=True)
    assert c.get("link", f"{sys.argv[2]}-{i}") == {"i": i}
c.close()
"""


def test_two_processes_can_share_the_cache(tmp_path: Path) -> None:
    target = str(tmp_path / "shared")
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, target, name], stdout=subprocess.PIPE)
        for name in ("a", "b")
    ]
    outputs = [p.communicate(timeout=60)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert outputs == [b"", b""]  # no warnings printed
    cache = ResultCache(Path(target), 3600, 60, print)
    assert cache.get("link", "a-149") == {"i": 149} and cache.get("link", "b-0") == {"i": 0}
    cache.close()


def test_pages_cached_by_an_older_reading_of_pages_are_not_served(tmp_path: Path) -> None:
    # The cache's key carries the metadata extractor's version: a page read by an older
    # digest (without the site name a title gives, say) is fetched and read again.
    import audit.meta
    from audit.fetch.cache import ResultCache
    from audit.fetch.fetcher import _extractor_version

    assert _extractor_version() == audit.meta.EXTRACTOR_VERSION != ""
    old = ResultCache(tmp_path / "cache", 3600, 3600, lambda _: None, "1")
    old.put("meta", "https://a.example/", {"site_name": None}, ok=True)
    old.close()
    new = ResultCache(tmp_path / "cache", 3600, 3600, lambda _: None, _extractor_version())
    assert new.get("meta", "https://a.example/") is None
    new.close()
    again = ResultCache(tmp_path / "cache", 3600, 3600, lambda _: None, "1")
    assert again.get("meta", "https://a.example/") == {"site_name": None}
    again.close()
