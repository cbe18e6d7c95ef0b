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


NEWS = """City to raise bus fares by 10%

By Sam Writer | Published 4 June 2025

The council approved a 10% fare rise on Tuesday (1), the first since 2019.

The rise follows a 2024 audit that found a £12m deficit (2).

References
1) City Council minutes, 3 June 2025. https://council.example/minutes/2025-06-03
2) Audit Office (2024). Transport finances review. https://audit.example/transport-2024

Sources: https://council.example/press, https://audit.example/summary
"""


def test_bracketed_numbers_are_markers_when_nothing_else_is() -> None:
    doc = extract_text("news.txt", NEWS, ())
    uses = {c.marker: [(u.line, u.column) for u in c.uses] for c in doc.citations if c.marker}
    line5, line7 = NEWS.splitlines()[4], NEWS.splitlines()[6]
    assert uses == {"1": [(5, line5.index("(1)") + 1)], "2": [(7, line7.index("(2)") + 1)]}


def test_bracketed_numbers_stay_prose_beside_other_markers_or_unknown_labels() -> None:
    mixed = NEWS.replace("since 2019.", "since 2019.[2]").replace("(2).", "(3).")
    doc = extract_text("news.txt", mixed, ())
    labels = sorted(m.label for m in doc.markers)
    assert labels == ["2"]  # "(1)" is not read once a [2] marker exists; "(3)" has no note


def test_a_sources_line_right_after_the_notes_is_the_writers() -> None:
    doc = extract_text("news.txt", NEWS, ())
    (prov,) = [c for c in doc.citations if c.kind.value == "provenance"]
    assert prov.reference.url == "https://council.example/press"
    assert prov.reference.raw.startswith("https://council.example/press")
    assert [(i.url, i.reason) for i in doc.ignored_links] == [
        ("https://audit.example/summary", "provenance line")
    ]


def test_a_word_that_starts_like_a_cue_is_not_a_provenance_line() -> None:
    article = NEWS.replace("Sources: https", "Viable routes: https")
    doc = extract_text("news.txt", article, ())
    assert not [c for c in doc.citations if c.kind.value == "provenance"]


PDF_PASTE = """Harbour expansion: what the numbers say

The council approved the expansion in March.1 The port expects traffic to double
by 2030.2 Critics call it “optimistic.”3 COVID19 cut traffic.

Notes
1. Jane Doe, "Council approves harbour plan," Example Gazette, March 4, 2024, https://gazette.example.com/news/harbour-
plan-approved.html
2. Port Authority, "Traffic outlook 2030," April 2024, https://port.example.com/reports/
traffic-outlook-2030.pdf
3. "Why the harbour plan will fail," Example Tribune, April 1, 2024, https://tribune.example.net/opinion/harbour
"""


def test_text_copied_from_a_pdf_keeps_its_cut_urls_and_flattened_markers() -> None:
    # A PDF breaks long URLs at the line's end and turns superscripts into plain digits.
    doc = extract_text("pdf.txt", PDF_PASTE, ())
    urls = {c.marker: c.reference.url for c in doc.citations}
    assert urls == {
        "1": "https://gazette.example.com/news/harbour-plan-approved.html",
        "2": "https://port.example.com/reports/traffic-outlook-2030.pdf",
        "3": "https://tribune.example.net/opinion/harbour",
    }
    # "March.1" and "optimistic.”3" are markers; "2030.2" is a number and "COVID19" a word.
    assert sorted((m.label, m.line) for m in doc.markers) == [("1", 3), ("3", 4)]
    rules = [(f.rule, f.citation) for f in structure_findings(doc)]
    assert ("entry-never-cited", "fn-2") in rules


def test_flattened_markers_are_not_read_beside_other_markers() -> None:
    # With a real superscript in the text, "March.1" is prose (a date, a version, a section).
    text = PDF_PASTE.replace("optimistic.”3", "optimistic.”³")
    doc = extract_text("pdf.txt", text, ())
    assert [m.label for m in doc.markers] == ["3"]


def test_a_line_after_an_entry_that_ends_with_a_whole_url_is_not_glued_to_it() -> None:
    text = PDF_PASTE.replace("harbour-\nplan-approved.html", "harbour.html\nplan-approved.html")
    doc = extract_text("pdf.txt", text, ())
    urls = {c.marker: c.reference.url for c in doc.citations if c.marker}
    assert urls.get("1") == "https://gazette.example.com/news/harbour.html"


def test_a_url_cut_at_the_end_of_a_body_line_is_joined_again() -> None:
    text = (
        "Harbour outlook\n\n"
        "The report is at https://port.example.com/reports/2024/traffic-\n"
        "outlook-2030.pdf and it says traffic will double.\n\n"
        "The archive is at https://archive.example.org/whole.html\n"
        "next-steps.html is a file name in prose, not the rest of that link.\n"
    )
    doc = extract_text("body.txt", text, ())
    found = {c.reference.url: [(u.line, u.column) for u in c.uses] for c in doc.citations}
    assert found == {
        "https://port.example.com/reports/2024/traffic-outlook-2030.pdf": [(3, 18)],
        "https://archive.example.org/whole.html": [(6, 19)],
    }


NEWSLETTER = """THE WEEKLY WATER BRIEF
Issue 42 - 9 October 2025

Drought restrictions were lifted in three counties on Monday [1]. Reservoirs are at
78 per cent [2] and the archive is at [3].

Sources
[1] County council, "Water restrictions lifted", 6 October 2025.
    https://www.county.example.gov.uk/news/2025/10/06/water-restrictions-
    lifted
[2] Regional Water, Reservoir levels weekly update, https://regionalwater.example/
    reservoirs/weekly?week=40 (accessed 8 October 2025)
[3] Example Archive, Weekly briefs, https://archive.example.org/briefs/
    e.g. the issues before 2020
"""


