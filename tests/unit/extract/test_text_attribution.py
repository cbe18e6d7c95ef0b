"""Unlinked attributions: an outlet named as a source needs a cue; a mere mention is not one."""

from __future__ import annotations

import pytest
from growth import assert_linear

from audit.extract.attribution import DEFAULT_OUTLET_NAMES, find_attributions


def outlets(text: str, names: tuple[str, ...] = ()) -> list[str]:
    return [h.outlet for h in find_attributions(text, names)]


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("According to The New York Times, the unit was disbanded.", "The New York Times"),
        ("according to the New York Times, it was", "The New York Times"),
        (
            "as a columnist writes in the South China Morning Post, the visit",
            "South China Morning Post",
        ),
        ("Reuters reported that the talks had stalled.", "Reuters"),
        ("In his 1993 Foreign Affairs essay he predicted it.", "Foreign Affairs"),
        ("he published an essay in Foreign Affairs outlining it", "Foreign Affairs"),
        ("A diplomat told the BBC that nothing was agreed.", "BBC"),
        ("A source told AP the deal was off.", "AP"),
        ("The Guardian’s investigation found the same.", "The Guardian"),
    ],
)
def test_attributions_are_found(text: str, outlet: str) -> None:
    assert outlets(text) == [outlet]


@pytest.mark.parametrize(
    "text",
    [
        "Reuters is a news agency with a bureau in the capital.",
        "The BBC has covered the region for decades.",
        "He writes frequently for the Telegraph and the Spectator.",
        "the Russian Foreign Affairs Minister said on Monday",
        "the Ministry of Foreign Affairs said on Monday",
        "AP is short for many things, and the AP style guide reported nothing",
        "a link to https://www.reuters.com/Reuters reported",
        "according to reuters, lower case is not the outlet",
    ],
)
def test_mentions_are_not_attributions(text: str) -> None:
    assert outlets(text) == []


def test_phrase_and_span() -> None:
    text = "This is known. According to The New York Times, a unit labelled China an enemy."
    (hit,) = find_attributions(text, ())
    assert hit.phrase == "According to The New York Times"
    assert text[hit.start : hit.end] == "The New York Times"


def test_caller_names_replace_the_defaults() -> None:
    text = "The Example Ledger reported the figures first."
    assert outlets(text) == []
    assert outlets(text, ("The Example Ledger",)) == ["The Example Ledger"]
    assert "Reuters" in DEFAULT_OUTLET_NAMES


def test_long_input_is_fast() -> None:
    unit = "According to Reuters, Reuters reported that the BBC said. "
    text = unit * 20_000
    assert len(find_attributions(text, ())) >= 20_000
    assert_linear(lambda t: find_attributions(t, ()), lambda n: unit * (n // len(unit)), len(text))
