"""The comparison benchmark: citeaudit against lychee and friends on the shared fake web.

Reuses the shared harness by path (../shared/bench beside the repository: fakeweb.py,
make_corpus.py, run_peers.sh, report.py); nothing of it is copied here. For each corpus size it
runs the harness with our CLI in its `ours` slot (the normal `check` with full page
verification, the JSON report written, and `--broken-list` writing the broken-URL list the
harness scores), then a cold and a warm-cache run of ours against a fresh fake web, and prints
one table.

    .venv/bin/python bench/compare.py                      # 1000 and 3000 links, one run each
    .venv/bin/python bench/compare.py --links 1000 --repeats 3 --tools lychee_eq ours
    .venv/bin/python bench/compare.py --setup              # install the peers into /tmp first

Politeness is equal by default: lychee_eq is `--host-concurrency 10 --host-request-interval 0s
--max-concurrency 128`, ours is `--per-host 10 --concurrency 128`. "x ideal" is against the
harness's floor for those caps (redirect hops counted, 10 per host and 128 in flight in all).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HARNESS = (ROOT / ".." / "shared" / "bench").resolve()
BENCH_VENV = Path(os.environ.get("BENCH_VENV", "/tmp/benchvenv"))
BENCH_NODE = Path(os.environ.get("BENCH_NODE", "/tmp/benchnode"))
DEFAULT_TOOLS = ("lychee_eq", "lychee", "linkinator", "ref_httpx", "ours")
OUR_FLAGS = "--allow-private --no-archive --per-host 10 --concurrency 128 --quiet --fail-on never"


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    tool: str
    links: int
    wall_s: float | None
    walls: tuple[float, ...]
    rss_mb: float | None
    found: int | None
    planted: int
    false_pos: int | None
    note: str = ""


def citeaudit_cmd() -> str:
    """The citeaudit console script of this interpreter's environment."""
    beside = Path(sys.executable).parent / "citeaudit"
    found = str(beside) if beside.exists() else shutil.which("citeaudit")
    if not found:
        raise SystemExit("citeaudit is not installed in this environment (pip install -e .)")
    return found


def compile_package() -> None:
    """Write citeaudit's bytecode, as `pip install` does for an installed (non-editable) package.

    An editable install run with PYTHONDONTWRITEBYTECODE=1 (these machines set it) compiles
    every module of ours from source on every run: 13 % more instructions for a 1,000-link
    offline audit (callgrind), which no user of a wheel pays. compileall writes the files even
    so, and leaves up-to-date ones alone.
    """
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("audit")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("citeaudit is not importable from this Python (pip install -e .)")
    for folder in spec.submodule_search_locations:
        compileall.compile_dir(folder, quiet=1)


def our_command(extra: str = "--no-cache") -> str:
    """OURTOOL_CMD for run_peers.sh: check with the JSON report out and {BROKEN} listed."""
    return (
        f"{shlex.quote(citeaudit_cmd())} check {{MD}} --format json {OUR_FLAGS} {extra} "
        f"-o {{BROKEN}}.json --broken-list {{BROKEN}}"
    )


def free_port() -> int:
    """A port free on the fake web's first address (others may be running the bench too)."""
    with socket.socket() as s:
        s.bind(("127.0.0.2", 0))
        return int(s.getsockname()[1])


def peers_available() -> dict[str, bool]:
    """Which peers are installed where the harness looks for them."""
    return {
        "lychee": (BENCH_VENV / "bin" / "lychee").exists(),
        "linkchecker": (BENCH_VENV / "bin" / "linkchecker").exists(),
        "ref_httpx": (BENCH_VENV / "bin" / "python").exists(),
        "linkinator": (BENCH_NODE / "node_modules" / ".bin" / "linkinator").exists(),
    }


def usable_tools(tools: Sequence[str], have: Mapping[str, bool]) -> list[str]:
    """The requested tools whose peer is installed (ours always is)."""
    keep = []
    for tool in tools:
        base = next((k for k in have if tool.startswith(k)), None)
        if base is None or have[base]:
            keep.append(tool)
        else:
            print(f"skipping {tool}: not installed (run with --setup)", file=sys.stderr)
    return keep


