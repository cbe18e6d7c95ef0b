"""Start-up times of the citeaudit command: --version, --help and a replayed demo audit.

Each command runs as a fresh process, several times; the table gives the median and the worst
wall time, and the goal each should meet (issue 8: --version and --help under 0.3 s, the demo
audit replayed from its cassette under 1 s). The replay row is skipped when the demo cassette
is missing. No network is used.

    .venv/bin/python bench/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "field-notes.md"
CASSETTE = ROOT / "cassettes" / "demo.json"
RULES = ROOT / "examples" / "demo-rules.toml"


def citeaudit() -> str:
    """The console script installed beside this interpreter, else the one on PATH."""
    beside = Path(sys.executable).parent / "citeaudit"
    found = str(beside) if beside.exists() else shutil.which("citeaudit")
    if not found:
        raise SystemExit("citeaudit is not installed in this environment (pip install -e .)")
    return found


def cases() -> list[tuple[str, list[str], float]]:
    """(label, argv, goal in seconds) for every command that can run here."""
    exe = citeaudit()
    rows = [
        ("citeaudit --version", [exe, "--version"], 0.3),
        ("citeaudit --help", [exe, "--help"], 0.3),
        ("citeaudit rules --help", [exe, "rules", "--help"], 0.3),
    ]
    if CASSETTE.exists() and DEMO.exists():
        argv = [exe, "check", str(DEMO), "--replay", str(CASSETTE), "--quiet", "--no-cache"]
        if RULES.exists():
            argv += ["--rules", str(RULES)]
        rows.append(("replayed demo audit (table)", argv, 1.0))
        rows.append(("replayed demo audit (json)", [*argv, "--format", "json"], 1.0))
    else:
        print(f"skipping the replayed audit: {CASSETTE} is missing", file=sys.stderr)
    return rows


def time_runs(argv: Sequence[str], runs: int) -> list[float]:
    """Wall seconds of `runs` fresh runs (after one untimed warm-up that writes .pyc files)."""
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        walls.append(time.perf_counter() - start)
    return walls


def render(results: Sequence[tuple[str, list[float], float]]) -> str:
    """Markdown table: command, median, worst, goal, verdict."""
    lines = ["| command | median s | worst s | goal s | meets goal |", "|---|---:|---:|---:|---|"]
    for label, walls, goal in results:
        median = statistics.median(walls)
        verdict = "yes" if median < goal else "NO"
        lines.append(f"| {label} | {median:.3f} | {max(walls):.3f} | {goal:g} | {verdict} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    from compare import compile_package  # a sibling script: bench/ is on sys.path

    compile_package()
    results = [(label, time_runs(cmd, args.runs), goal) for label, cmd, goal in cases()]
    print(render(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
