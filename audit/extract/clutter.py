"""Page clutter: links and lines that are not part of the article's sourcing.

Text pasted from a web page brings the page's furniture with it: the author's social profiles,
share and subscribe prompts, adverts, login banners, "you might also like" lists and reader
comments. Their links are not citations; the loaders list them as ignored with the reason given
here, so nothing is dropped silently. Every function is pure and bounded per line.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

BIO = "author bio / social profile"
SHARE = "share or subscribe link"
EMAIL = "e-mail address"
NAVIGATION = "navigation"
ADVERT = "advert"
COMMENT = "reader comment"
RELATED = "related or further-reading links"
RELATIVE = "relative link within the page's own site (no address to check)"
CREDIT = "photo or image credit"
IMAGE = "a link around an image or nothing, with no words of its own"
FURTHER = "a further URL in a note (the note's first URL is the one checked)"

# Hosts whose profile pages are social profiles. A post on them (x.com/someone/status/1) is a
# citation of a social-media post, so only profile-shaped paths are ignored (see _is_profile).
_SOCIAL_HOSTS = frozenset(
    [
        "twitter.com",
        "x.com",
        "facebook.com",
        "fb.com",
        "instagram.com",
        "linkedin.com",
        "youtube.com",
        "tiktok.com",
        "threads.net",
        "bsky.app",
        "t.me",
        "telegram.me",
        "github.com",
        "medium.com",
        "pinterest.com",
        "reddit.com",
        "mastodon.social",
        "substack.com",
        "vk.com",
        "weibo.com",
        "tumblr.com",
    ]
)

_SHARE_PATTERNS = (
    "twitter.com/intent",
    "x.com/intent",
    "twitter.com/share",
    "facebook.com/sharer",
    "facebook.com/share.php",
    "facebook.com/dialog/share",
    "linkedin.com/sharearticle",
    "linkedin.com/sharing",
    "linkedin.com/cws/share",
    "reddit.com/submit",
    "pinterest.com/pin/create",
    "api.whatsapp.com/send",
    "wa.me/?",
    "t.me/share",
    "telegram.me/share",
    "news.ycombinator.com/submitlink",
    "tumblr.com/share",
    "getpocket.com/save",
    "bsky.app/intent",
    "mastodonshare",
    "/subscribe",
    "/newsletter",
    "/signup",
    "/sign-up",
    "/feed",
    "/rss",
    "/share?",
    "?share=",
    "/donate",
    "/support-us",
    "/membership",
)

_AD_HOSTS = (
    "doubleclick.net",
    "googleadservices.com",
    "googlesyndication.com",
    "adservice.google",
    "amazon-adsystem.com",
    "taboola.com",
    "outbrain.com",
    "adnxs.com",
    "criteo.com",
    "zergnet.com",
    "revcontent.com",
    "mgid.com",
)

_AD_HOST_SET = frozenset(_AD_HOSTS)
# One search for every share pattern: a URL is otherwise scanned once per pattern, twice.
_SHARE_URL = re.compile("|".join(re.escape(p) for p in _SHARE_PATTERNS))


def _is_ad_host(host: str) -> bool:
    """True for an ad server's host or any host under one (`ads.doubleclick.net`)."""
    while True:
        if host in _AD_HOST_SET:
            return True
        dot = host.find(".")
        if dot < 0:
            return False
        host = host[dot + 1 :]


_NAV_PATHS = (
    "/about",
    "/contact",
    "/privacy",
    "/terms",
    "/login",
    "/log-in",
    "/signin",
    "/sign-in",
    "/register",
    "/account",
    "/search",
    "/tag/",
    "/tags/",
    "/category/",
    "/topics/",
    "/author/",
    "/authors/",
    "/cookie",
)

# Labels of a "Platform: URL" line in a bio block ("X (Twitter): https://x.com/someone").
_SOCIAL_LABEL = re.compile(
    r"^\s*[•·*\-–]?\s*(?:x|x\s*\(twitter\)|twitter|facebook|linkedin|instagram|mastodon|bluesky|"
    r"bsky|threads|tiktok|youtube|telegram|substack|medium|github|website|web|blog|homepage|"
    r"site|email|e-mail|newsletter|podcast|rss|signal|whatsapp|vk|weibo|reddit)\s*:",
    re.IGNORECASE,
)

_FOLLOW_LINE = re.compile(
    r"^\s*(?:follow|connect with|find|subscribe to|sign up|join|contact|reach|more from|"
    r"get in touch with|about the author|about)\b[^!?]{0,80}[:.!]?\s*$",
    re.IGNORECASE,
)

