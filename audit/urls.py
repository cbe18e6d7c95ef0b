"""URLs in article text: find them, say what is wrong with one, and normalise them for comparison.

Pure string work, no I/O. Every function here takes arbitrary text and never raises: a URL in a
draft is untrusted input, and a malformed one is a finding, not a crash.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar, cast
from urllib.parse import parse_qs, urlsplit

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

MEMO_URL_CHARS = 2048
"""URLs up to this long are memoised by the helpers the pipeline calls several times per URL."""


class Memoised(Protocol[T_co]):
    """What `url_memo` makes of a function of one URL."""

    def __call__(self, url: str) -> T_co: ...

    def cache_info(self) -> functools._CacheInfo: ...


def url_memo(fn: Callable[[str], T]) -> Memoised[T]:
    """`fn`, memoised for URLs up to MEMO_URL_CHARS long.

    The pipeline, the fetcher, the checks and the tier list each ask the same questions of
    every cited URL (tens of µs each). Long URLs are answered afresh, not remembered, so the
    memo stays a small multiple of the article's size. A plain function, not a class with
    `__call__`: these run several times per URL, and the class cost 0.5 % of a run.
    """
    memo = functools.lru_cache(maxsize=8192)(fn)

    @functools.wraps(fn)
    def call(url: str) -> T:
        return fn(url) if len(url) > MEMO_URL_CHARS else memo(url)

    call.cache_info = memo.cache_info  # type: ignore[attr-defined]
    return cast(Memoised[T], call)


# A candidate runs from the scheme (or "www.") to the first character that cannot be in a URL
# as written in prose. One greedy character class with no nested quantifiers: linear time.
_CANDIDATE = re.compile(
    r"(?<![\w.@/+-])(?:https?://|www\.)[^\s<>\"“”‘«»{}|\\^`\x00-\x1f\x7f]+",
    re.IGNORECASE,
)
_TRAILING = frozenset(".,;:!?'\"”’»)]*_…")
_CLOSERS = {")": "(", "]": "["}

TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gclsrc", "msclkid", "mc_cid", "mc_eid", "ref_src",
        "ref_url", "igshid", "yclid", "_hsenc", "_hsmi", "mkt_tok", "cmpid", "ocid", "smid",
        "sh", "wt.mc_id", "s_cid", "__twitter_impression", "spm", "vero_id", "oly_enc_id",
    }
)  # fmt: skip
"""Query parameters that say how a reader arrived, not which page they read."""
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")

_DEFAULT_PORTS = {"http": "80", "https": "443"}
_ASCII_LABEL = re.compile(r"[a-z0-9_-]*")


def _trim(text: str, start: int, end: int) -> int:
    """The end of a URL candidate once trailing prose punctuation is dropped.

    A closing bracket stays when the URL opened it (Wikipedia's Foo_(bar)). Bracket counts are
    kept incrementally so a URL ending in a million ')' still costs linear time.
    """
    opens = {"(": 0, "[": 0}
    closes = {")": 0, "]": 0}
    for ch in text[start:end]:
        if ch in opens:
            opens[ch] += 1
        elif ch in closes:
            closes[ch] += 1
    while end > start:
        ch = text[end - 1]
        if ch in _CLOSERS:
            if closes[ch] <= opens[_CLOSERS[ch]]:
                break
            closes[ch] -= 1
            end -= 1
        elif ch in _TRAILING:
            end -= 1
        else:
            break
    return end


def find_urls(text: str) -> list[tuple[int, int, str]]:
    """Bare http(s) URLs and www. hosts in `text`, as (start, end, url) with url == text[start:end].

    Trailing punctuation of the sentence is left out, URLs wrapped in <...> or quotes come out
    without the wrapping, and a "www." URL is returned as written (no scheme is added).
    """
    found: list[tuple[int, int, str]] = []
    for m in _CANDIDATE.finditer(text):
        start = m.start()
        end = _trim(text, start, m.end())
        url = text[start:end]
        scheme_end = url.find("//") + 2 if url[:1] in "hH" else 4
        # "https://" or "www." with nothing after it is prose, not a link.
        if len(url) <= scheme_end or url[scheme_end] in "./?#:":
            continue
        found.append((start, end, url))
    return found


@dataclass(frozen=True, slots=True)
class _Parts:
    """A URL split the way normalisation needs it; every part is as written unless noted."""

    scheme: str
    userinfo: str
    host: str
    port: str
    path: str
    query: str
    has_authority: bool


def _blank(ch: str) -> bool:
    return ch.isspace() or ord(ch) <= 32


def _clean(url: str) -> str:
    """`url` without tabs and newlines and without blanks or control characters at either end,
    which is how urlsplit (after WHATWG) reads it anyway."""
    text = url.replace("\t", "").replace("\r", "").replace("\n", "")
    start, end = 0, len(text)
    while start < end and _blank(text[start]):
        start += 1
    while end > start and _blank(text[end - 1]):
        end -= 1
    return text[start:end]


def _after_scheme(text: str, scheme: str) -> str:
    """What follows "scheme:" in `text`, cleaned the way urlsplit cleans it (so "http:///"
    keeps its empty authority and normalising it twice gives the same answer)."""
    return text[len(scheme) + 1 :] if scheme else text


def _split(url: str) -> _Parts | None:
    """Split a URL; None when urllib cannot (a bad IPv6 literal and the like)."""
    text = _clean(url)
    if text[:4].lower() == "www.":
        text = "http://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    netloc = parts.netloc
    userinfo, at, hostport = netloc.rpartition("@")
    userinfo = userinfo + at
    host, port = hostport, ""
    if hostport.startswith("["):
        close = hostport.find("]")
        if close >= 0:
            host, rest = hostport[: close + 1], hostport[close + 1 :]
            if rest.startswith(":"):
                port = rest[1:]
            elif rest:
                host = hostport
    else:
        before, colon, after = hostport.rpartition(":")
        # A host cannot hold ":", so "a:b:80" is left whole rather than half-split.
        if colon and ":" not in before and (after == "" or (after.isascii() and after.isdecimal())):
            host, port = before, after
    return _Parts(
        scheme=parts.scheme,
        userinfo=userinfo,
        host=host,
        port=port,
        path=parts.path,
        query=parts.query,
        has_authority=bool(netloc) or _after_scheme(text, parts.scheme).startswith("//"),
    )


def _norm_host(host: str) -> str:
    """Lower-case, IDNA-encode and drop a trailing dot, leaving anything odd as written."""
    lowered = host.lower()
    stripped = lowered.rstrip(".")
    if stripped:
        lowered = stripped
    if lowered.isascii():
        return lowered
    labels = []
    for label in lowered.split("."):
        if label.isascii():
            labels.append(label)
            continue
        try:
            encoded = label.encode("idna").decode("ascii").lower()
        except (UnicodeError, ValueError):
            labels.append(label)
            continue
        # IDNA's mapping can produce "/" or "." from look-alikes; keep such a label as written
        # so the host never changes shape (and normalising stays idempotent).
        labels.append(encoded if _ASCII_LABEL.fullmatch(encoded) else label)
    return ".".join(labels)


def _join(p: _Parts, host: str, path: str, query: str) -> str:
    out = f"{p.scheme}:" if p.scheme else ""
    if p.has_authority:
        out += "//" + p.userinfo + host + (f":{p.port}" if p.port else "")
    out += path
    if query:
        out += "?" + query
    return out


@url_memo
def normalize_url(url: str) -> str:
    """A canonical spelling of `url` for comparison: lower-case scheme and host, IDNA host,
    default port, fragment and empty-port colon dropped, empty path as "/". Idempotent.

    A "www." URL gets "http://". Text that cannot be split is returned stripped.
    """
    # Memoised: a URL's preparation normalises it twice (its spelling, then its cache key).
    out = _normalize_once(url)
    # Dropping an empty query or fragment can bare trailing blanks ("x ?"), which the next
    # pass would strip; strip until stable so normalising is idempotent. Each round shortens.
    while out != _clean(out):
        out = _normalize_once(_clean(out))
    return out


def _normalize_once(url: str) -> str:
    p = _split(url)
    if p is None:
        text = _clean(url)
        return "http://" + text if text[:4].lower() == "www." else text
    host = _norm_host(p.host)
    port = p.port
    if port:
        # Not int(): a port of 5,000 digits would hit int()'s digit limit and raise.
        port = port.lstrip("0") or "0"
        if _DEFAULT_PORTS.get(p.scheme) == port:
            port = ""
    p = _Parts(p.scheme, p.userinfo, host, port, p.path, p.query, p.has_authority)
    path = p.path
    if p.has_authority and not path:
        path = "/"
    return _join(p, host, path, p.query)


def _is_tracking(param: str) -> bool:
    key = param.split("=", 1)[0].lower()
    return key in TRACKING_PARAMS or key.startswith(_TRACKING_PREFIXES)


def cache_key(url: str) -> str:
    """The key two citations of the same page share: normalize_url without tracking parameters
    (utm_*, fbclid, gclid, ...); other query parameters are kept in their order."""
    normal = normalize_url(url)
    base, question, query = normal.partition("?")
    if not question:
        return normal
    kept = [q for q in query.split("&") if q and not _is_tracking(q)]
    # Normalised again: dropping parameters can bare blanks that normalising strips.
    return normalize_url(base + ("?" + "&".join(kept) if kept else ""))


@url_memo
def host_of(url: str) -> str | None:
    """The URL's host, lower-case and IDNA-encoded, without port or brackets; None if none."""
    # Memoised: the ignore list, the tier list, the reliability findings and the landing check
    # each ask for the host of every cited URL (~20 µs a time).
    p = _split(url)
    if p is None or not p.host:
        return None
    host = _norm_host(p.host)
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host or None


# Click-tracking wrappers that carry the real address in a query parameter: a link copied from
# a Google Docs export, a Facebook post, an Outlook mail or a YouTube description.
# (host, path or None for any, parameters that may hold the address).
_WRAPPERS: tuple[tuple[re.Pattern[str], str | None, tuple[str, ...]], ...] = (
    (re.compile(r"(?:www\.)?google\.(?:com|[a-z]{2}|co\.[a-z]{2}|com\.[a-z]{2})"), "/url",
     ("q", "url")),
    (re.compile(r"lm?\.facebook\.com"), "/l.php", ("u",)),
    (re.compile(r"l\.instagram\.com"), "", ("u",)),
    (re.compile(r"[\w-]+\.safelinks\.protection\.outlook\.com"), "", ("url",)),
    (re.compile(r"www\.youtube\.com"), "/redirect", ("q",)),
    (re.compile(r"slack-redir\.net"), "/link", ("url",)),
    (re.compile(r"out\.reddit\.com"), None, ("url",)),
)  # fmt: skip


def unwrap_redirect(url: str) -> str | None:
    """The address a click-tracking wrapper (google.com/url?q=...) leads to, else None.

    Only the wrappers listed above, and only when the carried address is itself http(s): the
    check is of the page the reader reaches, and the wrapper would only be rated as Google.
    """
    if "?" not in url or len(url) > MAX_URL_CHARS:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    for wrapper, path, params in _WRAPPERS:
        if not wrapper.fullmatch(host):
            continue
        if path is not None and parts.path.rstrip("/") != path:
            continue
        query = parse_qs(parts.query)
        for name in params:
            for target in query.get(name, ()):
                target = target.strip()
                if target.lower().startswith(("http://", "https://")):
                    return target
        return None
    return None


_ARCHIVED = re.compile(
    # web.archive.org/web/20240301000000/<original>, with a replay suffix such as id_ or if_;
    # archive.today's dated form, archive.ph/2024.03.01-000000/<original>.
    r"(?:https?://)?(?:web\.archive\.org/web/\d{4,14}(?:[a-z]{2}_)?"
    r"|archive\.(?:today|ph|is|li|md|vn)/\d{4}\.\d{2}\.\d{2}-\d{6})"
    r"/(?P<original>(?:https?://)?[^/\s]+\.[^/\s]+(?:/\S*)?)",
    re.IGNORECASE,
)


def archived_original(url: str) -> str | None:
    """The page a web archive's snapshot URL is a copy of, else None.

    `https://web.archive.org/web/20240301000000/https://port.example/quay` is a copy of
    `https://port.example/quay`. Only the forms that carry the original address; archive.today's
    short ids (archive.ph/AbCd1) do not.
    """
    m = _ARCHIVED.match(url.strip()) if len(url) <= MAX_URL_CHARS else None
    if m is None:
        return None
    original = m.group("original")
    if not original.lower().startswith(("http://", "https://")):
        original = "http://" + original
    return original


def is_insecure(url: str) -> bool:
    """True for a plain http:// URL (https exists for nearly every site that is cited)."""
    return url.strip()[:7].lower() == "http://"


MAX_URL_CHARS = 8000
"""Longer URLs are invalid, never fetched: RFC 9110 asks clients to support 8,000 octets, and a
citation's URL is a few hundred at most (a 1 MB one is an attack or a paste accident)."""
_MAX_HOST_CHARS = 253
"""DNS's limit on a host name."""

_HOST_CHARS = re.compile(r"[\w.-]+")
# Searched, not tested character by character in Python: a fifth of the time for a plain URL.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SPACE = re.compile(r"\s")  # for str patterns, what str.isspace() calls a space
_SCHEME_LIKE = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)


