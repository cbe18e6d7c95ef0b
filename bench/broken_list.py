"""Adapter for the shared link-check harness: citeaudit's JSON report in, broken URLs out.

The harness (../shared/bench/run_peers.sh) judges every tool by one contract: a file of broken
URLs, one a line. This reads a `citeaudit check --format json` report and writes that file.

    python bench/broken_list.py REPORT.json BROKEN.txt

"Broken" is every link verdict that says the cited page cannot be read as cited: dead,
soft_404, blocked, timeout, error and invalid_url. ok, redirected, paywalled and not_checked
are not broken. It runs inside the timed command, so it reads the report with orjson when the
environment has it (citeaudit depends on it; 3x faster on a 10 MB report), else with json.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from typing import Any

BROKEN_VERDICTS = frozenset({"dead", "soft_404", "blocked", "timeout", "error", "invalid_url"})
"""Verdicts counted as broken; lychee counts the same cases (4xx/5xx, bot walls, timeouts)."""


def broken_urls(report: Mapping[str, Any]) -> list[str]:
    """Distinct cited URLs whose link verdict is broken, in report order."""
    seen: dict[str, None] = {}
    for doc in _list(report.get("documents")):
        for citation in _list(doc.get("citations")):
            link = citation.get("link") or {}
            url = (citation.get("reference") or {}).get("url")
            if url and link.get("verdict") in BROKEN_VERDICTS:
                seen.setdefault(str(url), None)
    return list(seen)


def _list(value: object) -> Iterable[Mapping[str, Any]]:
    if isinstance(value, list):
        return [v for v in value if isinstance(v, dict)]
    return []


def _loads(data: bytes) -> Any:
    try:
        import orjson
    except ImportError:
        return json.loads(data)
    return orjson.loads(data)  # its JSONDecodeError is a ValueError


def main(argv: list[str]) -> int:
    """Convert REPORT.json into BROKEN.txt; exit 2 when the report is missing or unreadable."""
    if len(argv) != 2:
        print("usage: broken_list.py REPORT.json BROKEN.txt", file=sys.stderr)
        return 2
    try:
        with open(argv[0], "rb") as fh:
            report = _loads(fh.read())
    except (OSError, ValueError) as exc:
        print(f"broken_list: cannot read {argv[0]}: {exc}", file=sys.stderr)
        return 2
    urls = broken_urls(report if isinstance(report, dict) else {})
    with open(argv[1], "w", encoding="utf-8") as fh:
        fh.writelines(u + "\n" for u in urls)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
