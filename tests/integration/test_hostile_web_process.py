"""A hostile web against the whole process: memory, cassettes, caches, two runs, Ctrl-C.

These run the installed `citeaudit` command (or the CLI in-process where stderr and the
report are all a case needs) against the synthetic servers of tests/hostileserver.py on
127.0.0.1, always with `--no-archive` and a private cache or none.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hostileserver as hs
import pytest
from typer.testing import CliRunner

import audit.cli

CITEAUDIT = str(Path(sys.executable).parent / "citeaudit")


audit.cli._mount_subcommands()

BASE = ["--format", "json", "--allow-private", "--no-archive", "--quiet", "--fail-on", "never"]


@pytest.fixture(scope="module")
def web() -> Iterator[Any]:
    server = hs.HostileWeb().start()
    yield server
    server.stop()


def draft(tmp: Path, urls: list[str], name: str = "draft.md") -> Path:
    path = tmp / name
    body = "".join(f"Claim {i} is reported [here]({u}).\n\n" for i, u in enumerate(urls, 1))
    path.write_text("# A synthetic draft\n\n" + body, encoding="utf-8")
    return path


def verdicts(stdout: str) -> dict[str, tuple[str, bool]]:
    report = json.loads(stdout)
    return {
        c["reference"]["url"]: (c["link"]["verdict"], c["link"]["from_cache"])
        for d in report["documents"]
        for c in d["citations"]
    }


def env() -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    out["NO_COLOR"] = "1"
    return out


def test_bombs_and_endless_bodies_cost_verdicts_not_memory(web: Any, tmp_path: Path) -> None:
    urls = [web.url(p) for p in ("/good", "/gzip-bomb", "/br-bomb", "/endless")]
    article = draft(tmp_path, urls)
    # Measure the auditor alone: a wrapper process reports its one child's peak RSS.
    wrapper = (
        "import resource, subprocess, sys\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "sys.stderr.write(p.stderr)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "print(p.returncode)\n"
        "sys.stdout.write(p.stdout)\n"
    )
    cmd = [sys.executable, "-c", wrapper, CITEAUDIT, "check", str(article), *BASE, "--no-cache"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=env())
    peak_kb, code, stdout = proc.stdout.split("\n", 2)
    assert code == "0" and "Traceback" not in proc.stderr
    got = verdicts(stdout)
    assert got[urls[0]] == ("ok", False)
    assert [got[u][0] for u in urls[1:]] == ["error", "error", "error"]
    # The gzip stream would inflate without end; the caps are 20 MB inflated, 5 MB read.
    assert int(peak_kb) < 400_000, f"peak RSS {int(peak_kb) // 1024} MB"


@pytest.fixture(scope="module")
def cassette(web: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("cassette")
    path = tmp / "run.json"
    article = draft(tmp, [web.url("/good"), web.url("/sjis")])
    args = ["check", str(article), *BASE, "--no-cache", "--record", str(path)]
    result = CliRunner().invoke(audit.cli.app, args)
    assert result.exit_code == 0 and path.exists()
    return path


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda t: t[: len(t) // 2], "not valid JSON"),
        (lambda t: t.replace('"status": 200', '"status": "two hundred"'), "numeric status"),
        (lambda t: t.replace('"interactions"', '"interactionz"'), "interactions"),
        (lambda t: "", "not valid JSON"),
    ],
    ids=["truncated", "status-edited", "key-renamed", "empty"],
)
def test_a_broken_cassette_is_one_clear_error(
    web: Any, cassette: Path, tmp_path: Path, edit: Any, words: str
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text(edit(cassette.read_text(encoding="utf-8")), encoding="utf-8")
    article = draft(tmp_path, [web.url("/good"), web.url("/sjis")])
    result = CliRunner().invoke(
        audit.cli.app, ["check", str(article), *BASE, "--replay", str(broken)]
    )
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("citeaudit: error: cassette")
    assert words in lines[0] and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_the_recorded_cassette_replays(web: Any, cassette: Path, tmp_path: Path) -> None:
    article = draft(tmp_path, [web.url("/good"), web.url("/sjis")])
    result = CliRunner().invoke(
        audit.cli.app, ["check", str(article), *BASE, "--replay", str(cassette)]
    )
    assert result.exit_code == 0
    assert [v for v, _ in verdicts(result.stdout).values()] == ["ok", "ok"]


def _unusable_path(tmp: Path) -> Path:
    blocker = tmp / "not-a-directory"
    blocker.write_text("a file where the cache directory should go", encoding="utf-8")
    return blocker / "cache"


def _corrupted_database(tmp: Path) -> Path:
    cache = tmp / "cache"
    cache.mkdir()
    (cache / "cache.db").write_bytes(b"SQLite format 3\x00" + b"\xff" * 8192)
    return cache


def _garbage_file(tmp: Path) -> Path:
    cache = tmp / "cache"
    cache.mkdir()
    (cache / "cache.db").write_bytes(os.urandom(4096))
    return cache


@pytest.mark.parametrize("make", [_unusable_path, _corrupted_database, _garbage_file])
def test_an_unusable_cache_warns_once_and_the_run_goes_on(
    web: Any, tmp_path: Path, make: Any
) -> None:
    cache = make(tmp_path)
    urls = [web.url("/good"), web.url("/sjis"), web.url("/cp1251")]
    article = draft(tmp_path, urls)
    result = CliRunner().invoke(
        audit.cli.app, ["check", str(article), *BASE, "--cache-dir", str(cache)]
    )
    assert result.exit_code == 0 and "Traceback" not in result.stderr
    warnings = [ln for ln in result.stderr.splitlines() if "fetch cache is not used" in ln]
    assert len(warnings) == 1 and warnings[0].startswith("citeaudit: warning:")
    assert [v for v, _ in verdicts(result.stdout).values()] == ["ok", "ok", "ok"]
    notes = json.loads(result.stdout)["notes"]
    assert len(notes) == 1 and "fetch cache is not used" in notes[0]


def test_two_runs_share_one_cache_at_the_same_time(web: Any, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    urls = [web.url(f"/slow?s=0.{i}") for i in range(1, 6)] + [web.url("/good")]
    a, b = draft(tmp_path, urls, "a.md"), draft(tmp_path, urls[::-1], "b.md")
    cmd = [CITEAUDIT, "check", *BASE, "--cache-dir", str(cache)]
    procs = [
        subprocess.Popen(
            [*cmd, str(p)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env()
        )
        for p in (a, b)
    ]
    outs = [p.communicate(timeout=60) for p in procs]
    for proc, (stdout, stderr) in zip(procs, outs, strict=True):
        assert proc.returncode == 0 and "Traceback" not in stderr, stderr
        assert "cache" not in stderr  # no warning: sharing is not a failure
        assert {v for v, _ in verdicts(stdout).values()} == {"ok"}
    # The cache both wrote is whole: a third run answers everything from it.
    again = CliRunner().invoke(audit.cli.app, ["check", str(a), *BASE, "--cache-dir", str(cache)])
    assert again.exit_code == 0
    assert set(verdicts(again.stdout).values()) == {("ok", True)}


def reached(web: Any, query: str) -> bool:
    with web.lock:
        return any(path.endswith(query) for path, _ in web.requests)


def test_ctrl_c_while_fetching_stops_cleanly_and_the_cache_survives(
    web: Any, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    urls = [web.url("/good"), web.url("/slow?s=30")]
    article = draft(tmp_path, urls)
    cmd = [CITEAUDIT, "check", str(article), *BASE, "--cache-dir", str(cache)]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env()
    )
    try:
        start = time.monotonic()
        while not reached(web, "s=30") and time.monotonic() - start < 30:
            time.sleep(0.05)
        assert reached(web, "s=30"), "the auditor never reached the slow page"
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130  # the shell convention for SIGINT
    assert "Traceback" not in stderr and "interrupted" in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert stdout == ""  # partial results are discarded, not half-printed
    # The cache is not corrupted: the next run works and reuses what finished before Ctrl-C.
    article.write_text(f"# Again\n\nClaim [here]({urls[0]}).\n", encoding="utf-8")
    again = CliRunner().invoke(
        audit.cli.app, ["check", str(article), *BASE, "--cache-dir", str(cache)]
    )
    assert again.exit_code == 0 and "cache" not in again.stderr
    assert list(verdicts(again.stdout).values()) == [("ok", True)]
