"""How a fetch becomes a link verdict: named, documented tables and pure functions.

`docs/verdicts.md` explains the same rules for users; keep the two in step. Everything here is
a function of what was fetched (status, headers, the first part of the body, the redirect
chain); nothing does I/O, so each rule is tested directly.
"""

from __future__ import annotations

import re
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import urlsplit

import httpx

from audit.fetch.cassette import CassetteMiss, DeadlineReached
from audit.fetch.decoding import DecompressionLimit, UnsupportedEncoding
from audit.fetch.safety import PrivateAddressError, UnknownHostError
from audit.model import Hop, LinkVerdict

HEAD_CHARS = 65_536
"""Characters of the decoded body the signatures look at: walls and titles sit at the top."""


@dataclass(frozen=True, slots=True)
class Exchange:
    """What the last hop of a fetch answered, with the chain that led there."""

    url: str
    """The URL as requested (normalised)."""
    final_url: str
    status: int
    hops: tuple[Hop, ...]
    """Each redirect on the way: the URL that redirected and its status."""
    headers: Mapping[str, str]
    """Final response headers, names lower-cased."""
    content_type: str | None
    head: str
    """The start of the decoded body (HEAD_CHARS characters at most)."""
    free_to_read: bool | None = None
    """From the page's structured data, when the metadata digest found it."""


@dataclass(frozen=True, slots=True)
class Signature:
    """A bot wall or challenge page; every condition given must hold."""

    name: str
    description: str
    """Said to the user: "a Cloudflare 'Just a moment…' challenge"."""
    statuses: frozenset[int] | None = None
    header: str | None = None
    """A response header that must be present (lower-case)."""
    title: re.Pattern[str] | None = None
    body: re.Pattern[str] | None = None
    url: re.Pattern[str] | None = None
    """Matched against the final URL (host and path)."""


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_DENIED = frozenset({401, 403})

BOT_WALLS: tuple[Signature, ...] = (
    Signature(
        "cloudflare-challenge",
        "a Cloudflare 'Just a moment…' challenge page",
        title=_rx(r"^\s*just a moment(\.\.\.|…)?\s*$"),
    ),
    Signature(
        "cloudflare-challenge-script",
        "a Cloudflare browser challenge",
        body=_rx(r"/cdn-cgi/challenge-platform/|window\._cf_chl_opt"),
    ),
    Signature(
        "cloudflare-block",
        "Cloudflare's 'Attention Required' block page",
        title=_rx(r"attention required!?\s*\|\s*cloudflare"),
    ),
    Signature(
        "akamai-denied",
        "an Akamai 'Access Denied' page",
        title=_rx(r"^\s*access denied\s*$"),
        body=_rx(r"errors\.edgesuite\.net|you don't have permission to access|reference #"),
    ),
    Signature("datadome", "a DataDome bot check", statuses=_DENIED, header="x-datadome"),
    Signature("datadome-captcha", "a DataDome captcha", body=_rx(r"(geo\.)?captcha-delivery\.com")),
    Signature(
        "perimeterx",
        "a PerimeterX (HUMAN) 'press and hold' challenge",
        body=_rx(r"px-captcha|_pxAppId|perimeterx"),
    ),
    Signature(
        "perimeterx-denied",
        "a PerimeterX 'Access to this page has been denied' page",
        title=_rx(r"access to this page has been denied"),
    ),
    Signature(
        "aws-waf-challenge",
        "an AWS WAF challenge (202 with a script)",
        statuses=frozenset({202}),
        header="x-amzn-waf-action",
    ),
    Signature(
        "aws-waf-challenge-script",
        "an AWS WAF challenge script",
        statuses=frozenset({202, 403, 405}),
        body=_rx(r"gokuProps|AwsWafIntegration"),
    ),
    Signature(
        "robot-check-redirect",
        "a redirect to a robot check (such as Bloomberg's /tosv2.html)",
        url=_rx(r"/tosv2\.html"),
    ),
    Signature("are-you-a-robot", "an 'Are you a robot?' page", title=_rx(r"are you a robot")),
    Signature(
        "imperva",
        "an Imperva (Incapsula) block page",
        body=_rx(r"_Incapsula_Resource|Incapsula incident ID"),
    ),
    Signature("sucuri", "a Sucuri firewall block page", title=_rx(r"sucuri website firewall")),
    Signature("ddos-guard", "a DDoS-Guard check", title=_rx(r"^\s*ddos-guard\s*$")),
    Signature(
        "consent-wall",
        "a cookie-consent page the check cannot get past",
        url=_rx(r"^https?://consent\.[^/]+/"),
    ),
)
"""Bot walls and challenges: whatever the status, the page is unverifiable, never dead."""

