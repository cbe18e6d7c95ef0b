"""A hostile web on 127.0.0.1 for the failure matrix (tests/integration/test_hostile_web_*).

Every page here is synthetic, written for these tests. Each route misbehaves in one way a real
server could: bombs, endless or trickling bodies, header floods, redirect games, lying content
types, odd encodings and titles built to break a terminal or a report. The server records the
headers of every request, so a test can prove what the auditor did NOT send. It binds to
127.0.0.1 only. Test files load it by path (test folders are not packages).
"""

from __future__ import annotations

import contextlib
import os
import socket
import ssl
import subprocess
import threading
import time
import zlib
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

GOOD_TITLE = "Harbour vote passes after long night"
"""The title of the well-behaved page every hostile article also cites."""

SJIS_TITLE = "港の投票が可決された"
CP1251_TITLE = "Голосование в гавани прошло"
SCRIPT_TITLE = '<script>alert("pwned")</script> & <img src=x onerror=alert(1)>'
ESCAPE_TITLE = (
    "Red\x1b[31mALERT\x1b[0m \x1b]8;;http://evil.example\x07click\x1b]8;;\x07 bell\x07 end"
)


def html_page(title: str, text: str = "A synthetic page for the hostile-web tests.") -> str:
    """A small HTML page with no charset of its own (callers add what they need)."""
    head = f"<!doctype html><html><head><title>{title}</title></head>"
    return f"{head}<body><h1>{title}</h1><p>{text}</p></body></html>"


def meta_charset_page(title: str, charset: str) -> bytes:
    """A page whose encoding is declared only in a <meta> tag, encoded in that charset."""
    doc = (
        f'<!doctype html><html><head><meta http-equiv="Content-Type" '
        f'content="text/html; charset={charset}"><title>{title}</title></head>'
        f"<body><h1>{title}</h1><p>{title}</p></body></html>"
    )
    return doc.encode(charset)


Handler = Callable[["HostileWeb", BaseHTTPRequestHandler, dict[str, list[str]]], None]


class _Server(ThreadingHTTPServer):
    """The auditor hangs up on bombs and deadlines on purpose: no tracebacks for that."""

    daemon_threads = True
    request_queue_size = 128
    tls: ssl.SSLContext | None = None

    def get_request(self) -> tuple[socket.socket, Any]:
        # Each connection is wrapped here rather than wrapping the listening socket: the
        # standard SSLSocket.accept() drops the plain socket unclosed when a client has
        # already hung up, and that ResourceWarning would land on some later test.
        sock, addr = self.socket.accept()
        if self.tls is None:
            return sock, addr
        try:
            return (
                self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False),
                addr,
            )
        except BaseException:
            sock.close()
            raise

    def handle_error(self, request: object, client_address: object) -> None:
        pass


