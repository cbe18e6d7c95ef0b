"""Transports: one small connection pool per host, a vetting DNS step, proxies from env or flag.

Why one pool per host: with one shared httpx pool, httpcore's bookkeeping grows with requests
times connections and cost 2.5x the wall time in the benchmark (../shared/bench/README.md).
Why our own proxy handling: httpx mounts the environment's proxies only when no `transport=` is
given, and every transport here is our own, so HTTPS_PROXY / HTTP_PROXY / NO_PROXY are read here.
Direct connections use the lean transport in `wire.py`; proxied ones use httpcore's pools below.
"""

from __future__ import annotations

import os
import ssl
import urllib.request
from collections.abc import Iterable

import httpcore
import httpx

from audit.fetch.options import FetchOptions
from audit.fetch.safety import pick_addresses, resolve

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


class VettingBackend(httpcore.AsyncNetworkBackend):
    """Resolves the host itself, refuses private addresses, and connects to a vetted address.

    Connecting to the address we checked (not re-resolving the name) closes the gap a
    DNS-rebinding server would use. TLS still verifies the certificate against the host name,
    since httpcore passes the origin's name to start_tls.
    """

    def __init__(self, allow_private: bool) -> None:
        self._inner = httpcore.AnyIOBackend()
        self._allow_private = allow_private

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = pick_addresses(host, await resolve(host, port), self._allow_private)
        error: Exception | None = None
        for address in addresses[:3]:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as exc:
                error = exc
        assert error is not None
        raise error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not used by citeaudit")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class HostTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with our pool: vetting backend, per-host size, optional proxy."""

    def __init__(self, options: FetchOptions, proxy: str | None) -> None:
        ctx = ssl_context(options.insecure)
        super().__init__(verify=ctx, trust_env=False)
        size = max(1, options.per_host)
        self._pool: httpcore.AsyncConnectionPool | httpcore.AsyncHTTPProxy
        if proxy is None:
            self._pool = httpcore.AsyncConnectionPool(
                ssl_context=ctx,
                max_connections=size,
                max_keepalive_connections=size,
                network_backend=VettingBackend(options.allow_private),
            )
        else:
            # The proxy itself may well sit on a private address (corporate proxies do), so
            # it is not vetted; the target's literal address and local names are checked
            # before any request is sent (see fetcher), because the proxy resolves names.
            purl = httpx.URL(proxy)
            if purl.scheme not in ("http", "https"):
                raise ValueError(f"proxy scheme {purl.scheme!r} is not http or https")
            self._pool = httpcore.AsyncHTTPProxy(
                proxy_url=httpcore.URL(
                    scheme=purl.raw_scheme, host=purl.raw_host, port=purl.port, target=b"/"
                ),
                proxy_auth=(purl.username.encode(), purl.password.encode())
                if purl.username
                else None,
                ssl_context=ctx,
                max_connections=size,
                max_keepalive_connections=size,
            )


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
    return HostTransport(options, proxy), proxy is not None
