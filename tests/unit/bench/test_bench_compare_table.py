"""The benchmark's pure parts: our slot in the harness, the broken-URL count and the one table.

Results here are small synthetic dicts shaped like the shared harness's results.json. Nothing
is timed and no benchmark runs.
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


compare = _load("compare")


def test_found_counts_planted_and_unplanted_urls_of_a_broken_list(tmp_path: Path) -> None:
    manifest = tmp_path / "corpus.json"
    manifest.write_text(json.dumps({"broken_urls": ["http://a.example/1", "http://a.example/2"]}))
    listing = tmp_path / "ours.broken"
    listing.write_text("http://a.example/1\nhttp://a.example/extra\n", encoding="utf-8")
    assert compare._found(listing, manifest) == (1, 1)
    assert compare._found(tmp_path / "missing", manifest) == (None, None)


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
    assert cmd.count("{MD}") == 1 and cmd.count("{BROKEN}") == 2
    assert "--per-host 10 --concurrency 128" in cmd and "--no-cache" in cmd
    assert "--broken-list {BROKEN}" in cmd
