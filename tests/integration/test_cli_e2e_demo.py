"""End to end: the README's demo replays as documented, and every committed cassette is current.

    citeaudit check examples/field-notes.md --replay cassettes/demo.json \
        --rules examples/demo-rules.toml

The demo cassette and the e2e cassette are recorded by scripts through the product's own
fetcher (`examples/make_demo_cassette.py`, `tests/e2e_cassettes.py`); regenerating them must
give the committed bytes, so the scripts and the cassettes cannot drift apart.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import e2e_cassettes as H
import pytest

REPO = H.REPO
DEMO_ARGS = [
    "check",
    str(REPO / "examples" / "field-notes.md"),
    "--replay",
    str(REPO / "cassettes" / "demo.json"),
    "--rules",
    str(REPO / "examples" / "demo-rules.toml"),
]


def _no_network(*args: object, **kwargs: object) -> None:
    raise AssertionError("the demo tried to use the network")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict[str, Any]]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", _no_network)
        mp.setattr(socket, "getaddrinfo", _no_network)
        mp.setattr(socket, "create_connection", _no_network)
        code, out, _ = H.run_cli([*DEMO_ARGS, "--format", "json"], tmp_path_factory.mktemp("c"))
    return code, H.validate_report(out)


def _citations(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    (doc,) = report["documents"]
    return {c["id"]: c for c in doc["citations"]}


def test_demo_link_verdicts(demo: tuple[int, dict[str, Any]]) -> None:
    verdicts = {
        cid: c["link"]["verdict"] if c["link"] else None for cid, c in _citations(demo[1]).items()
    }
    assert verdicts == {
        "fn-1": "ok",
        "fn-2": "ok",
        "fn-3": "ok",
        "fn-4": "dead",
        "fn-5": "redirected",
        "fn-6": "ok",
        "inline-1": "ok",
        "attr-1": None,  # "According to the Harbour Gazette": rated, not fetched
    }


def test_demo_shows_one_of_each_lesson(demo: tuple[int, dict[str, Any]]) -> None:
    code, report = demo
    cites = _citations(report)
    (doc,) = report["documents"]
    rules = {(f["rule"], f["citation"]) for f in doc["findings"]}
    clean = cites["fn-1"]["checks"]
    assert [clean[k]["verdict"] for k in ("title", "date", "outlet")] == ["match"] * 3
    assert ("quote-not-found", "fn-2") in rules
    assert ("date-mismatch", "fn-3") in rules
    assert ("dead-link", "fn-4") in rules and ("archive-available", "fn-4") in rules
    assert cites["fn-4"]["link"]["archive_url"].startswith("https://web.archive.org/web/")
    assert cites["fn-4"]["page"]["from_archive"] is True
    assert ("moved-link", "fn-5") in rules
    assert cites["fn-5"]["link"]["redirects"][0]["status"] == 301
    assert ("title-changed", "fn-6") in rules
    assert cites["fn-6"]["checks"]["quote"]["verdict"] == "found"
    assert ("insecure-link", "inline-1") in rules
    assert code == 1  # two errors: the dead link and the missing quote


def test_demo_rules_rate_the_fictional_outlets(demo: tuple[int, dict[str, Any]]) -> None:
    ratings = {cid: c["rating"] for cid, c in _citations(demo[1]).items()}
    assert all(r["tier"] is not None for r in ratings.values())
    assert all(r["rules_file"].endswith("demo-rules.toml") for r in ratings.values())
    assert ratings["fn-6"]["matched_by"] == "suffix"
    assert "user_generated" in ratings["fn-5"]["flags"]


def test_demo_cassette_regenerates_byte_identically(tmp_path: Path) -> None:
    demo_script = H._demo_module()
    fresh = demo_script.build_demo(tmp_path / "demo.json")
    assert fresh == (REPO / "cassettes" / "demo.json").read_text(encoding="utf-8")


def test_e2e_cassette_regenerates_byte_identically(tmp_path: Path) -> None:
    fresh = H.build_verdicts(tmp_path / "verdicts.json")
    assert fresh == H.VERDICTS_CASSETTE.read_text(encoding="utf-8")


def test_cassettes_hold_no_secrets_or_real_hosts() -> None:
    import json
    from urllib.parse import urlsplit

    for path in [REPO / "cassettes" / "demo.json", H.VERDICTS_CASSETTE]:
        doc = json.loads(path.read_text(encoding="utf-8"))
        for entry in doc["interactions"]:
            host = urlsplit(entry["request"]["url"]).hostname or ""
            wayback = host in ("web.archive.org", "archive.org")
            assert host.endswith(".example") or wayback, host
            headers = entry.get("response", {}).get("headers", {})
            assert not {"set-cookie", "authorization", "cookie"} & set(headers)
