"""Property tests: both loaders take arbitrary text without raising, and marks stay in range."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from audit.extract.html import extract_html
from audit.extract.markdown import extract_markdown

# Text biased towards the syntax the loaders react to, so the parsers' odd corners get hit.
PIECES = st.sampled_from(
    [
        "[^1]", "[^1]: ", "[1]", "¹", "¹⁰", "<sup>", "</sup>", "<a href='#fn1'>", "</a>",
        "<a href=\"https://x.example/(a)\">", "https://y.example/p.", "<", ">", "\n", "\n\n",
        "    ", "## Notes\n", "1. ", "- ", "> ", "```", "<!-- citeaudit: ignore FN001 -->",
        "<ol class='footnotes'><li id='fn1'>", "<nav>", "<p>", "</div>", "According to Reuters",
        "Source: ", "---\ntitle: t\n---\n", "[t](", ")", "&amp;", "\r", "\x00", "<br>",
    ]
)  # fmt: skip
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40).map("".join)


@settings(max_examples=120, deadline=2000)
@given(TEXT)
def test_markdown_never_raises(text: str) -> None:
    doc = extract_markdown("fuzz.md", text, ())
    for paragraph in doc.paragraphs:
        for mark in paragraph.marks:
            assert 0 <= mark.start <= mark.end <= len(paragraph.text)
    assert all(m.line >= 1 and m.column >= 1 for m in doc.markers)


@settings(max_examples=120, deadline=2000)
@given(TEXT)
def test_html_never_raises(text: str) -> None:
    doc = extract_html("fuzz.html", text, ())
    for paragraph in doc.paragraphs:
        for mark in paragraph.marks:
            assert 0 <= mark.start <= mark.end <= len(paragraph.text)
    assert all(m.line >= 1 for m in doc.markers)
