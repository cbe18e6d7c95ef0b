"""Title candidates: normalising, and taking the site's name off " | Reuters" or "BBC News - ".

Pages put their name into `<title>` (and sometimes into og:title) on either side of a
separator. Known names (the page's own site name, the outlet names of the tier list) are taken
off first; after that only a short, name-like segment at the end is, so a headline that itself
contains a dash keeps its second half.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from audit.meta.structured import Found
from audit.names import fold, loose_key

# Separators between a headline and the site's name; a dash counts only with spaces round it.
_SEPARATOR = re.compile(r"\s+(?:[|•·:]{1,2}|[-–—]{1,2})\s+|\s*\|\s*")
_DOMAIN_LIKE = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}$", re.IGNORECASE)


def _name_like(segment: str) -> bool:
    """A short segment that reads like a site or section name rather than half a headline."""
    words = segment.split()
    if not words or len(words) > 4 or len(segment) > 32:
        return False
    if _DOMAIN_LIKE.match(segment):
        return True
    small = {"of", "the", "and", "&", "de", "la", "le", "news", "on", "for"}
    return all(w[:1].isupper() or w[:1].isdigit() or w.lower() in small for w in words)


def strip_site_suffix(title: str, site_names: Iterable[str] = ()) -> str:
    """The headline without the site's name (and section names) around it."""
    text = fold(title)
    keys = {loose_key(n) for n in site_names if n and loose_key(n)}
    parts = [p for p in _SEPARATOR.split(text) if p.strip()]
    if len(parts) < 2:
        return text
    # Known names first, from either end.
    changed = True
    while changed and len(parts) > 1:
        changed = False
        if loose_key(parts[-1]) in keys:
            parts.pop()
            changed = True
        elif loose_key(parts[0]) in keys:
            parts.pop(0)
            changed = True
    if len(parts) == 1:
        return parts[0]
    if "|" in text:
        # Pipes are never part of a headline: "Headline | Section | Site" loses its name-like
        # tail, and of what is left the longest part is the headline.
        while len(parts) > 1 and _name_like(parts[-1]):
            parts.pop()
        return max(parts, key=len)
    # Dashes may be part of a headline: drop only name-like trailing segments.
    while len(parts) > 1 and _name_like(parts[-1]) and len(" ".join(parts[:-1]).split()) >= 2:
        parts.pop()
    return " - ".join(parts)


_GENERIC_LABELS = frozenset(
    {"www", "com", "org", "net", "co", "uk", "gov", "edu", "news", "example"}
)


def site_suffix(title: str, url: str | None) -> str | None:
    """The site's name a title ends with ("Headline | Example Gazette" on examplegazette.com),
    or None.

    Only a name-like last part after a headline of two words or more, and only when the page's
    host spells it (or it spells one of the host's labels: "BBC News" on bbc.co.uk): a title's
    last part may be a section ("… | Politics"), which no host spells.
    """
    from audit.urls import host_of

    host = host_of(url) if url else None
    parts = [p.strip() for p in _SEPARATOR.split(fold(title)) if p.strip()]
    if not host or len(parts) < 2 or not _name_like(parts[-1]):
        return None
    if len(" ".join(parts[:-1]).split()) < 2:
        return None
    name = loose_key(parts[-1])
    labels = [
        loose_key(label)
        for label in host.split(".")
        if len(label) >= 3 and label not in _GENERIC_LABELS
    ]
    if (len(name) >= 4 and name in "".join(labels)) or any(label in name for label in labels):
        return parts[-1]
    return None


def candidates(found: Sequence[Found], site_names: Iterable[str] = ()) -> tuple[Found, ...]:
    """Titles with site names stripped, deduplicated, in the order given (best first)."""
    names = list(site_names)
    out: list[Found] = []
    seen: set[str] = set()
    for item in found:
        stripped = strip_site_suffix(item.value, names)
        key = stripped.casefold()
        if stripped and key not in seen:
            seen.add(key)
            out.append(Found(stripped, item.source))
    return tuple(out)


def best_title(found: Sequence[Found]) -> Found | None:
    """The page title: the first candidate, unless that is a bare site name."""
    if not found:
        return None
    first = found[0]
    # An og:title that is only the site name ("Reuters") tells us nothing; prefer the headline.
    if len(found) > 1 and len(first.value.split()) <= 2 and len(found[1].value) > len(first.value):
        return found[1]
    return first
