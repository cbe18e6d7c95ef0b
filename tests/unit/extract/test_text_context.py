"""Line/column lookups and the sentence taken as a use's context."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from audit.extract.context import LineIndex, line_col, sentence_at
from audit.settings import MAX_CONTEXT_CHARS


def test_line_col_is_one_based_in_characters() -> None:
    text = "first\nsé¹cond line\n\nfourth"
    assert line_col(text, 0) == (1, 1)
    assert line_col(text, text.index("¹")) == (2, 3)
    assert line_col(text, text.index("fourth")) == (4, 1)
    index = LineIndex(text)
    assert index.line_col(text.index("¹")) == (2, 3)
    assert index.line_count == 4


@settings(max_examples=100, deadline=500)
@given(st.text(alphabet="ab\n\r¹ ", max_size=200), st.integers(min_value=-5, max_value=210))
def test_line_index_agrees_with_the_simple_count(text: str, offset: int) -> None:
    assert LineIndex(text).line_col(offset) == line_col(text, offset)


def test_marker_after_a_full_stop_belongs_to_that_sentence() -> None:
    text = "First point. It was a request for mercy.¹ Next sentence here."
    i = text.index("¹")
    assert sentence_at(text, i, i + 1) == "It was a request for mercy.¹"


def test_a_bracketed_marker_after_a_full_stop_belongs_to_that_sentence() -> None:
    # "[¹]" is how the HTML reader shows Word's "[1]" reference; "[^12]" is Markdown's.
    text = "The quay reopened after repairs.[¹] Traffic has since doubled.[²]"
    first, second = text.index("¹"), text.index("²")
    assert sentence_at(text, first, first + 1) == "The quay reopened after repairs.[¹]"
    assert sentence_at(text, second, second + 1) == "Traffic has since doubled.[²]"
    text = "First point. It was a request for mercy.[^12] Next sentence here."
    at = text.index("12")
    assert sentence_at(text, at, at + 2) == "It was a request for mercy.[^12]"
    # A bracket in mid-sentence still takes the whole sentence.
    assert sentence_at("It rose [3] and then fell.", 9, 10) == "It rose [3] and then fell."


def test_marker_after_a_closing_quote_and_abbreviations() -> None:
    text = 'Dr. C. M. Paine of the U.S. Naval War College said: "Not if, but when."² Then more.'
    i = text.index("²")
    assert sentence_at(text, i, i + 1) == text[: i + 1]


def test_marker_mid_sentence_takes_the_whole_sentence() -> None:
    text = "Earlier text. The memo[3] warned of a threat. Later text."
    i = text.index("[3]")
    assert sentence_at(text, i, i + 3) == "The memo[3] warned of a threat."


def test_sentence_after_a_marked_sentence_starts_after_the_marker() -> None:
    text = "One claim.¹ Another claim with a link https://example.org/x today."
    i = text.index("https")
    assert sentence_at(text, i, i + 21) == "Another claim with a link https://example.org/x today."


def test_context_never_crosses_a_line() -> None:
    text = "Heading without stop\nThe claim sits here¹\nNext line."
    i = text.index("¹")
    assert sentence_at(text, i, i + 1) == "The claim sits here¹"


def test_context_is_capped_and_keeps_the_span_in_view() -> None:
    text = "word " * 5000 + "MARK" + " word" * 5000
    i = text.index("MARK")
    context = sentence_at(text, i, i + 4)
    assert len(context) <= MAX_CONTEXT_CHARS
    assert "MARK" in context
