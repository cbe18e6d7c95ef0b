"""An e-mail digest pasted as text, and outlets named beside a link to their own site. The
articles are synthetic, written for these tests."""

from __future__ import annotations

from audit.extract.attribution import links_own_site, site_labels
from audit.extract.markdown import extract_markdown
from audit.extract.plaintext import extract_text
from audit.model import CitationKind, ExtractedDocument

DIGEST = """Subject: Weekly policy digest - housing

Hi all,

Rents rose 6% in the year to September, per the statistics office (https://stats.example.gov/rents).
Did anyone see the Bloomberg piece on mortgage rates? https://www.bloomberg.com/news/2025-10-01/rates
And, according to Reuters, lenders expect cuts in the spring.

Best,
Alex
--
Alex Example | Policy team | https://think.example.org/people/alex | @alex_example
"""


def _attributed(doc: ExtractedDocument) -> list[str]:
    return [c.reference.outlet or "" for c in doc.citations if c.kind is CitationKind.ATTRIBUTION]


def test_a_signature_after_the_delimiter_is_not_a_source() -> None:
    doc = extract_text("digest.txt", DIGEST, ())
    assert [c.reference.url for c in doc.citations if c.kind is CitationKind.INLINE] == [
        "https://stats.example.gov/rents",
        "https://www.bloomberg.com/news/2025-10-01/rates",
    ]
    assert [i.url for i in doc.ignored_links] == ["https://think.example.org/people/alex"]
    # Early in a text, "--" is prose punctuation on its own line, not a signature.
    early = "Title\n\n--\nSee https://stats.example.gov/a for the figures, and more below.\n" + (
        "More prose that goes on for a while.\n" * 6
    )
    assert [c.reference.url for c in extract_text("e.txt", early, ()).citations] == [
        "https://stats.example.gov/a"
    ]


def test_an_outlet_named_beside_a_link_to_its_own_site_is_sourced() -> None:
    # Bloomberg's link is in the next sentence of its line; Reuters has none.
    assert _attributed(extract_text("digest.txt", DIGEST, ())) == ["Reuters"]
    post = (
        "# Rates\n\nDid anyone see the Bloomberg piece? [It is here](https://www.bloomberg.com/n/1)."
        " And, according to the BBC, rates will fall.\n"
    )
    assert _attributed(extract_markdown("post.md", post, ())) == ["BBC"]


def test_an_outlets_own_site_is_told_by_its_name_in_the_host() -> None:
    assert links_own_site("Bloomberg", site_labels(["https://www.bloomberg.com/news/x"]))
    assert links_own_site("The Guardian", site_labels(["https://www.theguardian.com/uk/x"]))
    assert links_own_site("BBC", site_labels(["https://www.bbc.co.uk/news/x"]))
    assert not links_own_site(
        "BBC", site_labels(["https://bbcgoodfood.example/x"])
    )  # short: whole label
    assert not links_own_site("AP", site_labels(["https://ap.org/x"]))  # too short to tell
    assert not links_own_site(
        "Reuters", site_labels(["https://news.example.com/reuters-story"])
    )  # path


def test_a_paragraph_of_many_links_and_outlets_takes_time_in_proportion() -> None:
    from growth import assert_linear

    def page(n: int) -> str:
        sentence = "According to Reuters, x https://h{}.example/p and the BBC said so. "
        return "Title\n\n" + "".join(sentence.format(i) for i in range(n // 70)) + "\n"

    # Large enough that a scan of the run's links for each outlet named shows (30x, not 10x).
    assert_linear(lambda text: extract_markdown("many.md", text, ()), page, 1_200_000)
    assert_linear(lambda text: extract_text("many.txt", text, ()), page, 400_000)


def test_a_link_written_without_a_scheme_is_not_called_insecure() -> None:
    from audit.checks.structure import structure_findings

    post = (
        "# Links\n\nSee www.example.com/path/page.html and the site example.net/news; the old "
        "page is at http://plain.example.org/x and [the notes](http://notes.example.org/y).\n"
    )
    doc = extract_markdown("links.md", post, ())
    raws = {c.reference.url: c.reference.raw for c in doc.citations}
    # The link is fetched as linkify reads it; its text stays as the writer wrote it.
    assert raws["http://www.example.com/path/page.html"] == "www.example.com/path/page.html"
    insecure = [f.message for f in structure_findings(doc) if f.rule == "insecure-link"]
    assert len(insecure) == 2
    assert "plain.example.org" in insecure[0] and "notes.example.org" in insecure[1]
    text = "Links\n\nSee www.example.com/path/page.html and http://plain.example.org/x today.\n"
    found = structure_findings(extract_text("links.txt", text, ()))
    assert [f.citation for f in found if f.rule == "insecure-link"] == ["inline-2"]


def test_outlets_listed_after_sources_are_named_sources() -> None:
    # "Sources: Reuters, Associated Press" under a wire story: both named, neither linked.
    text = (
        "Floods\n\nHeavy rain flooded 300 homes on Tuesday.\n\nSources: Reuters, Associated Press\n"
    )
    md = "# Floods\n\nHeavy rain flooded 300 homes on Tuesday.\n\n" + (
        "*Sources: Reuters, Associated Press*\n"
    )
    for doc in (extract_text("f.txt", text, ()), extract_markdown("f.md", md, ())):
        assert _attributed(doc) == ["Reuters", "Associated Press"]
        assert [c.uses[0].line for c in doc.citations] == [5, 5]
    # A source line naming no outlet of the list stays what it was: in Markdown a provenance.
    other = md.replace("Reuters, Associated Press", "Environment Ministry figures")
    (prov,) = extract_markdown("f.md", other, ()).citations
    assert prov.kind is CitationKind.PROVENANCE
