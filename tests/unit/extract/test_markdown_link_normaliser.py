"""The Markdown reader's fast path for plain links gives what markdown-it-py's normaliser gives.

Generated strings only; nothing is fetched.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from audit.extract.markdown import _PLAIN_LINK, _parser

REFERENCE = MarkdownIt("commonmark")
OURS = _parser()


@settings(max_examples=600)
@given(st.from_regex(_PLAIN_LINK, fullmatch=True))
def test_a_plain_link_comes_back_as_the_normaliser_would_give_it(url: str) -> None:
    assert OURS.normalizeLink(url) == REFERENCE.normalizeLink(url) == url


@settings(max_examples=600)
@given(
    st.one_of(
        st.text(max_size=60),
        st.builds(
            "{}://{}{}".format,
            st.sampled_from(["http", "https", "HTTP", "ftp", "mailto"]),
            st.text(max_size=20),
            st.text(max_size=30),
        ),
    )
)
def test_any_other_link_goes_through_the_normaliser(url: str) -> None:
    assert OURS.normalizeLink(url) == REFERENCE.normalizeLink(url)


def test_links_it_must_change_are_changed() -> None:
    for url, normalised in [
        ("https://example.com/a b", "https://example.com/a%20b"),
        ("https://example.com/%zz", "https://example.com/%25zz"),
        ("https://example.com/café", "https://example.com/caf%C3%A9"),
        ("https://example.com/[x]", "https://example.com/%5Bx%5D"),
    ]:
        assert OURS.normalizeLink(url) == normalised
