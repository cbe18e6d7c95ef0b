"""Notes pasted from a newsletter page: entries wrapped before their URL, stacked superscripts,
"Ibid.", and a comment after the notes. The article is synthetic, written for this test.
"""

from __future__ import annotations

from audit.checks.structure import structure_findings
from audit.extract.plaintext import extract_text

ARTICLE = """The quiet collapse of river freight
Anna Example
Mar 3, 2025

Barges carried 15% less cargo in 2024 than a decade earlier.¹ Levels fell below 80 cm.²³

Insurers have raised premiums.⁴

Notes
¹ Federal Statistics Office, “Inland waterway freight 2024,” Feb. 12, 2025,
https://stats.example/inland-2024
² Water Authority gauge data, accessed March 1, 2025: https://gauges.example/kaub
³ Ibid.
⁴ R. Smith, “Insurers price in drought,” Example Finance Weekly,
    January 2025, https://efw.example/drought

Comments
Bob: great post! https://bobsblog.example
"""


def test_an_entry_wrapped_before_its_url_keeps_its_url_and_the_notes_go_on() -> None:
    doc = extract_text("notes.txt", ARTICLE, ())
    urls = {c.marker: c.reference.url for c in doc.citations}
    assert urls == {
        "1": "https://stats.example/inland-2024",
        "2": "https://gauges.example/kaub",
        "3": "https://gauges.example/kaub",  # Ibid.: the entry before it
        "4": "https://efw.example/drought",
    }
    four = next(c for c in doc.citations if c.marker == "4")
    assert four.reference.date == "2025-01"  # from the indented second line
    assert [(i.url, i.reason) for i in doc.ignored_links] == [
        ("https://bobsblog.example", "reader comment")
    ]


def test_stacked_superscripts_split_into_the_notes_they_name() -> None:
    doc = extract_text("notes.txt", ARTICLE, ())
    used = {c.marker: len(c.uses) for c in doc.citations}
    assert used == {"1": 1, "2": 1, "3": 1, "4": 1}
    assert not [f for f in structure_findings(doc) if f.rule in ("duplicate-url", "numbering-gap")]


def test_each_entry_highlight_stays_on_its_first_line() -> None:
    doc = extract_text("notes.txt", ARTICLE, ())
    for p in doc.paragraphs:
        for m in p.marks:
            assert 0 <= m.start < m.end <= len(p.text)
    first = next(p for p in doc.paragraphs if p.text.startswith("¹ Federal"))
    assert [m.citation_id for m in first.marks] == ["fn-1"]


def test_a_prose_line_after_a_complete_entry_still_ends_the_notes() -> None:
    article = ARTICLE.replace("Comments\nBob: great post!", "Thanks for reading! Reply here:")
    doc = extract_text("notes.txt", article, ())
    assert doc.citations[-1].reference.url == "https://efw.example/drought"
    assert [i.url for i in doc.ignored_links] == ["https://bobsblog.example"]
