"""Local test servers for the fetch engine: a fake web on 127.0.0.1 and a forward proxy.

Every page served here is synthetic, written for these tests. The web server counts requests
per path and the most requests it handled at once, so tests can check politeness; it also
trickles bytes, sends gzip bombs, loops redirects and speaks broken HTTP on purpose.
Test files load it by path (see `_load_fetchserver` in each), since test folders are not
packages.
"""

from __future__ import annotations

import contextlib
import gzip
import http.client
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
    "<body><h1>{title}</h1><p>{text}</p></body></html>"
)


def page(title: str, text: str = "A synthetic page for the citeaudit tests.") -> bytes:
    """A small HTML page."""
    return PAGE.format(title=title, text=text).encode("utf-8")


BOMB = gzip.compress(b"\0" * (8 * 1024 * 1024), 9)
"""8 MB of zeros in about 8 KB: inflates far past the caps the tests set."""

PAYWALL = page("Members only story").replace(
    b"</head>",
    b'<script type="application/ld+json">{"@type":"NewsArticle",'
    b'"isAccessibleForFree": false}</script></head>',
)

# path -> (status, headers, body); dynamic routes are handled in the handler.
STATIC: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/": (200, {"content-type": "text/html"}, page("Synthetic Times: front page")),
    "/story": (200, {"content-type": "text/html; charset=utf-8"}, page("Harbour vote passes")),
    "/story2": (200, {"content-type": "text/html"}, page("Second synthetic story")),
    "/notfound": (404, {"content-type": "text/html"}, page("Not here")),
    "/gone": (410, {"content-type": "text/html"}, page("Gone")),
    "/soft404": (200, {"content-type": "text/html"}, page("Page not found | Synthetic Times")),
    "/moved": (301, {"location": "/story"}, b""),
    "/temp": (302, {"location": "/story2"}, b""),
    "/chain": (302, {"location": "/moved"}, b""),
    "/to-home": (301, {"location": "/"}, b""),
    "/to-dead": (301, {"location": "/notfound"}, b""),
    "/loop-a": (302, {"location": "/loop-b"}, b""),
    "/loop-b": (302, {"location": "/loop-a"}, b""),
    "/to-ftp": (302, {"location": "ftp://files.example/x"}, b""),
    "/forbidden": (403, {"content-type": "text/html"}, page("Forbidden")),
    "/unauthorized": (401, {"content-type": "text/html"}, page("Log in")),
    "/li": (999, {"content-type": "text/html"}, page("Request denied")),
    "/cloudflare": (
        403,
        {"content-type": "text/html", "server": "cloudflare"},
        page("Just a moment..."),
    ),
    "/attention": (403, {"content-type": "text/html"}, page("Attention Required! | Cloudflare")),
    "/datadome": (403, {"content-type": "text/html", "x-datadome": "protected"}, page("x")),
    "/awswaf": (202, {"content-type": "text/html", "x-amzn-waf-action": "challenge"}, b""),
    "/robot": (302, {"location": "/tosv2.html?vid=1&uuid=2"}, b""),
    "/tosv2.html": (200, {"content-type": "text/html"}, page("Are you a robot?")),
    "/paywall": (200, {"content-type": "text/html"}, PAYWALL),
    "/ratelimit": (429, {"content-type": "text/html", "retry-after": "1"}, page("Slow down")),
    "/bomb": (200, {"content-type": "text/html", "content-encoding": "gzip"}, BOMB),
    "/gzip": (
        200,
        {"content-type": "text/html", "content-encoding": "gzip"},
        gzip.compress(page("Compressed synthetic story")),
    ),
    "/binary": (200, {"content-type": "application/pdf"}, b"%PDF-1.4\n\xff\xfe\x00\x01 binary"),
    "/setcookie": (
        200,
        {"content-type": "text/html", "set-cookie": "session=SECRET-TOKEN; HttpOnly"},
        page("Cookie page"),
    ),
    "/big": (200, {"content-type": "text/html"}, b"<html><title>Big</title>" + b"x" * 300_000),
}


