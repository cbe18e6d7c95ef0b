"""How fast could any checker fetch the harness corpus, if it spent no CPU at all?

The harness's ideal (../shared/bench/make_corpus.py, `ideal_wall`, with the global cap as
report.py adds it) assumes every request can start the moment a slot is free, redirect hops
included, as though a client knew in advance which links redirect and how far. A real client
only learns that from the first answer. This script replays the corpus through a simulated
client with the same caps (10 per host, 128 in all, 100 ms per response, no CPU time) and
several queueing policies, and prints each one's finishing time next to the harness's ideal:

- `fifo`: each URL queued in the order the article cites it; a redirect's next hop joins the
  back of the queue (how citeaudit's fetcher and, by its timings, lychee behave);
- `hops first`: a redirect's next hop goes before every URL not yet started;
- `oracle`: URLs with the longest redirect chains start first and hops go first (needs the
  chain lengths, which the corpus manifest has and a client does not): the ideal's assumption.

Pure computation on the harness's manifest (corpus.json, which lists each URL's hops); nothing
is fetched.

    .venv/bin/python bench/schedule_floor.py [--links 1000 3000]
"""

from __future__ import annotations

import argparse
import heapq
import json
import math
import subprocess
import sys
import tempfile
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HARNESS = (Path(__file__).resolve().parents[1] / ".." / "shared" / "bench").resolve()


@dataclass(frozen=True)
class Link:
    """One distinct URL of the corpus: its host and how many redirect hops precede the page."""

    host: str
    hops: int


def simulate(
    links: Sequence[Link], policy: str, per_host: int, total: int, latency: float
) -> float:
    """Seconds until the last answer, for a client that spends no time between events."""
    order = list(range(len(links)))
    if policy == "oracle":
        order.sort(key=lambda i: -links[i].hops)
    fresh: deque[tuple[int, int]] = deque((i, 0) for i in order)  # (link, request number)
    again: deque[tuple[int, int]] = deque()  # next hops, for "hops first"
    busy_host: dict[str, int] = {}
    busy = 0
    now = 0.0
    running: list[tuple[float, int, int]] = []  # (finish time, link, request number)

    def start_what_fits() -> None:
        nonlocal busy
        for queue in (again, fresh):
            # A request blocked by its host's cap does not hold up the others behind it.
            waiting: deque[tuple[int, int]] = deque()
            while queue and busy < total:
                item = queue.popleft()
                host = links[item[0]].host
                if busy_host.get(host, 0) >= per_host:
                    waiting.append(item)
                    continue
                busy_host[host] = busy_host.get(host, 0) + 1
                busy += 1
                heapq.heappush(running, (now + latency, item[0], item[1]))
            waiting.extend(queue)
            queue.clear()
            queue.extend(waiting)

    start_what_fits()
    while running:
        now, link, number = heapq.heappop(running)
        busy -= 1
        busy_host[links[link].host] -= 1
        if number < links[link].hops:  # a redirect: the next hop must be requested
            (fresh if policy == "fifo" else again).append((link, number + 1))
        start_what_fits()
    return now


def harness_ideal(manifest: dict[str, object], per_host: int, total: int, latency: float) -> float:
    """The harness's floor: redirect-aware per-host bound, and the global cap's bound."""
    per = manifest["per_host"]
    assert isinstance(per, dict)
    worst = max(
        max(math.ceil(h["requests"] / per_host), h["max_chain"]) * latency for h in per.values()
    )
    requests = manifest["expected_requests_min"]
    assert isinstance(requests, int)
    return max(worst, math.ceil(requests / total) * latency)


def corpus(links: int, work: Path) -> dict[str, object]:
    """The harness's manifest for a corpus of `links` links (its default seed and hosts)."""
    subprocess.run(
        [sys.executable, "-I", str(HARNESS / "make_corpus.py"), "-n", str(links),
         "--hosts", "50", "--out-dir", str(work), "--name", f"corpus{links}"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    manifest: dict[str, object] = json.loads((work / f"corpus{links}.json").read_text())
    return manifest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, nargs="+", default=[1000, 3000])
    parser.add_argument("--per-host", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=128)
    parser.add_argument("--latency-ms", type=float, default=100.0)
    args = parser.parse_args()
    latency = args.latency_ms / 1000
    print("| links | requests | harness ideal s | fifo s | hops first s | oracle s |")
    print("|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="citeaudit-floor-") as tmp:
        for n in args.links:
            manifest = corpus(n, Path(tmp))
            entries = manifest["urls"]
            assert isinstance(entries, list)
            links = [Link(e["host"], int(e["hops"])) for e in entries]
            times = [
                simulate(links, policy, args.per_host, args.concurrency, latency)
                for policy in ("fifo", "hops first", "oracle")
            ]
            ideal = harness_ideal(manifest, args.per_host, args.concurrency, latency)
            requests = sum(link.hops + 1 for link in links)
            cells = " | ".join(f"{t:.2f}" for t in times)
            print(f"| {n} | {requests} | {ideal:.2f} | {cells} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
