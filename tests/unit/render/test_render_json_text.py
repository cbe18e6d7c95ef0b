"""The JSON report's text: written by orjson, the same text `json.dumps(indent=2)` gave before."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from report_factory import make_report

from audit.render.json import dumps_pretty, render_json, report_json
from audit.render.sarif import render_sarif, sarif_log


def _stdlib(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


# What a report holds: no floats here, because orjson writes 1e-05 as 0.00001 (the same number).
_JSON_NO_FLOATS = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@given(_JSON_NO_FLOATS)
def test_the_text_is_what_the_standard_library_writes(value: Any) -> None:
    assert dumps_pretty(value) == _stdlib(value)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_floats_read_back_as_the_same_number(number: float) -> None:
    assert json.loads(dumps_pretty({"score": number})) == {"score": number}


def test_a_lone_surrogate_or_a_huge_integer_falls_back_to_the_standard_library() -> None:
    # orjson refuses both; the report must still come out as it did before.
    for value in ({"title": "broken \udc80 text"}, {"count": 2**70}):
        assert dumps_pretty(value) == _stdlib(value)


def test_a_whole_report_renders_byte_for_byte_as_before() -> None:
    report = make_report()
    assert render_json(report) == _stdlib(report_json(report)) + "\n"


def test_sarif_keeps_its_html_safe_escapes() -> None:
    report = make_report()
    text = render_sarif(report)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == sarif_log(report)


def test_a_replayed_audit_with_pages_and_checks_renders_as_before() -> None:
    # The demo cassette (synthetic pages) gives page facts, checks and scores to every citation.
    from pathlib import Path

    from audit.documents import read_source
    from audit.fetch.options import FetchOptions
    from audit.pipeline import AuditOptions, audit_sources

    root = Path(__file__).resolve().parents[3]
    fetch = FetchOptions(replay=root / "cassettes" / "demo.json", use_cache=False)
    options = AuditOptions(fetch=fetch, rules_files=(root / "examples" / "demo-rules.toml",))
    report = audit_sources([read_source(str(root / "examples" / "field-notes.md"))], options)
    assert any(ac.page is not None for ac in report.documents[0].citations)
    assert render_json(report) == _stdlib(report_json(report)) + "\n"


def test_the_report_file_holds_what_the_standard_library_writes_in_utf8() -> None:
    from audit.render.json import render_json_bytes

    report = make_report()
    assert render_json_bytes(report) == (_stdlib(report_json(report)) + "\n").encode("utf-8")


def test_a_lone_surrogate_is_escaped_so_the_file_is_valid_utf8() -> None:
    # Text that was never valid Unicode must not stop the report from being written.
    import dataclasses

    from audit.render.json import render_json_bytes

    report = make_report()
    doc = report.documents[0]
    odd = dataclasses.replace(doc.document, title="broken \udc80 title")
    report = dataclasses.replace(
        report, documents=(dataclasses.replace(doc, document=odd), *report.documents[1:])
    )
    data = render_json_bytes(report)
    text = data.decode("utf-8")  # valid UTF-8
    assert json.loads(text)["documents"][0]["title"] == "broken \udc80 title"


def test_a_row_without_an_outlet_name_shows_where_its_link_goes() -> None:
    from audit.pipeline import AuditOptions, audit_text
    from audit.render.markdown import render_markdown
    from audit.render.table import render_table

    article = "# Draft\n\nThe minutes are [here](https://council.example.org/minutes/4).\n"
    report = audit_text(article, "markdown", AuditOptions(offline=True), "d.md")
    (row,) = [line for line in render_table(report).splitlines() if line.startswith("inline-1")]
    assert "council.example.org" in row and "—" not in row.split("│")[2]
    (md_row,) = [line for line in render_markdown(report).splitlines() if "inline-1" in line]
    assert "council.example.org" in md_row