def run_harness(out: Path, links: int, tools: Sequence[str], repeats: int, port: int) -> None:
    """One run_peers.sh run into `out`; its own report goes to out/harness.log."""
    env = dict(os.environ)
    env.update(
        LINKS=str(links),
        HOSTS="50",
        LATENCY_MS="100",
        CAP="10",
        PORT=str(port),
        REPEATS=str(repeats),
        TOOLS=" ".join(tools),
        OUT=str(out),
        OURTOOL_CMD=our_command(),
        TOOL_TIMEOUT="600",
    )
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "harness.log", "w", encoding="utf-8") as log:
        subprocess.run(
            ["bash", str(HARNESS / "run_peers.sh")],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=True,
        )


def rows_from_results(results: Mapping[str, Any], links: int) -> list[Row]:
    """Table rows from the harness's results.json."""
    planted = int(results["corpus"]["expected_broken_unique"])
    rows = []
    for entry in results["tools"]:
        runs = entry["runs"]
        walls = tuple(float(r["wall_s"]) for r in runs if "wall_s" in r)
        rss = [float(r["rss_mb"]) for r in runs if "rss_mb" in r]
        rows.append(
            Row(
                tool=entry["tool"],
                links=links,
                wall_s=statistics.median(walls) if walls else None,
                walls=walls,
                rss_mb=max(rss) if rss else None,
                found=runs[0].get("broken_found"),
                planted=planted,
                false_pos=runs[0].get("false_pos"),
            )
        )
    return rows


def warm_cache_rows(out: Path, port: int, links: int, planted: int) -> list[Row]:
    """Ours twice against a fresh fake web each time, sharing one cache: cold, then warm."""
    cache = out / "warm-cache"
    shutil.rmtree(cache, ignore_errors=True)
    rows = []
    for label in ("ours, cold cache", "ours, warm cache"):
        tag = label.split(", ")[1].replace(" ", "-")
        stats = out / f"{tag}.fakeweb.json"
        report, listing = out / f"{tag}.json", out / f"{tag}.broken"
        cmd = [citeaudit_cmd(), "check", str(out / "corpus.md"), "--format", "json"]
        cmd += [*shlex.split(OUR_FLAGS), "--cache-dir", str(cache), "-o", str(report)]
        cmd += ["--broken-list", str(listing)]
        with _FakeWeb(port, stats):
            wall, rss = _timed(cmd)
        requests = json.loads(stats.read_text())["totals"]["requests"]
        found = _found(listing, out / "corpus.json")
        rows.append(
            Row(label, links, wall, (wall,), rss, found[0], planted, found[1], f"{requests} reqs")
        )
    return rows


