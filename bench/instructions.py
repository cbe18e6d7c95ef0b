"""Instructions executed by citeaudit's commands, counted by valgrind's callgrind.

On a shared, noisy machine wall time cannot tell a 3 % change from the weather (the fourth round
in docs/performance.md met paired differences of +-650 ms); the number of instructions a
command executes can: the same command twice agrees within 0.1 %, whatever else the machine is
doing. Compare two builds by running this from each (their own virtual environments), one after
the other. Under callgrind a command runs about 50 times slower: the live case takes minutes.

    .venv/bin/python bench/instructions.py                 # --version, demo, offline and live
    .venv/bin/python bench/instructions.py --links 3000 --cases offline live

Each build gets a tier-list cache directory of its own (`CITEAUDIT_TIERS_CACHE`), filled by one
warm-up run first: the cache keeps one parsed list, and a run that parses the TOML again costs
~535 M instructions more. The corpus and the fake web are the shared harness's (synthetic pages
on 127.0.0.x); nothing here is copied from it.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from compare import HARNESS, OUR_FLAGS, ROOT, _FakeWeb, citeaudit_cmd, compile_package, free_port

CASES = ("version", "demo", "offline", "live")
_COLLECTED = re.compile(r"^==\d+== Collected : (\d+)\s*$", re.MULTILINE)


def collected(valgrind_stderr: str) -> int:
    """The instruction count callgrind reports on standard error ("==123== Collected : N")."""
    found = _COLLECTED.findall(valgrind_stderr)
    if not found:
        raise ValueError("callgrind reported no instruction count")
    return int(found[-1])


def commands(exe: str, corpus: Path, out: Path) -> dict[str, list[str]]:
    """The command of each case; `live` is run against the fake web."""
    demo = ROOT / "examples" / "field-notes.md"
    checked = [*shlex.split(OUR_FLAGS), "--no-cache", "--format", "json"]
    return {
        "version": [exe, "--version"],
        "demo": [exe, "check", str(demo), "--replay", str(ROOT / "cassettes" / "demo.json"),
                 "--rules", str(ROOT / "examples" / "demo-rules.toml"), "--quiet", "--no-cache",
                 "--format", "json", "-o", str(out / "demo.json")],
        "offline": [exe, "check", str(corpus), "--offline", *checked, "-o", str(out / "off.json")],
        # Under callgrind answers wait far longer to be read than the default deadline allows.
        "live": [exe, "check", str(corpus), *checked, "--timeout", "600",
                 "-o", str(out / "live.json")],
    }  # fmt: skip


def count(command: Sequence[str], env: Mapping[str, str], work: Path) -> int:
    """Instructions executed by `command` under callgrind (its own output is discarded)."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={work / 'callgrind.out'}",
         *command],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=dict(env), check=False,
    )  # fmt: skip
    return collected(done.stderr)


def render(rows: Sequence[tuple[str, int]]) -> str:
    lines = ["| case | M instructions |", "|---|---:|"]
    lines += [f"| {case} | {n / 1e6:,.1f} |" for case, n in rows]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=1000)
    parser.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES))
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 2
    compile_package()
    exe = citeaudit_cmd()
    with tempfile.TemporaryDirectory(prefix="citeaudit-instructions-") as tmp:
        work = Path(tmp)
        port = free_port()
        subprocess.run(
            [sys.executable, "-I", str(HARNESS / "make_corpus.py"), "-n", str(args.links),
             "--hosts", "50", "--port", str(port), "--out-dir", str(work)],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        env = {**os.environ, "CITEAUDIT_TIERS_CACHE": str(work / "tiers")}
        cases = commands(exe, work / "corpus.md", work)
        subprocess.run(cases["offline"], env=env, check=False, stdout=subprocess.DEVNULL)
        rows = []
        for case in args.cases:
            print(f"counting {case} ...", file=sys.stderr)
            if case == "live":
                with _FakeWeb(port, work / "fakeweb.json"):
                    rows.append((f"live check, {args.links} links", count(cases[case], env, work)))
            else:
                label = {"offline": f"offline check, {args.links} links"}.get(case, case)
                rows.append((label, count(cases[case], env, work)))
    print(render(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
