"""The article's main text, for quote checks: the body, without navigation, related-story
lists, share prompts, comments and footers.

Our own extraction over the lxml tree the digest already parsed. It picks the article body
(`<article>`, `itemprop=articleBody`, a story-body class, else the block with the most paragraph
text) and keeps its paragraphs, headings, list items and block quotes. bench/eval_meta.py
measures it against the fixture pages (quotes found, boilerplate leaked).
"""

from __future__ import annotations

import re

from lxml import etree

MAX_TEXT_CHARS = 200_000
"""Main text kept per page: more than any article, little enough to cache."""

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "iframe",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "button",
    "select",
    "figure",
)
_BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(?:related|recommend\w*|more-?(?:stories|news|from)|read-?more|most-?(?:read|popular)|"
    r"trending|comments?|disqus|sidebar|promo|teaser|newsletter|subscribe|signup|paywall|"
    r"share|sharing|social|footer|outbrain|taboola|also-?like|nav|navbar|menu|breadcrumbs?|"
    r"cookie|consent|advert\w*|ad-?slot|ads|sponsor\w*|byline|author-?bio|tags?|"
    r"skip-?link|site-?header|masthead|caption)(?:$|[\s_-])",
    re.IGNORECASE,
)
_BODY_HINT = re.compile(
    r"article-?body|story-?body|entry-?content|post-?content|article-?content|"
    r"story-?content|main-?content|body-?text|rich-?text|article__body|c-entry",
    re.IGNORECASE,
)
_BLOCKS = frozenset({"p", "h2", "h3", "h4", "li", "blockquote", "pre", "dd", "td"})
_ATTRIBUTED = etree.XPath("//*[@class or @id or @role or @hidden or @aria-hidden='true']")
_HINTABLE = etree.XPath("//*[@class or @id or @role or @itemprop='articleBody']")


def _attrs(el: etree._Element) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''} {el.get('role') or ''}"


def _prune(root: etree._Element) -> None:
    """Remove boilerplate subtrees in place (the tree is the digest's own copy)."""
    doomed = list(root.iter(*_DROP_TAGS))
    # XPath picks, in C, only the elements that carry one of the attributes judged below:
    # walking every element from Python cost two thirds of the digest on a news page.
    for el in _ATTRIBUTED(root):
        if el.tag in ("html", "body", "article"):
            continue
        attrs = _attrs(el)
        boilerplate = bool(_BOILERPLATE.search(attrs)) and not _BODY_HINT.search(attrs)
        if boilerplate or el.get("hidden") is not None or el.get("aria-hidden") == "true":
            doomed.append(el)
    for el in doomed:
        parent = el.getparent()
        if parent is not None:
            # Keep the tail: it is text of the parent that happens to follow the element.
            tail = el.tail
            prev = el.getprevious()
            if tail:
                if prev is not None:
                    prev.tail = (prev.tail or "") + tail
                else:
                    parent.text = (parent.text or "") + tail
            parent.remove(el)


def _paragraph_chars(el: etree._Element) -> int:
    return sum(len(p.text_content()) for p in el.iter("p"))


def _body_root(tree: etree._Element) -> etree._Element:
    """The element that holds the article body."""
    hinted = [
        el
        for el in _HINTABLE(tree)
        if el.get("itemprop") == "articleBody" or _BODY_HINT.search(_attrs(el))
    ]
    articles = list(tree.iter("article")) + list(tree.iter("main"))
    options = hinted or articles
    if options:
        return max(options, key=_paragraph_chars)
    # No markup hints: the parent of the most paragraph text wins.
    scores: dict[etree._Element, int] = {}
    for p in tree.iter("p"):
        parent = p.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0) + len(p.text_content())
    if scores:
        return max(scores, key=lambda el: scores[el])
    body = next(tree.iter("body"), None)
    return body if body is not None else tree


def main_text(tree: etree._Element) -> str:
    """Plain text of the article body, one block a line; mutates `tree` (pass a tree you own)."""
    _prune(tree)
    root = _body_root(tree)
    lines: list[str] = []
    size = 0
    for el in root.iter():
        if el.tag not in _BLOCKS:
            continue
        # Nested blocks (a <p> in a <blockquote>, an <li> in an <li>) are read once, at the top.
        parent = el.getparent()
        nested = False
        while parent is not None and parent is not root:
            if parent.tag in _BLOCKS:
                nested = True
                break
            parent = parent.getparent()
        if nested:
            continue
        line = " ".join(el.text_content().split())
        if line:
            lines.append(line)
            size += len(line) + 1
            if size >= MAX_TEXT_CHARS:
                break
    if not lines:
        lines = [" ".join(root.text_content().split())]
    return "\n".join(lines)[:MAX_TEXT_CHARS]
