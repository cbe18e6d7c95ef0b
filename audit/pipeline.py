"""The auditor: documents in, a Report out, through every stage of the pipeline.

    sources -> extract -> fetch (cache / cassette / network) -> page facts -> archive fallback
            -> checks -> rating -> score -> findings (filtered) -> Report

This module wires the stages; each stage lives in its own module and is a pure function where
it can be. The only I/O here is what the fetcher does on our behalf.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from audit import __version__
from audit.model import (
    AuditedCitation,
    Citation,
    CitationKind,
    DocFormat,
    DocumentReport,
    ExtractedDocument,
    Finding,
    LinkResult,
    LinkVerdict,
    PageMeta,
    Rating,
    Report,
)
from audit.redact import Redactor, redact_report

if TYPE_CHECKING:
    from audit.checks.verify import VerifySettings
    from audit.documents import SourceText
    from audit.fetch.fetcher import Digest, FetchedBody, Fetcher, FetchOutcome, PageFacts
    from audit.fetch.options import FetchOptions
    from audit.tiers import TierList

ARCHIVE_WORTHY = frozenset(
    {LinkVerdict.DEAD, LinkVerdict.SOFT_404, LinkVerdict.BLOCKED, LinkVerdict.TIMEOUT}
)
"""Link verdicts after which the Wayback Machine is asked for a snapshot."""

_LANDED = frozenset({LinkVerdict.OK, LinkVerdict.REDIRECTED, LinkVerdict.PAYWALLED})
"""Verdicts after which the final URL is the cited page (a dead link may land on a home page)."""

UNRELIABLE_PAGE = frozenset(
    {LinkVerdict.DEAD, LinkVerdict.SOFT_404, LinkVerdict.BLOCKED, LinkVerdict.ERROR}
)
"""Verdicts whose page (an error page, a bot wall) is not the cited story: never checked."""


@dataclass(frozen=True)
class AuditOptions:
    """Everything that changes what an audit does (the CLI and config build it)."""

    offline: bool = False
    fetch: FetchOptions | None = None
    """None means the fetcher's defaults."""
    rules_files: tuple[Path, ...] = ()
    archive: bool = True
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    ignore_urls: tuple[str, ...] = ()
    """Regular expressions: matching URLs are not fetched (verdict not_checked)."""
    ignore_domains: tuple[str, ...] = ()
    """Hosts (and their subdomains) that are not fetched (verdict not_checked)."""
    title_match: float | None = None
    title_partial: float | None = None
    date_tolerance_days: int | None = None
    weights: tuple[tuple[str, float], ...] = ()
    """Overrides of the score weights (names as in `audit.scoring.Weights`)."""
    now: str | None = None
    """Fixed timestamp for deterministic output (tests, goldens)."""
    extra: dict[str, object] = field(default_factory=dict)


