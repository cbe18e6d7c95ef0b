"""bench/instructions.py's pure parts: reading callgrind's count and the table. Nothing is run
under valgrind here."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench"


@pytest.fixture
def instructions(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCH))  # it imports its sibling compare.py, as a script does
    return importlib.import_module("instructions")


def test_the_count_is_read_from_callgrinds_last_summary(instructions: ModuleType) -> None:
    stderr = (
        "==4711== Callgrind, a call-graph generating cache profiler\n"
        "==4711== Events    : Ir\n"
        "==4711== Collected : 5102034567\n"
        "==4711== \n"
        "==4711== I   refs:      5,102,034,567\n"
    )
    assert instructions.collected(stderr) == 5_102_034_567


def test_no_count_is_an_error_not_a_zero(instructions: ModuleType) -> None:
    with pytest.raises(ValueError, match="no instruction count"):
        instructions.collected("valgrind: the 'citeaudit' command was not found\n")


def test_the_table_gives_millions(instructions: ModuleType) -> None:
    table = instructions.render([("version", 371_100_000), ("live check, 1000 links", 5.1e9)])
    assert table.splitlines() == [
        "| case | M instructions |",
        "|---|---:|",
        "| version | 371.1 |",
        "| live check, 1000 links | 5,100.0 |",
    ]


def test_every_case_runs_the_console_script_and_the_live_one_waits_long(
    instructions: ModuleType, tmp_path: Path
) -> None:
    cases = instructions.commands("/venv/bin/citeaudit", tmp_path / "corpus.md", tmp_path)
    assert set(cases) == set(instructions.CASES)
    assert all(command[0] == "/venv/bin/citeaudit" for command in cases.values())
    assert "--offline" in cases["offline"] and "--offline" not in cases["live"]
    assert cases["live"][cases["live"].index("--timeout") + 1] == "600"
    assert "--replay" in cases["demo"]
