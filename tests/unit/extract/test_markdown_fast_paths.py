"""The Markdown reader's searches give what the character-by-character walks they replace gave.

Generated strings only; nothing is fetched.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.helpers import parseLinkDestination

from audit.extract import clutter
from audit.extract.markdown import _link_destination, _parser

# Plain URL characters and every character the destination parser treats specially.
_PIECES = st.sampled_from(
    ["a", "b", "/", ".", ":", "?", "=", "-", "é", " ", "\t", "\n", "\x7f", "\x01", "(", ")",
     "\\", "\\(", "\\ ", "<", ">", "&amp;", "&#41;", "%20", "https://x.example/"]
)  # fmt: skip
_SOURCES = st.lists(_PIECES, max_size=30).map("".join)


@settings(max_examples=1500)
@given(_SOURCES, st.integers(0, 40), st.integers(0, 40))
def test_a_link_destination_is_read_as_the_library_reads_it(text: str, pos: int, cut: int) -> None:
    pos = min(pos, len(text))
    maximum = max(pos, len(text) - cut)
    ours = _link_destination(text, pos, maximum)
    theirs = parseLinkDestination(text, pos, maximum)
    assert (ours.ok, ours.pos, ours.str) == (theirs.ok, theirs.pos, theirs.str)


def _skip_reference(src: str, i: int) -> int:
    """The paren walk `skip_destination` did before, one character at a time."""
    depth = 0
    while i < len(src):
        if src[i] == "(":
            depth += 1
        elif src[i] == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i


@settings(max_examples=800)
@given(st.lists(st.sampled_from(["(", ")", "a", "/", " ", "*"]), max_size=25).map("".join))
def test_a_destination_in_parentheses_is_skipped_to_its_closing_parenthesis(tail: str) -> None:
    from audit.extract.markdown import _RunReader

    line = "[text](" + tail
    reader = _RunReader([line], 0, cursor=5)  # at the "]" that ends the link's text
    reader.skip_destination()
    assert reader.cursor == _skip_reference(line, 6)


_HOST_LABELS = st.sampled_from(
    ["ads", "www", "doubleclick", "net", "taboola", "com", "adservice", "google", "news", "x"]
)


@given(st.lists(_HOST_LABELS, min_size=1, max_size=5).map(".".join))
def test_ad_hosts_are_the_listed_hosts_and_the_hosts_under_them(host: str) -> None:
    expected = any(host == h or host.endswith("." + h) for h in clutter._AD_HOSTS)
    assert clutter._is_ad_host(host) is expected


@given(
    st.lists(
        st.sampled_from(["twitter.com/", "intent", "x.com", "/share", "a", "reddit.com/submit"]),
        max_size=6,
    ).map("".join)
)
def test_share_links_are_found_by_one_search(text: str) -> None:
    expected = any(p in text for p in clutter._SHARE_PATTERNS)
    assert bool(clutter._SHARE_URL.search(text)) is expected


def test_links_with_parentheses_and_escapes_read_as_before() -> None:
    md = _parser()
    source = (
        "[a](https://en.example/wiki/Foo_(bar)) [b](<https://x.example/a b>) "
        '[c](https://x.example/\\(y) [d](https://x.example/q?a=1&amp;b=2 "t")\n'
    )
    links = [
        t.attrGet("href") for t in md.parseInline(source)[0].children or [] if t.type == "link_open"
    ]
    assert links == [
        "https://en.example/wiki/Foo_(bar)",
        "https://x.example/a%20b",
        "https://x.example/(y",
        "https://x.example/q?a=1&b=2",
    ]
