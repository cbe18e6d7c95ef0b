"""docs/reliability.md names, for every hostile case, the test that proves it: those tests exist."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
DOC = REPO / "docs" / "reliability.md"
NAMED = re.compile(r"\b(test_[a-z0-9_]+?)(?:_\*|\b)")


def _defined_tests() -> set[str]:
    names: set[str] = set()
    for path in (REPO / "tests").rglob("test_*.py"):
        names.update(re.findall(r"^def (test_\w+)", path.read_text(encoding="utf-8"), re.M))
    return names


def test_every_test_the_matrix_names_exists() -> None:
    text = DOC.read_text(encoding="utf-8")
    defined = _defined_tests()
    named = {m.group(1) for m in NAMED.finditer(text)}
    modules = {path.stem for path in (REPO / "tests").rglob("test_*.py")}
    named -= modules
    missing = sorted(
        n for n in named if n not in defined and not any(d.startswith(n) for d in defined)
    )
    assert len(named) >= 40
    assert not missing, missing


def test_the_matrix_covers_every_hostile_input_test() -> None:
    text = DOC.read_text(encoding="utf-8")
    source = (REPO / "tests" / "integration" / "test_hostile_inputs.py").read_text("utf-8")
    tests = re.findall(r"^def (test_\w+)", source, re.M)
    assert [t for t in tests if t not in text] == []
