"""HTML report (static checks): escaping, no external references, cards, marks, CSP."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_factory import HOSTILE_ATTR, HOSTILE_TITLE, HOSTILE_URL, empty_report, make_report

from audit.model import Mark, Paragraph
from audit.render.html import hyperlink, paragraph_segments, render_html


class _Collector(HTMLParser):
    """Collects tags and attributes, to look at the page as a browser would parse it."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in = tag if tag in ("style", "script") else None

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "style":
            self.styles.append(data)
        elif self._in == "script":
            self.scripts.append(data)


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(make_report())


@pytest.fixture(scope="module")
def parsed(page: str) -> _Collector:
    collector = _Collector()
    collector.feed(page)
    return collector


def test_hostile_strings_are_text_not_markup(page: str, parsed: _Collector) -> None:
    assert HOSTILE_TITLE not in page and HOSTILE_ATTR not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert [t for t, _ in parsed.tags].count("script") == 1
    assert not any(t == "img" for t, _ in parsed.tags)
    assert not any(k.startswith("on") for _, attrs in parsed.tags for k in attrs)


def test_only_http_links_are_clickable(parsed: _Collector) -> None:
    hrefs = [attrs["href"] or "" for t, attrs in parsed.tags if t == "a" and "href" in attrs]
    assert hrefs
    assert all(h.startswith(("#", "https://", "http://")) for h in hrefs)
    assert HOSTILE_URL not in hrefs


def test_no_external_resources(parsed: _Collector) -> None:
    for tag, attrs in parsed.tags:
        assert "src" not in attrs, tag
        if tag == "link":
            assert attrs.get("href") == "data:,"
    assert not any("@import" in s or "url(" in s for s in parsed.styles)


def test_csp_hashes_match_inline_style_and_script(parsed: _Collector) -> None:
    csp = next(
        a["content"] for t, a in parsed.tags if a.get("http-equiv") == "Content-Security-Policy"
    )
    assert csp is not None and "default-src 'none'" in csp

    def digest(text: str) -> str:
        return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    assert f"'sha256-{digest(parsed.styles[0])}'" in csp
    assert f"'sha256-{digest(parsed.scripts[0])}'" in csp


def test_one_card_per_citation_and_marks_link_to_cards(page: str, parsed: _Collector) -> None:
    report = make_report()
    cards = [a for t, a in parsed.tags if t == "article" and "card" in (a.get("class") or "")]
    assert len(cards) == sum(len(d.citations) for d in report.documents)
    card_ids = {a["id"] for a in cards}
    marks = [a for t, a in parsed.tags if t == "a" and a.get("class") == "mark"]
    assert (
        len(marks) == 6
    )  # five in the first document (one unanswered is a span), one in the second
    assert {(m["href"] or "")[1:] for m in marks} <= card_ids
    assert page.count('class="mark unanswered"') == 1
    verdicts = {a["data-verdict"] for a in cards}
    assert {"ok", "dead", "invalid_url", "blocked", "not_checked", "redirected"} == verdicts


def test_summary_row_per_document_and_sections(page: str) -> None:
    assert page.count('class="summary-row"') == 2
    assert page.count('<section class="document"') == 2
    assert "https://web.archive.org/web/2024/https://blog.example/gone" in page
    assert "matched by domain" in page


def test_empty_report_renders() -> None:
    text = render_html(empty_report())
    assert "No citations found." in text and "0 of 0 citations shown" in text


def test_raw_text_shown_when_no_paragraphs() -> None:
    text = render_html(empty_report(), {"empty.txt": "raw <b>text</b>"})
    assert "raw &lt;b&gt;text&lt;/b&gt;" in text


def test_output_is_deterministic() -> None:
    assert render_html(make_report()) == render_html(make_report())


@pytest.mark.parametrize(
    ("url", "clickable"),
    [
        ("https://a.example/x", True),
        ("http://a.example", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html,<b>", False),
        ("https://a.example/x y", False),
        ("//a.example/x", False),
        ("http://[::1", False),
    ],
)
def test_hyperlink(url: str, clickable: bool) -> None:
    link = hyperlink(url)
    assert link is not None and (link.href is not None) is clickable and link.text == url


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(max_size=40),
    st.lists(st.tuples(st.integers(-5, 50), st.integers(-5, 50)), max_size=6),
)
def test_segments_keep_the_text_whatever_the_marks(text: str, spans: list[tuple[int, int]]) -> None:
    marks = tuple(Mark(a, b, "fn-1") for a, b in spans)
    segments = paragraph_segments(Paragraph(1, text, marks), {"fn-1": "d1-c1"}, "d1")
    assert "".join(s.text for s in segments) == text
    assert all(s.text for s in segments)
    ids = [s.mark_id for s in segments if s.mark_id]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"d1-m1-\d+", i) for i in ids)


def test_a_card_links_back_to_each_use_and_to_its_entry_by_name() -> None:
    from audit.pipeline import AuditOptions, audit_text

    article = (
        "# Harbour\n\n"
        "Exports grew 12% last year.[^1] The port expects more.[^2] Imports fell.[^1]\n\n"
        '[^1]: Harbour Board, "Annual report", 3 March 2024, https://board.example/annual\n'
        '[^2]: Port Authority, "Outlook", April 2024, https://port.example/outlook\n'
    )
    page = render_html(audit_text(article, "markdown", AuditOptions(offline=True), "h.md"))
    links = re.findall(r'<a class="back" href="#([^"]+)" title="([^"]+)">([^<]+)</a>', page)
    labels = [label for _, _, label in links]
    # Note 1: two uses in the text, numbered, then its entry; note 2: one use, then its entry.
    assert labels == ["↑ text 1", "↑ text 2", "↑ note", "↑ text", "↑ note"]
    assert [tip for _, tip, _ in links].count("To its entry in the notes") == 2
    ids = set(re.findall(r'id="(d1-m[^"]+)"', page))
    assert {target for target, _, _ in links} <= ids  # every back link lands on a mark