def audit_sources(
    sources: Sequence[SourceText],
    options: AuditOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Audit decoded sources and return the report."""
    from audit.extract import extract
    from audit.tiers import load_tiers

    opts = options or AuditOptions()
    tiers = load_tiers(opts.rules_files)
    names = tiers.attribution_names()
    documents = [extract(s.path, s.text, s.fmt, names) for s in sources]
    notes: list[str] = []
    auditor = _Auditor(tiers, opts)
    outcomes = _fetch(documents, opts, progress, notes.append, auditor)
    reports = tuple(auditor.document(doc, outcomes) for doc in documents)
    generated = opts.now or _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()
    report = Report(
        documents=reports,
        tool_version=__version__,
        generated_at=generated,
        offline=opts.offline,
        notes=tuple(dict.fromkeys(notes)),
    )
    # Reports travel (CI logs, PR comments): a password written into a cited URL must not.
    return redact_report(report, auditor.redactor)


def _fetchable_urls(documents: Sequence[ExtractedDocument], opts: AuditOptions) -> Iterator[str]:
    """Each distinct cited URL that is valid and not ignored, in the order it is first cited.

    A generator: the fetcher starts on the first URLs while the rest are still being checked
    (~12 µs each: 35 ms of a 3,000-link run that no longer comes before the first request).
    """
    from audit.urls import validate_url

    seen: set[str] = set()
    for doc in documents:
        for c in doc.citations:
            url = c.reference.url
            if not url or url in seen:
                continue
            seen.add(url)
            if validate_url(url) is None and not _is_ignored(url, opts):
                yield url


def _is_ignored(url: str, opts: AuditOptions) -> bool:
    """True when the user's configuration says not to fetch this URL."""
    import re

    from audit.urls import host_of

    if any(re.search(p, url) for p in opts.ignore_urls):
        return True
    host = (host_of(url) or "").lower()
    return any(host == d or host.endswith("." + d) for d in opts.ignore_domains)


def _fetch(
    documents: Sequence[ExtractedDocument],
    opts: AuditOptions,
    progress: Callable[[int, int], None] | None,
    warn: Callable[[str], None] | None = None,
    auditor: _Auditor | None = None,
) -> dict[str, FetchOutcome]:
    if opts.offline:
        return {}
    found = _fetchable_urls(documents, opts)
    first = next(found, None)
    if first is None:
        return {}
    import asyncio
    import itertools

    urls: Iterable[str] = itertools.chain((first,), found)
    if progress is not None:
        urls = list(urls)  # a progress bar shows the total from the start

    from audit.errors import Interrupted
    from audit.fetch.options import FetchOptions

    when_by_url: dict[str, str | None] = {}
    for doc in documents:
        for c in doc.citations:
            if c.reference.url:
                when_by_url.setdefault(c.reference.url, c.reference.date or doc.date)
    fetch_options = opts.fetch or FetchOptions()
    keep_text = _text_keeper(documents)
    on_outcome: Callable[[str, FetchOutcome], None] | None = None
    idle: Callable[[], None] | None = None
    if auditor is not None:
        by_url: dict[str, list[Citation]] = {}
        for doc in documents:
            for c in doc.citations:
                if c.kind is not CitationKind.ATTRIBUTION and c.reference.url:
                    by_url.setdefault(c.reference.url, []).append(c)
        on_outcome = functools.partial(_audit_fetched, auditor, by_url)
        idle = functools.partial(auditor.prepare, documents)
    work = _fetch_async(
        urls, when_by_url, fetch_options, opts.archive, progress, warn, keep_text, on_outcome, idle
    )
    try:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(work)
        # Called from code that already runs an event loop (a notebook, a test driving a
        # browser): fetch on a thread of our own instead of failing.
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, work).result()
    except KeyboardInterrupt:
        raise Interrupted("interrupted: fetching stopped; the cache is left intact") from None


def _audit_fetched(
    auditor: _Auditor, by_url: Mapping[str, Sequence[Citation]], url: str, outcome: FetchOutcome
) -> None:
    auditor.audit_fetched(by_url.get(url, ()), url, outcome)


def _text_keeper(documents: Sequence[ExtractedDocument]) -> Callable[[str], bool]:
    """Whether a fetched URL's page text must be kept: only the quote check reads it.

    A page cited only by sentences without a quoted passage drops its text once digested (the
    cache keeps it). On realistic 150 KB pages that text was about 60 KB each in memory,
    most of a 3,000-link run's peak (docs/performance.md). The answer is worked out when the
    first page arrives, not before the first request: by then the fetcher has prepared every
    URL (memoised), so it costs a few milliseconds instead of ~30 ms per 1,000 URLs up front.
    """
    drop: set[str] | None = None

    def keep(url: str) -> bool:
        nonlocal drop
        if drop is None:
            drop = _quiet_urls(documents)
        # Anything else fetched (Wayback snapshots and APIs, redirects) keeps its text.
        return url not in drop

    return keep


def _quiet_urls(documents: Sequence[ExtractedDocument]) -> set[str]:
    """Prepared URLs cited only without a quoted passage."""
    from audit.checks.verify import quoted_passages
    from audit.fetch.fetcher import prepare_url

    quiet: set[str] = set()
    quoting: set[str] = set()
    for doc in documents:
        for c in doc.citations:
            if not c.reference.url:
                continue
            prepared = prepare_url(c.reference.url)
            if isinstance(prepared, str):
                continue
            # One word is enough to keep the text: the check's own minimum may be set lower.
            quotes = any(quoted_passages(u.context or "", 1) for u in c.uses)
            (quoting if quotes else quiet).add(prepared[0])
    return quiet - quoting


_START_BATCH = 32
"""URLs whose fetches are started between two turns of the event loop."""


