"""Where an audit's wall time goes, stage by stage, on a harness corpus and a fresh fake web.

Wraps the pipeline's stage functions with timers (extract, fetch, checks, redaction), then
times the JSON rendering, in one process, as `citeaudit check --format json --no-cache
--no-archive --per-host 10 --concurrency 128` would run them. The fake web and the corpus come
from the shared harness (../shared/bench), by path.

    .venv/bin/python bench/phases.py [--links 3000]
"""

from __future__ import annotations

import argparse
import functools
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from compare import HARNESS, _FakeWeb, free_port

import audit.extract
import audit.pipeline as pipeline
import audit.redact
from audit.documents import read_source
from audit.fetch.options import FetchOptions
from audit.render.json import render_json

SPENT: dict[str, float] = {}


def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn`, adding its wall time to SPENT[name] on every call."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            SPENT[name] = SPENT.get(name, 0.0) + time.perf_counter() - start

    return wrapper


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=3000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="citeaudit-phases-"))
    port = free_port()
    subprocess.run(
        [sys.executable, "-I", str(HARNESS / "make_corpus.py"), "-n", str(args.links),
         "--hosts", "50", "--port", str(port), "--out-dir", str(work), "--name", "corpus"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    audit.extract.extract = timed("extract", audit.extract.extract)
    pipeline._fetch = timed("fetch", pipeline._fetch)
    # Citations are checked as their fetch completes, so most of "checks" overlaps "fetch".
    auditor = pipeline._Auditor
    auditor.audit = timed("checks and scores (most inside fetch)", auditor.audit)  # type: ignore[method-assign]
    auditor.document = timed("document reports", auditor.document)  # type: ignore[method-assign]
    pipeline.redact_report = timed("redact", pipeline.redact_report)
    options = pipeline.AuditOptions(
        fetch=FetchOptions(concurrency=128, per_host=10, allow_private=True, use_cache=False),
        archive=False,
    )
    with _FakeWeb(port, work / "fw.json"):
        start = time.perf_counter()
        report = pipeline.audit_sources([read_source(str(work / "corpus.md"))], options)
        total = time.perf_counter() - start
    start = time.perf_counter()
    render_json(report)
    SPENT["render_json"] = time.perf_counter() - start
    busy = json.loads((work / "fw.json").read_text())["totals"]["active_span_s"]
    print(f"| stage ({args.links} links) | seconds |\n|---|---:|")
    for name, seconds in SPENT.items():
        print(f"| {name} | {seconds:.2f} |")
    print(f"| audit_sources in all | {total:.2f} |")
    print(f"\nthe fake web was busy {busy:.2f} s of the fetch phase")
    return 0


if __name__ == "__main__":
    sys.exit(main())
