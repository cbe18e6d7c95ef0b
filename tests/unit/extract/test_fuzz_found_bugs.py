"""Two bugs the fuzzer found, checked the way a writer would see them (synthetic inputs)."""

from __future__ import annotations

from audit.extract.html import extract_html
from audit.extract.markdown import extract_markdown


def test_newline_character_references_do_not_move_later_citations() -> None:
    # `&#10;` and `&#xA;` are line breaks only to the reader of the page, not lines of the file.
    text = (
        "<p>Rates rose&#10;again&#xA;this year, says https://bank.example/rates today.</p>\n"
        '<p>See <a href="https://stats.example/table">the table</a>.</p>\n'
    )
    doc = extract_html("a.html", text, ())
    places = {c.reference.url: (c.uses[0].line, c.uses[0].column) for c in doc.citations}
    assert places["https://bank.example/rates"] == (1, text.index("https://bank") + 1)
    assert places["https://stats.example/table"][0] == 2


def test_a_line_that_stalls_the_linkify_rule_does_not_lose_the_article() -> None:
    # markdown-it-py raises on this text with linkify on; the rest must still be read.
    text = "Intro .[http://w:// here.\n\nAs [the agency said](https://agency.example/report).\n"
    doc = extract_markdown("a.md", text, ())
    urls = [c.reference.url for c in doc.citations]
    assert "https://agency.example/report" in urls
    (report,) = [c for c in doc.citations if c.reference.url == "https://agency.example/report"]
    assert report.uses[0].line == 3
