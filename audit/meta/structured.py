"""Structured-metadata probes over a parsed page: JSON-LD, meta tags, `<time>` and the URL path.

Every value keeps where it came from (`json_ld`, `og`, `twitter`, `meta`, `time`, `url`,
`title_tag`, `h1`), because the report shows it and a check trusts a structured date more than
a guessed one. The page is parsed once by the caller (lxml); these functions only read the tree.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlsplit

from lxml import etree

MAX_VALUE_CHARS = 1000
"""A single value (title, site name) is cut to this: a 1 MB <title> must not bloat the cache."""

MAX_JSONLD_CHARS = 500_000
"""A JSON-LD block larger than this is skipped: real ones are a few KB."""

MAX_JSONLD_OBJECTS = 500
"""Objects visited per page across all JSON-LD blocks, so a hostile nesting cannot stall us."""

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "blogposting",
        "socialmediaposting",
        "liveblogposting",
        "scholarlyarticle",
        "techarticle",
        "report",
    }
)

# Meta names that carry a publication date, by how sites actually publish them.
DATE_META_NAMES = (
    "article:published_time",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publication_date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "parsely-pub-date",
    "sailthru.date",
    "article.published",
    "og:published_time",
)
MODIFIED_META_NAMES = (
    "article:modified_time",
    "og:updated_time",
    "dcterms.modified",
    "last-modified",
)

# Containers whose dates and titles belong to other stories or to readers, not to this page.
BOILERPLATE_HINT = re.compile(
    r"related|recommend|more-?stories|read-?more|most-?(?:read|popular)|trending|comment|"
    r"sidebar|promo|teaser|newsletter|footer|outbrain|taboola|also-?like|nav|menu",
    re.IGNORECASE,
)
BOILERPLATE_TAGS = frozenset({"aside", "nav", "footer", "form"})

_URL_DATE = (
    re.compile(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?=[/_.-]|$)"),
    re.compile(r"[/_-]((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)"),
)
_URL_MONTH = re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(?!\d)")

MIN_YEAR, MAX_YEAR = 1990, 2100
"""Dates outside these years are taken for junk (a 0001-01-01 default, a typo)."""


@dataclass(frozen=True, slots=True)
class Found:
    """A value and where on the page it came from."""

    value: str
    source: str


@dataclass(frozen=True, slots=True)
class Probe:
    """Everything the structured probes found on one page, best candidate first in each tuple."""

    titles: tuple[Found, ...] = ()
    site_names: tuple[Found, ...] = ()
    published: Found | None = None
    modified: Found | None = None
    canonical_url: str | None = None
    language: str | None = None
    free_to_read: bool | None = None


# Terminal escape sequences (CSI, OSC such as hyperlinks) and lone C0/C1 control characters.
_CONTROL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|[\x00-\x1f\x7f-\x9f]"
)


def clean_text(value: object) -> str | None:
    """Collapse whitespace, drop control characters and escape sequences, cap the length;
    None for empty or non-string values. Page values reach terminals and reports: no
    value from the web may carry a byte that a terminal would act on."""
    if not isinstance(value, str):
        return None
    text = " ".join(_CONTROL.sub(" ", value).split())[:MAX_VALUE_CHARS]
    return text or None


def normalize_date(raw: object) -> str | None:
    """An ISO 8601 string for a date value as pages write it, time zone kept; None if unreadable."""
    if not isinstance(raw, str):
        return None
    text = raw.strip()[:64]
    if not text:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            return None
        return day.isoformat() if MIN_YEAR <= day.year <= MAX_YEAR else None
    parsed: datetime | None
    try:
        parsed = datetime.fromisoformat(text.replace(" ", "T", 1) if " " in text else text)
    except ValueError:
        parsed = _dateutil_parse(text)
    if parsed is None or not MIN_YEAR <= parsed.year <= MAX_YEAR:
        return None
    return parsed.isoformat()


def _dateutil_parse(text: str) -> datetime | None:
    """dateutil for the non-ISO forms ("Fri, 11 Jul 2025 08:32:00 GMT"); never fuzzy."""
    from dateutil import parser as du_parser

    # "EDT" and friends make dateutil warn; pytest turns warnings into errors, users see noise.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return du_parser.parse(text)
        except (ValueError, OverflowError, TypeError):
            return None


def url_date(url: str | None) -> str | None:
    """The date written in a URL's path (/2025/07/11/, -20250711-), or its month (/2025/07/)."""
    if not url:
        return None
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    for pattern in _URL_DATE:
        m = pattern.search(path)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
            except ValueError:
                continue
    m = _URL_MONTH.search(path)
    if m:
        return f"{m.group(1)}-{int(m.group(2)):02d}"
    return None