async def _fetch_async(
    urls: Iterable[str],
    when_by_url: dict[str, str | None],
    fetch_options: FetchOptions,
    archive: bool,
    progress: Callable[[int, int], None] | None,
    warn: Callable[[str], None] | None = None,
    keep_text: Callable[[str], bool] | None = None,
    on_outcome: Callable[[str, FetchOutcome], None] | None = None,
    idle: Callable[[], None] | None = None,
) -> dict[str, FetchOutcome]:
    """Fetch every URL, then look for snapshots of the failures, all through one fetcher.

    One fetcher for both phases means one cache, one cassette and one set of host limits.
    `on_outcome` hears each URL's final outcome as soon as it is known: after its fetch, or
    after the snapshot search when the live page failed and the archive is asked. `idle` runs
    once every fetch has been started: the first answers are a round trip away. `urls` may be
    a generator, read as the fetches start; `progress` needs a sequence, for its total.
    """
    import asyncio

    from audit.fetch.fetcher import Fetcher

    total = len(urls) if isinstance(urls, Sequence) else 0
    started: list[str] = []
    done = 0
    # Run-level warnings (cache unusable, cassette not written) become the report's notes.
    failures: list[Exception] = []
    async with Fetcher(fetch_options, _digest, warn, keep_text) as fetcher:

        def landed(url: str, future: asyncio.Future[tuple[FetchOutcome, str | None]]) -> None:
            nonlocal done
            if future.cancelled() or future.exception() is not None:
                return  # the gather below raises it
            outcome = future.result()[0]
            done += 1
            try:
                if progress is not None:
                    progress(done, total)
                final = not (archive and outcome.link.verdict in ARCHIVE_WORTHY)
                if final and on_outcome is not None:
                    on_outcome(url, outcome)
            except Exception as exc:  # raised below, as it was from a task awaiting the fetch
                failures.append(exc)

        if progress is not None:
            progress(0, total)
        futures = []
        for url in urls:
            started.append(url)
            # The fetcher's own future, heard by a callback: a task per URL to await it cost
            # ~10 µs each, spent while the first answers come in.
            future = fetcher.start(url)
            future.add_done_callback(functools.partial(landed, url))
            futures.append(future)
            if len(futures) % _START_BATCH == 0:
                # Let the first requests go out while the rest are still being prepared:
                # starting thousands at once delayed the first byte sent by ~0.3 s per 3,000.
                await asyncio.sleep(0)
        if idle is not None:
            await asyncio.sleep(0)  # the last batch's requests go out first
            idle()
        results = await asyncio.gather(*futures)
        if failures:
            raise failures[0]
        outcomes = {url: result[0] for url, result in zip(started, results, strict=True)}
        if archive:
            failed = [u for u in started if outcomes[u].link.verdict in ARCHIVE_WORTHY]
            found = await asyncio.gather(
                *(_archived(fetcher, u, when_by_url.get(u), outcomes[u]) for u in failed)
            )
            outcomes.update(dict(zip(failed, found, strict=True)))
            if on_outcome is not None:
                for url in failed:
                    on_outcome(url, outcomes[url])
        return outcomes


async def _archived(
    fetcher: Fetcher, url: str, when: str | None, live: FetchOutcome
) -> FetchOutcome:
    """The live outcome, with a usable Wayback snapshot's URL and facts when one exists."""
    from audit.archive import find_snapshot, is_unusable_snapshot
    from audit.fetch.fetcher import FetchOutcome, PageFacts

    async def get_text(query: str) -> str | None:
        answer = await fetcher.fetch(query)
        if answer.link.verdict is not LinkVerdict.OK or answer.facts is None:
            return None
        return answer.facts.text

    snapshot = await find_snapshot(url, when, get_text)
    if snapshot is None:
        return live
    page = await fetcher.fetch(snapshot)
    if page.link.verdict not in (LinkVerdict.OK, LinkVerdict.REDIRECTED) or page.facts is None:
        return live
    meta = page.facts.meta
    if meta is None or is_unusable_snapshot(meta, page.facts.text):
        return live
    archived = PageFacts(meta=replace(meta, from_archive=True), text=page.facts.text)
    return FetchOutcome(link=replace(live.link, archive_url=snapshot), facts=archived)


_ARCHIVE_APIS = ("https://web.archive.org/cdx/search/", "https://archive.org/wayback/available")


