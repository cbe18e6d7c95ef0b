"""Benchmark: do the text scanners stay linear on strings built to make regexes backtrack?

Run: .venv/bin/python bench/scanner_scaling.py [base_size]   (default 4000 characters)

Each hostile string (long runs of digits, quotes, brackets, superscripts, dots and slashes, and
near-misses of the patterns the scanners look for) is fed at 1x, 2x, 4x and 8x the base size to the
marker scanner, the notes-section finder, the reference parser, the URL finder and the date
finder. It prints the best-of-3 time at each size and the growth ratio per doubling: linear code
shows about 2.0, quadratic about 4.0. The strings are synthetic, built here.

`measure` and `HOSTILE` are imported by tests/unit/fuzz/test_parser_properties.py, which checks the
growth loosely (8x the input must cost well under 24x the time): a complexity check, not a timing.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from audit.dates import find_dates
from audit.extract.markers import scan_markers
from audit.extract.plaintext import find_notes_section
from audit.extract.refstring import parse_reference
from audit.urls import find_urls

SIZES = (1, 2, 4, 8)


def _repeat(unit: str) -> Callable[[int], str]:
    """A builder of `unit` repeated to about n characters."""

    def build(n: int) -> str:
        return unit * max(1, n // len(unit))

    return build


HOSTILE: dict[str, Callable[[int], str]] = {
    "digits": _repeat("1"),
    "digits-commas": _repeat("1, "),
    "digits-dashes": _repeat("2025-"),
    "straight-quotes": _repeat('"'),
    "curly-quotes": _repeat("“a "),
    "single-quotes": _repeat("'x"),
    "open-brackets": _repeat("["),
    "bracket-digits": _repeat("[1"),
    "bracket-lists": _repeat("[1, "),
    "bracket-markers": _repeat("x[1]"),
    "caret-opens": _repeat("[^"),
    "parens": _repeat("(("),
    "superscripts": _repeat("¹"),
    "spaced-superscripts": _repeat("¹ "),
    "dots": _repeat("."),
    "word-dots": _repeat("a."),
    "www-runs": _repeat("www."),
    "slashes": _repeat("/"),
    "scheme-runs": _repeat("http://"),
    "url-path": lambda n: "https://example.com/" + "a/" * (n // 2),
    "url-closers": lambda n: "https://example.com/x" + ")" * n,
    "month-runs": _repeat("July 11, "),
    "day-month-runs": _repeat("11 July "),
    "accessed-runs": _repeat("Accessed "),
    "entry-lines": _repeat("1. Outlet, “Title,” July 11, 2025.\n"),
    "heading-lines": _repeat("Notes\n"),
    "bracket-entry-lines": _repeat("[1] x\n"),
    "title-quotes": _repeat('"Title," '),
    "author-dots": _repeat("Author, A. "),
}
"""Hostile string builders: name -> (approximate length -> string)."""


def _notes(text: str) -> object:
    return find_notes_section(text.split("\n"))


SCANNERS: dict[str, Callable[[str], object]] = {
    "markers": scan_markers,
    "notes": _notes,
    "reference": parse_reference,
    "urls": find_urls,
    "dates": find_dates,
}
"""The functions measured: name -> function of one string."""


@dataclass(frozen=True)
class Scaling:
    """Best-of-n times of one scanner on one hostile string at growing sizes."""

    scanner: str
    string: str
    sizes: tuple[int, ...]
    seconds: tuple[float, ...]

    @property
    def ratios(self) -> tuple[float, ...]:
        """Time growth per step (each step doubles the input)."""
        return tuple(
            b / a if a > 0 else float("inf")
            for a, b in zip(self.seconds, self.seconds[1:], strict=False)
        )

    @property
    def overall(self) -> float:
        """Time at the largest size over time at the smallest (8 for linear code over 1x..8x)."""
        return self.seconds[-1] / self.seconds[0] if self.seconds[0] > 0 else float("inf")


def best_time(fn: Callable[[str], object], text: str, repeats: int = 3) -> float:
    """The fastest of `repeats` runs, in seconds (the least disturbed by a busy machine)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - start)
    return best


def measure(
    scanner: str, string: str, base: int, sizes: tuple[int, ...] = SIZES, repeats: int = 3
) -> Scaling:
    """Time `scanner` on the hostile `string` at each multiple of `base` characters."""
    fn = SCANNERS[scanner]
    build = HOSTILE[string]
    texts = [build(base * k) for k in sizes]
    fn(texts[0])  # warm up: compiled patterns, lazy imports
    seconds = tuple(best_time(fn, t, repeats) for t in texts)
    return Scaling(scanner, string, tuple(len(t) for t in texts), seconds)


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", nargs="?", type=int, default=4000, help="base size in characters")
    base = parser.parse_args(argv[1:]).base
    print(f"base size {base} chars; sizes x{', x'.join(str(s) for s in SIZES)}; best of 3")
    print(f"{'scanner':<10} {'string':<20} {'ms at 1x..8x':<32} ratios per doubling   8x/1x")
    worst: Scaling | None = None
    for scanner in SCANNERS:
        for string in HOSTILE:
            s = measure(scanner, string, base)
            ms = " ".join(f"{t * 1000:7.2f}" for t in s.seconds)
            ratios = " ".join(f"{r:4.1f}" for r in s.ratios)
            flag = "  <-- super-linear?" if s.overall > 16 else ""
            print(f"{scanner:<10} {string:<20} {ms:<32} {ratios:<20} {s.overall:6.1f}{flag}")
            if worst is None or s.overall > worst.overall:
                worst = s
    if worst is not None:
        print(f"worst growth: {worst.scanner} on {worst.string}: {worst.overall:.1f}x for 8x input")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
