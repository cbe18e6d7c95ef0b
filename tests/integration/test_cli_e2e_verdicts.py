"""End to end: `citeaudit check --replay` over a cassette that holds every link verdict.

The article `cassettes/e2e/verdicts.md` cites one URL per verdict; its synthetic pages are in
`cassettes/e2e/verdicts.json` (made by `tests/e2e_cassettes.py`). Each test reads the JSON
report's fields (never message wording), and every report is validated against the schema.
Sockets are disabled while the CLI runs: replay must never touch the network.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import e2e_cassettes as H
import pytest

ARTICLE = str(H.VERDICTS_ARTICLE)
CASSETTE = str(H.VERDICTS_CASSETTE)


def _no_network(*args: object, **kwargs: object) -> None:
    raise AssertionError("a replayed run tried to use the network")


@pytest.fixture(scope="module")
def sockets_off() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", _no_network)
        mp.setattr(socket.socket, "connect_ex", _no_network)
        mp.setattr(socket, "getaddrinfo", _no_network)
        mp.setattr(socket, "create_connection", _no_network)
        yield


def _audit(tmp: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    code, out, _ = H.run_cli(
        ["check", ARTICLE, "--replay", CASSETTE, "--format", "json", *extra], tmp
    )
    return code, H.validate_report(out)


def _by_id(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    (doc,) = report["documents"]
    return {c["id"]: c for c in doc["citations"]}


def _rules(report: dict[str, Any]) -> set[tuple[str, str | None]]:
    (doc,) = report["documents"]
    return {(f["rule"], f["citation"]) for f in doc["findings"]}


@pytest.fixture(scope="module")
def replayed(
    tmp_path_factory: pytest.TempPathFactory, sockets_off: None
) -> tuple[int, dict[str, Any]]:
    return _audit(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def citations(replayed: tuple[int, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return _by_id(replayed[1])


@pytest.mark.parametrize(
    ("cid", "verdict"),
    [
        ("fn-1", "ok"),
        ("fn-2", "redirected"),
        ("fn-3", "dead"),
        ("fn-4", "soft_404"),
        ("fn-5", "blocked"),
        ("fn-6", "paywalled"),
        ("fn-7", "timeout"),
        ("fn-8", "error"),
        ("fn-9", "invalid_url"),
        ("fn-10", "not_checked"),
        ("fn-11", "ok"),
        ("fn-13", "dead"),  # unknown host
        ("fn-14", "dead"),  # connection refused
    ],
)
def test_every_link_verdict_replays(
    citations: dict[str, dict[str, Any]], cid: str, verdict: str
) -> None:
    assert citations[cid]["link"]["verdict"] == verdict


def test_status_and_final_url_are_reported(citations: dict[str, dict[str, Any]]) -> None:
    assert citations["fn-1"]["link"]["status"] == 200
    assert citations["fn-3"]["link"]["status"] == 404
    assert citations["fn-5"]["link"]["status"] == 403
    assert citations["fn-8"]["link"]["status"] == 500
    assert citations["fn-7"]["link"]["status"] is None


def test_redirect_hop_and_moved_link_suggestion(
    replayed: tuple[int, dict[str, Any]], citations: dict[str, dict[str, Any]]
) -> None:
    link = citations["fn-2"]["link"]
    assert link["final_url"] == H.BUDGET_NEW
    assert link["redirects"] == [{"url": H.BUDGET_OLD, "status": 301}]
    (doc,) = replayed[1]["documents"]
    moved = [f for f in doc["findings"] if f["rule"] == "moved-link"]
    assert [(f["citation"], f["suggestion"]) for f in moved] == [("fn-2", H.BUDGET_NEW)]


def test_url_missing_from_the_cassette_is_not_checked_not_fetched(
    citations: dict[str, dict[str, Any]],
) -> None:
    link = citations["fn-10"]["link"]
    assert link["reason"] == "not in cassette"  # the documented reason, part of the contract
    assert link["status"] is None
    assert citations["fn-10"]["page"] is None


def test_replay_is_not_served_from_cache(citations: dict[str, dict[str, Any]]) -> None:
    assert not any(c["link"] and c["link"]["from_cache"] for c in citations.values())


@pytest.mark.parametrize(
    ("cid", "check", "verdict"),
    [
        ("fn-1", "title", "match"),
        ("fn-2", "title", "partial"),
        ("fn-11", "title", "mismatch"),
        ("fn-12", "title", "unknown"),
        ("fn-1", "date", "match"),
        ("fn-2", "date", "near"),
        ("fn-6", "date", "mismatch"),
        ("fn-12", "date", "unknown"),
        ("fn-1", "outlet", "match"),
        ("fn-11", "outlet", "mismatch"),
        ("fn-12", "outlet", "unknown"),
        ("fn-1", "quote", "found"),
        ("fn-11", "quote", "not_found"),
        ("fn-2", "quote", "n/a"),
    ],
)
def test_every_check_verdict(
    citations: dict[str, dict[str, Any]], cid: str, check: str, verdict: str
) -> None:
    assert citations[cid]["checks"][check]["verdict"] == verdict


def test_check_figures(citations: dict[str, dict[str, Any]]) -> None:
    assert citations["fn-1"]["checks"]["title"]["score"] == 100
    assert citations["fn-2"]["checks"]["date"]["delta_days"] == 1
    assert citations["fn-6"]["checks"]["date"]["delta_days"] == 45  # 2025-01-15 vs 2025-03-01
    assert 0 <= citations["fn-11"]["checks"]["title"]["score"] < 60
    fragment = citations["fn-1"]["checks"]["quote"]["text_fragment"]
    assert fragment is not None and fragment.startswith("#:~:text=")


@pytest.mark.parametrize(
    ("rule", "cid"),
    [
        ("dead-link", "fn-3"),
        ("archive-available", "fn-3"),
        ("soft-404", "fn-4"),
        ("blocked-link", "fn-5"),
        ("paywalled-link", "fn-6"),
        ("date-mismatch", "fn-6"),
        ("link-timeout", "fn-7"),
        ("archive-available", "fn-7"),
        ("fetch-error", "fn-8"),
        ("dead-link", "fn-13"),
        ("dead-link", "fn-14"),
        ("invalid-url", "fn-9"),
        ("title-changed", "fn-2"),
        ("title-mismatch", "fn-11"),
        ("outlet-mismatch", "fn-11"),
        ("quote-not-found", "fn-11"),
    ],
)
def test_findings_follow_the_verdicts(
    replayed: tuple[int, dict[str, Any]], rule: str, cid: str
) -> None:
    assert (rule, cid) in _rules(replayed[1])


def test_no_link_finding_for_ok_or_not_checked(replayed: tuple[int, dict[str, Any]]) -> None:
    link_rules = {"dead-link", "soft-404", "blocked-link", "fetch-error", "link-timeout"}
    flagged = {cid for rule, cid in _rules(replayed[1]) if rule in link_rules}
    assert flagged.isdisjoint({"fn-1", "fn-10", "fn-11", "fn-12"})


def test_dead_link_is_verified_through_its_snapshot(
    replayed: tuple[int, dict[str, Any]], citations: dict[str, dict[str, Any]]
) -> None:
    ferry = citations["fn-3"]
    assert ferry["link"]["verdict"] == "dead"  # the live verdict stands
    assert ferry["link"]["archive_url"] == H.snapshot(H.FERRY_STAMP, H.FERRY)
    assert ferry["page"]["from_archive"] is True
    assert ferry["page"]["title"] == "Ferry service suspended for winter"
    for check in ("title", "date", "outlet"):
        assert ferry["checks"][check]["source"] == "archive"
    assert ferry["checks"]["title"]["verdict"] == "match"
    assert ferry["checks"]["date"]["verdict"] == "match"
    (doc,) = replayed[1]["documents"]
    offered = [f for f in doc["findings"] if f["rule"] == "archive-available"]
    assert ("fn-3", ferry["link"]["archive_url"]) in {
        (f["citation"], f["suggestion"]) for f in offered
    }


def test_availability_api_is_the_fallback_when_cdx_is_empty(
    citations: dict[str, dict[str, Any]],
) -> None:
    lighthouse = citations["fn-7"]
    assert lighthouse["link"]["verdict"] == "timeout"
    assert lighthouse["link"]["archive_url"] == H.snapshot(H.LIGHTHOUSE_STAMP, H.LIGHTHOUSE)
    assert lighthouse["page"]["from_archive"] is True
    assert lighthouse["checks"]["date"]["verdict"] == "match"


def test_a_snapshot_that_is_itself_a_bot_wall_is_not_offered(
    citations: dict[str, dict[str, Any]],
) -> None:
    cranes = citations["fn-5"]
    assert cranes["link"]["verdict"] == "blocked"
    assert cranes["link"]["archive_url"] is None


def test_live_pages_are_not_marked_archived(citations: dict[str, dict[str, Any]]) -> None:
    assert citations["fn-1"]["page"]["from_archive"] is False
    assert citations["fn-1"]["checks"]["title"]["source"] == "live"


def test_no_archive_flag_skips_the_wayback_machine(tmp_path: Path, sockets_off: None) -> None:
    _, report = _audit(tmp_path, "--no-archive")
    cites = _by_id(report)
    for cid in ("fn-3", "fn-7"):
        assert cites[cid]["link"]["archive_url"] is None
        assert cites[cid]["page"] is None
    assert cites["fn-3"]["link"]["verdict"] == "dead"
    assert cites["fn-3"]["checks"]["title"]["verdict"] == "unknown"
    assert ("archive-available", "fn-3") not in _rules(report)
    assert ("dead-link", "fn-3") in _rules(report)


FAILED_LINKS = ("fn-3", "fn-4", "fn-5", "fn-7", "fn-8", "fn-9", "fn-13", "fn-14")
"""dead, soft_404, blocked, timeout, error, invalid_url, and two more dead (see the verdicts)."""


def test_broken_list_names_every_failed_link_once_in_article_order(
    tmp_path: Path, sockets_off: None, citations: dict[str, dict[str, Any]]
) -> None:
    listing = tmp_path / "out" / "broken.txt"
    code, report = _audit(tmp_path, "--broken-list", str(listing))
    expected = [citations[cid]["reference"]["url"] for cid in FAILED_LINKS]
    assert listing.read_text(encoding="utf-8").splitlines() == list(dict.fromkeys(expected))
    # The report and the exit code are those of a run without the list.
    assert code == 1
    verdicts = {k: (c["link"] or {}).get("verdict") for k, c in citations.items()}
    assert {k: (c["link"] or {}).get("verdict") for k, c in _by_id(report).items()} == verdicts


def test_broken_list_to_standard_output_after_the_report(
    tmp_path: Path, sockets_off: None, citations: dict[str, dict[str, Any]]
) -> None:
    code, out, _ = H.run_cli(
        ["check", ARTICLE, "--replay", CASSETTE, "--broken-list", "-", "--format", "github"],
        tmp_path,
    )
    lines = out.splitlines()
    annotations = [n for n, line in enumerate(lines) if line.startswith("::")]
    listed = lines[annotations[-1] + 1 :]
    assert code == 1
    assert listed == list(dict.fromkeys(citations[cid]["reference"]["url"] for cid in FAILED_LINKS))


def test_an_unwritable_broken_list_is_a_one_line_error(tmp_path: Path, sockets_off: None) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    code, _, err = H.run_cli(
        ["check", ARTICLE, "--replay", CASSETTE, "--broken-list", str(blocker / "broken.txt")],
        tmp_path,
    )
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("citeaudit: error: ") and "cannot write" in err
    assert "Traceback" not in err


def test_offline_checks_nothing_and_needs_no_cassette(tmp_path: Path, sockets_off: None) -> None:
    code, out, _ = H.run_cli(["check", ARTICLE, "--offline", "--format", "json"], tmp_path)
    report = H.validate_report(out)
    assert report["offline"] is True
    verdicts = {cid: c["link"]["verdict"] for cid, c in _by_id(report).items()}
    # An invalid URL is judged without fetching; everything else is left unchecked.
    assert verdicts.pop("fn-9") == "invalid_url"
    assert set(verdicts.values()) == {"not_checked"}
    assert all(c["page"] is None for c in _by_id(report).values())
    assert code == 1  # the invalid URL is an error finding even offline
