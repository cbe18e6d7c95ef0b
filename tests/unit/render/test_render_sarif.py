"""SARIF output: valid against the official 2.1.0 schema, with rules, locations, fingerprints."""

from __future__ import annotations

import copy
import dataclasses
import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from report_factory import FIRST_PATH, empty_report, make_report

from audit.checks.registry import RULES
from audit.render.sarif import FINGERPRINT_KEY, artifact_uri, render_sarif

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "fixtures" / "schemas" / "sarif-2.1.0.json"


@cache
def _validator() -> Any:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _errors(log: object) -> list[str]:
    return [e.message for e in _validator().iter_errors(log)]


def test_sarif_log_is_valid_against_the_official_schema() -> None:
    log = json.loads(render_sarif(make_report()))
    assert _errors(log) == []


def test_empty_report_is_valid_sarif_with_no_results() -> None:
    log = json.loads(render_sarif(empty_report()))
    assert _errors(log) == []
    assert log["runs"][0]["results"] == []


def test_schema_test_catches_a_broken_log() -> None:
    # Guards the guard: a bad level and a missing message must be rejected by the fixture schema.
    log = json.loads(render_sarif(make_report()))
    broken = copy.deepcopy(log)
    broken["runs"][0]["results"][0]["level"] = "fatal"
    del broken["runs"][0]["results"][1]["message"]
    assert len(_errors(broken)) == 2


def test_rule_catalogue_and_result_locations() -> None:
    report = make_report()
    run = json.loads(render_sarif(report))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.id for r in RULES]
    findings = [f for d in report.documents for f in d.findings]
    results = run["results"]
    assert len(results) == len(findings)
    dead = next(r for r in results if r["ruleId"] == "LNK001")
    assert rules[dead["ruleIndex"]]["id"] == "LNK001"
    assert dead["level"] == "error"
    physical = dead["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {
        "uri": "drafts/harbour%20piece.md",
        "uriBaseId": "%SRCROOT%",
    }
    assert physical["region"] == {"startLine": 11, "startColumn": 40}
    info = next(r for r in results if r["ruleId"] == "UNS002")
    assert info["level"] == "note"
    assert "region" not in info["locations"][0]["physicalLocation"]


def test_fingerprints_are_stable_across_line_moves_and_distinct_per_finding() -> None:
    report = make_report()
    results = json.loads(render_sarif(report))["runs"][0]["results"]
    prints = [r["partialFingerprints"][FINGERPRINT_KEY] for r in results]
    assert len(set(prints)) == len(prints)
    doc = report.documents[0]
    moved = [dataclasses.replace(f, line=(f.line or 0) + 5) for f in doc.findings]
    shifted = dataclasses.replace(
        report, documents=(dataclasses.replace(doc, findings=tuple(moved)), *report.documents[1:])
    )
    again = json.loads(render_sarif(shifted))["runs"][0]["results"]
    assert [r["partialFingerprints"][FINGERPRINT_KEY] for r in again] == prints
    assert again[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 16


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (FIRST_PATH, ("drafts/harbour%20piece.md", True)),
        ("./a/b.md", ("a/b.md", True)),
        ("/abs/x y.md", ("file:///abs/x%20y.md", False)),
        ("C:\\docs\\a.md", ("file:///C:/docs/a.md", False)),
        ("-", ("stdin", True)),
    ],
)
def test_artifact_uri(path: str, expected: tuple[str, bool]) -> None:
    assert artifact_uri(path) == expected