def _classes(el: etree._Element) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def in_boilerplate(el: etree._Element) -> bool:
    """True if the element sits in a nav, footer, related-stories or comments container."""
    node: etree._Element | None = el.getparent()
    while node is not None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in BOILERPLATE_TAGS or BOILERPLATE_HINT.search(_classes(node)):
            return True
        node = node.getparent()
    return False


def _jsonld_roots(tree: etree._Element) -> Iterator[object]:
    for script in tree.iter("script"):
        kind = (script.get("type") or "").strip().lower()
        if kind != "application/ld+json":
            continue
        text = script.text or ""
        if len(text) > MAX_JSONLD_CHARS:
            continue
        # Some CMSs wrap the block in an HTML comment or CDATA section.
        text = text.strip().removeprefix("<!--").removesuffix("-->")
        text = text.strip().removeprefix("//<![CDATA[").removesuffix("//]]>").strip()
        try:
            yield json.loads(text, strict=False)
        except (ValueError, RecursionError):
            continue


def jsonld_objects(tree: etree._Element) -> list[dict[str, object]]:
    """Every JSON-LD object on the page, flattening lists, `@graph` and nested entities."""
    out: list[dict[str, object]] = []
    stack: list[tuple[object, int]] = [(root, 0) for root in _jsonld_roots(tree)]
    stack.reverse()
    while stack and len(out) < MAX_JSONLD_OBJECTS:
        item, depth = stack.pop()
        if depth > 6:
            continue
        if isinstance(item, list):
            stack.extend((x, depth + 1) for x in reversed(item))
        elif isinstance(item, dict):
            out.append(item)
            for key in ("@graph", "mainEntity", "mainEntityOfPage", "hasPart"):
                child = item.get(key)
                if isinstance(child, dict | list):
                    stack.append((child, depth + 1))
    return out


