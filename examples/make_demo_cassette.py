"""Build `cassettes/demo.json`: the demo article's pages, recorded through citeaudit's own fetcher.

    .venv/bin/python examples/make_demo_cassette.py            # rewrite cassettes/demo.json
    .venv/bin/python examples/make_demo_cassette.py --check    # exit 1 if it would change

Every page here is a synthetic fixture written for citeaudit's demo, on reserved `.example`
hosts (and a made-up Wayback capture of one of them): none of it is what a real site says.

How it records: the real pipeline (`audit.pipeline.audit_sources`) runs over the article with
`--record`, so the fetcher, its redirect handling, the Wayback lookups and the cassette writer
are the product's own; only the origin is swapped. Instead of a socket, each host's transport
is an in-process `httpx.MockTransport` that serves the pages below. A local server on 127.0.0.1
would not help: the demo's URLs are https (a forward proxy would need CONNECT and TLS for them),
and a socket server adds headers (`server: BaseHTTP/0.6 Python/3.x`) that differ from one
machine to the next, which would break byte-identical regeneration. For the same reason the
file's `recorded_at` is fixed and interactions are sorted by URL (the fetcher records them in
the order they finish, which depends on scheduling); a stable sort keeps repeats of one request
in their recorded order, which is the order replay answers them in.

`record_cassette` is reused by `tests/e2e_cassettes.py` for the end-to-end test cassettes.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

REPO = Path(__file__).resolve().parents[1]
ARTICLE = REPO / "examples" / "field-notes.md"
CASSETTE = REPO / "cassettes" / "demo.json"
RULES = REPO / "examples" / "demo-rules.toml"

RECORDED_AT = "2025-09-14T12:00:00+00:00"
"""Fixed, so the file regenerates byte for byte (the article's own date, at noon UTC)."""


@dataclass(frozen=True)
class Page:
    """One synthetic answer: a status, headers and a body (empty for redirects)."""

    status: int = 200
    body: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)


def html(status: int, markup: str) -> Page:
    """An HTML answer."""
    return Page(status, markup, {"content-type": "text/html; charset=utf-8"})


def redirect(status: int, location: str) -> Page:
    """A redirect answer."""
    return Page(status, "", {"location": location})


def json_answer(data: object) -> Page:
    """A JSON answer (the Wayback APIs)."""
    return Page(200, json.dumps(data), {"content-type": "application/json"})


Route = Page | Exception | Callable[[httpx.Request], Page]
"""What a URL answers: a page, an exception the transport raises, or a function of the request."""


def article_html(
    *,
    title: str,
    site: str,
    body: list[str],
    head: str = "",
    headline: str | None = None,
    lang: str = "en",
) -> str:
    """A news-like page: extra head metadata, navigation, the article, and related links."""
    paragraphs = "\n".join(f"    <p>{p}</p>" for p in body)
    return f"""<!doctype html>
<html lang="{lang}">
<head>
  <meta charset="utf-8">
  <title>{title} | {site}</title>
{head}
</head>
<body>
  <header><nav>
    <a href="/">{site}</a> <a href="/news">News</a> <a href="/about">About</a>
  </nav></header>
  <main>
  <article>
    <h1>{headline or title}</h1>
{paragraphs}
  </article>
  <aside class="related"><h2>More from {site}</h2>
    <ul><li><a href="/news/archive">Earlier stories</a></li></ul>
  </aside>
  </main>
  <footer><p>Synthetic fixture page for citeaudit's demo; not a real site.</p></footer>
</body>
</html>
"""


def json_ld(data: Mapping[str, Any]) -> str:
    """A JSON-LD block for the head."""
    return f'  <script type="application/ld+json">{json.dumps(data)}</script>'


def meta_tag(prop: str, content: str) -> str:
    """One `<meta property=... content=...>` tag."""
    return f'  <meta property="{prop}" content="{content}">'


# ------------------------------------------------------------------------------ the demo pages

NEWS_PAGE = "https://transit.lowmoor.example/news/2025/04/07/first-week-figures"
GAZETTE_PAGE = "https://www.harbourgazette.example/city/mayor-tram-fares-running-costs"
AUDIT_PAGE = "https://audit.lowmoor.example/reports/tram-tender-2025"
RADIO_PAGE = "https://www.northcoastradio.example/news/2024/03/03/contractors-quit-tram-site"
RADIO_SNAPSHOT_STAMP = "20240304101500"
VIDEO_PAGE = "https://video.example/watch?v=tram-waste"
VIDEO_MOVED = "https://video.example/v/tram-waste"
MINISTRY_PAGE = "https://transport.gov.example/reviews/light-rail-2025"
CAMPAIGN_PAGE = "http://lowmoor-trams.example/timeline"


