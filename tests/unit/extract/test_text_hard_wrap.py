"""Plain text hard-wrapped at a fixed width (an e-mail, a newsletter, a copy from a PDF): a
sentence goes on to the next line, and so must its context. The articles are synthetic, written
for these tests.
"""

from __future__ import annotations

from audit.checks.structure import structure_findings
from audit.checks.verify import quoted_passages
from audit.extract.plaintext import extract_text
from audit.model import CitationKind, ExtractedDocument

WRAPPED = """Harbour expansion: what the numbers say

The council approved the expansion in March. "The harbour will double its
traffic by 2030 and pay for itself within a decade," the port's director
said.[1] Critics, according to Reuters, were unconvinced by the figures in
the council's report [2].

What the port did not say
- that traffic fell by a fifth in 2023, as the annual accounts show, and the
- that the dredging contract is still unsigned, as the tender notice shows.

"Nobody has asked the fishermen what they think about any of this at all,"
one trader said, and the quote has no source at all in the whole article.

Notes
[1] Port Authority, "Director's statement on the expansion", 3 March 2024,
https://port.example.com/news/statement
[2] Example Council, "Harbour expansion: final report", March 2024,
https://council.example.org/harbour/final-report.pdf
"""


def _uses(doc: ExtractedDocument) -> dict[str, list[tuple[int, int, str]]]:
    return {c.id: [(u.line, u.column, u.context) for u in c.uses] for c in doc.citations}


def test_a_wrapped_sentence_is_the_context_of_its_marker() -> None:
    doc = extract_text("wrapped.txt", WRAPPED, ())
    uses = _uses(doc)
    # Each use keeps the line and column it is written at; its context is the whole sentence.
    assert uses["fn-1"] == [
        (
            5,
            6,
            '"The harbour will double its traffic by 2030 and pay for itself within a decade,"'
            " the port's director said.[1]",
        )
    ]
    assert uses["fn-2"] == [
        (
            6,
            22,
            "Critics, according to Reuters, were unconvinced by the figures in the council's "
            "report [2].",
        )
    ]
    # The quote check reads the passage whole, not cut at the line's end.
    (passage,) = quoted_passages(uses["fn-1"][0][2])
    assert passage.startswith("The harbour will double its traffic")
    assert passage.endswith("within a decade,")


def test_an_outlet_named_in_a_sentence_whose_marker_is_on_the_next_line_is_sourced() -> None:
    doc = extract_text("wrapped.txt", WRAPPED, ())
    assert not [c for c in doc.citations if c.kind is CitationKind.ATTRIBUTION]
    # Unwrapped, the same sentence without its marker still names Reuters unlinked.
    bare = WRAPPED.replace("report [2].", "report.")
    (attribution,) = [
        c for c in extract_text("w.txt", bare, ()).citations if c.kind is CitationKind.ATTRIBUTION
    ]
    assert attribution.reference.outlet == "Reuters"
    assert attribution.uses[0].line == 5


def test_paragraphs_join_their_lines_but_not_a_heading_a_list_or_the_next_paragraph() -> None:
    doc = extract_text("wrapped.txt", WRAPPED, ())
    body = [(p.line, p.text) for p in doc.paragraphs if not p.in_notes]
    assert [line for line, _ in body] == [3, 8, 9, 10, 12]
    assert body[0][1].startswith("The council approved") and body[0][1].endswith("report [2].")
    assert body[1][1] == "What the port did not say"  # short: the next word would have fitted
    assert body[2][1].startswith("- that traffic") and body[3][1].startswith("- that the dredging")
    # The unsourced quote is found though it spans two lines, and only that paragraph is flagged.
    unsourced = [f.line for f in structure_findings(doc) if f.rule == "unsourced-quote"]
    assert unsourced == [12]


def test_a_text_pasted_one_paragraph_a_line_is_read_line_by_line() -> None:
    # Lines far wider than any wrapping editor's margin: each is a paragraph of its own, even
    # when the next starts with a word that would not have fitted.
    long = "The council approved the expansion in March after a long debate. " * 3
    text = (
        "Harbour\n\n"
        f"{long.strip()} Reuters reported on it first.\n"
        f"{long.strip()} The report is cited here [1].\n"
        f"{long.strip()}\n\n"
        'Notes\n[1] Example Council, "Final report", March 2024, https://council.example.org/r\n'
    )
    doc = extract_text("pasted.txt", text, ())
    assert [p.line for p in doc.paragraphs if not p.in_notes and p.line >= 3] == [3, 4, 5]
    (attribution,) = [c for c in doc.citations if c.kind is CitationKind.ATTRIBUTION]
    assert attribution.uses[0].line == 3


def test_one_endless_wrapped_paragraph_takes_time_in_proportion() -> None:
    from growth import assert_linear

    line = "The harbour will double its traffic by 2030 and pay for itself within a decade, and"

    def page(n: int) -> str:
        return "Title\n\n" + "\n".join([line] * (n // len(line))) + "\n"

    assert_linear(lambda text: extract_text("endless.txt", text, ()), page, 3_000_000)
