"""Footnotes as blogging tools and converters write them: WordPress, Pandoc, Tufte CSS, DPUB-ARIA.

Modern Footnotes hides each note in a span inside the paragraph, named by the marker's
`aria-describedby`; Easy Footnotes lists the notes at the end, each linking back to an empty
anchor just before its marker; Pandoc wraps the superscript in the in-page link. The fixtures
in tests/fixtures/articles/html are synthetic, shaped like each tool's output.
"""

from __future__ import annotations

from pathlib import Path

from audit.checks.structure import structure_findings
from audit.extract.html import extract_html
from audit.model import CitationKind, ExtractedDocument

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "articles" / "html"


def load(name: str) -> ExtractedDocument:
    path = FIXTURES / name
    return extract_html(str(path), path.read_text(encoding="utf-8"), ())


def footnotes(doc: ExtractedDocument) -> dict[str, tuple[str | None, str | None, int]]:
    """Each footnote's title, URL and number of marker uses."""
    return {
        c.id: (c.reference.title, c.reference.url, len(c.uses))
        for c in doc.citations
        if c.kind is CitationKind.FOOTNOTE
    }


def test_modern_footnotes_notes_inside_the_paragraph_are_footnotes() -> None:
    doc = load("wordpress-plugins.html")
    assert footnotes(doc) == {
        "fn-1": ("Budget 2025", "https://harbour.example/budget-2025", 1),
        "fn-2": (
            "Dock workers briefed on budget",
            "https://wire.example/2025/03/02/dock-workers",
            1,
        ),
    }
    # The script buttons (the markers' own and a share toggle) are not links to check.
    assert all(c.kind is CitationKind.FOOTNOTE for c in doc.citations)
    rules = {f.rule for f in structure_findings(doc)}
    assert not rules & {"invalid-url", "marker-without-entry", "entry-never-cited"}
    # The note's words are not part of the sentence the marker sits in.
    (use,) = next(c for c in doc.citations if c.id == "fn-1").uses
    assert "Harbour Authority" not in use.context and "12 percent" in use.context


def test_easy_footnotes_link_back_to_an_anchor_before_the_marker() -> None:
    doc = load("wordpress-easy-footnotes.html")
    assert footnotes(doc) == {
        "fn-1": ("Critics doubt port plan", "https://wire.example/2025/03/02/critics", 1),
        "fn-2": ("A long night at the council", "https://gazette.example/council-night", 1),
    }
    rules = {f.rule for f in structure_findings(doc)}
    assert "marker-without-entry" not in rules and "entry-never-cited" not in rules


def test_a_note_may_link_back_to_an_empty_anchor_just_before_its_marker() -> None:
    # The same pairing without a notes list to recognise: only the links tie note to marker.
    html = (
        "<html><body><p>Critics were unconvinced<span id='ref-1'></span><span>"
        "<a href='#note-1'><sup>1</sup></a></span>.</p>"
        "<div class='post-end'><p><span id='note-1'></span>Example Wire, “Critics doubt port"
        " plan,” March 2, 2025. <a href='https://wire.example/critics'>"
        "https://wire.example/critics</a> <a href='#ref-1'>back</a></p></div></body></html>"
    )
    doc = extract_html("easy.html", html, ())
    assert footnotes(doc) == {
        "fn-1": ("Critics doubt port plan", "https://wire.example/critics", 1)
    }


def test_the_wordpress_footnotes_block_reads_the_linked_words_as_the_title() -> None:
    doc = load("wordpress-footnotes-block.html")
    refs = {
        c.id: (c.reference.outlet, c.reference.title, c.reference.date)
        for c in doc.citations
        if c.kind is CitationKind.FOOTNOTE
    }
    assert refs == {
        # "Example Council, <a>Fees and charges 2025</a>, 4 March 2025."
        "fn-1": ("Example Council", "Fees and charges 2025", "2025-03-04"),
        "fn-2": ("Example Wire", "Harbour loses money again", "2025-01-09"),
    }


def test_a_markdown_note_reads_its_linked_words_as_the_title() -> None:
    from audit.extract.markdown import extract_markdown

    text = (
        "Fees will rise.[^1]\n\n"
        "[^1]: Example Council, [Fees and charges 2025](https://council.example/fees),"
        " 4 March 2025.\n"
    )
    (note,) = extract_markdown("fees.md", text, ()).citations
    ref = note.reference
    assert (ref.outlet, ref.title, ref.url) == (
        "Example Council",
        "Fees and charges 2025",
        "https://council.example/fees",
    )