def demo_routes() -> dict[str, Route]:
    """The demo article's URLs and what each answers (plus the Wayback answers for the dead one).

    The intended audit: note 1 a clean match; note 2 a quote the page does not contain; note 3
    a date a month off; note 4 a dead link with a Wayback capture; note 5 a permanent redirect;
    note 6 a retitled page (title partial) whose quote is found; the inline link is http://.
    """
    routes: dict[str, Route] = {}
    routes[NEWS_PAGE] = html(
        200,
        article_html(
            title="Tram ridership: first week figures",
            site="Lowmoor Transit Authority",
            head=json_ld(
                {
                    "@context": "https://schema.org",
                    "@type": "NewsArticle",
                    "headline": "Tram ridership: first week figures",
                    "datePublished": "2025-04-07T09:30:00+01:00",
                    "publisher": {"@type": "Organization", "name": "Lowmoor Transit Authority"},
                }
            ),
            body=[
                "The reopened Lowmoor tram line recorded 41,000 boardings in its first seven "
                "days of service, the transit authority said on Monday.",
                "The authority had planned for about 22,000 boardings in the opening week. "
                "Trams ran every eight minutes at peak times and every fifteen in the evening.",
                "Officials said the busiest stop was Market Square, where one in five journeys "
                "began, and that weekend ridership was higher than on weekdays.",
            ],
        ),
    )
    routes[GAZETTE_PAGE] = html(
        200,
        article_html(
            title="Mayor says tram fares now cover running costs",
            site="Harbour Gazette",
            head="\n".join(
                [
                    meta_tag("og:title", "Mayor says tram fares now cover running costs"),
                    meta_tag("og:site_name", "Harbour Gazette"),
                    meta_tag("og:type", "article"),
                    meta_tag("article:published_time", "2025-08-02T07:15:00+01:00"),
                ]
            ),
            body=[
                "Lowmoor's mayor said on Friday that ticket sales on the new tram line now pay "
                "for the cost of running it, four months after the line reopened.",
                "Sceptics on the council had argued during the planning stage that the project "
                "would need many years of subsidy before it broke even.",
                "The mayor said the figures would be published in full at the next council "
                "meeting, along with plans for a night service.",
            ],
        ),
    )
    routes[AUDIT_PAGE] = html(
        200,
        article_html(
            title="Report on the tram tender",
            site="Lowmoor Audit Office",
            head=meta_tag("og:site_name", "Lowmoor Audit Office"),
            body=[
                'Published <time datetime="2025-05-30">30 May 2025</time>.',
                "The audit office reviewed how the tram contract was tendered and found that "
                "the final cost of 310 million euros was 18% above the approved budget.",
                "The report criticises the short bidding window and the late changes to the "
                "specification, which left only two bidders in the final round.",
            ],
        ),
    )
    routes[RADIO_PAGE] = html(
        404,
        "<!doctype html><html><head><title>Page not found | North Coast Radio</title></head>"
        "<body><h1>Page not found</h1><p>The story you asked for is not here.</p></body></html>",
    )
    routes[VIDEO_PAGE] = redirect(301, VIDEO_MOVED)
    routes[VIDEO_MOVED] = html(
        200,
        article_html(
            title="Buses would have done it cheaper",
            site="Video.example",
            head="\n".join(
                [
                    meta_tag("og:title", "Buses would have done it cheaper"),
                    meta_tag("og:site_name", "Video.example"),
                    meta_tag("og:type", "video.other"),
                ]
            ),
            body=[
                "A commentator argues that a fleet of electric buses would have served the "
                "same route for a fraction of the tram line's cost.",
                "Uploaded by a user of the platform. Comments are turned off for this video.",
            ],
        ),
    )
    routes[MINISTRY_PAGE] = html(
        200,
        article_html(
            title="Light rail review 2025: service, costs and next steps",
            site="Ministry of Transport",
            head=json_ld(
                {
                    "@context": "https://schema.org",
                    "@type": "Report",
                    "name": "Light rail review 2025: service, costs and next steps",
                    "datePublished": "2025-09-01",
                    "publisher": {
                        "@type": "GovernmentOrganization",
                        "name": "Ministry of Transport",
                    },
                }
            ),
            body=[
                "This review covers the first months of the Lowmoor light rail line and two "
                "other schemes that opened in 2024.",
                "The Lowmoor line met or exceeded its service targets in every month of the "
                "review period, with punctuality above 96%.",
                "Costs were higher than planned. The ministry will publish guidance on "
                "tendering for future schemes early next year.",
            ],
        ),
    )
    routes[CAMPAIGN_PAGE] = html(
        200,
        article_html(
            title="Campaign timeline",
            site="Lowmoor Trams Now",
            body=[
                "2019: the campaign starts with a petition of 4,000 signatures.",
                "2022: the council approves the line. 2025: the first trams run in April.",
            ],
        ),
    )
    snapshot = f"https://web.archive.org/web/{RADIO_SNAPSHOT_STAMP}/{RADIO_PAGE}"
    routes[snapshot] = html(
        200,
        article_html(
            title="Contractors quit tram site",
            site="North Coast Radio",
            head="\n".join(
                [
                    meta_tag("og:site_name", "North Coast Radio"),
                    meta_tag("article:published_time", "2024-03-03T18:00:00+00:00"),
                ]
            ),
            body=[
                "Two of the contractors building the Lowmoor tram line have left the site "
                "before finishing their work, North Coast Radio has learned.",
                "The city said the remaining work would be shared among the other firms and "
                "that it did not expect the opening date to move.",
            ],
        ),
    )
    return routes


