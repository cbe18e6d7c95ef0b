"""A "Sources" list of unnumbered entries beside real footnotes: markers reach the right entry,
and a list nobody cites by marker is a bibliography, not notes whose markers went missing.

The articles are synthetic, written for these tests.
"""

from __future__ import annotations

from audit.checks.structure import structure_findings
from audit.extract.markdown import extract_markdown
from audit.extract.plaintext import extract_text
from audit.model import ExtractedDocument

POST = """# Water prices

Prices rose 12% last year.[^reg] "Tariffs must reflect cost," the minister said.[^2]

## Sources

- Utility annual report, 2024: https://utility.example/annual-2024.pdf
- Regulator statement (March 2025): https://regulator.example/press/2025-03

[^reg]: Water Regulator, "Statement on 2024 tariffs", 3 March 2025, https://regulator.example/press
[^2]: Ministry of Water, "Speech at the tariff forum," Jan. 9, 2025. https://gov.example/speech
"""


def _never_cited(doc: ExtractedDocument) -> list[str]:
    found = structure_findings(doc, lambda name: None)
    return sorted(f.citation or "" for f in found if f.rule == "entry-never-cited")


def test_a_footnote_marker_reaches_its_definition_not_the_sources_list_entry() -> None:
    doc = extract_markdown("post.md", POST, ())
    by_url = {c.reference.url: c for c in doc.citations}
    speech = by_url["https://gov.example/speech"]
    assert speech.id == "fn-2"
    line = POST.splitlines()[2]
    assert [(u.line, u.column) for u in speech.uses] == [(3, line.index("[^2]") + 1)]
    assert by_url["https://regulator.example/press/2025-03"].uses == ()  # the list's 2nd bullet


def test_an_uncited_list_of_sources_is_not_flagged_entry_by_entry() -> None:
    doc = extract_markdown("post.md", POST, ())
    assert _never_cited(doc) == []


def test_a_plain_text_list_of_sources_without_markers_is_a_bibliography() -> None:
    article = (
        "Ports and prices\n\nThe port handled more ships this year than last.\n\n"
        "Sources\n"
        "Harbour Office, Annual traffic, 2024, https://harbour.example/traffic\n"
        "Port Weekly, Ships and tolls, May 2024, https://portweekly.example/tolls\n"
    )
    doc = extract_text("a.txt", article, ())
    assert len(doc.citations) == 2 and not doc.notes_numbered
    assert _never_cited(doc) == []


def test_once_one_unnumbered_entry_is_cited_the_others_are_flagged() -> None:
    article = (
        "Ports and prices\n\nThe port handled more ships this year than last.[1]\n\n"
        "Sources\n"
        "Harbour Office, Annual traffic, 2024, https://harbour.example/traffic\n"
        "Port Weekly, Ships and tolls, May 2024, https://portweekly.example/tolls\n"
    )
    doc = extract_text("a.txt", article, ())
    assert _never_cited(doc) == ["fn-2"]


def test_numbered_notes_that_nobody_cites_are_still_flagged() -> None:
    article = (
        "Ports and prices\n\nThe port handled more ships this year than last.\n\n"
        "Notes\n"
        "1. Harbour Office, Annual traffic, 2024, https://harbour.example/traffic\n"
        "2. Port Weekly, Ships and tolls, May 2024, https://portweekly.example/tolls\n"
    )
    doc = extract_text("a.txt", article, ())
    assert _never_cited(doc) == ["fn-1", "fn-2"]