@url_memo
def validate_url(url: str) -> str | None:
    """None if `url` is a usable http(s) address, else the reason in words ("no host")."""
    # Memoised: the pipeline, the fetcher, the structure checks and the link verdicts each ask
    # about the same URL (~45 µs a time, 0.13 s per 1,000 URLs before).
    text = url.strip()
    if not text:
        return "empty URL"
    if len(text) > MAX_URL_CHARS:
        return f"longer than {MAX_URL_CHARS:,} characters"
    if _CONTROL.search(text):
        return "control characters in the URL"
    if text[:4].lower() == "www.":
        text = "http://" + text
    scheme = _SCHEME_LIKE.match(text)
    if scheme is None:
        return "no scheme (expected http:// or https://)"
    name = scheme.group(1).lower()
    if name not in ("http", "https"):
        return f"scheme {scheme.group(1)!r} is not http or https"
    if not text[len(name) + 1 :].startswith("//"):
        return f"'{name}:' is not followed by '//'"
    p = _split(text)
    if p is None:
        return "malformed host (unbalanced brackets)"
    if not p.host:
        return "no host"
    if _SPACE.search(p.host):
        return "spaces in the host"
    if _SPACE.search(text):
        return "spaces in the URL"
    if p.port:
        if len(p.port) > 5 or not p.port.isdecimal() or not 0 < int(p.port) < 65536:
            return f"port {p.port} is out of range"
    elif ":" in p.host and not p.host.startswith("["):
        return "port is not a number"
    if p.host.startswith("["):
        return None
    host = p.host.rstrip(".")
    if len(host) > _MAX_HOST_CHARS:
        return f"host name longer than {_MAX_HOST_CHARS} characters"
    if not _HOST_CHARS.fullmatch(host) or "_" in host:
        return f"host {p.host!r} has characters a host name cannot have"
    labels = host.split(".")
    if any(not label for label in labels):
        return f"host {p.host!r} has an empty label"
    if any(label.startswith("-") or label.endswith("-") for label in labels):
        return f"host {p.host!r} has a label that starts or ends with '-'"
    if len(labels) < 2 and host.lower() != "localhost":
        return f"host {p.host!r} has no domain suffix"
    try:
        host.encode("idna")
    except (UnicodeError, ValueError):
        return f"host {p.host!r} is not a valid international domain name"
    return None
