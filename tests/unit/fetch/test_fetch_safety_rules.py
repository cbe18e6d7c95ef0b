"""Private-address refusal, NO_PROXY matching and the bounded decoder."""

from __future__ import annotations

import asyncio
import gzip
import zlib

import pytest

from audit.fetch import client, safety
from audit.fetch.client import no_proxy_matches
from audit.fetch.decoding import BoundedDecoder, DecompressionLimit, decode_all
from audit.fetch.pooled import VettingBackend
from audit.fetch.safety import PrivateAddressError, forbidden_reason, literal_refusal


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.0.0.8", "192.168.1.1", "172.16.0.1", "169.254.169.254", "::1",
     "fe80::1", "224.0.0.1", "0.0.0.0", "::ffff:127.0.0.1", "fd00::1"],
)  # fmt: skip
def test_private_addresses_are_forbidden(address: str) -> None:
    assert forbidden_reason(address) is not None


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700::6810:85e5", "8.8.8.8"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert forbidden_reason(address) is None


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST.", "app.localhost", "[::1]", "10.2.3.4"])
def test_literal_and_local_names_are_refused_without_dns(host: str) -> None:
    assert isinstance(literal_refusal(host), PrivateAddressError)


def test_public_names_pass_the_literal_check() -> None:
    assert literal_refusal("news.example") is None


def test_mixed_public_and_private_answers_are_refused() -> None:
    with pytest.raises(PrivateAddressError):
        safety.pick_addresses("rebind.example", ["93.184.215.14", "127.0.0.1"], False)
    assert safety.pick_addresses("x", ["127.0.0.1"], True) == ["127.0.0.1"]


def test_a_name_resolving_to_loopback_is_refused_before_connecting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def fake_resolve(host: str, port: int) -> list[str]:
        return ["127.0.0.1"]

    monkeypatch.setattr(client, "resolve", fake_resolve)
    with pytest.raises(PrivateAddressError, match=r"127\.0\.0\.1"):
        asyncio.run(VettingBackend(allow_private=False).connect_tcp("sneaky.example", 80))


def test_unknown_host_is_reported_as_such() -> None:
    with pytest.raises(safety.UnknownHostError):
        asyncio.run(safety.resolve("no-such-host.invalid", 80))


@pytest.mark.parametrize(
    ("host", "no_proxy", "bypass"),
    [
        ("news.example", "news.example", True),
        ("www.news.example", ".news.example", True),
        ("www.news.example", "news.example", True),
        ("othernews.example", "news.example", False),
        ("a.example", "*", True),
        ("a.example", "", False),
        ("a.example", "a.example:8080", False),
    ],
)
def test_no_proxy_matching(host: str, no_proxy: str, bypass: bool) -> None:
    assert no_proxy_matches(host, 80, no_proxy) is bypass


def test_gzip_bomb_stops_at_the_cap_without_inflating_it_all() -> None:
    bomb = gzip.compress(b"\0" * 20_000_000, 9)
    decoder = BoundedDecoder("gzip", 100_000)
    with pytest.raises(DecompressionLimit):
        decoder.feed(bomb)
    assert decode_all(bomb, "gzip", 100_000) == (b"", True)


def test_deflate_raw_and_wrapped_both_decode() -> None:
    data = b"hello " * 100
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    raw_bytes = raw.compress(data) + raw.flush()
    assert decode_all(zlib.compress(data), "deflate", 10_000) == (data, False)
    assert decode_all(raw_bytes, "deflate", 10_000) == (data, False)
    assert decode_all(data, None, 10_000) == (data, False)
