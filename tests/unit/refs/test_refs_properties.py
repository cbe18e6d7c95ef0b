"""Property tests: the reference parser, date finder and URL helpers never raise, stay fast,
and normalize_url is idempotent, on arbitrary text."""

from __future__ import annotations

from growth import assert_linear
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.dates import date_from_url, find_dates, parse_date
from audit.extract.refstring import _parse, parse_reference
from audit.urls import cache_key, find_urls, host_of, normalize_url, validate_url

# Text biased towards the characters that matter to these parsers, plus arbitrary unicode.
_PIECES = st.sampled_from(
    [
        "https://", "http://", "www.", "example.org", "/", ".", ",", " ", "(", ")", "[", "]",
        "“", "”", "‘", "’", '"', "'", "July", "Sept.", "11", "2025", "-", ":", "?", "#", "&",
        "utm_source=x", "=", "accessed", "n.d.", "@", "%", "xn--", "ü", "。", "／", "\t", "\n",
        "[1] ", "^", "1.", "0", "443", "80", "Reuters",
    ]
)  # fmt: skip
TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=60).map("".join),
)
SETTINGS = settings(max_examples=300, deadline=500)


@SETTINGS
@given(TEXT)
def test_parse_reference_never_raises(text: str) -> None:
    ref = _parse(text)  # the unguarded parser: a crash here is a bug, not a fallback
    assert ref.raw == text.strip()
    if ref.url is not None:
        assert ref.url in text
    assert parse_reference(text) == ref


@SETTINGS
@given(TEXT, st.data())
def test_a_link_text_hint_never_raises_and_changes_only_the_names(
    text: str, data: st.DataObject
) -> None:
    # The hint is a slice of the entry (as a link's text is) or arbitrary text.
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    hint = data.draw(st.one_of(st.just(text[start:end]), TEXT))
    ref, plain = _parse(text, hint), _parse(text)
    # Only who wrote it, what it is called and where it appeared can change; never the date,
    # the accessed date or the URL to check.
    assert (ref.raw, ref.date, ref.date_precision, ref.accessed, ref.url) == (
        plain.raw,
        plain.date,
        plain.date_precision,
        plain.accessed,
        plain.url,
    )
    assert parse_reference(text, hint) == ref


@SETTINGS
@given(TEXT)
def test_find_dates_never_raises_and_slices_are_real(text: str) -> None:
    last = -1
    for m in find_dates(text):
        assert last <= m.start < m.end <= len(text)
        last = m.end
        assert parse_date(text[m.start : m.end]) is not None
    parse_date(text)
    date_from_url(text)


@SETTINGS
@given(TEXT)
def test_find_urls_never_raises_and_offsets_slice_the_text(text: str) -> None:
    for start, end, url in find_urls(text):
        assert text[start:end] == url
        assert url[-1] not in '.,;:!?"”’»'


@SETTINGS
@given(TEXT)
def test_normalize_url_is_idempotent_and_helpers_never_raise(text: str) -> None:
    once = normalize_url(text)
    assert normalize_url(once) == once
    key = cache_key(text)
    assert cache_key(key) == key
    validate_url(text)
    host_of(text)


@SETTINGS
@given(st.sampled_from(["https://Example.ORG", "http://bücher.example:80", "www.example.org"]),
       st.text(alphabet="/abc?=&#._~%-()", max_size=40).map(lambda r: "/" + r))  # fmt: skip
def test_normalize_url_idempotent_on_url_shaped_text(base: str, rest: str) -> None:
    once = normalize_url(base + rest)
    assert normalize_url(once) == once
    assert validate_url(once) is None


@settings(max_examples=5, deadline=None)
@given(st.sampled_from(["“", "(", "https://x.org/", "July 11, ", "2025, ", "a, ", "\x00"]))
def test_a_megabyte_of_repetition_costs_time_in_proportion(piece: str) -> None:
    def scan_all(text: str) -> None:
        parse_reference(text)
        find_dates(text)
        find_urls(text)
        normalize_url(text)

    assert_linear(scan_all, lambda n: piece * (n // len(piece)), 1_000_000)