def test_tufte_sidenotes_are_numbered_notes_and_a_photo_credit_is_set_aside() -> None:
    doc = load("tufte-sidenotes.html")
    assert footnotes(doc) == {
        "fn-1": ("Quay reopens after repairs", "https://port.example/quay-reopens", 1),
        "fn-2": ("Traffic doubles at the quay", "https://ledger.example/2025/06/01/quay", 1),
    }
    (use,) = next(c for c in doc.citations if c.id == "fn-1").uses
    assert use.context == "The quay reopened in May.¹"  # the number CSS draws, not the note
    (use_2,) = next(c for c in doc.citations if c.id == "fn-2").uses
    assert use_2.context == "Traffic doubled within a month.²"
    assert [(i.url, i.reason) for i in doc.ignored_links] == [
        ("https://photos.example/agency", "photo or image credit")
    ]


def test_dpub_aria_note_references_lead_to_their_notes_even_in_an_aside() -> None:
    # `role="doc-noteref"` says what the link is; its target `<aside role="doc-footnote">` is
    # the note, not a sidebar to set aside.
    doc = load("dpub-aria-footnotes.html")
    assert footnotes(doc) == {
        "fn-1": ("Quay reopens after repairs", "https://port.example/quay-reopens", 1),
        "fn-2": ("Traffic doubles at the quay", "https://ledger.example/2025/06/01/quay", 1),
    }
    assert not doc.ignored_links
    (use,) = next(c for c in doc.citations if c.id == "fn-2").uses
    assert use.context == "Traffic has since doubled.²"


def test_pandoc_markers_count_once() -> None:
    doc = load("pandoc-footnotes.html")
    assert footnotes(doc) == {
        "fn-1": ("First week figures", "https://transit.example/first-week", 1),
        "fn-2": ("Fares for 2025", "https://council.example/2025/01/fares", 1),
    }
    (use,) = next(c for c in doc.citations if c.id == "fn-2").uses
    assert use.context.startswith("Fares stayed flat")


def test_an_aria_description_that_is_not_a_numbered_marker_makes_no_footnote() -> None:
    html = (
        "<html><body><p>Prices rose.<a href='https://stats.example/cpi'"
        " aria-describedby='tip'>CPI table</a><span id='tip'>Opens the statistics office"
        " site</span></p></body></html>"
    )
    doc = extract_html("tip.html", html, ())
    assert [(c.kind, c.reference.url) for c in doc.citations] == [
        (CitationKind.INLINE, "https://stats.example/cpi")
    ]


def test_many_markers_linking_into_one_big_block_cost_linear_time() -> None:
    # Hand-written notes separated by <br> in the same <div> as the text (old blog posts): every
    # marker's target is inside that one block. Looking for links back must not walk it each time.
    from growth import assert_linear

    def page(size: int) -> str:
        n = max(1, size // 120)
        text = " ".join(
            f'Claim {i}.<a href="#fn{i}" name="ref{i}"><sup>[{i}]</sup></a>' for i in range(n)
        )
        notes = "".join(
            f'<a name="fn{i}"></a><a href="#ref{i}">[{i}]</a> Note {i}.<br>' for i in range(n)
        )
        return f"<html><body><div>{text}<hr>{notes}</div></body></html>"

    assert_linear(lambda text: extract_html("big.html", text, ()), page, 160_000)


def test_a_list_item_its_links_do_not_pair_keeps_its_own_number() -> None:
    # A synthetic Easy Footnotes page whose second marker lost its anchor (an edited post): the
    # first note is paired by its links, the second is the list's second item, not its first.
    page = (
        '<html><body><div class="entry-content">\n'
        '<p>Fares are frozen.<span id="easy-footnote-1-77"></span><span class="easy-footnote">'
        '<a href="#easy-footnote-bottom-1-77"><sup>1</sup></a></span> Tickets rose 4.9%.'
        '<span class="easy-footnote"><a href="#easy-footnote-bottom-2-77"><sup>2</sup></a>'
        "</span></p>\n"
        '<ol class="easy-footnotes-wrapper">\n'
        '<li><span id="easy-footnote-bottom-1-77"></span>Transport Office, "Fares", 2 January '
        '2025, <a href="https://transport.example.gov/fares">link</a>'
        '<a class="easy-footnote-to-top" href="#easy-footnote-1-77"></a></li>\n'
        '<li><span id="easy-footnote-bottom-2-77"></span>"Season tickets", Rail Weekly, 3 March '
        '2024, <a href="https://railweekly.example/season">link</a>'
        '<a class="easy-footnote-to-top" href="#easy-footnote-2-77"></a></li>\n'
        "</ol></div></body></html>\n"
    )
    doc = extract_html("wp.html", page, ())
    notes = [(c.id, c.reference.url, len(c.uses)) for c in doc.citations]
    assert notes == [
        ("fn-1", "https://transport.example.gov/fares", 1),
        ("fn-2", "https://railweekly.example/season", 1),
    ]
