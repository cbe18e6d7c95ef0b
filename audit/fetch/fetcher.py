"""The fetch engine: every cited URL fetched once, politely, safely, cached and recorded.

`fetch_all` is the entry point the pipeline calls; `Fetcher` is the same engine for callers
that fetch as they go (the Wayback lookup uses `Fetcher.get_text`). Per-URL trouble is always
a verdict, never an exception; only a broken cassette (CassetteError) or an interrupted run
(AuditError) stops the run.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from email.utils import parsedate_to_datetime
from typing import Any, Protocol

import httpx

from audit import settings
from audit.errors import Interrupted
from audit.fetch.cache import ResultCache, link_from_json, link_to_json, meta_from_json
from audit.fetch.cassette import OUTCOME, Recorder, RecordingTransport, ReplayTransport
from audit.fetch.client import build_transport, transport_key
from audit.fetch.decoding import ACCEPT_ENCODING, BoundedDecoder
from audit.fetch.options import FetchOptions
from audit.fetch.safety import ALLOWED_SCHEMES, literal_refusal
from audit.fetch.turns import CpuTurns
from audit.fetch.verdicts import HEAD_CHARS, Exchange, classify, classify_error, should_retry
from audit.model import Hop, LinkResult, LinkVerdict, PageMeta
from audit.urls import cache_key, normalize_url, url_memo, validate_url

log = logging.getLogger("audit.fetch")

MAX_TEXT_CHARS = 200_000
"""Page text kept for quote checks (and cached): enough for any article."""

ERROR_BODY_BYTES = 65_536
"""Bytes read from a non-2xx answer: enough for the bot-wall signatures, no more."""

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_OK_VERDICTS = frozenset({LinkVerdict.OK, LinkVerdict.REDIRECTED, LinkVerdict.PAYWALLED})
_UNCACHED = frozenset({LinkVerdict.NOT_CHECKED, LinkVerdict.INVALID_URL})


@dataclass(frozen=True, slots=True)
class FetchedBody:
    """A fetched page handed to the digest; the body is dropped once the digest has run."""

    url: str
    final_url: str
    status: int
    headers: Mapping[str, str]
    content_type: str | None
    body: bytes
    """Decoded (gzip/deflate undone), at most max_body_bytes."""
    truncated: bool
    wants_text: bool = True
    """Whether a check will read the page's main text; if not, the digest may skip it."""


@dataclass(frozen=True, slots=True)
class PageFacts:
    """What the checks need from a page: its metadata and its main text (capped)."""

    meta: PageMeta | None
    text: str | None
    text_read: bool = True
    """False when the main text was not extracted (no check wanted it), so `text` says nothing."""


Digest = Callable[[FetchedBody], PageFacts | None]
"""Turns a fetched body into page facts (audit.meta writes it; see `meta_digest`)."""


@dataclass(frozen=True, slots=True)
class FetchOutcome:
    """The link verdict of one URL and, for pages that answered, their facts."""

    link: LinkResult
    facts: PageFacts | None = None


class _MetaDigest(Protocol):
    def __call__(
        self,
        url: str,
        final_url: str,
        content_type: str | None,
        body: bytes,
        headers: Mapping[str, str],
        *,
        want_text: bool = True,
    ) -> tuple[PageMeta | None, str | None]: ...


def meta_digest(fn: _MetaDigest) -> Digest:
    """Adapt `audit.meta.digest(url, final_url, content_type, body, headers)` to a Digest."""

    def digest(page: FetchedBody) -> PageFacts:
        meta, text = fn(
            page.url,
            page.final_url,
            page.content_type,
            page.body,
            page.headers,
            want_text=page.wants_text,
        )
        return PageFacts(meta, text, page.wants_text or text is not None)

    return digest


def not_checked(reason: str) -> LinkResult:
    """A verdict for a URL that was deliberately not fetched (offline, no URL, ...)."""
    return LinkResult(LinkVerdict.NOT_CHECKED, None, None, (), reason)