def _types(obj: dict[str, object]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def _name_of(value: object) -> str | None:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("name")
    return clean_text(value)


def _probe_jsonld(objects: list[dict[str, object]]) -> dict[str, object]:
    articles = [o for o in objects if _types(o) & ARTICLE_TYPES]
    # Article objects first; then any object that carries a date (WebPage, VideoObject...).
    ordered = articles + [o for o in objects if o not in articles]
    found: dict[str, object] = {}
    for obj in ordered:
        is_article = obj in articles
        if "title" not in found and is_article:
            title = clean_text(obj.get("headline")) or clean_text(obj.get("name"))
            if title:
                found["title"] = title
        if "published" not in found:
            iso = normalize_date(obj.get("datePublished")) or normalize_date(obj.get("dateCreated"))
            if iso:
                found["published"] = iso
        if "modified" not in found and (iso := normalize_date(obj.get("dateModified"))):
            found["modified"] = iso
        if "site" not in found and (site := _name_of(obj.get("publisher"))):
            found["site"] = site
        if "free" not in found and is_article:
            free = obj.get("isAccessibleForFree")
            if isinstance(free, str) and free.strip().lower() in {"true", "false"}:
                free = free.strip().lower() == "true"
            if isinstance(free, bool):
                found["free"] = free
    if "site" not in found:
        for obj in objects:
            if "website" in _types(obj) and (site := clean_text(obj.get("name"))):
                found["site"] = site
                break
    return found


def _meta_map(tree: etree._Element) -> dict[str, str]:
    """meta property/name/itemprop (lower-cased) -> first non-empty content."""
    metas: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = meta.get("content")
        if content is None or not content.strip():
            continue
        for attr in ("property", "name", "itemprop"):
            key = (meta.get(attr) or "").strip().lower()
            if key and key not in metas:
                metas[key] = content
    return metas


def _time_dates(tree: etree._Element) -> tuple[str | None, str | None]:
    """(published, modified) from `<time>` elements outside related-stories and comment blocks."""
    published = modified = None
    for el in tree.iter("time"):
        iso = normalize_date(el.get("datetime"))
        if iso is None or in_boilerplate(el):
            continue
        prop = (el.get("itemprop") or "").lower()
        if prop == "datemodified" or "updated" in _classes(el).lower():
            modified = modified or iso
        elif published is None:
            published = iso
    return published, modified


def probe(tree: etree._Element, url: str | None = None) -> Probe:
    """Read the page's own statements about itself, in order of trust."""
    ld = _probe_jsonld(jsonld_objects(tree))
    metas = _meta_map(tree)

    titles: list[Found] = []

    def add_title(value: object, source: str) -> None:
        text = clean_text(value)
        if text and all(t.value != text for t in titles):
            titles.append(Found(text, source))

    add_title(metas.get("og:title"), "og")
    add_title(ld.get("title"), "json_ld")
    add_title(metas.get("twitter:title"), "twitter")
    title_el = next(tree.iter("title"), None)
    if title_el is not None:
        add_title(title_el.text_content() if hasattr(title_el, "text_content") else "", "title_tag")
    for h1 in tree.iter("h1"):
        if not in_boilerplate(h1):
            add_title(h1.text_content() if hasattr(h1, "text_content") else "", "h1")
            break

    sites: list[Found] = []
    for value, source in (
        (metas.get("og:site_name"), "og"),
        (ld.get("site"), "json_ld"),
        (metas.get("application-name"), "meta"),
    ):
        text = clean_text(value)
        if text and all(s.value != text for s in sites):
            sites.append(Found(text, source))

    published = modified = None
    if isinstance(ld.get("published"), str):
        published = Found(str(ld["published"]), "json_ld")
    if isinstance(ld.get("modified"), str):
        modified = Found(str(ld["modified"]), "json_ld")
    if published is None:
        for name in DATE_META_NAMES:
            iso = normalize_date(metas.get(name))
            if iso:
                published = Found(iso, "og" if name.startswith(("article:", "og:")) else "meta")
                break
    if modified is None:
        for name in MODIFIED_META_NAMES:
            iso = normalize_date(metas.get(name))
            if iso:
                modified = Found(iso, "og" if name.startswith(("article:", "og:")) else "meta")
                break
    if published is None or modified is None:
        t_pub, t_mod = _time_dates(tree)
        if published is None and t_pub:
            published = Found(t_pub, "time")
        if modified is None and t_mod:
            modified = Found(t_mod, "time")
    if published is None and (from_url := url_date(url)):
        published = Found(from_url, "url")

    canonical = None
    for link in tree.iter("link"):
        if (link.get("rel") or "").strip().lower() == "canonical" and link.get("href"):
            canonical = clean_text(link.get("href"))
            break
    canonical = canonical or clean_text(metas.get("og:url"))
    html_el = tree if tree.tag == "html" else next(tree.iter("html"), None)
    language = clean_text(html_el.get("lang")) if html_el is not None else None
    language = language or clean_text(metas.get("og:locale")) or clean_text(metas.get("language"))
    free = ld.get("free")

    return Probe(
        titles=tuple(titles),
        site_names=tuple(sites),
        published=published,
        modified=modified,
        canonical_url=canonical,
        language=language[:35] if language else None,
        free_to_read=free if isinstance(free, bool) else None,
    )
