"""Score page-metadata extraction on the synthetic fixture pages, and time it on a big page.

Prints title, date and site-name accuracy over tests/fixtures/pages (expected values in
pages.json), how often the main text holds the quote and keeps boilerplate out, and the CPU
time of `audit.meta.digest` per page (median, p95) on a realistic ~150 KB page (with and without
the main text, which only pages cited with a quoted passage need), then the CPU time
of the four checks (title, date, outlet, quote) of the first citation of that page (the quote
check indexes the page's text once per page): with a quote that is in the text, and one that is
not (the whole text is then searched).

    .venv/bin/python bench/eval_meta.py [--runs 50] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from audit.checks import verify
from audit.checks.verify import verify_citation
from audit.extract import extract
from audit.meta import digest
from audit.model import Citation, DocFormat, Rating
from audit.tiers import load_tiers

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "tests" / "fixtures" / "pages"


def _date_ok(expected: dict[str, object], published: str | None, source: str | None) -> bool:
    want = expected.get("published")
    if want is None:
        # No date on the page: nothing, or a guess labelled heuristic (never fails a citation).
        return published is None or source == "heuristic"
    return published is not None and published.startswith(str(want))


def evaluate(verbose: bool) -> None:
    """Accuracy over every fixture page."""
    cases = json.loads((PAGES / "pages.json").read_text(encoding="utf-8"))
    totals = {"title": 0, "date": 0, "date_source": 0, "site_name": 0, "quote": 0, "clean": 0}
    for name, exp in sorted(cases.items()):
        body = (PAGES / name).read_bytes()
        meta, text = digest(exp["url"], exp["url"], exp["content_type"], body, exp["headers"])
        assert meta is not None
        text = text or ""
        ok = {
            "title": meta.title == exp["title"],
            "date": _date_ok(exp, meta.published, meta.date_source),
            "date_source": str(meta.date_source) == str(exp["date_source"])
            or (exp["date_source"] == "heuristic?" and meta.date_source in (None, "heuristic")),
            "site_name": meta.site_name == exp["site_name"],
            "quote": exp["quote"] in text,
            "clean": not any(a in text for a in exp["absent"]),
        }
        for key, good in ok.items():
            totals[key] += good
        if verbose and not all(ok.values()):
            bad = [k for k, v in ok.items() if not v]
            print(
                f"  {name}: wrong {bad}: title={meta.title!r} date={meta.published!r} "
                f"({meta.date_source}) site={meta.site_name!r}"
            )
    n = len(cases)
    print(f"pages: {n}")
    for key, good in totals.items():
        print(f"{key + ' accuracy':22} {good}/{n} = {100 * good / n:.1f}%")


def big_page() -> tuple[str, bytes]:
    """A ~150 KB page shaped like a news article: JSON-LD, long nav, scripts, related, comments."""
    exp_name = "reuters-port-vote.html"
    base = (PAGES / exp_name).read_text(encoding="utf-8")
    nav = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(400))
    script = (
        "<script>var cfg=" + json.dumps({f"k{i}": "x" * 40 for i in range(1300)}) + ";</script>"
    )
    paras = "".join(
        f"<p>Paragraph {i} of the report goes on about the harbour, its budget and the vote, "
        f"as officials and residents argued about what the numbers really mean.</p>"
        for i in range(200)
    )
    comments = "".join(
        f'<li class="comment"><p>Reader comment number {i} says something long enough to '
        f"count as text on the page, again and again.</p></li>"
        for i in range(250)
    )
    page = base.replace("<ul>", f"<ul>{nav}", 1).replace("</head>", f"{script}</head>", 1)
    page = page.replace("</article>", f"{paras}</article>", 1).replace("<ol>", f"<ol>{comments}", 1)
    return (
        "https://www.reuters.com/world/europe/port-authority-delays-vote-2025-07-11/",
        page.encode(),
    )


def _cpu_ms(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median and 95th percentile of `fn`'s CPU time in milliseconds, after one warm-up call."""
    fn()  # imports, regex compilation
    times = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        times.append((time.process_time() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * len(times)) - 1)]


def bench(runs: int) -> None:
    """CPU time of digest() on the big page, then of one citation's checks against it."""
    url, body = big_page()
    median, p95 = _cpu_ms(lambda: digest(url, url, "text/html", body, {}), runs)
    print(
        f"digest CPU on a {len(body) / 1024:.0f} KB page, {runs} runs: "
        f"median {median:.1f} ms, p95 {p95:.1f} ms"
    )
    # What a page cited without a quoted passage costs: its main text is not extracted.
    median, p95 = _cpu_ms(lambda: digest(url, url, "text/html", body, {}, want_text=False), runs)
    print(f"digest CPU without the main text: median {median:.1f} ms, p95 {p95:.1f} ms")
    meta, text = digest(url, url, "text/html", body, {})
    tiers = load_tiers()
    for label, quote in (
        ("quote found", "the harbour, its budget and the vote, as officials and residents argued"),
        ("quote not found", "the harbour will be sold to a private fund before the winter"),
    ):
        article = (
            f'# Port\n\nOfficials said "{quote}".[^1]\n\n'
            f'[^1]: Reuters, "Port authority delays vote", July 11, 2025, {url}\n'
        )
        citation = extract("a.md", article, DocFormat.MARKDOWN, ()).citations[0]
        rating = tiers.rate_citation(citation)

        def first_of_page(c: Citation = citation, r: Rating = rating) -> None:
            verify._index_of.cache_clear()  # the first citation of a page indexes its text
            verify_citation(c, meta, text, r, "live")

        median, p95 = _cpu_ms(first_of_page, runs)
        print(f"checks CPU, {label}: median {median:.2f} ms, p95 {p95:.2f} ms")


def compare_trafilatura() -> None:
    """Main text from trafilatura on the same pages, for comparison (it is not a dependency)."""
    try:
        import trafilatura
    except ImportError:
        print("trafilatura not installed: no comparison")
        return
    from audit.meta import decode_body, digest_html

    cases = json.loads((PAGES / "pages.json").read_text(encoding="utf-8"))
    scores = {"ours": [0, 0, 0.0], "trafilatura": [0, 0, 0.0]}  # quote, clean, CPU ms
    for name, exp in sorted(cases.items()):
        markup = decode_body((PAGES / name).read_bytes(), exp["headers"])
        for who in scores:
            start = time.process_time()
            if who == "ours":
                text = digest_html(markup, exp["url"])[1] or ""
            else:
                text = trafilatura.extract(markup, url=exp["url"], include_comments=False) or ""
            scores[who][2] += (time.process_time() - start) * 1000
            scores[who][0] += exp["quote"] in text
            scores[who][1] += not any(a in text for a in exp["absent"])
    n = len(cases)
    for who, (quote, clean, ms) in scores.items():
        print(
            f"main text {who:12} quote {quote}/{n}, no boilerplate {clean}/{n}, "
            f"{ms / n:.1f} ms/page (whole digest for ours)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--trafilatura", action="store_true", help="compare main-text extraction")
    args = parser.parse_args()
    evaluate(args.verbose)
    bench(args.runs)
    if args.trafilatura:
        compare_trafilatura()


if __name__ == "__main__":
    main()
