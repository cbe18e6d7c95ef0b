"""Checks run while fetches are in flight, and the report is the same as checking afterwards.

The pages and the article are synthetic, written for this test; a stdlib server on 127.0.0.1
serves them.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from typing import Any

import fetchserver as fs
import pytest

from audit import pipeline
from audit.fetch.options import FetchOptions
from audit.model import Citation
from audit.pipeline import AuditOptions, audit_text
from audit.render.json import report_json

PAGES = {
    "/harbour": (
        "<html><head><title>Harbour budget doubles</title>"
        '<meta property="article:published_time" content="2026-03-04T09:00:00+01:00">'
        "</head><body><article><p>The council said the harbour budget would double by next"
        " spring, officials confirmed on Tuesday.</p></article></body></html>"
    ),
    "/ferry": (
        "<html><head><title>Ferry timetable changes</title></head>"
        "<body><article><p>The new timetable starts in May.</p></article></body></html>"
    ),
}


@pytest.fixture
def site() -> Iterator[str]:
    with fs.serve_pages({path: html.encode() for path, html in PAGES.items()}) as base:
        yield base


def _article(site: str) -> str:
    return (
        "# Harbour\n\n"
        f'Officials said "the harbour budget would double by next spring".[^1]\n\n'
        f"The ferry timetable changes too [timetable]({site}/ferry), "
        f"and again [same page]({site}/ferry).\n\n"
        f"An old page has gone [gone]({site}/gone). Skipped: [skip]({site}/skip-me).\n\n"
        "The Example Gazette reported the plan on Monday.\n\n"
        f"Behind a login [private]({site.replace('://', '://editor:pw@')}/ferry).\n\n"
        f'[^1]: "Harbour budget doubles", Example Gazette, 4 March 2026, {site}/harbour\n'
    )


def _options() -> AuditOptions:
    fetch = FetchOptions(allow_private=True, use_cache=False, retries=0)
    return AuditOptions(
        fetch=fetch, archive=False, now="2026-03-05T00:00:00+00:00", ignore_urls=("skip-me",)
    )


def test_fetched_citations_are_checked_before_the_fetch_phase_ends(
    site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fetching = threading.Event()
    heard: list[tuple[str, bool]] = []
    real_fetch = pipeline._fetch
    real_audit_fetched = pipeline._Auditor.audit_fetched

    def fetch(*args: Any, **kwargs: Any) -> Any:
        fetching.set()
        try:
            return real_fetch(*args, **kwargs)
        finally:
            fetching.clear()

    def audit_fetched(
        self: pipeline._Auditor, citations: Sequence[Citation], url: str, outcome: Any
    ) -> None:
        heard.append((url, fetching.is_set()))
        real_audit_fetched(self, citations, url, outcome)

    real_prepare = pipeline._Auditor.prepare
    prepared: list[bool] = []

    def prepare(self: pipeline._Auditor, documents: Any) -> None:
        prepared.append(fetching.is_set())
        real_prepare(self, documents)

    monkeypatch.setattr(pipeline, "_fetch", fetch)
    monkeypatch.setattr(pipeline._Auditor, "audit_fetched", audit_fetched)
    monkeypatch.setattr(pipeline._Auditor, "prepare", prepare)
    report = audit_text(_article(site), "markdown", _options())
    assert prepared == [True]  # structure checks and redaction of the article: during the fetch
    # Each fetched URL once (the duplicate is fetched once), all while fetching was going on.
    fetched = [f"{site}{p}" for p in ("/harbour", "/ferry", "/gone")]
    fetched.append(site.replace("://", "://editor:pw@") + "/ferry")
    assert sorted(heard) == sorted((url, True) for url in fetched)
    verdicts = {
        ac.citation.reference.url: ac.link.verdict.value
        for ac in report.documents[0].citations
        if ac.link
    }
    assert verdicts[f"{site}/harbour"] == "ok"
    assert verdicts[f"{site}/gone"] == "dead"
    assert verdicts[f"{site}/skip-me"] == "not_checked"


def test_checking_during_the_fetch_gives_the_report_checking_afterwards_gives(
    site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    overlapped = report_json(audit_text(_article(site), "markdown", _options()))
    monkeypatch.setattr(pipeline._Auditor, "audit_fetched", lambda *args: None)
    monkeypatch.setattr(pipeline._Auditor, "prepare", lambda *args: None)
    afterwards = report_json(audit_text(_article(site), "markdown", _options()))
    for report in (overlapped, afterwards):
        for citation in report["documents"][0]["citations"]:
            if citation["link"]:
                citation["link"]["elapsed_ms"] = 0  # the only field that differs run to run
    assert overlapped == afterwards
    assert "editor:pw" not in json.dumps(overlapped)  # redacted both ways
    checks = [c["checks"] for c in overlapped["documents"][0]["citations"] if c["checks"]]
    assert any(ch["title"]["verdict"] == "match" for ch in checks)  # the checks did run


def test_the_first_requests_go_out_before_every_url_is_vetted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A long article's URLs are checked (valid, not ignored) as the fetches start, not all
    # before the first one: the first request then waits for 32 URLs, not 3,000.
    import asyncio

    import audit.urls
    from audit.fetch.fetcher import Fetcher, FetchOutcome
    from audit.model import LinkResult, LinkVerdict

    events: list[str] = []
    real_validate = audit.urls.validate_url

    def validate(url: str) -> str | None:
        events.append("vetted")
        return real_validate(url)

    def start(self: Fetcher, url: str) -> asyncio.Future[tuple[FetchOutcome, None]]:
        events.append("fetched")
        answered = asyncio.get_running_loop().create_future()
        answered.set_result((FetchOutcome(LinkResult(LinkVerdict.OK, 200, url, (), "ok")), None))
        return answered

    monkeypatch.setattr(audit.urls, "validate_url", validate)
    monkeypatch.setattr(Fetcher, "start", start)
    article = "\n\n".join(f"Claim {i} [source](https://news.example/{i})." for i in range(200))
    report = audit_text(article, "markdown", _options())
    assert len(report.documents[0].citations) == 200
    before_first_fetch = events[: events.index("fetched")]
    assert 0 < before_first_fetch.count("vetted") < 200
    assert events.count("fetched") == 200


def test_an_error_while_checking_a_fetched_citation_is_raised_not_lost(
    site: str, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    # The checks run in a callback as each fetch lands; a bug there must surface as it did from
    # a task awaiting the fetch, not as a traceback logged by asyncio while the run goes on.
    def broken(self: pipeline._Auditor, citations: Sequence[Citation], url: str, o: Any) -> None:
        raise RuntimeError("check failed")

    monkeypatch.setattr(pipeline._Auditor, "audit_fetched", broken)
    with pytest.raises(RuntimeError, match="check failed"):
        audit_text(_article(site), "markdown", _options())
    assert "Traceback" not in capfd.readouterr().err
