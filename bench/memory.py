"""Peak memory of `citeaudit check` when every cited page is a realistic 151 KB news page.

The shared fake web serves small pages; this serves bench/eval_meta.py's synthetic 151 KB page
(about 30 KB of main text) from a local server on 127.0.0.1 at every path, writes an article
citing N distinct URLs, runs the CLI as a child process and reports its peak RSS and wall time.
With `--quote-every K`, every K-th citation quotes a passage of the page, so that page's main
text is extracted, held and searched (the others only need its metadata).

    .venv/bin/python bench/memory.py [--links 3000] [--quote-every 0] [--format json]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from compare import citeaudit_cmd
from eval_meta import big_page

_, PAGE = big_page()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("content-type", "text/html; charset=utf-8")
        self.send_header("content-length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=3000)
    parser.add_argument("--format", default="json", help="report format (json renders the most)")
    parser.add_argument(
        "--quote-every", type=int, default=0, help="every K-th citation quotes the page (0: none)"
    )
    args = parser.parse_args()
    from compare import compile_package  # a sibling script: bench/ is on sys.path

    compile_package()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    work = Path(tempfile.mkdtemp(prefix="citeaudit-memory-"))
    article = work / "article.md"
    quote = '"the harbour, its budget and the vote, as officials and residents argued" '
    every = args.quote_every
    article.write_text(
        "# Memory check\n\n"
        + "".join(
            f"Claim {i} {quote if every and i % every == 0 else ''}is in "
            f"[story {i}](http://127.0.0.1:{port}/news/{i}).\n\n"
            for i in range(args.links)
        ),
        encoding="utf-8",
    )
    cmd = [citeaudit_cmd(), "check", str(article), "--format", args.format, "--allow-private",
           "--no-archive", "--no-cache", "--quiet", "--fail-on", "never",
           "-o", str(work / "report.json")]  # fmt: skip
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    server.shutdown()
    quoting = ""
    if every:
        quoting = ", each quoting it" if every == 1 else f", one in {every} quoting it"
    print(
        f"{args.links} links to {len(PAGE) / 1024:.0f} KB pages{quoting}: peak RSS "
        f"{usage.ru_maxrss / 1024:.0f} MB, wall {wall:.1f} s, "
        f"exit {os.waitstatus_to_exitcode(status)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