SOFT_404_TITLES: tuple[re.Pattern[str], ...] = (
    _rx(r"\b(page|article|story|content|file|document)s?\s+(was\s+|is\s+)?not\s+found\b"),
    _rx(r"^\W*(error\s*)?404\b"),
    _rx(r"\b404\b.*\b(not found|error)\b|\b(not found|error)\b.*\b404\b"),
    _rx(r"^\s*not found\s*$"),
    _rx(r"\b(page|article|story)\s+(does not|doesn't|no longer)\s+exists?\b"),
    _rx(r"\bno longer (available|exists)\b"),
    _rx(r"\b(can't|cannot|couldn't|could not|can not)\s+(be\s+)?(find|found|locate)\b"),
    _rx(r"\bpage (is )?unavailable\b|\bnothing (was )?found\b|\boops\b.*\bnot\b.*\bfound\b"),
)
"""A 200 page whose title or first heading says one of these is a soft 404."""

PAYWALL_MARKERS: tuple[re.Pattern[str], ...] = (
    _rx(r"[\"']isAccessibleForFree[\"']\s*:\s*[\"']?false"),
    _rx(r"<meta[^>]+(name|property)=[\"']article:content_tier[\"'][^>]+content=[\"']locked"),
)
"""Structured data publishers use to tell search engines a page is behind a paywall."""

DOI_HOSTS = frozenset({"doi.org", "dx.doi.org", "www.doi.org", "hdl.handle.net"})
"""Resolvers whose redirect to the publisher is how they work, not a moved page."""

_HOME_PATH = _rx(
    r"^/?((index|default|home)(\.(html?|php|aspx?|jsp))?|[a-z]{2}([-_][a-z]{2})?|home|start)?/?$"
)
_TITLE = _rx(r"<title[^>]*>(.*?)</title")
_H1 = _rx(r"<h1[^>]*>(.*?)</h1")
_TAGS = re.compile(r"<[^>]+>")
_PERMANENT = frozenset({301, 308})
_RETRY_STATUSES = frozenset({429, 502, 503, 504})
_BLOCK_STATUSES = {
    401: "the site asks for a login (401)",
    403: "the site refused the automated check (403 Forbidden)",
    429: "the site rate-limited the check (429 Too Many Requests), even after retries",
    999: "the site refused the automated check (999, as LinkedIn answers scripts)",
    451: "the page is unavailable for legal reasons here (451)",
}


def should_retry(status: int) -> bool:
    """Statuses worth another try after a pause: rate limits and overloaded gateways."""
    return status in _RETRY_STATUSES


def page_title(head: str) -> str | None:
    """The text of <title> (or the first <h1>) in the start of a page, tags stripped."""
    for rx in (_TITLE, _H1):
        m = rx.search(head)
        if m:
            text = " ".join(_TAGS.sub(" ", m.group(1)).split())
            if text:
                return text[:300]
    return None


