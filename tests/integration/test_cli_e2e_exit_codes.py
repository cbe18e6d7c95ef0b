"""End to end: exit codes with `--fail-on`, bad usage, and broken cassettes (JSON fields only).

Exit codes are the CI contract: 0 nothing at or above the threshold, 1 findings at or above it,
2 bad usage or an unusable input (here: a cassette that is missing or not a cassette).
"""

from __future__ import annotations

from pathlib import Path

import e2e_cassettes as H
import pytest

VERDICTS = ["check", str(H.VERDICTS_ARTICLE), "--replay", str(H.VERDICTS_CASSETTE)]
CLEAN = ["check", str(H.CLEAN_ARTICLE), "--replay", str(H.VERDICTS_CASSETTE)]


def _severities(out: str) -> set[str]:
    report = H.validate_report(out)
    return {f["severity"] for d in report["documents"] for f in d["findings"]}


@pytest.mark.parametrize(
    ("args", "fail_on", "expected"),
    [
        (VERDICTS, None, 1),  # default threshold: error; the article has dead links
        (VERDICTS, "error", 1),
        (VERDICTS, "never", 0),
        (CLEAN, "error", 0),
        (CLEAN, "warning", 0),
        (CLEAN, "info", 1),  # its outlet is not in the tier list: one info finding
    ],
)
def test_exit_code_follows_the_threshold(
    tmp_path: Path, args: list[str], fail_on: str | None, expected: int
) -> None:
    flags = ["--format", "json"] + (["--fail-on", fail_on] if fail_on else [])
    code, out, _ = H.run_cli([*args, *flags], tmp_path)
    found = _severities(out)
    assert code == expected
    rank = {"info": 1, "warning": 2, "error": 3}
    threshold = rank.get(fail_on or "error", 99)
    assert (max((rank[s] for s in found), default=0) >= threshold) == (expected == 1)


def test_clean_article_reports_only_info(tmp_path: Path) -> None:
    code, out, _ = H.run_cli([*CLEAN, "--format", "json", "--fail-on", "warning"], tmp_path)
    assert code == 0
    assert _severities(out) == {"info"}
    (doc,) = H.validate_report(out)["documents"]
    (cite,) = doc["citations"]
    assert cite["link"]["verdict"] == "ok"
    assert {k: v["verdict"] for k, v in cite["checks"].items()} == {
        "title": "match",
        "date": "match",
        "outlet": "match",
        "quote": "n/a",
    }


@pytest.mark.parametrize(
    "extra",
    [
        ["--fail-on", "sometimes"],
        ["--format", "yaml"],
        ["--record", "out.json"],  # --record with --replay
        ["--concurrency", "0"],
    ],
)
def test_bad_usage_exits_2(tmp_path: Path, extra: list[str]) -> None:
    code, out, err = H.run_cli([*VERDICTS, *extra], tmp_path)
    assert code == 2
    assert out == ""
    assert err.startswith("citeaudit: error:")
    assert "Traceback" not in err


def test_missing_cassette_exits_2(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    code, _, err = H.run_cli(["check", str(H.VERDICTS_ARTICLE), "--replay", str(missing)], tmp_path)
    assert code == 2
    assert str(missing) in err


@pytest.mark.parametrize(
    "content",
    [
        '{"format": "citeaudit-cassette", "version": 1, "interactions": [',
        '{"format": "something-else", "version": 1, "interactions": []}',
        '{"format": "citeaudit-cassette", "version": 99, "interactions": []}',
        '{"format": "citeaudit-cassette", "version": 1, "interactions": [{"request": {}}]}',
    ],
)
def test_broken_cassette_exits_2_without_traceback(tmp_path: Path, content: str) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text(content, encoding="utf-8")
    code, out, err = H.run_cli(
        ["check", str(H.VERDICTS_ARTICLE), "--replay", str(broken), "--format", "json"], tmp_path
    )
    assert code == 2
    assert out == ""
    assert str(broken) in err
    assert "Traceback" not in err


def test_empty_cassette_leaves_every_link_not_checked(tmp_path: Path) -> None:
    empty = tmp_path / "empty.json"
    empty.write_text(
        '{"format": "citeaudit-cassette", "version": 1, "interactions": []}', encoding="utf-8"
    )
    code, out, _ = H.run_cli(
        ["check", str(H.CLEAN_ARTICLE), "--replay", str(empty), "--format", "json"], tmp_path
    )
    (doc,) = H.validate_report(out)["documents"]
    (cite,) = doc["citations"]
    assert (cite["link"]["verdict"], cite["link"]["reason"]) == ("not_checked", "not in cassette")
    assert code == 0
