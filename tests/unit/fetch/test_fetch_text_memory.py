"""A page's main text is extracted and held only where a quote check will read it.

A page cited without a quoted passage is digested without its main text and cached so; a later
run that quotes it fetches it again, and from then on its text is in the cache too.

The page and the article here are synthetic; the page is served from 127.0.0.1 by a stdlib server.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import fetchserver as fs
import pytest

from audit.fetch.fetcher import Fetcher, meta_digest
from audit.fetch.options import FetchOptions
from audit.meta import digest
from audit.pipeline import AuditOptions, audit_text

PAGE = (
    b"<!doctype html><html><head><title>Harbour budget approved</title></head><body><article>"
    b"<p>The council said the harbour budget would double by next spring, officials confirmed."
    b"</p></article></body></html>"
)


@pytest.fixture
def hits() -> Counter[str]:
    return Counter()


@pytest.fixture
def site(hits: Counter[str]) -> Iterator[str]:
    with fs.serve_pages({}, default=PAGE, hits=hits) as base:  # every path is the same page
        yield base


def _fetch(url: str, cache: Path, keep: bool) -> str | None:
    options = FetchOptions(allow_private=True, cache_dir=cache, retries=0)

    async def run() -> str | None:
        async with Fetcher(options, meta_digest(digest), keep_text=lambda _: keep) as fetcher:
            outcome = await fetcher.fetch(url)
        assert outcome.facts is not None and outcome.facts.meta is not None
        assert outcome.facts.meta.title == "Harbour budget approved"  # the metadata stays
        return outcome.facts.text

    return asyncio.run(run())


def test_text_no_check_reads_is_not_extracted_and_a_later_run_that_needs_it_refetches(
    site: str, hits: Counter[str], tmp_path: Path
) -> None:
    url = site + "/story"
    assert _fetch(url, tmp_path, keep=False) is None
    assert _fetch(url, tmp_path, keep=False) is None  # the metadata came from the cache
    assert hits["/story"] == 1
    later = _fetch(url, tmp_path, keep=True)  # stored without text: fetched again
    assert later is not None and "budget would double" in later
    assert hits["/story"] == 2
    again = _fetch(url, tmp_path, keep=True)  # now the cache has the text
    assert again is not None and "budget would double" in again
    assert _fetch(url, tmp_path, keep=False) is None  # held only where wanted
    assert hits["/story"] == 2


def test_text_kept_once_is_served_from_the_cache_to_any_later_run(
    site: str, hits: Counter[str], tmp_path: Path
) -> None:
    url = site + "/kept"
    assert _fetch(url, tmp_path, keep=True) is not None
    assert _fetch(url, tmp_path, keep=False) is None
    assert _fetch(url, tmp_path, keep=True) is not None
    assert hits["/kept"] == 1


def test_a_page_cited_with_and_without_a_quote_keeps_its_text(site: str) -> None:
    url = site + "/story"
    article = (
        f"# Budget\n\nThe harbour plan was approved [report]({url}).\n\n"
        f'Officials said "the harbour budget would double by next spring" [report]({url}).\n\n'
        f"The other story says nothing quoted [other]({site}/other).\n"
    )
    options = AuditOptions(
        fetch=FetchOptions(allow_private=True, use_cache=False, retries=0), archive=False
    )
    report = audit_text(article, "markdown", options)
    quotes = {
        (c.citation.reference.url, c.checks.quote.verdict)
        for c in report.documents[0].citations
        if c.checks is not None
    }
    assert (url, "found") in quotes
    assert (site + "/other", "n/a") in quotes
