"""Generator of the end-to-end test cassettes in `cassettes/e2e/` (synthetic pages only).

    .venv/bin/python tests/e2e_cassettes.py            # rewrite cassettes/e2e/verdicts.json
    .venv/bin/python tests/e2e_cassettes.py --check    # exit 1 if it would change

`cassettes/e2e/verdicts.md` cites one URL per link verdict; the pages below answer each one the
way that verdict needs, and are recorded through citeaudit's own pipeline and fetcher by the
demo's recorder (`examples/make_demo_cassette.py`, `record_cassette`). Every page is a synthetic
fixture on a reserved `.example` host, written for these tests.

Not a test module itself (no `test_` prefix); `test_cli_e2e_*.py` import it for `run_cli`,
and to check that the committed cassette is what this file makes.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
E2E_DIR = REPO / "cassettes" / "e2e"
VERDICTS_ARTICLE = E2E_DIR / "verdicts.md"
VERDICTS_CASSETTE = E2E_DIR / "verdicts.json"
CLEAN_ARTICLE = E2E_DIR / "clean.md"

MISSING_HOST = "missing.example"
"""Its exchanges are dropped after recording: replay answers "not in cassette"."""

QUAY = "https://ledger.example/2025/05/05/harbour-quay"
BUDGET_OLD = "https://ledger.example/old/council-budget"
BUDGET_NEW = "https://ledger.example/2025/06/03/council-votes-on-budget-after-long-debate"
FERRY = "https://courier.example/news/ferry-suspended"
FERRY_STAMP = "20241112190000"
MOORINGS = "https://moorings.example/fees"
CRANES = "https://craneweekly.example/news/new-cranes"
CRANES_STAMP = "20250211000000"
ACCOUNTS = "https://portbusiness.example/analysis/port-accounts"
LIGHTHOUSE = "https://slow.example/lighthouse-repairs"
LIGHTHOUSE_STAMP = "20240821090000"
MARINA = "https://marina.example/annual-statement"
STRIKE = "https://aggregator.example/p/harbour-strike"
HISTORY = "https://history.example/harbour"
GONE_HOST = "https://gone-host.example/lights"
REFUSED = "https://refused.example/exhibition"


def snapshot(stamp: str, url: str) -> str:
    """A Wayback replay URL, as the archive module builds it."""
    return f"https://web.archive.org/web/{stamp}/{url}"


def _demo_module() -> ModuleType:
    path = REPO / "examples" / "make_demo_cassette.py"
    spec = importlib.util.spec_from_file_location("citeaudit_make_demo_cassette", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look the module up in sys.modules while the class body runs.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _challenge() -> str:
    return (
        "<!doctype html><html><head><title>Just a moment...</title></head><body>"
        "<p>Checking your browser before accessing the site.</p>"
        '<script src="/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1"></script>'
        "</body></html>"
    )


def routes(demo: ModuleType) -> dict[str, object]:
    """Every recorded URL and its synthetic answer."""
    from audit.fetch.safety import UnknownHostError

    html, page, ld, meta = demo.html, demo.article_html, demo.json_ld, demo.meta_tag
    r: dict[str, object] = {}
    r[QUAY] = html(
        200,
        page(
            title="Harbour board approves new quay",
            site="Northern Ledger",
            head="\n".join(
                [
                    ld(
                        {
                            "@context": "https://schema.org",
                            "@type": "NewsArticle",
                            "headline": "Harbour board approves new quay",
                            "datePublished": "2025-05-05T08:00:00+01:00",
                            "publisher": {"@type": "Organization", "name": "Northern Ledger"},
                        }
                    ),
                    meta("og:site_name", "Northern Ledger"),
                ]
            ),
            body=[
                "The harbour board approved plans for a new deep-water quay on Monday after a "
                "vote that ran late into the evening.",
                "The chair said the new quay will open to ships in the spring, once dredging "
                "of the outer channel is finished.",
                "Fishing crews welcomed the decision but asked for their berths to be kept.",
            ],
        ),
    )
    r[BUDGET_OLD] = demo.redirect(301, BUDGET_NEW)
    r[BUDGET_NEW] = html(
        200,
        page(
            title="Council votes on budget after long debate",
            site="Northern Ledger",
            head="\n".join(
                [
                    meta("og:title", "Council votes on budget after long debate"),
                    meta("og:site_name", "Northern Ledger"),
                    meta("article:published_time", "2025-06-03T10:00:00+00:00"),
                ]
            ),
            body=[
                "Councillors approved next year's budget by a narrow margin after a debate "
                "that lasted more than six hours.",
                "Spending on the harbour rises by a tenth, paid for by higher mooring fees.",
            ],
        ),
    )
    r[FERRY] = html(404, "<html><head><title>404 Not Found</title></head><body></body></html>")
    r[snapshot(FERRY_STAMP, FERRY)] = html(
        200,
        page(
            title="Ferry service suspended for winter",
            site="Coastal Courier",
            head=meta("og:site_name", "Coastal Courier"),
            body=[
                '<time datetime="2024-11-12T17:30:00+00:00">12 November 2024</time>',
                "The island ferry will not run between December and March, the operator said, "
                "because of repairs to the landing stage.",
                "A water taxi will carry passengers on weekdays while the work goes on.",
            ],
        ),
    )
    r[MOORINGS] = html(
        200,
        "<!doctype html><html><head><title>Page not found - Mooring Notes</title></head>"
        "<body><h1>Page not found</h1><p>Try the search box.</p></body></html>",
    )
    r[CRANES] = html(403, _challenge())
    r[snapshot(CRANES_STAMP, CRANES)] = html(200, _challenge())
    r[ACCOUNTS] = html(
        200,
        page(
            title="Reading the port's accounts",
            site="Port Business Review",
            head=ld(
                {
                    "@context": "https://schema.org",
                    "@type": "NewsArticle",
                    "headline": "Reading the port's accounts",
                    "datePublished": "2025-01-15T06:00:00+00:00",
                    "isAccessibleForFree": False,
                    "publisher": {"@type": "Organization", "name": "Port Business Review"},
                }
            ),
            body=[
                "The port's accounts show a year of record cargo but thinner margins, as "
                "energy costs ate into the gains from the new cranes.",
                "Subscribe to continue reading this analysis.",
            ],
        ),
    )
    r[LIGHTHOUSE] = httpx.ReadTimeout("timed out waiting for the server's answer")
    r[snapshot(LIGHTHOUSE_STAMP, LIGHTHOUSE)] = html(
        200,
        page(
            title="Lighthouse repairs begin",
            site="Lighthouse Log",
            head="\n".join(
                [
                    meta("og:site_name", "Lighthouse Log"),
                    meta("article:published_time", "2024-08-20T12:00:00+00:00"),
                ]
            ),
            body=[
                "Scaffolding went up around the old lighthouse this week as repairs to its "
                "lantern room began.",
                "The light will be replaced by a temporary beacon until the work ends in spring.",
            ],
        ),
    )
    r[MARINA] = html(500, "<html><head><title>Internal Server Error</title></head></html>")
    r[STRIKE] = html(
        200,
        page(
            title="Ten facts about ferries",
            site="Aggregator Hub",
            head="\n".join(
                [
                    meta("og:title", "Ten facts about ferries"),
                    meta("og:site_name", "Aggregator Hub"),
                    meta("article:published_time", "2025-09-03T09:00:00+00:00"),
                ]
            ),
            body=[
                "Ferries have carried passengers across the harbour for two hundred years.",
                "The oldest ferry still in service was built in 1962 and seats ninety people.",
            ],
        ),
    )
    r[HISTORY] = html(
        200,
        page(
            title="A short history of the harbour",
            site="Harbour History Society",
            body=[
                "The first stone pier was built by the town's merchants and extended twice.",
                "Steam ferries arrived later, followed by the container cranes of today.",
            ],
        ),
    )
    r[GONE_HOST] = UnknownHostError("gone-host.example")
    r[REFUSED] = httpx.ConnectError("[Errno 111] Connection refused")
    r[f"https://{MISSING_HOST}/fish-market"] = html(200, page(title="x", site="x", body=["x"]))
    return r


CAPTURES = {
    FERRY: [FERRY_STAMP],
    CRANES: [CRANES_STAMP],
}
"""CDX answers: pages with captures. The lighthouse page has none in CDX (the availability API
answers for it instead, as the archive module's fallback)."""

AVAILABILITY_ONLY = {LIGHTHOUSE: [LIGHTHOUSE_STAMP]}


def build_verdicts(out: Path = VERDICTS_CASSETTE) -> str:
    """Record `verdicts.json` to `out` and return its text."""
    demo = _demo_module()
    cdx = demo.wayback_routes(CAPTURES)
    availability = demo.wayback_routes({**CAPTURES, **AVAILABILITY_ONLY})

    def wayback(request: httpx.Request) -> object:
        if request.url.host == "archive.org":
            return availability(request)
        return cdx(request)

    handler = demo.make_handler(routes(demo), wayback)
    text: str = demo.record_cassette(
        VERDICTS_ARTICLE,
        handler,
        out,
        recorded_by="tests/e2e_cassettes.py (synthetic pages)",
        drop=lambda url: MISSING_HOST in url,
    )
    return text


FIXED_NOW = "2025-10-02T00:00:00+00:00"
SCHEMA = REPO / "audit" / "schema" / "report.schema.json"


def run_cli(args: list[str], cache_dir: Path) -> tuple[int, str, str]:
    """Run `citeaudit ARGS` in-process: (exit code, standard output, standard error).

    The report's timestamp is fixed, the user's cache directory is never touched, and an empty
    configuration file stands in for the repository's own, so a `[tool.citeaudit]` table added
    to pyproject.toml cannot change what these tests see.
    """
    from typer.testing import CliRunner

    from audit.cli import app

    if args[:1] == ["check"] and "--config" not in args:
        config = cache_dir / "citeaudit.toml"
        config.write_text("# empty: defaults only\n", encoding="utf-8")
        args = [*args, "--config", str(config)]
    env = {"CITEAUDIT_FIXED_NOW": FIXED_NOW, "XDG_CACHE_HOME": str(cache_dir), "NO_COLOR": "1"}
    result = CliRunner().invoke(app, args, env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def validate_report(text: str) -> dict[str, Any]:
    """Parse a JSON report and check it against the published schema; return it."""
    import jsonschema

    report: dict[str, Any] = json.loads(text)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(report)
    return report


def main(argv: list[str] | None = None) -> int:
    """Write the cassette, or with --check report whether the committed one is current."""
    parser = argparse.ArgumentParser(description="Record cassettes/e2e/verdicts.json.")
    parser.add_argument("--check", action="store_true", help="compare; do not write")
    args = parser.parse_args(argv)
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            fresh = build_verdicts(Path(tmp) / "verdicts.json")
        if fresh != VERDICTS_CASSETTE.read_text(encoding="utf-8"):
            print(f"{VERDICTS_CASSETTE} is out of date", file=sys.stderr)
            return 1
        print(f"{VERDICTS_CASSETTE} is up to date")
        return 0
    build_verdicts()
    print(f"wrote {VERDICTS_CASSETTE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