def _digest(body: FetchedBody) -> PageFacts | None:
    """Turn a fetched body into page facts; the Wayback APIs' answers are kept as raw text."""
    from audit.fetch.fetcher import PageFacts

    if body.url.startswith(_ARCHIVE_APIS):
        return PageFacts(meta=None, text=body.body[:1_000_000].decode("utf-8", "replace"))
    return _page_digest()(body)


@functools.cache
def _page_digest() -> Digest:
    """`audit.meta.digest` adapted to the fetcher, once per process rather than once per page."""
    from audit.fetch.fetcher import meta_digest
    from audit.meta import digest

    return meta_digest(digest)


def _link_for(
    c: Citation, outcomes: Mapping[str, FetchOutcome], opts: AuditOptions
) -> LinkResult | None:
    if c.kind is CitationKind.ATTRIBUTION:
        return None
    url = c.reference.url
    if not url:
        return LinkResult(LinkVerdict.NOT_CHECKED, None, None, (), "the citation gives no URL")
    from audit.urls import validate_url

    problem = validate_url(url)
    if problem is not None:
        return LinkResult(LinkVerdict.INVALID_URL, None, None, (), f"not a valid URL: {problem}")
    if opts.offline:
        return LinkResult(
            LinkVerdict.NOT_CHECKED, None, None, (), "offline: links were not fetched"
        )
    outcome = outcomes.get(url)
    if outcome is None:
        return LinkResult(
            LinkVerdict.NOT_CHECKED, None, None, (), "ignored by the configuration (ignore_urls)"
        )
    return outcome.link


