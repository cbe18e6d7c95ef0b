"""The benchmark's pure parts: the broken-URL adapter and the one comparison table.

Reports and results here are small synthetic dicts shaped like citeaudit's JSON report and the
shared harness's results.json. Nothing is timed and no benchmark runs.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[3] / "bench"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


broken_list = _load("broken_list")
compare = _load("compare")


def _citation(url: str | None, verdict: str | None) -> dict[str, object]:
    return {"reference": {"url": url}, "link": None if verdict is None else {"verdict": verdict}}


REPORT = {
    "documents": [
        {
            "citations": [
                _citation("http://a.example/ok", "ok"),
                _citation("http://a.example/gone", "dead"),
                _citation("http://a.example/moved", "redirected"),
                _citation("http://a.example/wall", "blocked"),
                _citation("http://a.example/gone", "dead"),  # cited twice: listed once
                _citation(None, "not_checked"),
                _citation("http://a.example/soft", "soft_404"),
                _citation("http://a.example/paid", "paywalled"),
                _citation("http://a.example/attrib", None),
            ]
        },
        {"citations": [_citation("http://b.example/slow", "timeout")]},
    ]
}


def test_broken_list_keeps_unreadable_links_once_in_report_order() -> None:
    assert broken_list.broken_urls(REPORT) == [
        "http://a.example/gone",
        "http://a.example/wall",
        "http://a.example/soft",
        "http://b.example/slow",
    ]


def test_broken_list_survives_odd_reports() -> None:
    assert broken_list.broken_urls({}) == []
    assert broken_list.broken_urls({"documents": "nonsense"}) == []
    assert broken_list.broken_urls({"documents": [{"citations": [1, None, {}]}]}) == []


def test_broken_list_cli_writes_one_url_a_line(tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    report.write_text(json.dumps(REPORT), encoding="utf-8")
    out = tmp_path / "broken.txt"
    assert broken_list.main([str(report), str(out)]) == 0
    assert out.read_text(encoding="utf-8").splitlines()[0] == "http://a.example/gone"
    assert broken_list.main([str(tmp_path / "missing.json"), str(out)]) == 2


RESULTS = {
    "corpus": {"expected_broken_unique": 60},
    "tools": [
        {"tool": "lychee_eq", "runs": [{"wall_s": 1.2, "rss_mb": 30.0, "broken_found": 60}]},
        {
            "tool": "ours",
            "runs": [
                {"wall_s": 2.0, "rss_mb": 90.0, "broken_found": 59, "false_pos": 1},
                {"wall_s": 2.4, "rss_mb": 95.0},
                {"wall_s": 1.8, "rss_mb": 91.0},
            ],
        },
    ],
}


def test_table_gives_median_wall_ratios_memory_and_correctness() -> None:
    rows = compare.rows_from_results(RESULTS, 1000)
    table = compare.render_table(rows, {1000: 0.9}, "lychee_eq")
    lines = table.splitlines()
    assert lines[0].split("|")[1:-1] == [
        " tool ",
        " links ",
        " wall s ",
        " x lychee_eq ",
        " x ideal ",
        " peak MB ",
        " broken found / planted ",
    ]
    ours = [cell.strip() for cell in lines[3].split("|")[1:-1]]
    assert ours == [
        "ours",
        "1000",
        "2.00 (2.00/2.40/1.80)",
        "1.67x",
        "2.22x",
        "95",
        "59/60 (+1 false)",
    ]
    lychee = [cell.strip() for cell in lines[2].split("|")[1:-1]]
    assert lychee[3:] == ["1.00x", "1.33x", "30", "60/60"]


def test_missing_figures_show_as_dashes() -> None:
    row = compare.Row("ours", 3000, None, (), None, None, 178, None)
    table = compare.render_table([row], {}, "lychee_eq")
    assert table.splitlines()[2] == "| ours | 3000 | - | - | - | - | - |"


def test_only_installed_peers_are_run() -> None:
    have = {"lychee": True, "linkinator": False, "linkchecker": False, "ref_httpx": True}
    tools = ["lychee_eq", "linkinator", "linkchecker_t50", "ref_httpx", "ours"]
    assert compare.usable_tools(tools, have) == ["lychee_eq", "ref_httpx", "ours"]


def test_our_command_fills_the_harness_slot() -> None:
    cmd = compare.our_command()
    assert cmd.count("{MD}") == 1 and cmd.count("{BROKEN}") == 3
    assert "--per-host 10 --concurrency 128" in cmd and "--no-cache" in cmd
    assert "broken_list.py" in cmd
