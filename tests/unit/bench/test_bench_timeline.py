"""bench/timeline.py's pure parts: placing the fake web's times on our clock, and the table.
Nothing is run or fetched here; the statistics are made up for the test."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench"


@pytest.fixture
def bench_timeline(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCH))  # it imports its sibling compare.py, as a script does
    return importlib.import_module("timeline")


def _host(first: float | None, last: float | None) -> dict[str, float | None]:
    return {"first_s": first, "last_s": last}


def test_the_fake_webs_times_are_placed_on_our_clock(bench_timeline: ModuleType) -> None:
    # The fake web started 10 s before we asked it (at 110 on our clock): its start is at 100.
    # The process ran from 101 to 103; requests came in from 1.3 s and the last answer went out
    # at 2.9 s of the fake web's time.
    stats = {
        "uptime_s": 10.0,
        "hosts": {
            "127.0.0.2": _host(1.3, 2.5),
            "127.0.0.3": _host(1.4, 2.9),
            "127.0.0.4": _host(None, None),  # a host nothing was asked of
        },
    }
    t = bench_timeline.timeline(101.0, 103.0, 110.0, stats)
    assert t.wall == pytest.approx(2.0)
    assert t.first_request == pytest.approx(0.3)
    assert t.span == pytest.approx(1.6)
    assert t.after_last == pytest.approx(0.1)


def test_a_run_that_asked_nothing_is_an_error(bench_timeline: ModuleType) -> None:
    with pytest.raises(ValueError, match="no request"):
        bench_timeline.timeline(0.0, 1.0, 1.0, {"uptime_s": 2.0, "hosts": {}})


def test_the_table_gives_medians_and_the_wall_range(bench_timeline: ModuleType) -> None:
    runs = [bench_timeline.Timeline(w, f, s, a) for w, f, s, a in
            [(1.5, 0.30, 1.1, 0.10), (1.7, 0.32, 1.2, 0.18), (1.6, 0.31, 1.3, 0.02)]]  # fmt: skip
    table = bench_timeline.render([("ours", 1000, runs)])
    assert table.splitlines()[-1] == "| ours | 1000 | 1.600 (1.50-1.70) | 0.310 | 1.200 | 0.100 |"
