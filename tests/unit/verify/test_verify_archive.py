"""Wayback Machine lookups: query URLs, picking a capture, the fallback, unusable snapshots."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import parse_qs, urlsplit

from audit.archive import (
    availability_url,
    cdx_query_url,
    find_snapshot,
    is_unusable_snapshot,
    parse_availability,
    pick_snapshot,
)
from audit.model import PageMeta

URL = "https://example.org/news/story"
CDX = json.dumps(
    [
        ["timestamp", "original", "statuscode", "mimetype"],
        ["20240101120000", URL, "200", "text/html"],
        ["20250710090000", URL, "200", "text/html"],
        ["20250711100000", URL, "404", "text/html"],
        ["20250715080000", URL, "200", "text/html"],
        ["20250901080000", "http://example.org/news/story", "200", "text/html"],
    ]
)


def test_cdx_query_url() -> None:
    parts = urlsplit(cdx_query_url(URL, "2025-07-11"))
    assert (
        f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://web.archive.org/cdx/search/cdx"
    )
    query = parse_qs(parts.query)
    assert query["url"] == [URL]
    assert query["output"] == ["json"]
    assert query["filter"] == ["statuscode:200"]
    assert "from" in query and "to" in query
    assert "from" not in parse_qs(urlsplit(cdx_query_url(URL, None)).query)


def test_availability_url() -> None:
    query = parse_qs(urlsplit(availability_url(URL, "2025-07")).query)
    assert query == {"url": [URL], "timestamp": ["202507"]}
    assert "timestamp" not in parse_qs(urlsplit(availability_url(URL, None)).query)


def test_pick_closest_before_else_after_skipping_non_200() -> None:
    assert pick_snapshot(CDX, "2025-07-11") == f"https://web.archive.org/web/20250710090000/{URL}"
    assert pick_snapshot(CDX, "2025-07") == f"https://web.archive.org/web/20250715080000/{URL}"
    assert pick_snapshot(CDX, "2023-05-01") == f"https://web.archive.org/web/20240101120000/{URL}"
    assert pick_snapshot(CDX, None) == (
        "https://web.archive.org/web/20250901080000/http://example.org/news/story"
    )


def test_pick_snapshot_bad_answers() -> None:
    assert pick_snapshot("", None) is None
    assert pick_snapshot("[]", None) is None
    assert pick_snapshot("<html>rate limited</html>", None) is None
    only_errors = json.dumps(
        [["timestamp", "original", "statuscode"], ["20250101000000", URL, "503"]]
    )
    assert pick_snapshot(only_errors, None) is None


def test_parse_availability() -> None:
    good = {
        "archived_snapshots": {
            "closest": {
                "available": True,
                "url": f"http://web.archive.org/web/20250711000000/{URL}",
                "timestamp": "20250711000000",
                "status": "200",
            }
        }
    }
    assert (
        parse_availability(json.dumps(good)) == f"https://web.archive.org/web/20250711000000/{URL}"
    )
    assert parse_availability('{"url": "x", "archived_snapshots": {}}') is None
    good["archived_snapshots"]["closest"]["status"] = "302"
    assert parse_availability(json.dumps(good)) is None
    assert parse_availability("not json") is None


def test_find_snapshot_falls_back_to_availability() -> None:
    asked: list[str] = []
    avail = json.dumps(
        {
            "archived_snapshots": {
                "closest": {
                    "available": True,
                    "status": "200",
                    "url": f"http://web.archive.org/web/20250101000000/{URL}",
                }
            }
        }
    )

    async def get_text(url: str) -> str | None:
        asked.append(url)
        if url.startswith("https://web.archive.org/cdx/"):
            raise RuntimeError("429 Too Many Requests")
        return avail

    found = asyncio.run(find_snapshot(URL, "2025-01-01", get_text))
    assert found == f"https://web.archive.org/web/20250101000000/{URL}"
    assert len(asked) == 2


def test_find_snapshot_prefers_cdx_and_answers_none_when_nothing() -> None:
    async def cdx_only(url: str) -> str | None:
        return CDX if "cdx" in url else None

    async def nothing(url: str) -> str | None:
        return None

    found = asyncio.run(find_snapshot(URL, "2025-07-11", cdx_only))
    assert found == f"https://web.archive.org/web/20250710090000/{URL}"
    assert asyncio.run(find_snapshot(URL, None, nothing)) is None


def test_unusable_snapshots() -> None:
    article = "A long article body. " * 200
    assert is_unusable_snapshot(PageMeta(title="Just a moment..."), "Checking your browser")
    assert is_unusable_snapshot(PageMeta(title="Before you continue to Example"), "")
    assert is_unusable_snapshot(PageMeta(title="Story"), "Subscribe now to continue reading.")
    assert is_unusable_snapshot(PageMeta(title="Story", free_to_read=False), "Two lines only.")
    assert not is_unusable_snapshot(PageMeta(title="Harbour vote delayed"), article)
    assert not is_unusable_snapshot(PageMeta(title="Story", free_to_read=False), article)
