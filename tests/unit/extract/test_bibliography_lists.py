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


THESIS = """Urban heat islands and tree cover

Cities with more tree cover are cooler in summer (Smith & Jones, 2019; Lee, 2021). A study of
40 cities found a 1.5 degree difference between the leafiest and the barest districts.

References

Garcia, M., Brown, T., & Kim, S. (2020). Tree canopy and surface temperature in 40 cities.
    Journal of Urban Climate, 12(3), 10-25. https://doi.org/10.1234/juc.2020.0123
Lee, H. (2021). Cooling the city. Climate Press.
Smith, A., & Jones, B. (2019). Heat and the urban forest. Environmental Research Letters,
    14(8), 084001. https://science.example.org/article/10.1088/1748-9326/ab1234
"""


def test_a_hanging_indent_continues_an_unnumbered_entry() -> None:
    # APA's hanging indent: an entry's further lines are set deeper than its first line.
    doc = extract_text("thesis.txt", THESIS, ())
    refs = [(c.reference.outlet, c.reference.title, c.reference.url) for c in doc.citations]
    assert refs == [
        (
            "Journal of Urban Climate",
            "Tree canopy and surface temperature in 40 cities",
            "https://doi.org/10.1234/juc.2020.0123",
        ),
        ("Climate Press", "Cooling the city", None),
        (
            "Environmental Research Letters",
            "Heat and the urban forest",
            "https://science.example.org/article/10.1088/1748-9326/ab1234",
        ),
    ]
    assert [c.entry_line for c in doc.citations] == [8, 10, 11]
    # Flush lines are entries of their own, as before.
    flush = THESIS.replace("\n    ", "\n")
    assert len(extract_text("flush.txt", flush, ()).citations) == 5