class _Auditor:
    """Audits one citation at a time with the run's settings, resolved once.

    Called as each fetch completes (the checks then run while the event loop waits on the
    network) and at the end for citations nothing was fetched for.
    """

    def __init__(self, tiers: TierList, opts: AuditOptions) -> None:
        from audit.scoring import DEFAULT_WEIGHTS, Weights

        self.tiers = tiers
        self.opts = opts
        self.weights = Weights.from_mapping(dict(opts.weights)) if opts.weights else DEFAULT_WEIGHTS
        self.done: dict[int, tuple[AuditedCitation, list[Finding]]] = {}
        """Citations already audited, by the identity of their `Citation`."""
        self.structure: dict[int, list[Finding]] = {}
        """Structure findings already made, by the identity of their document."""
        self.ratings: dict[int, Rating] = {}
        """Outlet ratings already made, by the identity of their `Citation`."""
        self.redactor = Redactor()

    @functools.cached_property
    def verify_settings(self) -> VerifySettings:
        # Built on first use, not with the auditor: importing the checks (rapidfuzz, the page
        # probes: ~20 ms) then happens while the first requests are on the wire.
        from audit.checks.verify import VerifySettings

        opts = self.opts
        settings = VerifySettings()
        if opts.title_match is not None:
            settings = replace(settings, title_match=opts.title_match)
        if opts.title_partial is not None:
            settings = replace(settings, title_partial=opts.title_partial)
        if opts.date_tolerance_days is not None:
            settings = replace(settings, date_tolerance_days=opts.date_tolerance_days)
        return settings

    def prepare(self, documents: Sequence[ExtractedDocument]) -> None:
        """Work that needs no fetched page, done while the first requests are on the wire."""
        from audit.checks import links, reliability, verify_findings  # noqa: F401  (imported now)
        from audit.checks.structure import structure_findings

        for doc in documents:
            self.structure[id(doc)] = list(structure_findings(doc, self.tier_of))
            self.redactor(doc)
            for c in doc.citations:
                # Answers from the cache come before this runs: those citations are rated.
                if id(c) not in self.done:
                    # The first named host also loads the public-suffix table (~50 ms), here.
                    self.ratings[id(c)] = self.tiers.rate_citation(c)

    def tier_of(self, name: str) -> int | None:
        rating = self.tiers.rate_name(name)
        return rating.tier if rating else None

    def audit(
        self, c: Citation, outcomes: Mapping[str, FetchOutcome]
    ) -> tuple[AuditedCitation, list[Finding]]:
        """The audited citation and its findings (before the user's filters)."""
        from audit.checks.links import link_findings
        from audit.checks.reliability import reliability_findings
        from audit.checks.verify import verify_citation
        from audit.checks.verify_findings import verify_findings
        from audit.scoring import score_citation

        link = _link_for(c, outcomes, self.opts)
        outcome = outcomes.get(c.reference.url or "")
        page: PageMeta | None = None
        text: str | None = None
        if outcome is not None and outcome.facts is not None:
            page, text = outcome.facts.meta, outcome.facts.text
            unreliable = link is not None and link.verdict in UNRELIABLE_PAGE
            if page is not None and not page.from_archive and unreliable:
                # A "not found" page or a bot wall says nothing about the cited story.
                page, text = None, None
        rating = self.ratings.get(id(c))
        if rating is None:
            rating = self.tiers.rate_citation(c)
        rating = self._landed(rating, link)
        checks = None
        if c.kind is not CitationKind.ATTRIBUTION and c.reference.url:
            source = "archive" if page is not None and page.from_archive else "live"
            checks = verify_citation(c, page, text, rating, source, self.verify_settings)
        ac = AuditedCitation(citation=c, link=link, page=page, checks=checks, rating=rating)
        ac = replace(ac, score=score_citation(ac, self.weights))
        findings: list[Finding] = []
        if link is not None:
            findings.extend(link_findings(c, link))
        findings.extend(verify_findings(ac))
        findings.extend(reliability_findings(ac))
        return ac, findings

    def _landed(self, rating: Rating, link: LinkResult | None) -> Rating:
        """The rating of the page a link lands on, when the link's own host says nothing.

        A shortened link (bit.ly/..., unknown to the tier list) or a resolver (doi.org) is rated
        by the outlet it leads to, once the fetch has followed it there; a link that failed, or
        lands on a page the list does not know, keeps its own rating.
        """
        if link is None or link.final_url is None or link.verdict not in _LANDED:
            return rating
        if rating.tier is not None and "resolver" not in rating.flags:
            return rating
        from audit.urls import host_of

        if not link.redirects or host_of(link.final_url) == host_of(link.redirects[0].url):
            return rating  # still on the host it was rated by
        landed = self.tiers.rate_url(link.final_url)
        return landed if landed.tier is not None else rating

    def audit_fetched(self, citations: Sequence[Citation], url: str, outcome: FetchOutcome) -> None:
        """Audit the citations of one URL now that its final outcome is known."""
        outcomes = {url: outcome}
        for c in citations:
            ac, findings = self.audit(c, outcomes)
            self.done[id(c)] = ac, findings
            self.redactor(ac)  # remembered: the report's final redaction only looks it up

    def document(
        self, doc: ExtractedDocument, outcomes: Mapping[str, FetchOutcome]
    ) -> DocumentReport:
        """The document's report, auditing whatever was not audited during the fetch."""
        from audit.checks.structure import structure_findings
        from audit.filtering import filter_findings
        from audit.scoring import score_document

        findings = self.structure.get(id(doc))
        if findings is None:
            # Not prepared during a fetch (offline, or nothing to fetch): as `prepare` would.
            findings = list(structure_findings(doc, self.tier_of))
            self.redactor(doc)
        audited: list[AuditedCitation] = []
        for c in doc.citations:
            done = self.done.get(id(c))
            if done is None:
                done = self.audit(c, outcomes)
                # Redacted as it is made, as during a fetch: the report's final pass then looks
                # it up instead of walking it field by field (offline, 1,000 citations: ~0.1 s).
                self.redactor(done[0])
            ac, own = done
            audited.append(ac)
            findings.extend(own)
        kept = filter_findings(findings, doc, self.opts.select, self.opts.ignore)
        kept.sort(key=lambda f: (f.line or 0, f.column or 0, f.id))
        doc_score = score_document(audited, kept, self.weights)
        return DocumentReport(
            document=doc, citations=tuple(audited), findings=tuple(kept), score=doc_score
        )


def audit_path(path: str | Path, options: AuditOptions | None = None) -> Report:
    """Audit one file, directory or glob (the Python API)."""
    from audit.documents import expand_paths, read_source

    sources = [read_source(p) for p in expand_paths([str(path)])]
    return audit_sources(sources, options)


def audit_text(
    text: str,
    fmt: DocFormat | str | None = None,
    options: AuditOptions | None = None,
    name: str = "<text>",
) -> Report:
    """Audit an article given as a string (the Python API)."""
    from audit.documents import SourceText, sniff_format

    chosen = DocFormat(fmt) if fmt else sniff_format(text)
    return audit_sources([SourceText(name, text, chosen, "utf-8")], options)
