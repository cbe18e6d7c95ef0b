"""Tests for audit.urls: finding URLs in prose, validating and normalising them."""

from __future__ import annotations

import pytest
from growth import assert_linear

from audit.urls import (
    cache_key,
    find_urls,
    host_of,
    is_insecure,
    normalize_url,
    unwrap_redirect,
    validate_url,
)


def urls_in(text: str) -> list[str]:
    return [u for _, _, u in find_urls(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("See https://example.org/a.", ["https://example.org/a"]),
        ("See https://en.wikipedia.org/wiki/Foo_(bar).", ["https://en.wikipedia.org/wiki/Foo_(bar)"]),
        ("(see https://example.org/a).", ["https://example.org/a"]),
        ("(see https://en.wikipedia.org/wiki/Foo_(bar))", ["https://en.wikipedia.org/wiki/Foo_(bar)"]),
        ("<https://example.org/a?b=1>", ["https://example.org/a?b=1"]),
        ('"https://example.org/a",', ["https://example.org/a"]),
        ("“https://example.org/a”", ["https://example.org/a"]),
        ("‘https://example.org/a’;", ["https://example.org/a"]),
        ("«https://example.org/a»", ["https://example.org/a"]),
        ("[link](https://example.org/a)", ["https://example.org/a"]),
        ("Wow https://example.org/a!?", ["https://example.org/a"]),
        ("at www.example.org/news: more", ["www.example.org/news"]),
        ("HTTP://EXAMPLE.ORG/A", ["HTTP://EXAMPLE.ORG/A"]),
        ("two https://a.example/x, https://b.example/y", ["https://a.example/x", "https://b.example/y"]),
        ("https://example.org/o'brien's", ["https://example.org/o'brien's"]),
        ("mail me at someone@www.example.org", []),
        ("https:// and www. alone", []),
        ("no links here", []),
    ],
)  # fmt: skip
def test_find_urls(text: str, expected: list[str]) -> None:
    assert urls_in(text) == expected


def test_find_urls_offsets_slice_the_text() -> None:
    text = "Read (https://example.org/x_(y)) and https://example.org/z."
    for start, end, url in find_urls(text):
        assert text[start:end] == url
    assert [(s, e) for s, e, _ in find_urls(text)] == [(6, 31), (37, 58)]


@pytest.mark.parametrize(
    "junk",
    [
        "https://" + ")" * 1_000_000,
        "https://x" + "(" * 500_000 + ")" * 500_000,
        "https://a.b/" + "." * 1_000_000,
        "www." * 250_000,
        "https://" * 125_000,
        "(" * 1_000_000,
    ],
    ids=["closers", "balanced", "dots", "www", "schemes", "openers"],
)
def test_find_urls_is_linear_on_a_megabyte_of_junk(junk: str) -> None:
    assert_linear(find_urls, lambda n: junk[:n], len(junk))


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://example.org/a", None),
        ("http://example.org", None),
        ("www.example.org/a", None),
        ("https://bücher.example/", None),
        ("https://[2001:db8::1]/x", None),
        ("https://localhost:8080/", None),
        ("htps://example.org", "scheme 'htps' is not http or https"),
        ("ftp://example.org/file", "scheme 'ftp' is not http or https"),
        ("htps//example.org", "no scheme (expected http:// or https://)"),
        ("https://", "no host"),
        ("https:///path", "no host"),
        ("https://exa mple.org/", "spaces in the host"),
        ("https://example.org/a b", "spaces in the URL"),
        ("https:example.org", "'https:' is not followed by '//'"),
        ("https://example.org:99999/", "port 99999 is out of range"),
        ("https://example/", "host 'example' has no domain suffix"),
        ("https://a..example/", "host 'a..example' has an empty label"),
        ("https://-a.example/", "host '-a.example' has a label that starts or ends with '-'"),
        ("https://exa$mple.org/", "host 'exa$mple.org' has characters a host name cannot have"),
        ("https://[::1/", "malformed host (unbalanced brackets)"),
        ("", "empty URL"),
    ],
)
def test_validate_url(url: str, reason: str | None) -> None:
    assert validate_url(url) == reason


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("HTTPS://Example.ORG", "https://example.org/"),
        ("https://example.org:443/a", "https://example.org/a"),
        ("http://example.org:80/a", "http://example.org/a"),
        ("http://example.org:8080/a", "http://example.org:8080/a"),
        ("https://example.org:/a", "https://example.org/a"),
        ("https://example.org/A/b?x=1#section", "https://example.org/A/b?x=1"),
        ("https://bücher.example/", "https://xn--bcher-kva.example/"),
        ("https://example.org./a", "https://example.org/a"),
        ("www.example.org", "http://www.example.org/"),
        ("  https://example.org/a  ", "https://example.org/a"),
        ("https://user@Example.org/", "https://user@example.org/"),
    ],
)
def test_normalize_url(url: str, normal: str) -> None:
    assert normalize_url(url) == normal
    assert normalize_url(normal) == normal


