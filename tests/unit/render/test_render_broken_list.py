"""The broken-link list: failed links once each, in report order, one a line whatever the URL."""

from __future__ import annotations

from dataclasses import replace

from report_factory import HOSTILE_URL, empty_report, make_report

from audit.model import LinkResult, LinkVerdict, Report
from audit.render.broken import BROKEN_VERDICTS, broken_urls, render_broken_list


def _with_link(report: Report, index: int, url: str, verdict: LinkVerdict) -> Report:
    """The report with its first document's citation `index` given `url` and `verdict`."""
    doc = report.documents[0]
    audited = doc.citations[index]
    reference = replace(audited.citation.reference, url=url)
    citation = replace(audited.citation, reference=reference)
    link = LinkResult(verdict, None, None, (), "synthetic")
    citations = list(doc.citations)
    citations[index] = replace(audited, citation=citation, link=link)
    documents = (replace(doc, citations=tuple(citations)), *report.documents[1:])
    return replace(report, documents=documents)


def test_only_failed_links_are_listed_in_report_order() -> None:
    report = make_report()
    urls = broken_urls(report)
    expected = [
        ac.citation.reference.url
        for d in report.documents
        for ac in d.citations
        if ac.link is not None and ac.link.verdict in BROKEN_VERDICTS
    ]
    assert urls == list(dict.fromkeys(u for u in expected if u))
    # The factory's dead blog post, its invalid address and its bot-walled post are in it ...
    assert "https://blog.example/gone" in urls
    assert HOSTILE_URL in urls
    assert "https://social.example/post/1" in urls
    # ... the page that answered is not.
    assert "https://gazette.example/a" not in urls


def test_working_paywalled_and_unchecked_links_are_not_broken() -> None:
    for verdict in (
        LinkVerdict.OK,
        LinkVerdict.REDIRECTED,
        LinkVerdict.PAYWALLED,
        LinkVerdict.NOT_CHECKED,
    ):
        report = _with_link(make_report(), 0, "https://probe.example/x", verdict)
        assert "https://probe.example/x" not in broken_urls(report), verdict
    report = _with_link(make_report(), 0, "https://probe.example/x", LinkVerdict.TIMEOUT)
    assert "https://probe.example/x" in broken_urls(report)


def test_a_url_cited_twice_is_listed_once() -> None:
    report = _with_link(make_report(), 0, "https://probe.example/dup", LinkVerdict.DEAD)
    report = _with_link(report, 1, "https://probe.example/dup", LinkVerdict.DEAD)
    assert broken_urls(report).count("https://probe.example/dup") == 1


def test_every_url_stays_on_one_line() -> None:
    hostile = "https://probe.example/a\nb\r\u2028c\x00d"
    report = _with_link(make_report(), 0, hostile, LinkVerdict.INVALID_URL)
    lines = render_broken_list(report).splitlines()
    assert "https://probe.example/a%0Ab%0D%E2%80%A8c%00d" in lines
    assert len(lines) == len(broken_urls(report))


def test_nothing_broken_writes_an_empty_list() -> None:
    assert render_broken_list(empty_report()) == ""