_SHARE_WORDS = re.compile(
    r"\b(?:share (?:this|on|via)|subscribe|sign up|newsletter|follow (?:us|me)|donate|"
    r"support (?:us|our))\b",
    re.IGNORECASE,
)

# "Photo: Example Agency", "Image by Jane Roe": who took a picture, not a source of a claim.
# A chart's or table's "Source:" line is a citation and is not matched.
_CREDIT_LABEL = re.compile(
    r"(?:^|[.!?|•·–—(\[]\s*)(?:(?:top|main|lead|cover)\s+)?"
    r"(?:(?:photo(?:graph)?s?|image|picture|illustration|video|footage)(?:\s+credit)?\s*(?::|by\b)"
    r"|credits?\s*:)",
    re.IGNORECASE,
)

# "READ MORE: Port unveils quay plans", "Related: …": a promotion of another story, not a source.
_RELATED_LEAD = re.compile(
    r"^\s*(?:read (?:more|next|also)|also read|related(?: stories| articles| coverage| reading)?|"
    r"see also|recommended|more on this(?: story| topic)?|further reading|watch|listen)"
    r"\s*[:|–—»]",
    re.IGNORECASE,
)

# Whole lines that are page furniture, matched case-insensitively after trimming.
_CLUTTER_LINE = re.compile(
    r"^[\s\-–—•»|*]*(?:advertisement|advert|sponsored(?: content)?|continue reading(?: below)?|"
    r"story continues below(?: advertisement)?|"
    r"member login|log ?in|sign ?in|sign ?up|register|lost your password\??|"
    r"forgot your password\??|"
    r"you are not (?:currently )?logged in\.?|subscribe(?: now)?|share(?: this(?: article)?)?|"
    r"skip to (?:main )?content|menu|search|home|article archives|archives|print|email|"
    r"you might also like|you may also like|trending now|trending|related(?: articles| stories)?|"
    r"recommended(?: for you| by \w+)?|more stories|more from [^.!?]{1,40}|read more|"
    r"most popular|most read|popular now|latest(?: news)?|executive editor|"
    r"advertisement\s*[-–—]\s*continue reading below)"
    r"[\s\-–—•»|*:!.]*$",
    re.IGNORECASE,
)

# Headings after which the rest of a page is related-content lists, not the article.
_TAIL_HEADING = re.compile(
    r"^\s*(?:you might also like|you may also like|trending now|related(?: articles| stories)?|"
    r"more stories|most popular|most read|recommended for you|read next|read more|"
    r"see also|external links|further reading)\s*:?\s*$",
    re.IGNORECASE,
)

_COMMENT_START = re.compile(
    r"^\s*(?:comments?|\d+\s+comments?|leave a (?:reply|comment)|join the (?:discussion|"
    r"conversation)|reader comments|add a comment|show comments|view comments|"
    r"what do you think\??|discussion|responses?|\d+\s+responses?)\s*:?\s*$"
    r"|^\s*\d{1,2}(?:mo|yr|[ywdh])(?=[A-Z])"  # "7moI really enjoyed..." (LinkedIn, pasted)
    r"|^\s*\d+\s*(?:minutes?|hours?|days?|weeks?|months?|years?)\s+ago\b",
    re.IGNORECASE,
)

_ROLE_WORDS = (
    r"director|editor|professor|fellow|author|correspondent|writer|journalist|analyst|adviser|"
    r"advisor|officer|founder|columnist|researcher|lecturer|reporter|scholar|consultant|"
    r"executive|chair|president|head|expert|contributor|historian|economist|commentator|"
    r"specialist|associate|manager|partner|student|candidate|veteran"
)
# "Jane Doe is a senior fellow at ...", "Jason Smart, also known as ..., is a political adviser".
_BIO_LINE = re.compile(
    r"^\s*(?:(?:Dr|Prof|Mr|Mrs|Ms)\.?\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,3}"
    r"(?:,[^!?]{0,160}?,)?\s+(?:is|was|has been|serves as|works as)\s+"
    r"(?:[\w.'’-]+\s+){0,6}?(?:" + _ROLE_WORDS + r")s?\b"
)