@url_memo
def prepare_url(url: str) -> tuple[str, str] | str:
    """(URL to fetch, cache key) for a usable URL, else the reason it is not one."""
    # Memoised: the pipeline asks before fetching (which pages keep their text), the fetcher
    # again for every URL; ~30 µs each, on the event loop while the first requests start.
    text = url.strip()
    try:
        problem = validate_url(text)
        if problem is None:
            fetch_url, key = normalize_url(text), cache_key(text)
            parsed = parse_url(fetch_url)
            if parsed.userinfo:
                # Credentials in a cited URL are never sent, cached or recorded: the check is
                # of the public page, and a token in a draft must not reach the site or a file.
                parsed = parsed.copy_with(userinfo=b"")
                fetch_url = str(parsed)
                key = str(httpx.URL(key).copy_with(userinfo=b""))
    except Exception as exc:  # a helper's bug must not stop the run: judge the URL invalid
        return f"not a valid web address ({exc})"
    if problem is not None:
        return problem
    if parsed.scheme not in ALLOWED_SCHEMES:
        return f"scheme {parsed.scheme or '(none)'!r} is not http or https"
    if not parsed.host:
        return "the address has no host"
    return fetch_url, key


@url_memo
def parse_url(url: str) -> httpx.URL:
    """`httpx.URL(url)`, memoised: a URL's preparation and its first request parse one string.

    httpx validates every character of a URL in Python (~40-90 µs a URL on these machines), and
    an httpx.URL is immutable, so one parsed value serves both.
    """
    return httpx.URL(url)


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds (a number or an HTTP date), or None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - time.time())


@dataclass(slots=True)
class _Trace:
    """What is known so far about one URL's fetch, for a verdict if it stops midway."""

    url: str
    current: str
    hops: list[Hop] = field(default_factory=list)
    status: int | None = None
    deadline: asyncio.Timeout | None = None
    """The URL's total deadline; it runs only while the URL holds connection slots."""


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    truncated: bool


