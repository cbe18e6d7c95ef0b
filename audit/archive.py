"""Wayback Machine lookups: the capture closest to the cited date, for links that failed.

The CDX API first (`filter=statuscode:200`, the closest capture before the date, else the
first after); the availability API as a fallback, though it is known to answer empty for pages
that are archived. The network is the caller's: `find_snapshot` takes a getter backed by the
fetcher, so the cache, cassettes and rate limits apply. Building URLs and reading answers are
pure functions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from urllib.parse import urlencode

from audit.model import PageMeta

CDX_ENDPOINT = "https://web.archive.org/cdx/search/cdx"
AVAILABILITY_ENDPOINT = "https://archive.org/wayback/available"
SNAPSHOT_PREFIX = "https://web.archive.org/web/"

_TIMESTAMP = re.compile(r"^\d{4,14}$")
_SNAPSHOT_URL = re.compile(r"^https?://web\.archive\.org/web/(\d{4,14})[a-z_]*/(.+)$")


def _bounds(when: str | None) -> tuple[str, str] | None:
    """(first, last) 14-digit timestamps of the cited day, month or year."""
    if not when:
        return None
    digits = re.sub(r"\D", "", when.strip()[:10])
    if len(digits) not in (4, 6, 8):
        return None
    first = digits.ljust(14, "0")
    if len(digits) == 4:
        last = digits + "1231235959"
    elif len(digits) == 6:
        last = digits + "31235959"
    else:
        last = digits + "235959"
    # "0000" months or days from ljust are fine for ordering: timestamps compare as strings.
    return first, last


def snapshot_url(timestamp: str, original: str) -> str:
    """The replay URL of a capture: https://web.archive.org/web/<timestamp>/<url>."""
    return f"{SNAPSHOT_PREFIX}{timestamp}/{original}"


def cdx_query_url(url: str, when: str | None) -> str:
    """CDX query for the URL's successful captures, one per day at most."""
    params = {
        "url": url,
        "output": "json",
        "filter": "statuscode:200",
        "fl": "timestamp,original,statuscode,mimetype",
        "collapse": "timestamp:8",
    }
    if when and (bounds := _bounds(when)):
        # Ask around the date only: a popular page has thousands of captures.
        year = int(bounds[0][:4])
        params["from"] = str(year - 2)
        params["to"] = str(year + 2)
    return f"{CDX_ENDPOINT}?{urlencode(params)}"


def availability_url(url: str, when: str | None) -> str:
    """Availability API query for the capture closest to the date."""
    params = {"url": url}
    if _bounds(when) and when:
        # The API takes a partial timestamp ("2025", "202507") and pads it itself.
        params["timestamp"] = re.sub(r"\D", "", when.strip()[:10])
    return f"{AVAILABILITY_ENDPOINT}?{urlencode(params)}"


def pick_snapshot(cdx_json_text: str, when: str | None) -> str | None:
    """The capture closest before the date (else the first after); the latest with no date."""
    try:
        rows = json.loads(cdx_json_text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(rows, list) or len(rows) < 2 or not isinstance(rows[0], list):
        return None
    header = [str(h) for h in rows[0]]
    try:
        i_ts, i_url = header.index("timestamp"), header.index("original")
    except ValueError:
        return None
    i_status = header.index("statuscode") if "statuscode" in header else None
    captures: list[tuple[str, str]] = []
    for row in rows[1:]:
        if not isinstance(row, list) or len(row) != len(header):
            continue
        stamp, original = str(row[i_ts]), str(row[i_url])
        if not _TIMESTAMP.match(stamp) or not original.startswith(("http://", "https://")):
            continue
        if i_status is not None and str(row[i_status]) != "200":
            continue
        captures.append((stamp.ljust(14, "0"), original))
    if not captures:
        return None
    captures.sort()
    bounds = _bounds(when)
    if bounds is None:
        stamp, original = captures[-1]
        return snapshot_url(stamp, original)
    before = [c for c in captures if c[0] <= bounds[1]]
    stamp, original = before[-1] if before else captures[0]
    return snapshot_url(stamp, original)


def parse_availability(json_text: str) -> str | None:
    """The snapshot URL from an availability API answer, or None (it often answers empty)."""
    try:
        data = json.loads(json_text)
    except (ValueError, RecursionError):
        return None
    closest = data.get("archived_snapshots", {}) if isinstance(data, dict) else {}
    closest = closest.get("closest") if isinstance(closest, dict) else None
    if not isinstance(closest, dict) or closest.get("available") is False:
        return None
    if str(closest.get("status", "200")) != "200":
        return None
    m = _SNAPSHOT_URL.match(str(closest.get("url", "")))
    if not m:
        return None
    return snapshot_url(m.group(1), m.group(2))


async def find_snapshot(
    url: str, when: str | None, get_text: Callable[[str], Awaitable[str | None]]
) -> str | None:
    """A snapshot URL for the page near the date: CDX first, then the availability API."""
    for query, parse in (
        (cdx_query_url(url, when), lambda text: pick_snapshot(text, when)),
        (availability_url(url, when), parse_availability),
    ):
        try:
            text = await get_text(query)
        except Exception:  # the getter is the caller's; its failure means "no snapshot here"
            text = None
        found = parse(text) if text else None
        if found:
            return found
    return None


_WALL_TITLES = re.compile(
    r"just a moment|attention required|access denied|are you a (?:robot|human)|robot check|"
    r"security check|captcha|ddos-guard|before you continue|cookie (?:settings|consent)|"
    r"privacy (?:settings|choices)|consent|subscribe to (?:read|continue)|please enable (?:js|"
    r"javascript|cookies)|verify you are human|request blocked|too many requests",
    re.IGNORECASE,
)
_WALL_TEXT = re.compile(
    r"checking (?:if the site connection is secure|your browser)|enable javascript and cookies|"
    r"verify you are (?:a )?human|we use cookies|accept all cookies|before you continue to|"
    r"subscribe (?:now )?to (?:continue|read)|to continue reading|already a subscriber|"
    r"this (?:article|content) is (?:for|only available to) subscribers|sign in to read",
    re.IGNORECASE,
)

UNUSABLE_MAX_TEXT = 1500
"""A page with wall wording and no more text than this is the wall, not the article."""


def is_unusable_snapshot(meta: PageMeta, text: str | None) -> bool:
    """True if a snapshot is itself a bot wall, consent page or paywall, not the article."""
    if meta.title and _WALL_TITLES.search(meta.title):
        return True
    body = text or ""
    if len(body) <= UNUSABLE_MAX_TEXT and _WALL_TEXT.search(body):
        return True
    # Structured data says paywalled and almost no text was captured: the teaser only.
    return meta.free_to_read is False and len(body) < 300
