"""The parsed default list is read back from disk, and never trusted when anything changed."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from audit import tiers
from audit.tiers import Outlet, default_outlets_checked, default_rules_dir
from audit.tiers_cache import load_or_build


@dataclass(frozen=True)
class Item:
    name: str
    tags: tuple[str, ...] = ()
    size: int | None = None


class Builder:
    """Counts how often the slow path runs."""

    def __init__(self, items: list[Item]) -> None:
        self.items, self.calls = items, 0

    def __call__(self) -> list[Item]:
        self.calls += 1
        return self.items


@pytest.fixture
def rules(tmp_path: Path) -> list[Path]:
    files = [tmp_path / "01-a.toml", tmp_path / "02-b.toml"]
    for i, path in enumerate(files):
        path.write_text(f"version = 1\n# file {i}\n", encoding="utf-8")
    return files


ITEMS = [Item("Example Wire", ("wire.example",), 1), Item("Example Daily")]


def test_the_second_load_comes_from_the_cache(rules: list[Path], tmp_path: Path) -> None:
    build = Builder(ITEMS)
    first = load_or_build(rules, build, Item, tmp_path / "cache")
    second = load_or_build(rules, build, Item, tmp_path / "cache")
    assert first == second == tuple(ITEMS)
    assert build.calls == 1


def test_an_edited_rules_file_is_parsed_afresh(rules: list[Path], tmp_path: Path) -> None:
    build = Builder(ITEMS)
    load_or_build(rules, build, Item, tmp_path / "cache")
    rules[1].write_text("version = 1\n# edited\n", encoding="utf-8")
    load_or_build(rules, build, Item, tmp_path / "cache")
    assert build.calls == 2
    assert len(list((tmp_path / "cache").glob("default-*.json"))) == 1  # the old one is gone


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # truncated
        lambda text: text.replace("Example Wire", "Example Wyre"),  # hand-edited
        lambda text: "not json at all",
    ],
)
def test_a_damaged_cache_file_is_not_used(
    rules: list[Path], tmp_path: Path, damage: Callable[[str], str]
) -> None:
    build = Builder(ITEMS)
    load_or_build(rules, build, Item, tmp_path / "cache")
    (cached,) = (tmp_path / "cache").glob("default-*.json")
    cached.write_text(damage(cached.read_text(encoding="utf-8")), encoding="utf-8")
    assert load_or_build(rules, build, Item, tmp_path / "cache") == tuple(ITEMS)
    assert build.calls == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_cache_folder_costs_nothing_but_the_time(
    rules: list[Path], tmp_path: Path
) -> None:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o500)
    build = Builder(ITEMS)
    assert load_or_build(rules, build, Item, folder) == tuple(ITEMS)
    assert load_or_build(rules, build, Item, folder) == tuple(ITEMS)
    assert build.calls == 2


def test_a_cache_folder_that_is_a_file_costs_nothing_but_the_time(
    rules: list[Path], tmp_path: Path
) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("in the way", encoding="utf-8")
    build = Builder(ITEMS)
    assert load_or_build(rules, build, Item, blocker) == tuple(ITEMS)
    assert build.calls == 1


def test_the_default_list_read_back_is_the_list_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CITEAUDIT_TIERS_CACHE", str(tmp_path / "tiers"))
    parsed, problems = default_outlets_checked(default_rules_dir())
    assert not problems
    for _ in range(2):  # written, then read back
        tiers._default_outlets.cache_clear()
        outlets = tiers._default_outlets(str(default_rules_dir()))
        assert outlets == tuple(parsed)
        assert all(isinstance(o, Outlet) and isinstance(o.domains, tuple) for o in outlets)
    assert len(list((tmp_path / "tiers").glob("default-*.json"))) == 1
    tiers._default_outlets.cache_clear()


def test_the_cache_can_be_switched_off(rules: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITEAUDIT_TIERS_CACHE", "off")
    build = Builder(ITEMS)
    load_or_build(rules, build, Item)
    load_or_build(rules, build, Item)
    assert build.calls == 2