def required_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Lower-case strings one of which every match of `pattern` contains, or None if unsure.

    For each top-level alternative, the longest run of literal characters it must match. A
    case-insensitive regex over 64 KB of page costs about 1 ms; `in` on the lower-cased page
    costs microseconds, so the regex only runs on pages that contain one of these.
    """
    try:
        from re import _parser  # type: ignore[attr-defined]

        tree = _parser.parse(pattern.pattern, pattern.flags)
        items = list(tree)
        branches = [items]
        if len(items) == 1 and items[0][0] is _parser.BRANCH:
            branches = [list(b) for b in items[0][1][1]]
        found: list[str] = []
        for branch in branches:
            best, run = "", ""
            for op, arg in branch:
                run = run + chr(arg) if op is _parser.LITERAL else ""
                best = max(best, run, key=len)
            if len(best) < 3:
                return None
            found.append(best.lower())
        return tuple(found)
    except Exception:  # a private parser that changed: just always run the regex
        return None


_BODY_LITERALS = {
    sig.name: required_literals(sig.body) for sig in BOT_WALLS if sig.body is not None
}


_PAYWALL_LITERALS = tuple(required_literals(rx) for rx in PAYWALL_MARKERS)


def _paywall_marked(head: str) -> bool:
    lowered = head.lower()
    for rx, literals in zip(PAYWALL_MARKERS, _PAYWALL_LITERALS, strict=True):
        if literals is not None and not any(lit in lowered for lit in literals):
            continue
        if rx.search(head):
            return True
    return False


def match_bot_wall(ex: Exchange) -> Signature | None:
    """The first bot-wall signature this exchange matches, if any."""
    title = page_title(ex.head) or ""
    lowered: str | None = None
    for sig in BOT_WALLS:
        if sig.statuses is not None and ex.status not in sig.statuses:
            continue
        if sig.header is not None and sig.header not in ex.headers:
            continue
        if sig.title is not None and not sig.title.search(title):
            continue
        if sig.body is not None:
            literals = _BODY_LITERALS.get(sig.name)
            if literals is not None:
                lowered = ex.head.lower() if lowered is None else lowered
                if not any(lit in lowered for lit in literals):
                    continue
            if not sig.body.search(ex.head):
                continue
        if sig.url is not None and not sig.url.search(ex.final_url):
            continue
        return sig
    return None


def is_home_page(url: str) -> bool:
    """True for a site's front page: `/`, `/index.html`, `/en/` and the like, no query."""
    parts = urlsplit(url)
    return not parts.query and bool(_HOME_PATH.match(parts.path or "/"))


def same_page(a: str, b: str) -> bool:
    """True when two URLs differ only trivially: http→https, `www.`, a trailing slash."""

    def key(url: str) -> tuple[str, str, str]:
        p = urlsplit(url)
        host = (p.hostname or "").lower().removeprefix("www.")
        return host, p.path.rstrip("/") or "/", p.query

    return key(a) == key(b)


def _is_html(content_type: str | None) -> bool:
    return content_type is None or "html" in content_type.lower()


