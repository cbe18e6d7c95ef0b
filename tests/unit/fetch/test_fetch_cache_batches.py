"""Batched cache writes: every value put in a run is there for the next run, whatever the batch.

Keys and values are synthetic.
"""

from __future__ import annotations

from pathlib import Path

from audit.fetch.cache import PUT_BATCH, ResultCache


def test_values_on_both_sides_of_a_batch_boundary_survive_close(tmp_path: Path) -> None:
    warnings: list[str] = []
    first = ResultCache(tmp_path, 3600, 60, warnings.append)
    count = PUT_BATCH + 7
    for i in range(count):
        first.put("link", f"https://n.example/{i}", {"i": i}, ok=i % 2 == 0)
        assert first.get("link", f"https://n.example/{i}") == {"i": i}  # readable at once
    first.close()
    first.close()  # closing twice writes nothing twice and does not fail
    second = ResultCache(tmp_path, 3600, 60, warnings.append)
    got = [second.get("link", f"https://n.example/{i}") for i in range(count)]
    second.close()
    assert got == [{"i": i} for i in range(count)]
    assert warnings == []
