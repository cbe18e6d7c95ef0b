"""The HTML report in a real headless Chromium: no errors, no network, cards, links, filters.

Most tests use the synthetic Report of tests/unit/render/report_factory.py, hostile titles
included; the last renders the demo article from its cassette through the real CLI. With
CITEAUDIT_UPDATE_DOCS=1 (`make screenshot`) that test refreshes docs/report-screenshot.png.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from audit.render.html import render_html

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = REPO / "docs" / "report-screenshot.png"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]


def _factory() -> ModuleType:
    path = REPO / "tests" / "unit" / "render" / "report_factory.py"
    spec = importlib.util.spec_from_file_location("report_factory", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


factory = _factory()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_html(factory.make_report()), encoding="utf-8")
    return path


class _Page:
    """A page with its console messages, page errors, requests and dialogs recorded."""

    def __init__(self, browser: Any, url: str, width: int = 1100) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 800})
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on(
            "console",
            lambda m: self.problems.append(m.text) if m.type in ("error", "warning") else None,
        )
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(url)
        self.page.wait_for_load_state("load")


@pytest.fixture()
def opened(browser: Any, report_file: Path) -> Iterator[_Page]:
    page = _Page(browser, report_file.as_uri())
    yield page
    page.context.close()


def test_opens_cleanly_without_network(opened: _Page, report_file: Path) -> None:
    assert opened.problems == []
    assert opened.requests == [report_file.as_uri()]
    assert opened.dialogs == []


def test_one_card_per_citation(opened: _Page) -> None:
    report = factory.make_report()
    expected = sum(len(d.citations) for d in report.documents)
    assert opened.page.locator("article.card").count() == expected
    assert (
        opened.page.locator("#shown-count").inner_text()
        == f"{expected} of {expected} citations shown"
    )


def test_clicking_a_marker_scrolls_to_its_card(opened: _Page) -> None:
    page = opened.page
    # Footnote 4 is the last card of the first document: well below the first screen.
    card = page.locator("#d1-c4")
    assert not _in_viewport(page, card)
    page.locator('a.mark[href="#d1-c4"]').click()
    page.wait_for_function("location.hash === '#d1-c4'")
    assert _in_viewport(page, card)


def _in_viewport(page: Any, locator: Any) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return bool(box is not None and box["y"] < height and box["y"] + box["height"] > 0)


def test_verdict_filter_hides_other_cards(opened: _Page) -> None:
    page = opened.page
    page.select_option("#verdict-filter", "dead")
    visible = page.locator("article.card:visible")
    assert visible.count() == 1
    assert visible.first.get_attribute("id") == "d1-c2"
    assert page.locator("#shown-count").inner_text() == "1 of 6 citations shown"
    page.click("#reset-filters")
    assert page.locator("article.card:visible").count() == 6


def test_severity_filter_and_search(opened: _Page) -> None:
    page = opened.page
    for severity in ("warning", "info", "none"):
        page.uncheck(f"input[name=severity][value={severity}]")
    # Only citations with an error-level finding remain: the dead link and the invalid URL.
    ids = [e.get_attribute("id") for e in page.locator("article.card:visible").all()]
    assert ids == ["d1-c2", "d1-c3"]
    assert page.locator("li.finding[data-severity=warning]:visible").count() == 0
    page.click("#reset-filters")
    page.fill("#search", "survey.example")
    assert [e.get_attribute("id") for e in page.locator("article.card:visible").all()] == ["d2-c1"]


def test_clicking_a_marker_of_a_filtered_card_shows_it(opened: _Page) -> None:
    page = opened.page
    page.select_option("#verdict-filter", "dead")
    assert not page.locator("#d1-c1").is_visible()
    page.locator('a.mark[href="#d1-c1"]').click()
    page.wait_for_function("location.hash === '#d1-c1'")
    assert page.locator("#d1-c1").is_visible()


def test_hostile_title_shows_as_text(opened: _Page) -> None:
    page = opened.page
    heading = page.locator("#doc-1-h").inner_text()
    assert heading == f"Harbour exports {factory.HOSTILE_TITLE}"
    card = page.locator("#d1-c2")
    assert factory.HOSTILE_ATTR in card.inner_text()
    assert page.locator("img").count() == 0
    assert page.locator("script").count() == 1
    assert opened.dialogs == []


def test_phone_width_has_no_horizontal_scroll(browser: Any, report_file: Path) -> None:
    phone = _Page(browser, report_file.as_uri(), width=390)
    try:
        overflow = phone.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        assert phone.problems == []
    finally:
        phone.context.close()


def test_print_hides_the_filters(opened: _Page) -> None:
    opened.page.emulate_media(media="print")
    assert not opened.page.locator("#filters").is_visible()
    assert opened.page.locator("article.card:visible").count() == 6


def test_screenshot(opened: _Page, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    opened.page.set_viewport_size({"width": 1100, "height": 1500})
    opened.page.screenshot(path=str(shot), full_page=False)
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 10_000


def test_demo_report_from_the_cassette(browser: Any, tmp_path: Path) -> None:
    """The README's demo: replayed, rendered, opened; one card per citation; a screenshot."""
    import json
    import os

    from typer.testing import CliRunner

    from audit.cli import _mount_subcommands, app

    _mount_subcommands()
    args = [
        "check",
        str(REPO / "examples" / "field-notes.md"),
        "--replay",
        str(REPO / "cassettes" / "demo.json"),
        "--rules",
        str(REPO / "examples" / "demo-rules.toml"),
        "--format",
        "html",
        "--format",
        "json",
        "--output-dir",
        str(tmp_path),
        "--no-cache",
        "--fail-on",
        "never",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    citations = json.loads((tmp_path / "field-notes.json").read_text())["summary"]["citations"]
    report_uri = (tmp_path / "field-notes.html").as_uri()
    page = _Page(browser, report_uri)
    assert page.problems == [] and page.dialogs == []
    assert page.requests == [report_uri]
    assert page.page.locator("article.card").count() == citations > 0
    page.page.set_viewport_size({"width": 1100, "height": 1500})
    shot = tmp_path / "demo.png"
    page.page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000
    page.context.close()
    if os.environ.get("CITEAUDIT_UPDATE_DOCS") == "1":
        SCREENSHOT.write_bytes(shot.read_bytes())
