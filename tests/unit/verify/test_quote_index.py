"""The quote check's page index: built in bulk, equal to normalising word by word."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from audit.checks.verify import _Index, check_quote

WORD = re.compile(r"\w+(?:['’]\w+)*")

# Letters that normalise or casefold to something longer or different: ligatures, sharp s,
# full-width and accented letters, curly apostrophes, plus plain ASCII and punctuation.
ALPHABET = st.sampled_from([*"abcXYZ09 _.,;'’\n—“”", "ﬁ", "ß", "Ａ", "é", "İ", "Ⅻ"])


def _reference(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Word-by-word normalisation, as the check did it before the bulk version."""
    tokens, spans = [], []
    for m in WORD.finditer(text):
        tokens.append(unicodedata.normalize("NFKC", m.group()).replace("’", "'").casefold())
        spans.append(m.span())
    return " " + " ".join(tokens) + " ", spans


@given(st.lists(ALPHABET, max_size=60).map("".join))
def test_the_index_matches_word_by_word_normalisation(text: str) -> None:
    index = _Index(text)
    joined, spans = _reference(text)
    assert index.joined == joined
    for first in range(len(spans)):
        last = len(spans) - 1
        assert index.original(first, last) == text[spans[first][0] : spans[last][1]]


def test_a_quote_is_found_in_an_ascii_page_and_a_typographic_one() -> None:
    sentence = 'The minister said "the port will stay public for a decade".'
    for page in (
        "Intro. The Port will stay PUBLIC for a decade, he said.",
        "Intro — “The Port will stay public for a decade,” he said. Straße ﬁnal.",
    ):
        result, fragment = check_quote([sentence], page)
        assert result.verdict == "found", page
        assert fragment is not None and fragment.startswith("#:~:text=")
    missing, _ = check_quote([sentence], "Nothing about ports here at all.")
    assert missing.verdict == "not_found"
