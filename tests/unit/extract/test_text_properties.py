"""Property tests: the plain-text loader never raises and its output is consistent."""

from __future__ import annotations

import pytest
from growth import assert_linear
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.extract.attribution import find_attributions
from audit.extract.context import sentence_at
from audit.extract.markers import scan_markers, split_stacked
from audit.extract.plaintext import extract_text

# Text built from the pieces the loader reacts to, so examples hit the interesting paths.
PIECES = st.sampled_from(
    [
        "¹", "²³", "¹⁰", "[1]", "[2, 3]", "[4–6]", "[^a]", "[0]", "Notes", "Footnotes:", "Sources",
        "\n", "\n\n", "1. ", "[1] ", "2) ", " ", ". ", "“", "”", '"', "https://", "www.",
        "https://example.org/a_(b)", "https://x.com/someone", "mailto:a@b.example", "a@b.example",
        "@", "Follow me:", "X (Twitter): ", "Source: ", "Originally published at ", "According to ",
        "The New York Times", "Reuters reported", "told the BBC", "July 11, 2025", "accessed ",
        "Comments", "7moI ", "By Jane Roe", "km²", "items[1]", "\r\n", "\t", "\u00a0", "\x00",
    ]
)  # fmt: skip
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=60).map("".join)


@settings(max_examples=150, deadline=1000, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_extract_text_never_raises_and_is_consistent(text: str) -> None:
    doc = extract_text("fuzz.txt", text, ())
    lines = text.split("\n")
    ids = {c.id for c in doc.citations}
    assert len(ids) == len(doc.citations)
    for c in doc.citations:
        for u in c.uses:
            assert 1 <= u.line <= len(lines)
            assert 1 <= u.column <= len(lines[u.line - 1]) + 1
    for p in doc.paragraphs:
        for m in p.marks:
            assert 0 <= m.start <= m.end <= len(p.text)
            assert m.citation_id is None or m.citation_id in ids


@settings(max_examples=150, deadline=1000)
@given(st.text(max_size=300))
def test_arbitrary_unicode_never_raises(text: str) -> None:
    extract_text("fuzz.txt", text, ("The Example Ledger", "AP", "X"))
    for m in scan_markers(text):
        assert 0 <= m.start < m.end <= len(text)
        split_stacked(m.label, {"1", "2", "12"})
        sentence_at(text, m.start, m.end)
    find_attributions(text, ())


@pytest.mark.parametrize(
    ("unit", "count"),
    [
        ("¹", 200_000),
        ("[1", 100_000),
        ("@a.b", 50_000),
        ("Notes\n", 30_000),
        ("1. Example Wire, “A,” 2024, https://a.example\n", 4_000),
        ("According to Reuters ", 10_000),
        ("https://x.example/(", 10_000),
    ],
)
def test_pathological_input_stays_linear(unit: str, count: int) -> None:
    assert_linear(
        lambda t: extract_text("junk.txt", t, ()),
        lambda n: unit * (n // len(unit)),
        len(unit) * count,
    )