def ignore_reason(url: str, line_text: str) -> str | None:
    """Why the link `url`, found on `line_text`, is not a citation; None when it may be one.

    Looks at the URL's shape (share endpoints, ad servers, e-mail, profile pages) and at the line
    it sits on ("X (Twitter): https://x.com/someone", "Subscribe: ..."). Block context (a whole
    "Follow ..." block, the comment region) is the loader's job.
    """
    low = url.strip().lower()
    if low.startswith(("/", "./", "../", "?")) and not low.startswith("//"):
        # Saved pages and CMS exports link their own sections this way: navigation, not sources.
        return RELATIVE
    if low.startswith("mailto:") or ("@" in low and "://" not in low and "/" not in low):
        return EMAIL
    parts = _split(low)
    host, path = parts if parts else ("", "")
    if _is_ad_host(host) or "/ads/" in path:
        return ADVERT
    if _SHARE_URL.search(host + path) or _SHARE_URL.search(low):
        return SHARE
    line = line_text.strip()
    short = len(line) <= len(url) + 80
    if _SOCIAL_LABEL.match(line) and short:
        return BIO
    if _is_profile(host, path):
        return BIO
    if short and _SHARE_WORDS.search(line):
        return SHARE
    if short and _CREDIT_LABEL.search(line.replace(url, "")):
        return CREDIT
    if short and _RELATED_LEAD.match(line):
        return RELATED
    if short and _CLUTTER_LINE.match(line.replace(url, "")):
        return NAVIGATION
    bare_path = path.rstrip("/")
    if short and (bare_path in ("", "/") or any(bare_path.startswith(p) for p in _NAV_PATHS)):
        # A bare home page or an about/contact/tag page alone on a short line is site navigation.
        return NAVIGATION if line == url or len(line) < len(url) + 30 else None
    return None


def is_clutter_line(line: str) -> bool:
    """True for a line that is page furniture: an advert label, a login banner, a menu item."""
    stripped = line.strip()
    if not stripped or len(stripped) > 80:
        return False
    return bool(_CLUTTER_LINE.match(stripped))


def is_tail_heading(line: str) -> bool:
    """True for a heading that opens related-content lists ("YOU MIGHT ALSO LIKE", "Read next")."""
    return len(line) <= 60 and bool(_TAIL_HEADING.match(line))


def is_follow_line(line: str) -> bool:
    """True for a line that opens an author's links block ("Follow Dr. Jane Doe:")."""
    return len(line) <= 100 and bool(_FOLLOW_LINE.match(line))


def is_social_line(line: str) -> bool:
    """True for a "Platform: URL" line of a bio block."""
    return len(line) <= 200 and bool(_SOCIAL_LABEL.match(line))


def is_comment_start(line: str) -> bool:
    """True for a line that opens a comment thread ("3 Comments", "Leave a Reply", "7moI ...").

    A heuristic: the plain-text loader prefers structure (comments start where notes entries stop)
    and uses this only for pages whose comments follow the body directly.
    """
    return len(line) <= 2000 and bool(_COMMENT_START.match(line))


def is_bio_line(line: str) -> bool:
    """True for an author-bio paragraph ("Jane Doe is a senior fellow at the Example Institute")."""
    return len(line) <= 600 and bool(_BIO_LINE.match(line))


def _split(low: str) -> tuple[str, str] | None:
    try:
        parts = urlsplit(low if "://" in low else "http://" + low)
        host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    except ValueError:
        return None
    return host, parts.path


def _is_profile(host: str, path: str) -> bool:
    """True when the URL is a social profile page, not a post (x.com/someone, not /status/1)."""
    segments = [s for s in path.split("/") if s]
    if host.endswith(".substack.com"):
        return not segments or segments[0] in ("about", "archive", "subscribe")
    if host.endswith(".bsky.social"):
        return True
    if any(s.startswith("@") for s in segments[:1]) and len(segments) == 1:
        return True  # mastodon.example/@someone, youtube.com/@someone, medium.com/@someone
    if host not in _SOCIAL_HOSTS:
        return False
    if not segments:
        return True
    if host == "linkedin.com":
        return segments[0] in ("in", "company", "school") and len(segments) <= 2
    if host == "bsky.app":
        return segments[0] == "profile" and len(segments) <= 2
    if host == "youtube.com":
        return segments[0] in ("c", "channel", "user") or (
            len(segments) == 1 and segments[0] != "watch"
        )
    if host == "reddit.com":
        return segments[0] in ("user", "u") and len(segments) <= 2
    # twitter.com/someone, facebook.com/someone, t.me/channel, github.com/someone.
    return len(segments) == 1 and segments[0] not in ("watch", "status", "posts", "p", "share")
