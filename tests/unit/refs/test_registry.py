"""Tests for the rule catalogue and its generated docs/rules.md."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from audit.checks.registry import BY_ID, RULES, finding, render_markdown, rule, selector_matches
from audit.model import Severity

REPO = Path(__file__).resolve().parents[3]

STRUCTURE_RULES = [
    "marker-without-entry", "entry-never-cited", "marker-reused", "numbering-gap", "duplicate-url",
    "invalid-url", "insecure-link", "url-date-mismatch", "future-citation-date", "missing-date",
    "unlinked-attribution", "unsourced-quote", "unsourced-figure",
]  # fmt: skip


def test_docs_rules_md_is_generated_from_the_registry() -> None:
    on_disk = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert on_disk == render_markdown(), (
        "docs/rules.md is stale: run `.venv/bin/python -m audit.checks.registry > docs/rules.md`"
    )


def test_module_entry_point_prints_the_same_markdown() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "audit.checks.registry"],
        capture_output=True, text=True, check=True, cwd=REPO,
    )  # fmt: skip
    assert out.stdout == render_markdown()


def test_every_rule_is_documented_with_an_example() -> None:
    doc = render_markdown()
    for info in RULES:
        assert f"### {info.id} `{info.name}`" in doc
        assert info.summary and info.example and info.help


def test_ids_are_unique_well_formed_and_in_their_family() -> None:
    assert len(BY_ID) == len(RULES)
    for info in RULES:
        assert re.fullmatch(r"[A-Z]{2,3}\d{3}", info.id)
        assert re.fullmatch(r"[a-z]+(?:-[a-z0-9]+)*", info.name)


def test_issue_two_rules_exist() -> None:
    for name in STRUCTURE_RULES:
        assert rule(name).name == name


def test_finding_uses_the_catalogue_severity_and_id() -> None:
    f = finding("missing-date", "m", line=3, column=4, citation="fn-1")
    assert (f.id, f.rule, f.severity, f.line, f.column, f.citation) == (
        "DAT004", "missing-date", Severity.INFO, 3, 4, "fn-1",
    )  # fmt: skip
    assert rule("FN001").name == "marker-without-entry"
    assert selector_matches("FN", rule("FN003"))
    assert selector_matches("dead-link", rule("LNK001"))
    assert not selector_matches("LNK", rule("FN001"))
