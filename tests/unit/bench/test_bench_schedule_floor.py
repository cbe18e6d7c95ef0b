"""bench/schedule_floor.py's simulated checker: caps held, chains sequential, policies differ.

The corpora here are tiny hand-made lists of (host, redirect hops); nothing is fetched or timed.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_schedule_floor", BENCH / "schedule_floor.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


floor = _load()
POLICIES = ("fifo", "hops first", "oracle")


@pytest.mark.parametrize("policy", POLICIES)
def test_the_per_host_cap_makes_rounds(policy: str) -> None:
    links = [floor.Link("a", 0)] * 25  # 25 requests to one host, 10 at a time: 3 rounds
    assert floor.simulate(links, policy, 10, 128, 0.1) == pytest.approx(0.3)


@pytest.mark.parametrize("policy", POLICIES)
def test_the_global_cap_holds_across_hosts(policy: str) -> None:
    links = [floor.Link(h, 0) for h in "abc" for _ in range(10)]  # 30 requests, 10 in all
    assert floor.simulate(links, policy, 10, 10, 0.1) == pytest.approx(0.3)


@pytest.mark.parametrize("policy", POLICIES)
def test_a_chain_is_sequential_whatever_the_room(policy: str) -> None:
    links = [floor.Link("a", 3)]  # 3 redirects, then the page: 4 round trips
    assert floor.simulate(links, policy, 10, 128, 0.1) == pytest.approx(0.4)


def test_only_the_oracle_starts_the_long_chain_first() -> None:
    # Two slots; the chain cited last needs 3 round trips. Knowing that, start it first.
    links = [floor.Link("a", 0), floor.Link("b", 0), floor.Link("c", 2)]
    assert floor.simulate(links, "fifo", 10, 2, 0.1) == pytest.approx(0.4)
    assert floor.simulate(links, "hops first", 10, 2, 0.1) == pytest.approx(0.4)
    assert floor.simulate(links, "oracle", 10, 2, 0.1) == pytest.approx(0.3)


def test_hops_first_can_lose_to_first_come_first_served() -> None:
    # Two slots, three links that each redirect once. Hops first: the first two chains finish
    # before the third is even asked for (0.4 s); first come, first served finds the third
    # chain in the second round and overlaps its hop with the others' (0.3 s).
    links = [floor.Link("a", 1), floor.Link("b", 1), floor.Link("c", 1)]
    assert floor.simulate(links, "fifo", 10, 2, 0.1) == pytest.approx(0.3)
    assert floor.simulate(links, "hops first", 10, 2, 0.1) == pytest.approx(0.4)


def test_the_harness_ideal_takes_the_worse_of_the_host_and_global_bounds() -> None:
    manifest = {
        "per_host": {
            "a": {"requests": 25, "max_chain": 1},
            "b": {"requests": 5, "max_chain": 4},
        },
        "expected_requests_min": 30,
    }
    assert floor.harness_ideal(manifest, 10, 128, 0.1) == pytest.approx(0.4)  # b's chain
    assert floor.harness_ideal(manifest, 10, 2, 0.1) == pytest.approx(1.5)  # 30 requests, 2 at once