def test_urls_cut_inside_an_indented_sources_list_are_joined_again() -> None:
    # A synthetic newsletter: mail clients wrap the list at 80 columns and indent the rest.
    doc = extract_text("brief.txt", NEWSLETTER, ())
    refs = {c.marker: c.reference for c in doc.citations}
    # After a hyphen, where no address ends, the next word is the URL's rest, path or not.
    assert (
        refs["1"].url
        == "https://www.county.example.gov.uk/news/2025/10/06/water-restrictions-lifted"
    )
    # After a slash the rest must look like a path; what follows it stays in the entry.
    assert refs["2"].url == "https://regionalwater.example/reservoirs/weekly?week=40"
    assert refs["2"].accessed == "2025-10-08"
    # "e.g." after a URL that may be whole is prose, not the URL's rest.
    assert refs["3"].url == "https://archive.example.org/briefs/"


def test_a_question_mark_after_a_url_in_prose_does_not_pull_in_the_next_line() -> None:
    text = (
        "Harbour FAQ\n\n"
        "Have you read https://port.example.com/faq?\n"
        "Most people have not. The form is at https://port.example.com/apply-\n"
        "now and closes on Friday.\n"
    )
    doc = extract_text("faq.txt", text, ())
    assert sorted(c.reference.url or "" for c in doc.citations) == [
        "https://port.example.com/apply-now",
        "https://port.example.com/faq",
    ]


def test_notes_numbered_by_a_bare_number_as_a_pdf_copy_leaves_them() -> None:
    # Superscript note numbers copied from a PDF become "1 Jane Doe, ...": under a heading, in
    # sequence and reading like references, they are the entries' numbers.
    text = (
        "Harbour expansion\n\n"
        "The council approved the expansion in March.1 Critics call it “optimistic.”2\n\n"
        "Notes\n"
        '1 Jane Doe, "Council approves harbour plan," Example Gazette, March 4, 2024, '
        "https://gazette.example.com/news/harbour-plan\n"
        '2 Port Authority, "Traffic outlook 2030," April 2024, https://port.example.com/r.pdf\n'
        "3 people liked this post\n"
    )
    doc = extract_text("pdf.txt", text, ())
    notes = [(c.marker, c.reference.outlet, c.reference.url, len(c.uses)) for c in doc.citations]
    assert notes == [
        ("1", "Example Gazette", "https://gazette.example.com/news/harbour-plan", 1),
        ("2", "Port Authority", "https://port.example.com/r.pdf", 1),
    ]
    # A number out of sequence, or a line that is no reference, is not an entry.
    skipped = extract_text("p.txt", text.replace("\n2 Port", "\n5 Port"), ())
    assert [c.marker for c in skipped.citations] == ["1"]


SYMBOLS = """Water bills to rise

Bills will rise by 8 per cent next year.* The regulator approved the plan in October.† Some
customers are *really* angry about it.

* Ofwat, "Final determinations 2025", 19 December 2024, https://www.ofwat.example/final-2025
† "Regulator approves bill rises", Example Ledger, 3 October 2025,
  https://ledger.example/2025/10/03/regulator
"""


def test_notes_marked_by_symbols_answer_the_symbols_in_the_text() -> None:
    # Newspapers and reports mark a few notes with *, †, ‡ instead of numbers. Synthetic text.
    doc = extract_text("bills.txt", SYMBOLS, ())
    notes = [
        (c.marker, c.reference.outlet, c.reference.url, [u.line for u in c.uses])
        for c in doc.citations
    ]
    assert notes == [
        ("*", "Ofwat", "https://www.ofwat.example/final-2025", [3]),
        ("†", "Example Ledger", "https://ledger.example/2025/10/03/regulator", [3]),
    ]
    # "*really*" is emphasis, not a third use of the first note.
    assert [(m.label, m.line) for m in doc.markers] == [("*", 3), ("†", 3)]
    assert not [f.rule for f in structure_findings(doc) if f.rule.startswith(("marker", "entry"))]
    # Under a heading too.
    headed = SYMBOLS.replace("\n* Ofwat", "\nNotes\n* Ofwat")
    assert [c.marker for c in extract_text("b.txt", headed, ()).citations] == ["*", "†"]


def test_a_closing_bullet_list_is_not_symbol_notes_without_a_marker_in_the_text() -> None:
    text = (
        "Further reading\n\nBills will rise by 8 per cent next year, the regulator says.\n\n"
        '* Ofwat, "Final determinations 2025", 19 December 2024, https://www.ofwat.example/f\n'
        '* "Regulator approves bill rises", Example Ledger, 3 October 2025, https://ledger.example/r\n'
    )
    doc = extract_text("reading.txt", text, ())
    assert not [c for c in doc.citations if c.marker == "*"]


def test_symbol_notes_and_markers_take_time_in_proportion() -> None:
    from growth import assert_linear

    def bullets(n: int) -> str:
        # Every line a candidate symbol note, one marker at the top: each is tried once.
        return "Title\n\nA claim.*\n\n" + '* Org, "Title", 2024, https://x.example/a\n' * (n // 44)

    def glued(n: int) -> str:
        # One line without spaces, full of asterisks glued to words.
        return (
            "Title\n\nA claim.*\n"
            + "ab*." * (n // 4)
            + '\n\n* Org, "T", 2024, https://x.example/a\n'
        )

    assert_linear(lambda text: extract_text("b.txt", text, ()), bullets, 400_000)
    assert_linear(lambda text: extract_text("g.txt", text, ()), glued, 400_000)
