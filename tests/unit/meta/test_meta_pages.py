"""Each synthetic fixture page gives the title, date, site name and main text pages.json expects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from audit.meta import digest

PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"
CASES: dict[str, dict[str, object]] = json.loads((PAGES / "pages.json").read_text("utf-8"))


def test_corpus_is_big_enough() -> None:
    assert len(CASES) >= 40
    assert all((PAGES / name).is_file() for name in CASES)


def _fetched(name: str) -> tuple[str, str, str, bytes, dict[str, str]]:
    """`digest`'s arguments for a fixture page, as the fetcher would pass them."""
    exp = CASES[name]
    url = str(exp["url"])
    headers = exp["headers"]
    assert isinstance(headers, dict)
    return url, url, str(exp["content_type"]), (PAGES / name).read_bytes(), headers


@pytest.mark.parametrize("name", sorted(CASES))
def test_page(name: str) -> None:
    exp = CASES[name]
    url = str(exp["url"])
    meta, text = digest(*_fetched(name))
    assert meta is not None
    assert meta.title == exp["title"]
    assert meta.site_name == exp["site_name"]
    want_date = exp["published"]
    if want_date is None:
        # A page with no date: nothing, or a guess that is labelled as one.
        assert meta.published is None or meta.date_source == "heuristic"
    else:
        assert meta.published is not None
        assert meta.published.startswith(str(want_date))
        assert meta.date_source == exp["date_source"]
    if "free_to_read" in exp:
        assert meta.free_to_read is exp["free_to_read"]
    assert text is not None
    assert str(exp["quote"]) in text
    absent = exp["absent"]
    assert isinstance(absent, list)
    for boilerplate in absent:
        assert boilerplate not in text
    assert meta.canonical_url == url


@pytest.mark.parametrize("name", sorted(CASES))
def test_page_without_its_main_text_gives_the_same_metadata(name: str) -> None:
    # No check will read the text: it is not extracted, and nothing else about the page changes
    # (htmldate, for the pages without a structured date, then reads the tree uncopied).
    args = _fetched(name)
    full, _ = digest(*args)
    meta, text = digest(*args, want_text=False)
    assert meta == full
    assert text is None