class QuietServer(ThreadingHTTPServer):
    """Clients that hang up early (deadlines, caps) are expected here: no tracebacks."""

    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request: object, client_address: object) -> None:
        pass


class FakeWeb:
    """A threaded HTTP/1.1 server on 127.0.0.1 with counters; start() and stop()."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.active = 0
        self.max_active = 0
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        web = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                with web.lock:
                    web.hits[parts.path] += 1
                    web.active += 1
                    web.max_active = max(web.max_active, web.active)
                    count = web.hits[parts.path]
                try:
                    web.serve(self, parts.path, parse_qs(parts.query), count)
                finally:
                    with web.lock:
                        web.active -= 1

        self.server = QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.request_queue_size = 128
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str) -> str:
        """The full URL of a path on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> FakeWeb:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()

    def serve(
        self, h: BaseHTTPRequestHandler, path: str, query: dict[str, list[str]], count: int
    ) -> None:
        if path in STATIC:
            status, headers, body = STATIC[path]
            return self.send(h, status, headers, body)
        if path == "/to-private":
            return self.send(h, 302, {"location": self.url("/story")}, b"")
        if path == "/slow":
            time.sleep(float(query.get("s", ["0.15"])[0]))
            return self.send(h, 200, {"content-type": "text/html"}, page("Slow story"))
        if path.startswith("/flaky"):
            # Fails `fail` times with 503 + Retry-After, then answers 200.
            fail = int(query.get("fail", ["1"])[0])
            if count <= fail:
                return self.send(h, 503, {"retry-after": "1"}, page("Busy"))
            return self.send(h, 200, {"content-type": "text/html"}, page("Recovered story"))
        if path == "/trickle":
            h.send_response(200)
            h.send_header("content-type", "text/html")
            h.send_header("content-length", "100000")
            h.end_headers()
            for _ in range(200):
                if self.stopping.is_set():
                    return None
                try:
                    h.wfile.write(b"x")
                    h.wfile.flush()
                except OSError:
                    return None
                time.sleep(0.1)
            return None
        if path == "/garbage":
            h.wfile.write(b"THIS IS NOT HTTP\r\n\r\n")
            h.close_connection = True
            return None
        return self.send(h, 404, {"content-type": "text/html"}, page("No such test page"))

    @staticmethod
    def send(h: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes) -> None:
        h.send_response(status)
        for k, v in headers.items():
            h.send_header(k, v)
        h.send_header("content-length", str(len(body)))
        h.end_headers()
        with contextlib.suppress(OSError):
            h.wfile.write(body)


class ForwardProxy:
    """A plain HTTP forward proxy (no CONNECT) that sends every request to one upstream."""

    def __init__(self, upstream_port: int) -> None:
        self.requests: list[str] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                proxy.requests.append(self.path)
                target = urlsplit(self.path)
                path = target.path + (f"?{target.query}" if target.query else "")
                conn = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=5)
                try:
                    conn.request("GET", path, headers={"host": target.netloc})
                    resp = conn.getresponse()
                    body = resp.read()
                    self.send_response(resp.status)
                    for k, v in resp.getheaders():
                        if k.lower() not in ("content-length", "transfer-encoding", "connection"):
                            self.send_header(k, v)
                    self.send_header("content-length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                finally:
                    conn.close()

        self.server = QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ForwardProxy:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    """A port with nothing listening on it (bound, then released)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serve_pages(
    pages: Mapping[str, bytes], default: bytes | None = None, hits: Counter[str] | None = None
) -> Iterator[str]:
    """Serve fixed HTML pages on 127.0.0.1 for a `with` block; yields the base URL.

    A path not in `pages` gets `default` (200) when one is given, else a 404 page. `hits`, when
    given, counts the requests for each path.
    """

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            if hits is not None:
                hits[self.path] += 1
            body = pages.get(self.path, default)
            status = 200 if body is not None else 404
            body = body if body is not None else page("Not here")
            self.send_response(status)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