class Fetcher:
    """The engine; use as `async with Fetcher(options) as f: await f.fetch(url)`."""

    def __init__(
        self,
        options: FetchOptions,
        digest: Digest | None = None,
        on_warning: Callable[[str], None] | None = None,
        keep_text: Callable[[str], bool] | None = None,
    ) -> None:
        self.options = options
        self.digest = digest
        # keep_text(url as fetched) is False when no check will read that page's text: the text
        # is still cached, but not held for the rest of the run (it is most of a run's memory).
        self._keep_text = keep_text
        self._warn = on_warning or log.warning
        self._global = asyncio.Semaphore(max(1, options.concurrency))
        # Built once: httpx copies a Headers object's list as it is, a dict it normalises anew.
        self._request_headers = httpx.Headers(
            {
                "user-agent": options.user_agent,
                "accept": "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.8",
                "accept-encoding": ACCEPT_ENCODING,
            }
        )
        self._digest_turns = CpuTurns(settings.DIGEST_QUEUE_BYTES)
        self._per_host: dict[tuple[str, str, int | None], asyncio.Semaphore] = {}
        self._transports: dict[tuple[str, str, int | None], httpx.AsyncBaseTransport] = {}
        self._tasks: dict[str, asyncio.Future[tuple[FetchOutcome, str | None]]] = {}
        self._replay = ReplayTransport(options.replay) if options.replay else None
        self._recorder = (
            Recorder(options.record, options.max_decompressed_bytes) if options.record else None
        )
        self._cache: ResultCache | None = None
        if options.use_cache and self._replay is None:
            extractor = _extractor_version()
            self._cache = ResultCache(
                options.cache_dir,
                settings.CACHE_TTL_OK_S,
                settings.CACHE_TTL_FAIL_S,
                self._warn,
                extractor,
            )
        # Reading the cache while recording would leave those URLs out of the cassette.
        self._read_cache = not options.refresh and self._recorder is None

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close connections and the cache, and write the cassette when recording."""
        for task in self._tasks.values():
            task.cancel()
        for transport in self._transports.values():
            with contextlib.suppress(Exception):
                await transport.aclose()
        self._transports.clear()
        if self._cache is not None:
            self._cache.close()
        if self._recorder is not None:
            try:
                self._recorder.save()
            except OSError as exc:
                self._warn(f"the cassette {self._recorder.path} could not be written: {exc}")

    async def fetch(self, url: str) -> FetchOutcome:
        """The verdict (and page facts) for one URL; the same URL is only fetched once."""
        outcome, _ = await asyncio.shield(self._start(url, "link"))
        return outcome

    def start(self, url: str) -> asyncio.Future[tuple[FetchOutcome, str | None]]:
        """Start fetching `url` (or join its fetch, already started) and return at once.

        The future's result is the outcome and the page's text (None unless kept). For a caller
        starting thousands of fetches: no task of its own per URL, where `fetch` needs one.
        Cancelling the future cancels the fetch for every caller that joined it.
        """
        return self._start(url, "link")

    async def get_text(self, url: str) -> str | None:
        """The decoded body of a URL that answers 2xx (for JSON APIs such as Wayback's)."""
        _, text = await asyncio.shield(self._start(url, "text"))
        return text

    def _start(self, url: str, kind: str) -> asyncio.Future[tuple[FetchOutcome, str | None]]:
        prepared = prepare_url(url)
        if isinstance(prepared, str):
            done = asyncio.get_running_loop().create_future()
            invalid = LinkResult(LinkVerdict.INVALID_URL, None, None, (), prepared)
            done.set_result((FetchOutcome(invalid), None))
            return done
        fetch_url, key = prepared
        task = self._tasks.get(kind + key)
        if task is None:
            task = asyncio.ensure_future(self._cached(fetch_url, key, kind))
            self._tasks[kind + key] = task
        return task

    async def _cached(self, url: str, key: str, kind: str) -> tuple[FetchOutcome, str | None]:
        if self._cache is not None and self._read_cache:
            hit = self._cache.get(kind, key)
            if hit is not None:
                try:
                    link = link_from_json(hit["link"])
                    facts = None
                    if hit.get("facts") is not None:
                        stored = hit["facts"]
                        facts = PageFacts(
                            meta_from_json(stored["meta"]),
                            stored.get("text"),
                            stored.get("text_read", True),
                        )
                    if facts is None or facts.text_read or not self._wants_text(url):
                        outcome = FetchOutcome(replace(link, from_cache=True), facts)
                        return self._slim(url, outcome), hit.get("text")
                    # Stored without its main text, which this run's quote check needs: refetch.
                except (KeyError, TypeError, ValueError):
                    pass  # an entry of an older shape: fetch again and overwrite it
        outcome, text = await self._live(url, want_text=kind == "text")
        if self._cache is not None and outcome.link.verdict not in _UNCACHED:
            facts = outcome.facts
            value: dict[str, Any] = {
                "link": link_to_json(outcome.link),
                "facts": None
                if facts is None
                else {
                    "meta": None if facts.meta is None else asdict(facts.meta),
                    "text": facts.text,
                    "text_read": facts.text_read,
                },
                "text": text,
            }
            self._cache.put(kind, key, value, ok=outcome.link.verdict in _OK_VERDICTS)
        return self._slim(url, outcome), text

    def _wants_text(self, url: str) -> bool:
        return self._keep_text is None or self._keep_text(url)

    def _slim(self, url: str, outcome: FetchOutcome) -> FetchOutcome:
        facts = outcome.facts
        if facts is None or facts.text is None or self._keep_text is None:
            return outcome
        if self._keep_text(url):
            return outcome
        return FetchOutcome(outcome.link, PageFacts(facts.meta, None))

    async def _live(self, url: str, want_text: bool) -> tuple[FetchOutcome, str | None]:
        start = time.monotonic()
        trace = _Trace(url, url)
        try:
            # The clock runs while the URL holds a slot (and between retries), not while it
            # waits behind other URLs: a few slow pages must not time out the rest (`_once`).
            async with asyncio.timeout(None) as deadline:
                trace.deadline = deadline
                outcome, text = await self._follow(trace, want_text)
        except Exception as exc:  # per-URL trouble is a verdict, whatever it is
            verdict, reason = classify_error(exc, not trace.hops, self.options.timeout)
            outcome, text = (
                FetchOutcome(
                    LinkResult(verdict, trace.status, trace.current, tuple(trace.hops), reason)
                ),
                None,
            )
        elapsed = int((time.monotonic() - start) * 1000)
        link = outcome.link
        return FetchOutcome(replace(link, elapsed_ms=elapsed), outcome.facts), text

    async def _follow(self, trace: _Trace, want_text: bool) -> tuple[FetchOutcome, str | None]:
        seen = {trace.url}
        for _ in range(self.options.max_redirects + 1):
            answer = await self._with_retries(trace)
            trace.status = answer.status
            location = answer.headers.get("location")
            if answer.status not in _REDIRECTS or not location:
                if 200 <= answer.status < 300 and self.digest is not None:
                    # The digest is the costly part of an answer: the next requests go first.
                    # The page is in hand, so the URL's deadline stops: a queue of pages
                    # waiting to be parsed must not turn a fetched page into a timeout.
                    if trace.deadline is not None:
                        trace.deadline.reschedule(None)
                    await self._digest_turns.turn(len(answer.body))
                return self._judge(trace, answer, want_text)
            try:
                target = parse_url(trace.current).join(location.strip())
            except (httpx.InvalidURL, ValueError) as exc:
                return self._verdict(trace, LinkVerdict.ERROR, f"bad redirect target: {exc}"), None
            trace.hops.append(Hop(trace.current, answer.status))
            if target.scheme not in ALLOWED_SCHEMES:
                reason = f"redirects to a non-web address ({target.scheme}:), not followed"
                return self._verdict(trace, LinkVerdict.ERROR, reason), None
            nxt = str(target.copy_with(fragment=None))
            if nxt in seen:
                reason = f"redirect loop: {trace.current} sends the check back to {nxt}"
                trace.current = nxt
                return self._verdict(trace, LinkVerdict.ERROR, reason), None
            seen.add(nxt)
            trace.current = nxt
        reason = f"too many redirects (more than {self.options.max_redirects})"
        return self._verdict(trace, LinkVerdict.ERROR, reason), None

    def _verdict(self, trace: _Trace, verdict: LinkVerdict, reason: str) -> FetchOutcome:
        return FetchOutcome(
            LinkResult(verdict, trace.status, trace.current, tuple(trace.hops), reason)
        )

    def _judge(
        self, trace: _Trace, answer: _Answer, want_text: bool
    ) -> tuple[FetchOutcome, str | None]:
        ctype = answer.headers.get("content-type")
        facts: PageFacts | None = None
        text = _decode_text(answer.body, ctype)
        if 200 <= answer.status < 300 and self.digest is not None:
            page = FetchedBody(
                trace.url, trace.current, answer.status, answer.headers, ctype, answer.body,
                answer.truncated, self._wants_text(trace.url),
            )  # fmt: skip
            try:
                facts = self.digest(page)
            except Exception as exc:  # the digest must not cost the link its verdict
                log.debug("digest failed for %s: %s", trace.current, exc)
            if facts is not None and facts.text is not None:
                facts = PageFacts(facts.meta, facts.text[:MAX_TEXT_CHARS], facts.text_read)
        exchange = Exchange(
            trace.url, trace.current, answer.status, tuple(trace.hops), answer.headers, ctype,
            text[:HEAD_CHARS],
            None if facts is None or facts.meta is None else facts.meta.free_to_read,
        )  # fmt: skip
        verdict, reason = classify(exchange)
        if answer.truncated and verdict in _OK_VERDICTS:
            mb = f"{self.options.max_body_bytes / 1_048_576:.3g} MB"
            verdict = LinkVerdict.ERROR
            reason = f"the page is larger than {mb}; only the first {mb} were read"
        outcome = self._verdict(trace, verdict, reason)
        outcome = FetchOutcome(outcome.link, facts)
        keep = want_text and 200 <= answer.status < 300
        return outcome, (text if keep else None)

    async def _with_retries(self, trace: _Trace) -> _Answer:
        deadline = time.monotonic() + self.options.timeout
        attempt = 0
        while True:
            try:
                answer = await self._once(trace)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                if attempt >= self.options.retries or "SSL" in str(exc).upper():
                    raise
                wait = self._backoff(attempt)
            else:
                if not should_retry(answer.status) or attempt >= self.options.retries:
                    return answer
                asked = retry_after_seconds(answer.headers.get("retry-after"))
                wait = self._backoff(attempt) if asked is None else asked
                wait = min(wait, self.options.max_retry_after)
                if time.monotonic() + wait >= deadline:
                    return answer  # no time left to wait: judge what we have
            attempt += 1
            if self._replay is None:
                await asyncio.sleep(wait)

    def _backoff(self, attempt: int) -> float:
        # Full jitter keeps many URLs on one struggling host from retrying in lockstep.
        base = self.options.backoff_base * float(2**attempt)
        return min(self.options.max_retry_after, base * random.uniform(0.5, 1.5))

    def _transport(self, url: httpx.URL) -> httpx.AsyncBaseTransport:
        if self._replay is not None:
            return self._replay
        key = transport_key(url)
        transport = self._transports.get(key)
        if transport is None:
            transport, _ = build_transport(url, self.options)
            if self._recorder is not None:
                transport = RecordingTransport(
                    transport, self._recorder, self.options.max_body_bytes
                )
            self._transports[key] = transport
        return transport

    async def _once(self, trace: _Trace) -> _Answer:
        target = parse_url(trace.current)
        if not self.options.allow_private:
            refusal = literal_refusal(target.host)
            if refusal is not None:
                raise refusal
        key = transport_key(target)
        host_limit = self._per_host.get(key)
        if host_limit is None:
            host_limit = self._per_host[key] = asyncio.Semaphore(max(1, self.options.per_host))
        o = self.options
        # The URL's deadline runs only while it holds slots: a redirect's next hop or a retry
        # queues again behind every URL not yet started, and on a busy host that wait alone
        # outlasted the deadline (a plain http -> https redirect reported as a timeout).
        loop = asyncio.get_running_loop()
        deadline = trace.deadline
        left = self.options.timeout
        if deadline is not None and (when := deadline.when()) is not None:
            left = when - loop.time()
            deadline.reschedule(None)
        # Host slot first, then a global one: a request queued behind its host's cap must not
        # hold one of the global slots meanwhile (that starved other hosts: 2x the wall time).
        async with host_limit, self._global:
            if deadline is not None:
                deadline.reschedule(loop.time() + left)
            # Built once the slots are held: thousands of URLs wait for them, and building
            # their requests up front only delayed the handling of the first answers.
            request = httpx.Request(
                "GET",
                target,
                headers=self._request_headers,
                extensions={
                    "timeout": {
                        "connect": o.connect_timeout,
                        "read": o.read_timeout,
                        "write": o.read_timeout,
                        "pool": o.timeout,
                    }
                },
            )
            response = await self._transport(target).handle_async_request(request)
            trace.status = response.status_code
            stream = response.stream
            assert isinstance(stream, httpx.AsyncByteStream)
            try:
                headers = {k.lower(): v for k, v in response.headers.items()}
                if response.status_code in _REDIRECTS:
                    return _Answer(response.status_code, headers, b"", False)
                ok = 200 <= response.status_code < 300
                limit = o.max_body_bytes if ok else ERROR_BODY_BYTES
                body, truncated = await self._read(stream, headers, limit)
                if truncated and ok:
                    response.extensions[OUTCOME] = "body-cap"
                truncated = ok and (
                    truncated or bool(response.extensions.get("citeaudit.truncated"))
                )
                return _Answer(response.status_code, headers, body, truncated)
            except asyncio.CancelledError:
                response.extensions[OUTCOME] = "deadline"
                raise
            finally:
                await stream.aclose()

    async def _read(
        self, stream: httpx.AsyncByteStream, headers: Mapping[str, str], limit: int
    ) -> tuple[bytes, bool]:
        decoder = BoundedDecoder(
            headers.get("content-encoding"), self.options.max_decompressed_bytes
        )
        parts: list[bytes] = []
        size = 0
        async for chunk in stream:
            size += len(chunk)
            if size > limit:
                parts.append(decoder.feed(chunk[: len(chunk) - (size - limit)]))
                return b"".join(parts), True
            parts.append(decoder.feed(chunk))
        parts.append(decoder.flush())
        return b"".join(parts), False


def _extractor_version() -> str:
    # Cached page facts are only as good as the extractor that made them: key on its version.
    try:
        return str(getattr(importlib.import_module("audit.meta"), "EXTRACTOR_VERSION", ""))
    except Exception:  # the metadata package failing to import must not stop fetching
        return ""


def _decode_text(body: bytes, content_type: str | None) -> str:
    charset = "utf-8"
    if content_type and "charset=" in content_type.lower():
        charset = content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'")
    try:
        return body.decode(charset, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


async def fetch_all(
    urls: Sequence[str],
    options: FetchOptions,
    digest: Digest | None = None,
    progress: Callable[[int, int], None] | None = None,
    *,
    on_warning: Callable[[str], None] | None = None,
) -> dict[str, FetchOutcome]:
    """Fetch every URL (each distinct one once) and return its outcome, keyed as given."""
    async with Fetcher(options, digest, on_warning) as fetcher:
        distinct = list(dict.fromkeys(urls))
        total = len(distinct)
        done = 0
        results: dict[str, FetchOutcome] = {}

        async def one(url: str) -> None:
            nonlocal done
            results[url] = await fetcher.fetch(url)
            done += 1
            if progress is not None:
                progress(done, total)

        if progress is not None:
            progress(0, total)
        await asyncio.gather(*(one(u) for u in distinct))
        return {u: results[u] for u in urls}


def fetch_all_sync(
    urls: Sequence[str],
    options: FetchOptions,
    digest: Digest | None = None,
    progress: Callable[[int, int], None] | None = None,
    *,
    on_warning: Callable[[str], None] | None = None,
) -> dict[str, FetchOutcome]:
    """`fetch_all` from synchronous code; Ctrl-C becomes Interrupted("interrupted ...")."""
    try:
        return asyncio.run(fetch_all(urls, options, digest, progress, on_warning=on_warning))
    except KeyboardInterrupt:
        raise Interrupted("interrupted: fetching stopped; the cache is left intact") from None
