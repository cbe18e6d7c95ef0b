"""JUnit XML: one test case per citation; failures for errors; parseable despite hostile text."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

from report_factory import empty_report, make_report

from audit.checks import registry
from audit.render.junit import render_junit


def test_one_testcase_per_citation_plus_document_findings() -> None:
    report = make_report()
    root = ET.fromstring(render_junit(report))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [d.document.path for d in report.documents]
    first = suites[0]
    names = [c.get("name") for c in first.findall("testcase")]
    # Five citations, plus one case for the findings tied to no citation.
    assert len(names) == 6 and names[-1] == "document"
    assert first.get("tests") == "6"
    failed = [c for c in first.findall("testcase") if c.find("failure") is not None]
    # fn-2 (dead link), fn-3 (invalid URL) and the document (marker without entry) fail.
    assert len(failed) == 3 and first.get("failures") == "3"
    assert failed[0].find("failure").get("type") == "LNK001 dead-link"  # type: ignore[union-attr]
    assert failed[0].get("line") == "3" and failed[0].get("file") == "drafts/harbour piece.md"
    skipped = [c for c in first.findall("testcase") if c.find("skipped") is not None]
    assert len(skipped) == 1  # the unlinked attribution was never fetched
    assert root.get("tests") == "7" and root.get("failures") == "3" and root.get("skipped") == "1"


def test_warnings_go_to_system_out() -> None:
    root = ET.fromstring(render_junit(make_report(documents=1)))
    cases = root.find("testsuite").findall("testcase")  # type: ignore[union-attr]
    blocked = cases[3]
    assert blocked.find("failure") is None
    assert "LNK003 blocked-link" in (blocked.findtext("system-out") or "")


def test_control_characters_never_break_the_xml() -> None:
    report = make_report(documents=1)
    doc = report.documents[0]
    bad = registry.finding("dead-link", "gone\x00\x1b[31m\x0c", line=1, citation="fn-1")
    doc = dataclasses.replace(doc, findings=(bad,))
    text = render_junit(dataclasses.replace(report, documents=(doc,)))
    failure = ET.fromstring(text).find("testsuite/testcase/failure")
    assert failure is not None and failure.get("message") == "gone[31m"


def test_empty_report() -> None:
    root = ET.fromstring(render_junit(empty_report()))
    assert root.get("tests") == "0" and root.find("testsuite") is not None
