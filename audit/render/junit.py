"""`--format junit`: JUnit XML, one test suite per document and one test case per citation.

A citation with an error-level finding fails; warnings and info go to the case's
`<system-out>`; a citation that was never checked (offline, or an unlinked attribution) with
no error is skipped. Findings not tied to a citation form one extra "document" case per suite.
Built with the standard library's ElementTree.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from audit.filtering import worst_first
from audit.model import AuditedCitation, DocumentReport, Finding, LinkVerdict, Report, Severity

# XML 1.0 forbids most control characters even when escaped; ElementTree would write them raw
# and produce a file no parser accepts, so they are dropped (page titles do contain them).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: object) -> str:
    return _XML_ILLEGAL.sub("", "" if text is None else str(text))


def _describe(finding: Finding) -> str:
    where = f"line {finding.line}" if finding.line is not None else "document"
    text = f"{finding.severity.value} {finding.id} {finding.rule} ({where}): {finding.message}"
    return text + (f" (suggested: {finding.suggestion})" if finding.suggestion else "")


def _case_name(ac: AuditedCitation) -> str:
    c = ac.citation
    label = f"[{c.marker}]" if c.marker else c.id
    what = c.reference.url or c.reference.outlet or c.reference.raw
    return f"{label} {what}"


def _add_case(
    suite: ET.Element,
    path: str,
    name: str,
    line: int | None,
    findings: Sequence[Finding],
    skipped_reason: str | None,
) -> tuple[int, int]:
    """Append one testcase; returns (failed, skipped) as 0/1."""
    case = ET.SubElement(suite, "testcase", name=_clean(name), classname=_clean(path))
    case.set("file", _clean(path))
    if line is not None:
        case.set("line", str(line))
    ordered = worst_first(findings)
    errors = [f for f in ordered if f.severity is Severity.ERROR]
    if errors:
        first = errors[0]
        failure = ET.SubElement(
            case, "failure", message=_clean(first.message), type=_clean(f"{first.id} {first.rule}")
        )
        failure.text = _clean("\n".join(_describe(f) for f in errors))
    elif skipped_reason is not None:
        ET.SubElement(case, "skipped", message=_clean(skipped_reason))
    others = [f for f in ordered if f.severity is not Severity.ERROR]
    if others:
        out = ET.SubElement(case, "system-out")
        out.text = _clean("\n".join(_describe(f) for f in others))
    return (1 if errors else 0, 1 if not errors and skipped_reason is not None else 0)


def _suite(parent: ET.Element, doc: DocumentReport, timestamp: str) -> tuple[int, int, int]:
    path = doc.document.path
    suite = ET.SubElement(parent, "testsuite", name=_clean(path))
    tests = failures = skipped = 0
    for ac in doc.citations:
        c = ac.citation
        mine = [f for f in doc.findings if f.citation == c.id]
        line = c.uses[0].line if c.uses else c.entry_line
        not_checked = ac.link is None or ac.link.verdict is LinkVerdict.NOT_CHECKED
        reason = (ac.link.reason if ac.link else "not checked") if not_checked else None
        failed, skip = _add_case(suite, path, _case_name(ac), line, mine, reason)
        tests, failures, skipped = tests + 1, failures + failed, skipped + skip
    known = {ac.citation.id for ac in doc.citations}
    loose = [f for f in doc.findings if f.citation is None or f.citation not in known]
    if loose:
        failed, skip = _add_case(suite, path, "document", None, loose, None)
        tests, failures, skipped = tests + 1, failures + failed, skipped + skip
    for key, value in (
        ("tests", tests),
        ("failures", failures),
        ("errors", 0),
        ("skipped", skipped),
    ):
        suite.set(key, str(value))
    suite.set("timestamp", _clean(timestamp))
    return tests, failures, skipped


def render_junit(report: Report) -> str:
    """The report as a JUnit XML document (UTF-8, with an XML declaration)."""
    root = ET.Element("testsuites", name="citeaudit")
    totals = [0, 0, 0]
    for doc in report.documents:
        for i, n in enumerate(_suite(root, doc, report.generated_at)):
            totals[i] += n
    root.set("tests", str(totals[0]))
    root.set("failures", str(totals[1]))
    root.set("errors", "0")
    root.set("skipped", str(totals[2]))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
