"""The marker scanner: what counts as a footnote marker, how stacked runs are read, linear time."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from audit.extract.markers import scan_markers, split_stacked


def labels(text: str) -> list[str]:
    return [m.label for m in scan_markers(text)]


def test_superscripts_after_words_and_punctuation() -> None:
    text = "A claim.¹ Another claim² and a quote.”³"
    found = scan_markers(text)
    assert [m.label for m in found] == ["1", "2", "3"]
    assert all(m.style == "superscript" for m in found)
    assert [text[m.start : m.end] for m in found] == ["¹", "²", "³"]


def test_multi_digit_and_stacked_runs_are_one_marker_each() -> None:
    assert labels("eleven tenders.¹⁰ stacked.¹²³") == ["10", "123"]


@pytest.mark.parametrize(
    ("label", "known", "expected"),
    [
        ("123", {str(i) for i in range(1, 21)}, ["1", "2", "3"]),
        ("10", {str(i) for i in range(1, 12)}, ["10"]),
        ("1011", {str(i) for i in range(1, 12)}, ["10", "11"]),
        ("12", {"1", "2"}, ["1", "2"]),
        ("12", {"1", "2", "12"}, ["12"]),
        ("123", set(), ["123"]),
        ("45", {"1", "2"}, ["45"]),
    ],
)
def test_split_stacked_uses_the_notes_labels(
    label: str, known: set[str], expected: list[str]
) -> None:
    assert split_stacked(label, known) == expected


def test_exponents_and_units_are_not_markers() -> None:
    assert labels("an area of 300 km² and 10⁶ cells, x² + y²") == []
    assert labels("the 1969 clash⁵ and the 1969⁶ treaty") == ["5", "6"]


def test_bracket_forms() -> None:
    text = "One.[1] Two.[2, 3] Range.[4–6] Caret.[^7] Note.[^note-a]"
    assert labels(text) == ["1", "2", "3", "4", "5", "6", "7", "note-a"]
    styles = {m.label: m.style for m in scan_markers(text)}
    assert styles["1"] == "bracket" and styles["7"] == "caret"


@pytest.mark.parametrize(
    "text",
    [
        "catalogued as item [2025] in the collection",
        "a pamphlet [sic] with errors",
        "[1] Reuters, “A headline,” July 1, 2025, https://example.org/a",
        "  [2]: https://example.org/definition",
        "[3](https://example.org/link-text)",
        "reading `items[1]` in code",
        "my_list[2] and obj.values[3].name",
        "items[0] when you meant items[1]",
        "x[1] = 2",
        "[^1]: a Markdown footnote definition",
    ],
)
def test_false_positives_are_rejected(text: str) -> None:
    assert labels(text) == []


def _elapsed(fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


@pytest.mark.parametrize(
    "unit",
    ["1", "¹", "[", "[1", "[1,", "[^", "²x", "a[0]", "[1–", "word¹ ", "[12, 3"],
)
def test_scan_time_grows_linearly(unit: str) -> None:
    small = unit * (12_500 // len(unit))
    large = unit * (100_000 // len(unit))
    t_small = _elapsed(lambda: scan_markers(small))
    t_large = _elapsed(lambda: scan_markers(large))
    # 8x the input: linear is ~8x, quadratic 64x. Allow for a busy machine with a floor.
    assert t_large < max(24 * t_small, 0.05), (t_small, t_large)
    assert t_large < 1.0
