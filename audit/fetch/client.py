"""Transports: one small connection pool per host, a vetting DNS step, proxies from env or flag.

Why one pool per host: with one shared httpx pool, httpcore's bookkeeping grows with requests
times connections and cost 2.5x the wall time in the benchmark (../shared/bench/README.md).
Why our own proxy handling: httpx mounts the environment's proxies only when no `transport=` is
given, and every transport here is our own, so HTTPS_PROXY / HTTP_PROXY / NO_PROXY are read here.
Direct connections use the lean transport in `wire.py`; proxied ones use httpcore's pools
(`pooled.py`, imported only then: httpcore costs 15 ms to import).
"""

from __future__ import annotations

import os
import ssl
import urllib.request

import httpx

from audit.fetch.options import FetchOptions
from audit.fetch.safety import resolve as resolve  # re-exported: the one place tests stub DNS

_SSL_CONTEXTS: dict[bool, ssl.SSLContext] = {}


def ssl_context(insecure: bool = False) -> ssl.SSLContext:
    """One SSL context per process (loading the CA bundle costs ~40 ms per client otherwise).

    SSL_CERT_FILE and SSL_CERT_DIR are honoured, as httpx does; else certifi's bundle.
    """
    ctx = _SSL_CONTEXTS.get(insecure)
    if ctx is None:
        ctx = httpx.create_ssl_context(verify=not insecure, trust_env=True)
        _SSL_CONTEXTS[insecure] = ctx
    return ctx


def proxy_for(url: httpx.URL, options: FetchOptions) -> str | None:
    """The proxy URL to use for `url`: `--proxy` first, else the environment, else None."""
    if options.proxy:
        return options.proxy
    proxies = urllib.request.getproxies_environment()
    if no_proxy_matches(url.host, url.port, proxies.get("no", "")):
        return None
    return proxies.get(url.scheme) or proxies.get("all") or None


def no_proxy_matches(host: str, port: int | None, no_proxy: str) -> bool:
    """True if NO_PROXY (comma-separated names, `.suffix` or `*`) exempts this host."""
    host = host.lower().strip("[]")
    for raw in no_proxy.split(","):
        entry = raw.strip().lower()
        if not entry:
            continue
        if entry == "*":
            return True
        name, _, entry_port = entry.partition(":") if entry.count(":") == 1 else (entry, "", "")
        if entry_port and port is not None and entry_port != str(port):
            continue
        name = name.lstrip(".")
        if host == name or host.endswith("." + name):
            return True
    return False


def transport_key(url: httpx.URL) -> tuple[str, str, int | None]:
    """Which per-host transport serves `url`: scheme, host and port."""
    return (url.scheme, url.host, url.port)


def build_transport(url: httpx.URL, options: FetchOptions) -> tuple[httpx.AsyncBaseTransport, bool]:
    """A new transport for the host of `url`, and whether it goes through a proxy.

    Direct connections use the lean transport in `wire.py` (a quarter of httpcore's CPU per
    request, see docs/performance.md); proxies, and `CITEAUDIT_TRANSPORT=httpcore` for
    comparison or as a fallback, use httpcore.
    """
    proxy = proxy_for(url, options)
    if proxy is None and os.environ.get("CITEAUDIT_TRANSPORT", "").lower() != "httpcore":
        from audit.fetch.wire import WireTransport

        tls = ssl_context(options.insecure) if url.scheme == "https" else None
        # `resolve` is read here, not bound in wire.py, so a test's stub DNS applies to both.
        return WireTransport(tls, options.allow_private, options.per_host, resolve), False
    from audit.fetch.pooled import HostTransport

    return HostTransport(options, proxy), proxy is not None