def _status_words(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def classify(ex: Exchange) -> tuple[LinkVerdict, str]:
    """The verdict and its reason for a fetch that got an HTTP answer."""
    wall = match_bot_wall(ex)
    if wall is not None:
        return LinkVerdict.BLOCKED, f"blocked by {wall.description}; it could not be verified"
    via = f" (after redirecting to {ex.final_url})" if ex.hops else ""
    if ex.status in _BLOCK_STATUSES:
        return LinkVerdict.BLOCKED, _BLOCK_STATUSES[ex.status] + via
    if ex.status in (404, 410):
        return (
            LinkVerdict.DEAD,
            f"the page is gone: the server answered {_status_words(ex.status)}{via}",
        )
    if ex.status >= 400:
        return LinkVerdict.ERROR, f"the server answered {_status_words(ex.status)}{via}"
    if not 200 <= ex.status < 300:
        return LinkVerdict.ERROR, f"unexpected answer {_status_words(ex.status)}{via}"
    if _is_html(ex.content_type):
        title = page_title(ex.head)
        if title and any(rx.search(title) for rx in SOFT_404_TITLES):
            return LinkVerdict.SOFT_404, f"the page answers 200 but says “{title[:80]}”"
    if ex.hops:
        verdict = _classify_redirect(ex)
        if verdict is not None:
            return verdict
    if ex.free_to_read is False or (_is_html(ex.content_type) and _paywall_marked(ex.head)):
        return LinkVerdict.PAYWALLED, "the page is behind a paywall (its structured data says so)"
    if ex.hops:
        return LinkVerdict.OK, f"the page answers {ex.status} after a trivial redirect"
    return LinkVerdict.OK, f"the page answers {_status_words(ex.status)}"


def _classify_redirect(ex: Exchange) -> tuple[LinkVerdict, str] | None:
    first_host = (urlsplit(ex.url).hostname or "").lower()
    if first_host in DOI_HOSTS:
        return None
    if is_home_page(ex.final_url) and not is_home_page(ex.url):
        return LinkVerdict.SOFT_404, f"redirects to the site's home page ({ex.final_url})"
    if same_page(ex.url, ex.final_url):
        return None
    kind = "for good" if any(h.status in _PERMANENT for h in ex.hops) else "temporarily"
    codes = "→".join(str(h.status) for h in ex.hops)
    return LinkVerdict.REDIRECTED, f"moved {kind} ({codes}) to {ex.final_url}"


def _is_tls(exc: BaseException) -> bool:
    text = str(exc).upper()
    if any(word in text for word in ("SSL", "CERTIFICATE", "TLS", "HANDSHAKE")):
        return True
    inner = exc.__cause__ or exc.__context__
    return isinstance(inner, ssl.SSLError)


def _refused(exc: BaseException) -> bool:
    # anyio wraps the OS error ("All connection attempts failed"): look down the chain.
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return False
        if isinstance(seen, ConnectionRefusedError) or "refused" in str(seen).lower():
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def classify_error(
    exc: BaseException, first_hop: bool, timeout_s: float
) -> tuple[LinkVerdict, str]:
    """The verdict and reason for a fetch that ended in an exception instead of an answer."""
    # Order matters: the timeouts are subclasses of broader httpx errors.
    if isinstance(exc, UnknownHostError):
        return LinkVerdict.DEAD, str(exc)
    if isinstance(exc, PrivateAddressError):
        if first_hop:
            return LinkVerdict.NOT_CHECKED, f"not checked: {exc}; --allow-private allows it"
        return LinkVerdict.ERROR, f"redirects to a private or local address, not followed: {exc}"
    if isinstance(exc, CassetteMiss):
        return LinkVerdict.NOT_CHECKED, "not in cassette"
    if isinstance(exc, DeadlineReached | TimeoutError):
        return LinkVerdict.TIMEOUT, f"no complete answer within {timeout_s:g} s"
    if isinstance(exc, httpx.ConnectTimeout):
        return LinkVerdict.TIMEOUT, "the site did not accept a connection in time"
    if isinstance(exc, httpx.TimeoutException):
        return LinkVerdict.TIMEOUT, "the site stopped answering (no data in time)"
    if isinstance(exc, DecompressionLimit):
        return LinkVerdict.ERROR, f"the page is too large once decompressed ({exc}; a gzip bomb?)"
    if isinstance(exc, UnsupportedEncoding):
        return LinkVerdict.ERROR, f"{exc}, which citeaudit cannot decode"
    if isinstance(exc, httpx.ProxyError):
        return LinkVerdict.ERROR, f"the proxy failed: {exc}"
    if isinstance(exc, httpx.ConnectError):
        if _is_tls(exc):
            return LinkVerdict.ERROR, f"TLS failure (the site's certificate or encryption): {exc}"
        if _refused(exc):
            return LinkVerdict.DEAD, "the server refused the connection (nothing listens there)"
        return LinkVerdict.ERROR, f"could not connect: {exc or 'connection failed'}"
    if isinstance(exc, httpx.RemoteProtocolError | httpx.LocalProtocolError):
        return LinkVerdict.ERROR, f"protocol error (the server's answer is not valid HTTP): {exc}"
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return LinkVerdict.INVALID_URL, f"not a usable web address: {exc}"
    if isinstance(exc, httpx.TransportError):
        return LinkVerdict.ERROR, f"the connection broke: {exc or type(exc).__name__}"
    return LinkVerdict.ERROR, f"unexpected failure: {type(exc).__name__}: {exc}"
