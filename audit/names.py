"""Names reduced for comparison: an outlet's, a site's, a host's.

Shared by the readers (a note field the URL's host spells, an outlet whose own site a paragraph
links) and by the page digest and checks, so that all compare names one way. No heavy imports:
the readers use it before the first request.
"""

from __future__ import annotations

import re
import unicodedata

_FOLD = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "«": '"',
        "»": '"',
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
        "\u00a0": " ",
    }
)


def fold(text: str) -> str:
    """NFKC, curly quotes and dashes to ASCII, whitespace collapsed (case kept)."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_FOLD).split())


def loose_key(name: str) -> str:
    """A name reduced for loose comparison: "The Guardian" ~ "guardian", "AP News" ~ "apnews"."""
    key = fold(name).casefold()
    key = re.sub(r"^(?:the|www)\W+", "", key)
    key = re.sub(r"\.(?:com|co\.uk|org|net|news)$", "", key)
    return re.sub(r"[^\w]+", "", key)