def wayback_routes(captures: Mapping[str, list[str]]) -> Callable[[httpx.Request], Page | None]:
    """Answers for the Wayback CDX and availability APIs, given each page's capture stamps.

    Routed by the `url` parameter rather than the whole query, so the answers do not depend on
    which extra parameters the archive module asks with.
    """

    def answer(request: httpx.Request) -> Page | None:
        parts = urlsplit(str(request.url))
        query = parse_qs(parts.query)
        original = query.get("url", [""])[0]
        if parts.netloc == "web.archive.org" and parts.path == "/cdx/search/cdx":
            rows: list[list[str]] = [["timestamp", "original", "statuscode", "mimetype"]]
            rows += [[s, original, "200", "text/html"] for s in captures.get(original, [])]
            return json_answer(rows if len(rows) > 1 else [])
        if parts.netloc == "archive.org" and parts.path == "/wayback/available":
            stamps = captures.get(original, [])
            closest: dict[str, Any] = {}
            if stamps:
                closest = {
                    "closest": {
                        "available": True,
                        "status": "200",
                        "timestamp": stamps[-1],
                        "url": f"http://web.archive.org/web/{stamps[-1]}/{original}",
                    }
                }
            return json_answer({"url": original, "archived_snapshots": closest})
        return None

    return answer


NOT_FOUND = html(
    404, "<!doctype html><html><head><title>Not found</title></head><body></body></html>"
)


def make_handler(
    routes: Mapping[str, Route], fallback: Callable[[httpx.Request], Page | None] | None = None
) -> Callable[[httpx.Request], httpx.Response]:
    """An httpx MockTransport handler serving `routes` (exact URLs), then `fallback`, else 404."""

    def handle(request: httpx.Request) -> httpx.Response:
        route: Route | None = routes.get(str(request.url))
        if route is None and fallback is not None:
            route = fallback(request)
        if route is None:
            route = NOT_FOUND
        if isinstance(route, Exception):
            raise route
        page = route if isinstance(route, Page) else route(request)
        return httpx.Response(
            page.status, headers=dict(page.headers), content=page.body.encode("utf-8")
        )

    return handle


@contextmanager
def _in_process_origin(handler: Callable[[httpx.Request], httpx.Response]) -> Iterator[None]:
    """Every host the fetcher contacts is answered by `handler`: no socket is opened."""
    import audit.fetch.fetcher as fetcher_module

    # The fetcher module looks `build_transport` up at call time: swap it there, and only here.
    namespace = vars(fetcher_module)
    original = namespace["build_transport"]

    def build(url: httpx.URL, options: object) -> tuple[httpx.AsyncBaseTransport, bool]:
        return httpx.MockTransport(handler), False

    namespace["build_transport"] = build
    try:
        yield
    finally:
        namespace["build_transport"] = original


def record_cassette(
    article: Path,
    handler: Callable[[httpx.Request], httpx.Response],
    out: Path,
    *,
    recorded_by: str,
    rules: tuple[Path, ...] = (),
    drop: Callable[[str], bool] | None = None,
) -> str:
    """Audit `article` with the product's pipeline, recording; return the cassette's text.

    The text is also written to `out`. `drop(url)` removes interactions after recording (to
    leave a URL out of the cassette on purpose, for "not in cassette").
    """
    from audit.documents import read_source
    from audit.fetch.options import FetchOptions
    from audit.pipeline import AuditOptions, audit_sources

    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.json"
        options = AuditOptions(
            fetch=FetchOptions(record=raw, use_cache=False, retries=0, quiet=True),
            rules_files=rules,
            now=RECORDED_AT,
        )
        with _in_process_origin(handler):
            audit_sources([read_source(str(article))], options)
        doc = json.loads(raw.read_text(encoding="utf-8"))
    interactions = doc["interactions"]
    if drop is not None:
        interactions = [i for i in interactions if not drop(i["request"]["url"])]
    interactions.sort(key=lambda i: (i["request"]["url"], i["request"]["method"]))
    doc["interactions"] = interactions
    doc["recorded_at"] = RECORDED_AT
    doc["recorded_by"] = recorded_by
    text = json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return text


def build_demo(out: Path = CASSETTE) -> str:
    """Record the demo cassette to `out` and return its text."""
    captures = {RADIO_PAGE: [RADIO_SNAPSHOT_STAMP, "20250101120000"]}
    handler = make_handler(demo_routes(), wayback_routes(captures))
    return record_cassette(
        ARTICLE,
        handler,
        out,
        recorded_by="examples/make_demo_cassette.py (synthetic pages)",
        rules=(RULES,),
    )


def main(argv: list[str] | None = None) -> int:
    """Write the demo cassette, or with --check report whether the committed one is current."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="compare; do not write")
    parser.add_argument("--output", type=Path, default=CASSETTE)
    args = parser.parse_args(argv)
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            fresh = build_demo(Path(tmp) / "demo.json")
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if fresh != current:
            print(f"{args.output} is out of date: run {Path(__file__).name}", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    build_demo(args.output)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
