"""An article pasted from a wiki: `[n]` markers, "^ a b" back-links, DOIs, archive dates, format
notes, and "External links" after the references. The article is synthetic, written for this test.
"""

from __future__ import annotations

from audit.checks.structure import structure_findings
from audit.checks.verify import check_outlet
from audit.extract.plaintext import extract_text
from audit.model import PageMeta, Rating
from audit.tiers import load_tiers

BODY = (
    "The reform began in 2019.[1] Critics said it favoured freight.[2][3] "
    "Ridership fell 8%,[1] then recovered.[4]"
)
ARCHIVED = (
    '4. ^ "Passenger numbers 2023". Example Statistics. https://stats.example/rail/2023. '
    "Archived from the original on 5 January 2024."
)
ARTICLE = f"""Lowland rail reform

From the free encyclopedia

{BODY}

See also
Rail transport in the Lowlands

References
1. ^ a b "Rail reform act passed". Example Herald. 14 March 2019. Retrieved 2 May 2024.
2. ^ Doe, Jane (2020). "Freight first?". Example Quarterly. 12 (3): 45–67. doi:10.1234/eq.2020.3.
3. ^ Example Audit Office (2021). Rail reform review (PDF) (Report). https://audit.example/r.pdf
{ARCHIVED}

External links
Official website https://rail.example
"""


def test_every_reference_is_read_as_the_wiki_wrote_it() -> None:
    doc = extract_text("wiki.txt", ARTICLE, ())
    refs = {c.marker: c.reference for c in doc.citations}
    assert refs["1"].authors == () and refs["1"].title == "Rail reform act passed"
    assert (refs["1"].date, refs["1"].accessed) == ("2019-03-14", "2024-05-02")
    assert refs["2"].title == "Freight first?"
    assert refs["2"].url == "https://doi.org/10.1234/eq.2020.3"
    assert refs["3"].title == "Rail reform review"
    assert refs["4"].date is None  # the archive's date is not the publication's
    assert [len(c.uses) for c in doc.citations] == [2, 1, 1, 1]


def test_external_links_after_the_references_are_not_reader_comments() -> None:
    doc = extract_text("wiki.txt", ARTICLE, ())
    assert [(i.url, i.reason) for i in doc.ignored_links] == [
        ("https://rail.example", "related or further-reading links")
    ]
    rules = {f.rule for f in structure_findings(doc)}
    assert "entry-never-cited" not in rules and "marker-without-entry" not in rules


def test_a_doi_link_is_not_an_outlet_mismatch_before_the_page_is_read() -> None:
    tiers = load_tiers()
    rating = tiers.rate_url("https://doi.org/10.1234/eq.2020.3")
    assert rating.outlet == "DOI" and "resolver" in rating.flags
    assert check_outlet("Example Quarterly", rating, None).verdict == "unknown"
    page = PageMeta(site_name="Example Quarterly")
    assert check_outlet("Example Quarterly", rating, page).verdict == "match"
    other = Rating(outlet="Example Herald", tier=2)
    assert check_outlet("Example Quarterly", other, None).verdict == "mismatch"
