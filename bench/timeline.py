"""Where a run's wall time goes, seen from outside: before the first request, the fetch, after.

For citeaudit and lychee at equal politeness (the benchmark's two commands), alternately, each
run against a fresh fake web from the shared harness: the time from starting the process to
the first request reaching the fake web, the fake web's span (first request in to last answer
out, its own statistics), and the time from the last answer to the process's end. Nothing of
the harness is copied; the corpus is generated and synthetic.

    .venv/bin/python bench/timeline.py                         # 1000 and 3000 links, 5 runs each
    .venv/bin/python bench/timeline.py --links 1000 --runs 9 --tools ours
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compare import (
    BENCH_VENV,
    HARNESS,
    OUR_FLAGS,
    _FakeWeb,
    citeaudit_cmd,
    compile_package,
    free_port,
)


@dataclass(frozen=True)
class Timeline:
    """One run, in seconds from the process's start."""

    wall: float
    first_request: float
    span: float
    after_last: float


def timeline(started: float, ended: float, asked: float, stats: Mapping[str, Any]) -> Timeline:
    """A run's timeline from the fake web's statistics, read at `asked` (our monotonic clock).

    The fake web reports times from its own start and, in `uptime_s`, how long it had been up
    when asked: that places its start on our clock. `first_s` is when a request came in,
    `last_s` when an answer went out.
    """
    web_start = asked - float(stats["uptime_s"])
    hosts = [h for h in stats["hosts"].values() if h["first_s"] is not None]
    if not hosts:
        raise ValueError("the fake web saw no request")
    first = web_start + min(float(h["first_s"]) for h in hosts) - started
    last = web_start + max(float(h["last_s"]) for h in hosts) - started
    wall = ended - started
    return Timeline(wall, first, last - first, wall - last)


def commands(corpus: Path, out: Path) -> dict[str, list[str]]:
    """The benchmark's command for each tool (as compare.py runs them)."""
    return {
        "ours": [
            citeaudit_cmd(), "check", str(corpus), "--format", "json", *shlex.split(OUR_FLAGS),
            "--no-cache", "-o", str(out / "ours.json"), "--broken-list", str(out / "ours.broken"),
        ],
        "lychee_eq": [
            str(BENCH_VENV / "bin" / "lychee"), "--no-progress", "--max-concurrency", "128",
            "--host-concurrency", "10", "--host-request-interval", "0s", "--format", "json",
            "--output", str(out / "lychee.json"), str(corpus),
        ],
    }  # fmt: skip


def _stats(port: int) -> dict[str, Any]:
    with urllib.request.urlopen(f"http://127.0.0.2:{port}/__stats", timeout=10) as answer:
        return dict(json.load(answer))


def run_once(cmd: Sequence[str], port: int, work: Path, env: Mapping[str, str]) -> Timeline:
    with _FakeWeb(port, work / "fakeweb.json"):
        started = time.monotonic()
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ended = time.monotonic()
        asked = time.monotonic()
        return timeline(started, ended, asked, _stats(port))


def render(rows: Sequence[tuple[str, int, Sequence[Timeline]]]) -> str:
    """One line per tool and size: medians, and the range of the wall time."""
    out = [
        "| tool | links | wall s (range) | to first request s | span s | after last answer s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for tool, links, runs in rows:

        def med(values: Sequence[float]) -> str:
            return f"{statistics.median(values):.3f}"

        walls = [r.wall for r in runs]
        out.append(
            f"| {tool} | {links} | {med(walls)} ({min(walls):.2f}-{max(walls):.2f}) "
            f"| {med([r.first_request for r in runs])} | {med([r.span for r in runs])} "
            f"| {med([r.after_last for r in runs])} |"
        )
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--links", type=int, nargs="+", default=[1000, 3000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--tools", nargs="+", choices=("ours", "lychee_eq"), default=["ours", "lychee_eq"]
    )
    args = parser.parse_args(argv)
    tools = list(args.tools)
    if "lychee_eq" in tools and not (BENCH_VENV / "bin" / "lychee").exists():
        print("skipping lychee_eq: not installed (bench/compare.py --setup)", file=sys.stderr)
        tools.remove("lychee_eq")
    compile_package()
    rows = []
    with tempfile.TemporaryDirectory(prefix="citeaudit-timeline-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "CITEAUDIT_TIERS_CACHE": str(work / "tiers")}
        for links in args.links:
            port = free_port()
            subprocess.run(
                [sys.executable, "-I", str(HARNESS / "make_corpus.py"), "-n", str(links),
                 "--hosts", "50", "--port", str(port), "--out-dir", str(work)],
                check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
            cmds = commands(work / "corpus.md", work)
            subprocess.run(cmds["ours"], env=env, stdout=subprocess.DEVNULL)  # warms the tier cache
            runs: dict[str, list[Timeline]] = {tool: [] for tool in tools}
            for _ in range(args.runs):
                for tool in tools:  # alternating, so a busy spell hits both
                    try:
                        runs[tool].append(run_once(cmds[tool], port, work, env))
                    except ValueError as exc:  # the tool sent nothing: it failed to run
                        print(f"{tool}, {links} links: {exc}", file=sys.stderr)
                        return 2
            rows.extend((tool, links, runs[tool]) for tool in tools)
    print(render(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