class _FakeWeb:
    """The shared fakeweb.py on `port` for the duration of a `with` block."""

    def __init__(self, port: int, stats: Path) -> None:
        self.port, self.stats = port, stats
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> _FakeWeb:
        ready = self.stats.with_suffix(".ready")
        ready.unlink(missing_ok=True)
        self.proc = subprocess.Popen(
            [sys.executable, "-I", str(HARNESS / "fakeweb.py"), "--hosts", "50", "--port",
             str(self.port), "--latency-ms", "100", "--lifetime", "300",
             "--stats-file", str(self.stats), "--ready-file", str(ready)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(100):
            if ready.exists():
                return self
            time.sleep(0.1)
        self.__exit__()
        raise SystemExit("fakeweb did not start")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()  # fakeweb writes its counters on SIGTERM
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _timed(cmd: Sequence[str]) -> tuple[float, float]:
    """Wall seconds and the child's peak RSS in MB."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def _found(listing: Path, manifest: Path) -> tuple[int | None, int | None]:
    """(planted broken URLs listed, URLs listed that were not planted) from a --broken-list file."""
    try:
        got = set(listing.read_text(encoding="utf-8").splitlines())
    except OSError:
        return None, None
    planted = set(json.loads(manifest.read_text())["broken_urls"])
    return len(got & planted), len(got - planted)


def ratio(value: float | None, base: float | None) -> str:
    """value / base as `1.23x`, or `-` when either is missing."""
    if value is None or not base:
        return "-"
    return f"{value / base:.2f}x"


def render_table(rows: Sequence[Row], ideals: Mapping[int, float], baseline: str) -> str:
    """The one table: tool, links, wall, ratio to lychee, ratio to ideal, memory, correctness."""
    base = {r.links: r.wall_s for r in rows if r.tool == baseline}
    lines = [
        f"| tool | links | wall s | x {baseline} | x ideal | peak MB | broken found / planted |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        wall = "-" if r.wall_s is None else f"{r.wall_s:.2f}"
        if len(r.walls) > 1:
            wall += " (" + "/".join(f"{w:.2f}" for w in r.walls) + ")"
        found = "-" if r.found is None else f"{r.found}/{r.planted}"
        if r.false_pos:
            found += f" (+{r.false_pos} false)"
        if r.note:
            found += f"; {r.note}"
        rss = "-" if r.rss_mb is None else f"{r.rss_mb:.0f}"
        lines.append(
            f"| {r.tool} | {r.links} | {wall} | {ratio(r.wall_s, base.get(r.links))} "
            f"| {ratio(r.wall_s, ideals.get(r.links))} | {rss} | {found} |"
        )
    return "\n".join(lines)


def machine() -> str:
    """One line about the machine: CPUs, memory, load, Python."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1048576:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{platform.system()} {platform.release()}, {os.cpu_count()} CPU{mem}, load {load:.1f}, "
        f"Python {platform.python_version()}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, nargs="+", default=[1000, 3000])
    parser.add_argument("--tools", nargs="+", default=list(DEFAULT_TOOLS))
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("/tmp/citeaudit-bench"))
    parser.add_argument("--no-warm", action="store_true", help="skip the cold/warm cache rows")
    parser.add_argument("--setup", action="store_true", help="install the peers into /tmp first")
    args = parser.parse_args(argv)
    if not (HARNESS / "run_peers.sh").exists():
        print(f"the shared harness is not at {HARNESS}", file=sys.stderr)
        return 2
    if args.setup:
        subprocess.run(["bash", str(HARNESS / "setup_peers.sh")], check=True)
    tools = usable_tools(args.tools, peers_available())
    if "ours" in tools:
        compile_package()
    baseline = "lychee_eq" if "lychee_eq" in tools else (tools[0] if tools else "ours")
    rows: list[Row] = []
    ideals: dict[int, float] = {}
    notes: list[str] = []
    for links in args.links:
        out = args.out / f"{links}x50-100ms"
        port = free_port()
        print(f"running {links} links: {' '.join(tools)} (artefacts in {out})", file=sys.stderr)
        # The harness adds runs to what its folder holds; runs of an earlier invocation were
        # against another port's corpus and would be scored against this one.
        shutil.rmtree(out, ignore_errors=True)
        run_harness(out, links, tools, args.repeats, port)
        results = json.loads((out / "results.json").read_text())
        ideals[links] = float(results["ideal_global_cap_s"])
        order = {tool: i for i, tool in enumerate(tools)}
        ran = [r for r in rows_from_results(results, links) if r.tool in order]
        rows += sorted(ran, key=lambda r: order[r.tool])
        notes.append(
            f"{links} links: ideal {ideals[links]:.2f} s (redirect-aware, 10 per host, 128 in all)"
        )
        if not args.no_warm:
            planted = int(results["corpus"]["expected_broken_unique"])
            rows += warm_cache_rows(out, port, links, planted)
    print(render_table(rows, ideals, baseline))
    print()
    for note in notes:
        print(f"- {note}")
    print(f"- machine: {machine()}")
    flags = f"--format json {OUR_FLAGS} [--no-cache] -o REPORT --broken-list LIST"
    print(f"- ours: citeaudit check CORPUS.md {flags}")
    (args.out / "table.md").write_text(render_table(rows, ideals, baseline) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
