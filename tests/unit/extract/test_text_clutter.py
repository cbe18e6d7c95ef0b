"""Clutter: links that are not citations, and the reason each is set aside."""

from __future__ import annotations

import pytest

from audit.extract import clutter


@pytest.mark.parametrize(
    ("url", "line", "reason"),
    [
        ("https://x.com/someone", "X (Twitter): https://x.com/someone", clutter.BIO),
        ("https://www.example.org/me", "Website: https://www.example.org/me", clutter.BIO),
        (
            "https://bsky.app/profile/a.bsky.social",
            "https://bsky.app/profile/a.bsky.social",
            clutter.BIO,
        ),
        ("https://mastodon.example/@writer", "https://mastodon.example/@writer", clutter.BIO),
        ("https://www.linkedin.com/in/someone", "https://www.linkedin.com/in/someone", clutter.BIO),
        ("https://twitter.com/intent/tweet?url=x", "Tweet this", clutter.SHARE),
        ("https://www.facebook.com/sharer/sharer.php?u=x", "Share", clutter.SHARE),
        (
            "https://news.example/newsletter",
            "Subscribe: https://news.example/newsletter",
            clutter.SHARE,
        ),
        ("mailto:desk@example.org", "Write to us", clutter.EMAIL),
        (
            "https://ad.doubleclick.net/click?x=1",
            "https://ad.doubleclick.net/click?x=1",
            clutter.ADVERT,
        ),
        ("https://news.example/", "https://news.example/", clutter.NAVIGATION),
    ],
)
def test_ignored_links(url: str, line: str, reason: str) -> None:
    assert clutter.ignore_reason(url, line) == reason


@pytest.mark.parametrize(
    "url",
    [
        "https://x.com/someone/status/1234567890",
        "https://www.youtube.com/watch?v=abc",
        "https://www.reuters.com/world/a-story-2025-07-11/",
        "https://someone.substack.com/p/a-post",
    ],
)
def test_citable_links_are_kept(url: str) -> None:
    line = f"The agency said so in a statement, as reported here: {url} on Monday."
    assert clutter.ignore_reason(url, line) is None


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Photo: Example Photo Agency https://photos.example/a", clutter.CREDIT),
        ("The quay in May. Photo: Example Photo Agency https://photos.example/a", clutter.CREDIT),
        ("(Photo by Jane Roe https://photos.example/a)", clutter.CREDIT),
        ("Image credit: https://photos.example/a", clutter.CREDIT),
        ("Top image: https://photos.example/a", clutter.CREDIT),
        # A chart's or table's source is a citation; so is a sentence about a photo.
        ("Source: Example Statistics Office https://photos.example/a", None),
        ("Chart: https://photos.example/a", None),
        ("The photo by the harbour shows it, says https://photos.example/a", None),
    ],
)
def test_a_picture_credit_is_not_a_citation(line: str, reason: str | None) -> None:
    assert clutter.ignore_reason("https://photos.example/a", line) == reason


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("READ MORE: Port unveils quay plans", clutter.RELATED),
        ("Related: Harbour fees rise again", clutter.RELATED),
        ("See also: the council's minutes", clutter.RELATED),
        # A sentence that mentions reading more is not a promotion.
        ("Read more about the plan in the council's report, published on Monday.", None),
    ],
)
def test_a_promoted_story_is_not_a_source(line: str, reason: str | None) -> None:
    assert clutter.ignore_reason("https://ledger.example/2025/05/01/quay", line) == reason


def test_line_heuristics() -> None:
    assert clutter.is_clutter_line("- ADVERTISEMENT - CONTINUE READING BELOW -")
    assert clutter.is_clutter_line("Member Login")
    assert not clutter.is_clutter_line("Members of parliament voted to log the results.")
    assert clutter.is_follow_line("Follow Dr. Jane Roe:")
    assert clutter.is_comment_start("12 Comments")
    assert clutter.is_comment_start("7moI really enjoyed this")
    assert not clutter.is_comment_start("Comments from the minister were brief.")
    assert clutter.is_bio_line("Jane Roe is a senior fellow at the Example Institute.")
    assert clutter.is_bio_line("Jo Doe, also known as J. Doe, is a political adviser.")
    assert not clutter.is_bio_line("The ministry is a large organisation with many directors.")
    assert clutter.is_tail_heading("YOU MIGHT ALSO LIKE")
