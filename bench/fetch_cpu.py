"""CPU per URL of the fetch engine on the shared fake web, and per-page costs around it.

Runs `audit.fetch.fetcher.fetch_all` over a harness corpus (../shared/bench, by path) against a
fresh fake web, with and without the pipeline's page digest, on the lean transport and on
httpcore (`CITEAUDIT_TRANSPORT=httpcore`); then times the link verdict (`classify`) and the digest
on bench/eval_meta.py's 151 KB news page, the digest also on a thread pool of 1-3 workers.

    .venv/bin/python bench/fetch_cpu.py [--links 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from compare import HARNESS, _FakeWeb, free_port
from eval_meta import big_page

from audit.fetch.fetcher import Digest, fetch_all
from audit.fetch.options import FetchOptions
from audit.fetch.verdicts import HEAD_CHARS, Exchange, classify
from audit.meta import digest
from audit.pipeline import _digest


def fetch_run(urls: list[str], port: int, work: Path, dig: Digest | None) -> tuple[float, float]:
    """(wall s, CPU s) of one fetch of every URL against a fresh fake web."""
    opts = FetchOptions(concurrency=128, per_host=10, allow_private=True, use_cache=False)
    with _FakeWeb(port, work / "fw.json"):
        wall, cpu = time.perf_counter(), time.process_time()
        asyncio.run(fetch_all(urls, opts, dig))
        return time.perf_counter() - wall, time.process_time() - cpu


def per_call_ms(fn: Callable[[], object], runs: int) -> float:
    """Median wall milliseconds of `fn` over `runs` calls, after one warm-up."""
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=1000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="citeaudit-fetchcpu-"))
    port = free_port()
    subprocess.run(
        [sys.executable, "-I", str(HARNESS / "make_corpus.py"), "-n", str(args.links),
         "--hosts", "50", "--port", str(port), "--out-dir", str(work), "--name", "corpus"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    urls = [u.strip() for u in (work / "corpus.txt").read_text().splitlines() if u.strip()]
    unique = len(set(urls))
    print("| transport | digest | wall s | CPU s | CPU ms per URL |")
    print("|---|---|---:|---:|---:|")
    for transport in ("wire", "httpcore"):
        os.environ["CITEAUDIT_TRANSPORT"] = transport
        for label, dig in (("no", None), ("yes", _digest)):
            wall, cpu = fetch_run(urls, port, work, dig)
            print(f"| {transport} | {label} | {wall:.2f} | {cpu:.2f} | {cpu / unique * 1000:.2f} |")
    os.environ.pop("CITEAUDIT_TRANSPORT", None)

    url, body = big_page()
    head = body.decode("utf-8", "replace")[:HEAD_CHARS]
    ex = Exchange(url, url, 200, (), {"content-type": "text/html"}, "text/html", head)
    print(f"\nclassify on a {len(body) / 1024:.0f} KB page: "
          f"{per_call_ms(lambda: classify(ex), 200):.2f} ms")  # fmt: skip
    n = 100
    for workers in (1, 2, 3):
        with ThreadPoolExecutor(workers) as pool:
            start = time.perf_counter()
            list(pool.map(lambda _: digest(url, url, "text/html", body, {}), range(n)))
            wall = (time.perf_counter() - start) / n * 1000
        print(f"digest on a thread pool of {workers}: {wall:.2f} ms per page (wall)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