def test_cache_key_drops_tracking_parameters_and_keeps_the_rest_in_order() -> None:
    url = "https://Example.org/a?utm_source=x&id=3&fbclid=abc&b=2&UTM_Medium=y&gclid=1#top"
    assert cache_key(url) == "https://example.org/a?id=3&b=2"
    assert cache_key("https://example.org/a?utm_source=x") == "https://example.org/a"
    assert cache_key("https://example.org/a?mc_cid=1&mc_eid=2&ref_src=twsrc") == (
        "https://example.org/a"
    )
    assert cache_key("https://example.org/a?b=2&a=1") != cache_key("https://example.org/a?a=1&b=2")


def test_host_of_and_is_insecure() -> None:
    assert host_of("https://WWW.Example.org:8443/a") == "www.example.org"
    assert host_of("www.example.org/a") == "www.example.org"
    assert host_of("https://[2001:db8::1]/") == "2001:db8::1"
    assert host_of("not a url") is None
    assert host_of("https://") is None
    assert is_insecure("http://example.org/")
    assert is_insecure(" HTTP://example.org/")
    assert not is_insecure("https://example.org/")
    assert not is_insecure("www.example.org")


def test_the_url_memo_keeps_only_ordinary_lengths() -> None:
    # The memo must stay a small multiple of the article: a long URL is checked, not remembered.
    from audit import urls

    long_url = "https://example.org/" + "a" * (urls.MEMO_URL_CHARS + 1)
    before = validate_url.cache_info().currsize
    assert validate_url(long_url) is None
    assert validate_url.cache_info().currsize == before
    assert validate_url("https://example.org/memo-test") is None
    assert validate_url("https://example.org/memo-test") is None
    assert validate_url.cache_info().currsize == before + 1


@pytest.mark.parametrize(
    ("wrapped", "target"),
    [
        ("https://www.google.com/url?q=https://news.example.com/a&sa=D&source=editors&usg=x",
         "https://news.example.com/a"),
        ("https://www.google.co.uk/url?sa=t&url=https%3A%2F%2Fnews.example.com%2Fa%3Fb%3D1",
         "https://news.example.com/a?b=1"),
        ("https://l.facebook.com/l.php?u=https%3A%2F%2Fnews.example.com%2Fa&h=AT0",
         "https://news.example.com/a"),
        ("https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fnews.example.com%2F"
         "&data=05", "https://news.example.com/"),
        ("https://www.youtube.com/redirect?event=video&q=http%3A%2F%2Fnews.example.com%2F",
         "http://news.example.com/"),
    ],
)  # fmt: skip
def test_click_tracking_wrappers_give_the_address_they_carry(wrapped: str, target: str) -> None:
    assert unwrap_redirect(wrapped) == target


@pytest.mark.parametrize(
    "url",
    [
        "https://www.google.com/search?q=https://news.example.com/a",  # a search, not a wrapper
        "https://www.google.com/url?q=javascript:alert(1)",  # only http(s) is carried through
        "https://google.evil.example/url?q=https://news.example.com/a",  # not Google's
        "https://mail.google.com/url?q=https://news.example.com/a",
        "https://news.example.com/url?q=https://other.example.com/",
        "https://www.google.com/url?sa=D",
        "not a url ?",
        "https://www.google.com/url?q=" + "a" * 9000,
    ],
)
def test_other_links_are_not_unwrapped(url: str) -> None:
    assert unwrap_redirect(url) is None


def test_archived_original_reads_the_address_a_snapshot_copies() -> None:
    from audit.urls import archived_original

    assert (
        archived_original("https://web.archive.org/web/20240301000000/https://port.example/a?b=1")
        == "https://port.example/a?b=1"
    )
    assert (
        archived_original("web.archive.org/web/2024if_/port.example/a") == "http://port.example/a"
    )
    assert archived_original("https://archive.ph/AbCd1") is None
    assert archived_original("https://web.archive.org/web/*/port.example*") is None
    assert archived_original("https://port.example/web/20240301000000/https://x.example") is None
