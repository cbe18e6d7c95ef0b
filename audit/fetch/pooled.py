"""httpcore's connection pools, for proxied requests and `CITEAUDIT_TRANSPORT=httpcore`.

Direct connections use the lean transport in `wire.py`; this module is imported only when a
proxy is in play (or asked for), so a plain run never pays httpcore's import.
"""

from __future__ import annotations

from collections.abc import Iterable

import httpcore
import httpx

from audit.fetch import client
from audit.fetch.client import ssl_context
from audit.fetch.options import FetchOptions
from audit.fetch.safety import pick_addresses


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
        # `client.resolve`, read at call time: a test's stub DNS applies to both transports.
        addresses = pick_addresses(host, await client.resolve(host, port), self._allow_private)
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