class HostileWeb:
    """A threaded HTTP/1.1 server on 127.0.0.1; `url(path)`, `start()`, `stop()`."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.scheme = "https" if tls else "http"
        web = self

        class Req(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                with web.lock:
                    web.requests.append(
                        (self.path, {k.lower(): v for k, v in self.headers.items()})
                    )
                route = ROUTES.get(parts.path)
                if route is None:
                    web.send(self, 404, {"content-type": "text/html"}, html_page("Not here"))
                    return
                route(web, self, parse_qs(parts.query))

        self.server = _Server(("127.0.0.1", 0), Req)
        self.server.tls = tls
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        """The full URL of a path on this server."""
        return f"{self.scheme}://{host}:{self.port}{path}"

    def start(self) -> HostileWeb:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()

    def headers_seen(self, path: str) -> list[dict[str, str]]:
        """The request headers of every request for `path` (query ignored)."""
        with self.lock:
            return [h for p, h in self.requests if urlsplit(p).path == path]

    @staticmethod
    def send(
        h: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes | str
    ) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        h.send_response(status)
        for k, v in headers.items():
            h.send_header(k, v)
        h.send_header("content-length", str(len(data)))
        h.end_headers()
        with contextlib.suppress(OSError):
            h.wfile.write(data)

    def stream(
        self,
        h: BaseHTTPRequestHandler,
        headers: dict[str, str],
        chunks: Callable[[], bytes],
        pause: float = 0.0,
        limit_s: float = 30.0,
    ) -> None:
        """Send a body with no length and no end: chunks until the client hangs up."""
        h.send_response(200)
        for k, v in headers.items():
            h.send_header(k, v)
        h.send_header("connection", "close")
        h.end_headers()
        h.close_connection = True
        end = time.monotonic() + limit_s  # a safety net so a broken test cannot spin forever
        while not self.stopping.is_set() and time.monotonic() < end:
            try:
                h.wfile.write(chunks())
                h.wfile.flush()
            except OSError:
                return
            if pause:
                time.sleep(pause)


def _good(web: HostileWeb, h: BaseHTTPRequestHandler, q: dict[str, list[str]]) -> None:
    web.send(h, 200, {"content-type": "text/html; charset=utf-8"}, html_page(GOOD_TITLE))


def _gzip_bomb(web: HostileWeb, h: BaseHTTPRequestHandler, q: dict[str, list[str]]) -> None:
    # An endless gzip stream of zeros: about 1 KB on the wire for every MB it inflates to.
    comp = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    zeros = b"\0" * (1 << 20)
    headers = {"content-type": "text/html", "content-encoding": "gzip"}
    web.stream(h, headers, lambda: comp.compress(zeros) + comp.flush(zlib.Z_SYNC_FLUSH))


def _br_bomb(web: HostileWeb, h: BaseHTTPRequestHandler, q: dict[str, list[str]]) -> None:
    # We never ask for br; a server that sends it anyway (here: endless bytes so labelled)
    # must be refused before a single byte is inflated.
    headers = {"content-type": "text/html", "content-encoding": "br"}
    web.stream(h, headers, lambda: b"\x1b\xff\xff\x07" * 16384)


def _endless(web: HostileWeb, h: BaseHTTPRequestHandler, q: dict[str, list[str]]) -> None:
    start = f"<html><head><title>{GOOD_TITLE}</title></head><body>".encode()
    sent = [False]

    def chunk() -> bytes:
        if not sent[0]:
            sent[0] = True
            return start
        return b"<p>and on and on</p>" * 3000

    web.stream(h, {"content-type": "text/html"}, chunk)


def _trickle(web: HostileWeb, h: BaseHTTPRequestHandler, q: dict[str, list[str]]) -> None:
    # A byte every 0.2 s: never idle long enough for a read timeout, never finished.
    web.stream(h, {"content-type": "text/html"}, lambda: b"<", pause=0.2)


def _many_headers(web: HostileWeb, h: BaseHTTPRequestHandler, q: dict[str, list[str]]) -> None:
    body = html_page("Header flood").encode()
    h.send_response(200)
    h.send_header("content-type", "text/html")
    for i in range(10_000):
        h.send_header(f"x-flood-{i}", "y" * 20)
    h.send_header("content-length", str(len(body)))
    h.end_headers()
    with contextlib.suppress(OSError):
        h.wfile.write(body)


def _redirect_forever(web: HostileWeb, h: BaseHTTPRequestHandler, q: dict[str, list[str]]) -> None:
    # Every hop is a new URL, so only the hop limit can stop it.
    n = int(q.get("n", ["0"])[0])
    web.send(h, 302, {"location": f"/forever?n={n + 1}"}, b"")


def _chain(web: HostileWeb, h: BaseHTTPRequestHandler, q: dict[str, list[str]]) -> None:
    left = int(q.get("left", ["50"])[0])
    if left <= 0:
        web.send(h, 200, {"content-type": "text/html"}, html_page("End of the chain"))
        return
    web.send(h, 302, {"location": f"/chain?left={left - 1}"}, b"")


def _redirect_to(web: HostileWeb, h: BaseHTTPRequestHandler, q: dict[str, list[str]]) -> None:
    web.send(h, 302, {"location": q.get("to", ["/good"])[0]}, b"")


def _wrong_type(web: HostileWeb, h: BaseHTTPRequestHandler, q: dict[str, list[str]]) -> None:
    web.send(h, 200, {"content-type": "image/png"}, html_page("Really an HTML page"))


def _no_type(web: HostileWeb, h: BaseHTTPRequestHandler, q: dict[str, list[str]]) -> None:
    web.send(h, 200, {}, html_page("A page with no content type"))


def _sjis(web: HostileWeb, h: BaseHTTPRequestHandler, q: dict[str, list[str]]) -> None:
    web.send(h, 200, {"content-type": "text/html"}, meta_charset_page(SJIS_TITLE, "shift_jis"))


def _cp1251(web: HostileWeb, h: BaseHTTPRequestHandler, q: dict[str, list[str]]) -> None:
    body = meta_charset_page(CP1251_TITLE, "windows-1251")
    web.send(h, 200, {"content-type": "text/html"}, body)


def _huge_title(web: HostileWeb, h: BaseHTTPRequestHandler, q: dict[str, list[str]]) -> None:
    web.send(h, 200, {"content-type": "text/html"}, html_page("Big " + "word " * 200_000))


def _escape_title(web: HostileWeb, h: BaseHTTPRequestHandler, q: dict[str, list[str]]) -> None:
    # Raw control bytes and escape sequences, as a server can put them in a title.
    body = f"<html><head><title>{ESCAPE_TITLE}</title></head><body>x</body></html>"
    web.send(h, 200, {"content-type": "text/html; charset=utf-8"}, body)


def _script_title(web: HostileWeb, h: BaseHTTPRequestHandler, q: dict[str, list[str]]) -> None:
    # Entity-encoded in the page, so the parsed title really is the markup string.
    esc = SCRIPT_TITLE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    body = f'<html><head><meta property="og:title" content="{esc.replace(chr(34), "&quot;")}">'
    body += f"<title>{esc}</title></head><body>x</body></html>"
    web.send(h, 200, {"content-type": "text/html; charset=utf-8"}, body)


def _slow(web: HostileWeb, h: BaseHTTPRequestHandler, q: dict[str, list[str]]) -> None:
    seconds = float(q.get("s", ["1"])[0])
    end = time.monotonic() + seconds
    while time.monotonic() < end and not web.stopping.is_set():
        time.sleep(0.05)
    web.send(h, 200, {"content-type": "text/html"}, html_page(f"Slow page {seconds:g}"))


ROUTES: dict[str, Handler] = {
    "/good": _good,
    "/gzip-bomb": _gzip_bomb,
    "/br-bomb": _br_bomb,
    "/endless": _endless,
    "/trickle": _trickle,
    "/many-headers": _many_headers,
    "/forever": _redirect_forever,
    "/chain": _chain,
    "/redirect": _redirect_to,
    "/wrong-type": _wrong_type,
    "/no-type": _no_type,
    "/sjis": _sjis,
    "/cp1251": _cp1251,
    "/huge-title": _huge_title,
    "/escape-title": _escape_title,
    "/script-title": _script_title,
    "/slow": _slow,
}


def self_signed_cert(directory: Path, host: str = "wrong.example") -> tuple[Path, Path]:
    """A throwaway self-signed certificate for `host` (openssl CLI): (cert, key) paths."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    done = subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", str(key), "-out", str(cert), "-subj", f"/CN={host}",
            "-addext", f"subjectAltName=DNS:{host}",
        ],
        capture_output=True,
        env={**os.environ, "OPENSSL_CONF": os.devnull},
        timeout=30,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"openssl failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    return cert, key


def tls_context(cert: Path, key: Path) -> ssl.SSLContext:
    """A server-side TLS context for the certificate."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    return ctx
