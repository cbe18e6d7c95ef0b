"""Markdown PR comment: summary rows, findings worst first, untrusted text kept inert."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st
from report_factory import HOSTILE_ATTR, HOSTILE_TITLE, make_report

from audit.checks import registry
from audit.render.markdown import MAX_FINDINGS_PER_DOCUMENT, md_cell, render_markdown


def test_summary_has_a_row_per_document() -> None:
    text = render_markdown(make_report())
    assert "| drafts/harbour piece.md |" in text
    assert "| drafts/second.md |" in text
    assert "2 documents, 6 citations: 3 errors, 3 warnings, 2 info" in text


def test_hostile_strings_are_escaped() -> None:
    text = render_markdown(make_report())
    assert HOSTILE_TITLE not in text and HOSTILE_ATTR not in text
    assert "<img" not in text and "<script" not in text


def test_findings_are_worst_first_and_capped() -> None:
    report = make_report(documents=1)
    doc = report.documents[0]
    quotes = [registry.finding("unsourced-quote", f"quote {i}", line=i) for i in range(80)]
    many = (*quotes, registry.finding("dead-link", "late but bad", line=999))
    doc = dataclasses.replace(doc, findings=many)
    text = render_markdown(dataclasses.replace(report, documents=(doc,)))
    rows = [line for line in text.splitlines() if line.startswith(("| **error**", "| info"))]
    assert len(rows) == MAX_FINDINGS_PER_DOCUMENT
    assert rows[0].startswith("| **error**")
    assert f"…and {81 - MAX_FINDINGS_PER_DOCUMENT} more" in text


def test_mentions_do_not_ping() -> None:
    assert md_cell("ask @octocat") == "ask @\u200boctocat"


@settings(max_examples=60)
@given(st.text())
def test_a_cell_never_breaks_the_table(text: str) -> None:
    cell = md_cell(text)
    assert "\n" not in cell and "<" not in cell
    # Every pipe is escaped, so the cell cannot add a column.
    assert cell.count("|") == cell.count("\\|")
