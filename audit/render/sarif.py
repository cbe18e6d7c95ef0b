"""`--format sarif`: a SARIF 2.1.0 log for GitHub code scanning and other SARIF viewers.

Built from plain dicts (no SARIF library is needed). The whole rule catalogue goes under
`tool.driver.rules`, each result points at its rule by `ruleId` and `ruleIndex`, and
`partialFingerprints` lets code scanning follow one finding across runs even when lines move:
the fingerprint hashes the rule, the file and the cited URL (or citation), never the line.
Spec: https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
"""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import quote

from audit.checks.registry import RULES
from audit.model import DocumentReport, Finding, Report, Severity
from audit.render.json import dumps_pretty

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
FINGERPRINT_KEY = "citeauditFindingHash/v1"

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_RULE_INDEX = {info.id: index for index, info in enumerate(RULES)}


def _rules() -> list[dict[str, object]]:
    return [
        {
            "id": info.id,
            "name": info.name,
            "shortDescription": {"text": info.summary},
            "fullDescription": {"text": f"{info.summary} Example: {info.example}"},
            "help": {"text": info.help},
            "defaultConfiguration": {"level": _LEVEL[info.severity]},
            "properties": {"tags": [info.family]},
        }
        for info in RULES
    ]


def artifact_uri(path: str) -> tuple[str, bool]:
    """A path as a SARIF URI: (uri, is_relative). Relative paths resolve against %SRCROOT%."""
    if path == "-":
        return "stdin", True
    if PureWindowsPath(path).drive:
        posix = PureWindowsPath(path).as_posix()
        return "file:///" + quote(posix, safe="/:"), False
    pure = PurePosixPath(path.replace("\\", "/"))
    if pure.is_absolute():
        return "file://" + quote(str(pure), safe="/"), False
    parts = [p for p in pure.parts if p != "."]
    return quote("/".join(parts), safe="/"), True


def fingerprint(doc: DocumentReport, finding: Finding) -> str:
    """A line-independent hash identifying a finding across runs."""
    anchor = finding.citation or ""
    if finding.citation is not None:
        for ac in doc.citations:
            if ac.citation.id == finding.citation and ac.citation.reference.url:
                # The URL survives renumbering of footnotes, so prefer it to the citation id.
                anchor = ac.citation.reference.url
                break
    else:
        # No citation to anchor on: the message (which names the claim or marker) will do.
        anchor = finding.message
    key = "\x1f".join((finding.id, doc.document.path, anchor))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _result(doc: DocumentReport, finding: Finding) -> dict[str, object]:
    uri, relative = artifact_uri(doc.document.path)
    location: dict[str, object] = {"uri": uri}
    if relative:
        location["uriBaseId"] = "%SRCROOT%"
    physical: dict[str, object] = {"artifactLocation": location}
    if finding.line is not None and finding.line >= 1:
        region: dict[str, object] = {"startLine": finding.line}
        if finding.column is not None and finding.column >= 1:
            region["startColumn"] = finding.column
        physical["region"] = region
    text = finding.message.strip() or finding.rule
    if finding.suggestion:
        text += f" (suggested: {finding.suggestion})"
    result: dict[str, object] = {
        "ruleId": finding.id,
        "level": _LEVEL[finding.severity],
        "message": {"text": text},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(doc, finding)},
    }
    if finding.id in _RULE_INDEX:
        result["ruleIndex"] = _RULE_INDEX[finding.id]
    if finding.citation is not None:
        result["properties"] = {"citation": finding.citation}
    return result


def sarif_log(report: Report) -> dict[str, object]:
    """The SARIF log as plain dicts (for callers that want to add to it)."""
    results = [_result(doc, f) for doc in report.documents for f in doc.findings]
    run: dict[str, object] = {
        "tool": {
            "driver": {
                "name": "citeaudit",
                "version": report.tool_version,
                "semanticVersion": report.tool_version,
                "rules": _rules(),
            }
        },
        # Our columns count characters (code points), not UTF-16 units.
        "columnKind": "unicodeCodePoints",
        "results": results,
        "invocations": [
            {
                "executionSuccessful": True,
                "endTimeUtc": report.generated_at,
                "toolExecutionNotifications": [
                    {"level": "warning", "message": {"text": note}} for note in report.notes
                ],
            }
        ],
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render_sarif(report: Report) -> str:
    """The report as a SARIF 2.1.0 JSON document."""
    text = dumps_pretty(sarif_log(report))
    # Same JSON value, but no raw <, > or & from a page title can reach a viewer that pastes
    # message text into HTML without escaping it (as Go's encoder does by default).
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return text + "\n"
