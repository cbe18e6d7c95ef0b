"""Strings from a hostile web in every output format: escaped, stripped, never leaked.

A synthetic page titles itself with markup, another with terminal escape sequences; a draft
cites them with other titles, so the title-mismatch finding quotes the page's title in every
format. A URL with a password is cited too: no format may print the password.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hostileserver as hs
import pytest
from typer.testing import CliRunner

import audit.cli

audit.cli._mount_subcommands()

FORMATS = ("table", "json", "html", "sarif", "junit", "markdown", "github")
PASSWORD = "s3cret-pw-991"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Every format of one run, written with --output-dir, plus stdout and stderr."""
    web = hs.HostileWeb().start()
    tmp = tmp_path_factory.mktemp("outputs")
    draft = tmp / "draft.md"
    draft.write_text(
        "# A synthetic draft\n\n"
        "The harbour vote passed.[^1] The council met.[^2] The mayor spoke.[^3] A login.[^4]\n\n"
        f'[^1]: Synthetic Times, "{hs.GOOD_TITLE}," July 11, 2025, {web.url("/good")}\n'
        f'[^2]: Synthetic Times, "Council approves budget," July 11, 2025, '
        f"{web.url('/script-title')}\n"
        f'[^3]: Synthetic Times, "Mayor speaks," July 11, 2025, {web.url("/escape-title")}\n'
        f'[^4]: Synthetic Times, "{hs.GOOD_TITLE}," July 11, 2025, '
        f"http://editor:{PASSWORD}@127.0.0.1:{web.port}/good?login=1\n",
        encoding="utf-8",
    )
    args = ["check", str(draft), "--allow-private", "--no-archive", "--no-cache", "--quiet"]
    args += ["--fail-on", "never", "--output-dir", str(tmp / "out")]
    for fmt in FORMATS:
        args += ["--format", fmt]
    result = CliRunner().invoke(audit.cli.app, args)
    web.stop()
    assert result.exit_code == 0, result.stderr
    files = {p.suffix: p.read_text(encoding="utf-8") for p in (tmp / "out").iterdir()}
    yield {"files": files, "stdout": result.stdout, "stderr": result.stderr}


def test_every_format_was_written(outputs: dict[str, Any]) -> None:
    assert set(outputs["files"]) == {".txt", ".json", ".html", ".sarif", ".xml", ".md"}
    assert "::warning" in outputs["stdout"]  # github annotations go to standard output


def test_the_password_in_a_cited_url_is_printed_nowhere(outputs: dict[str, Any]) -> None:
    for suffix, text in outputs["files"].items():
        assert PASSWORD not in text, suffix
    assert PASSWORD not in outputs["stdout"] and PASSWORD not in outputs["stderr"]
    report = json.loads(outputs["files"][".json"])
    urls = [c["reference"]["url"] for c in report["documents"][0]["citations"]]
    assert any(u.startswith("http://" + "*" * len(f"editor:{PASSWORD}") + "@") for u in urls)


def test_script_in_a_title_is_escaped_in_html(outputs: dict[str, Any]) -> None:
    html = outputs["files"][".html"]
    assert "&lt;script&gt;alert(" in html
    assert "<script>alert(" not in html and "<img src=x" not in html


def test_script_in_a_title_is_inert_in_sarif(outputs: dict[str, Any]) -> None:
    sarif = outputs["files"][".sarif"]
    assert "<" not in sarif and ">" not in sarif  # markup characters only as \u escapes
    messages = [r["message"]["text"] for r in json.loads(sarif)["runs"][0]["results"]]
    assert any(hs.SCRIPT_TITLE in m for m in messages)  # the same string, as data


def test_script_in_a_title_is_escaped_in_junit(outputs: dict[str, Any]) -> None:
    xml = outputs["files"][".xml"]
    assert "<script>" not in xml and "<img src=x" not in xml
    root = ET.fromstring(xml)
    texts = " ".join(el.text or "" for el in root.iter()) + " ".join(
        v for el in root.iter() for v in el.attrib.values()
    )
    assert hs.SCRIPT_TITLE in texts


def test_script_in_a_title_is_escaped_in_markdown(outputs: dict[str, Any]) -> None:
    md = outputs["files"][".md"]
    assert "&lt;script&gt;" in md
    assert "<script>" not in md and "<img src=x" not in md


def test_escape_sequences_from_a_page_never_reach_any_output(outputs: dict[str, Any]) -> None:
    for suffix, text in [*outputs["files"].items(), ("stdout", outputs["stdout"])]:
        assert "\x1b" not in text and "\x07" not in text, suffix
    assert "Red ALERT click bell end" in outputs["files"][".txt"] + outputs["files"][".json"]


def test_the_terminal_table_strips_escapes_even_in_colour(tmp_path: Path) -> None:
    web = hs.HostileWeb().start()
    try:
        draft = tmp_path / "draft.md"
        draft.write_text(
            f'Claim.[^1]\n\n[^1]: Example, "Mayor speaks," 2025, {web.url("/escape-title")}\n',
            encoding="utf-8",
        )
        args = ["check", str(draft), "--allow-private", "--no-archive", "--no-cache", "--color"]
        result = CliRunner().invoke(audit.cli.app, [*args, "--quiet", "--fail-on", "never"])
    finally:
        web.stop()
    assert result.exit_code == 0
    # Colour codes of our own are fine; the page's OSC hyperlink and bell must not get through.
    assert "\x1b]8;;" not in result.stdout and "\x07" not in result.stdout
    assert "evil.example" not in result.stdout
