"""Unlinked attributions: an outlet or journal named as a source, with no link.

"According to The New York Times, ...", "as Shi Jiantao writes in the South China Morning Post",
"Reuters reported", "in his 1993 Foreign Affairs essay", "told the BBC". A name alone is not a
citation ("Reuters is a news agency"): a hit needs an attribution cue just before or just after
the name. Names match whole words with their capitalisation ("the Guardian", never "guardian").

Linear time: names are found by looking up capitalised words in a table keyed by their first
word, and cues are checked in a bounded window around each name.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from audit.names import loose_key

DEFAULT_OUTLET_NAMES: tuple[str, ...] = (
    "Reuters",
    "Associated Press",
    "AP",
    "AFP",
    "Agence France-Presse",
    "Bloomberg",
    "The New York Times",
    "The Washington Post",
    "The Wall Street Journal",
    "Financial Times",
    "The Economist",
    "The Guardian",
    "The Times",
    "The Telegraph",
    "The Independent",
    "BBC",
    "CNN",
    "NPR",
    "Al Jazeera",
    "Politico",
    "Axios",
    "The Atlantic",
    "The New Yorker",
    "Foreign Affairs",
    "Foreign Policy",
    "South China Morning Post",
    "Nikkei Asia",
    "The Japan Times",
    "Der Spiegel",
    "Le Monde",
    "Kyiv Independent",
    "Kyiv Post",
    "The Moscow Times",
    "Meduza",
    "Novaya Gazeta",
    "TASS",
    "RIA Novosti",
    "RT",
    "Sputnik",
    "Xinhua",
    "Global Times",
    "People's Daily",
    "China Daily",
    "CGTN",
    "Asia Times",
    "The Diplomat",
    "The Lancet",
    "Wikipedia",
)
"""Used when the caller passes no names; the outlet-tier list (`rules/`) supplies the real set."""


@dataclass(frozen=True, slots=True)
class AttributionHit:
    """An outlet named as a source: the name's span, the outlet as listed, and the phrase."""

    start: int
    end: int
    outlet: str
    """The name from the outlet list that matched, as the list spells it."""
    phrase: str
    """The attribution as written, cue included ("According to The New York Times")."""


_CUES_BEFORE = (
    r"according to|writes in|wrote in|writing in|written in|published in|publishing in|"
    r"appeared in|appearing in|reported in|reported by|reporting by|reports? in|"
    r"told|telling|said in|says in|said to|told to|speaking to|spoke to|speaking with|spoke with|"
    r"interview with|interviewed by|quoted in|quoted by|cited in|cited by|citing|cites|"
    r"as reported by|as noted in|noted in|argued in|argues in|explained in|revealed by|"
    r"essay in|article in|report in|piece in|story in|op-ed in|op-ed for|editorial in|column in|"
    r"investigation by|investigation in|analysis by|analysis in|study in|study by|survey by|"
    r"poll by|data from|figures from|report by|reports by|via|per"
)
_CUES_AFTER = (
    r"reported|reports|reporting|revealed|reveals|wrote|writes|noted|notes|found|finds|said|"
    r"says|quoted|cited|cites|published|obtained|confirmed|learned|estimated|estimates|"
    r"calculated|essay|essays|article|articles|report|op-ed|editorial|piece|story|stories|"
    r"investigation|analysis|interview|column|survey|poll|data|documentary|podcast|review|"
    r"headline|exposé|expose|dispatch|feature"
)
# Up to three filler words between a cue and the name: "writes in the", "an essay in his 1993".
_BEFORE = re.compile(
    r"\b(?:" + _CUES_BEFORE + r")(?P<fill>(?:\s+[\w'’.-]+){0,3}?)\s+$", re.IGNORECASE
)
_AFTER = re.compile(
    r"^(?:['’]s)?(?P<fill>(?:,?\s+[\w'’-]+){0,2}?),?\s+(?:" + _CUES_AFTER + r")\b", re.IGNORECASE
)
_WORD = re.compile(r"[A-Z][\w&'’.-]*|\d[\w-]*")
_SENTENCE_STOP = re.compile(r"[.!?;:\n](?:\s|$)")
_WINDOW = 80
_FILLERS_FOR_SHORT = frozenset({"", "the"})


@dataclass(frozen=True, slots=True)
class _Name:
    outlet: str
    source: str
    """The name as a regular expression (its words joined by any whitespace)."""
    short: bool
    """Acronyms of three letters or fewer ("AP", "RT") need a cue right beside them."""

    @property
    def pattern(self) -> re.Pattern[str]:
        # Compiled on first use: most names never occur in a given article, and compiling
        # every one of them up front cost about 70 ms a run (docs/performance.md).
        return _compile(self.source)


@functools.lru_cache(maxsize=4096)
def _compile(source: str) -> re.Pattern[str]:
    return re.compile(source)


def find_attributions(
    text: str, outlet_names: Sequence[str], *, listed: bool = False
) -> list[AttributionHit]:
    """Every outlet in `outlet_names` (DEFAULT_OUTLET_NAMES when empty) named as a source.

    `listed`: `text` is a list of sources ("Reuters, Associated Press" after "Sources:"), so
    every outlet named in it is one, with no cue beside it.
    """
    table = _name_table(tuple(outlet_names) or DEFAULT_OUTLET_NAMES)
    hits: list[AttributionHit] = []
    taken = -1
    for word in _WORD.finditer(text):
        if word.start() < taken:
            continue
        key = word.group().rstrip(".")
        if key.endswith(("'s", "’s")):
            key = key[:-2]  # "The Guardian’s report"
        candidates = table.get(key.rstrip("'’"))
        if not candidates:
            continue
        start = word.start()
        if start > 0 and (text[start - 1] in "/@.#-_" or text[start - 1].isalnum()):
            continue  # part of a URL, handle or longer word
        for name in candidates:
            m = name.pattern.match(text, start)
            if m is None:
                continue
            end = m.end()
            if end < len(text) and (text[end].isalnum() or text[end] in "/@_-"):
                continue
            if _inside_longer_name(text, start, end) and not listed:
                break
            hit = (
                AttributionHit(start, end, name.outlet, _clean(text[start:end]))
                if listed
                else _attribution(text, start, end, name)
            )
            if hit is not None:
                hits.append(hit)
                taken = end
            break
    return hits


def site_labels(urls: Iterable[str]) -> frozenset[str]:
    """The labels of the URLs' hosts ("www", "bloomberg", "com"), for `links_own_site`."""
    from audit.urls import host_of

    return frozenset(label for url in urls for label in (host_of(url) or "").split(".") if label)


_site_key = functools.lru_cache(maxsize=4096)(loose_key)
"""An outlet's name as a host would spell it ("The Guardian" -> "guardian"), once per name."""


def links_own_site(outlet: str, labels: frozenset[str]) -> bool:
    """Whether a host label is the outlet's own site, going by its name: "Bloomberg" and
    www.bloomberg.com, "BBC" and bbc.co.uk, "The Guardian" and theguardian.com.

    An outlet named in a paragraph that links its own page is sourced there, even when the link
    sits in the next sentence ("Did anyone see the Bloomberg piece? https://www.bloomberg.com/...").
    `labels` is `site_labels` of the paragraph's URLs, worked out once for all its outlets.
    """
    key = _site_key(outlet)
    if len(key) < 3:
        return False
    if key in labels:
        return True
    # Longer names also inside a label ("theguardian"); short ones only whole ("bbc").
    return len(key) >= 5 and any(key in label for label in labels)


def _attribution(text: str, start: int, end: int, name: _Name) -> AttributionHit | None:
    # "The New York Times" written as "the New York Times": include the article in the span.
    name_start = start
    if text[max(0, start - 4) : start] in ("The ", "the "):
        name_start = start - 4
    before = _clip_before(text[max(0, name_start - _WINDOW) : name_start])
    b = _BEFORE.search(before)
    if b is not None and _fill_ok(b.group("fill"), name):
        phrase_start = name_start - (len(before) - b.start())
        return AttributionHit(name_start, end, name.outlet, _clean(text[phrase_start:end]))
    after = _clip_after(text[end : end + _WINDOW])
    a = _AFTER.match(after)
    if a is not None and _fill_ok(a.group("fill"), name):
        return AttributionHit(
            name_start, end, name.outlet, _clean(text[name_start : end + a.end()])
        )
    return None


_NEXT_WORD = re.compile(r"\s+([A-Z][a-z]+)")
_PREV_OF = re.compile(r"[A-Z][\w'’-]*\s+(?:of|on|for|and|de|du)\s+(?:the\s+)?$")


def _inside_longer_name(text: str, start: int, end: int) -> bool:
    """True for a name inside a longer proper noun: "Foreign Affairs Minister", "Ministry of
    Foreign Affairs", "Reuters Institute". Those are not the outlet."""
    nxt = _NEXT_WORD.match(text, end, min(len(text), end + 40))
    if nxt is not None and not re.fullmatch(_CUES_AFTER, nxt.group(1), re.IGNORECASE):
        return True
    return _PREV_OF.search(text[max(0, start - 40) : start]) is not None


def _fill_ok(fill: str, name: _Name) -> bool:
    if not name.short:
        return True
    return fill.strip(" ,").lower() in _FILLERS_FOR_SHORT


def _clip_before(window: str) -> str:
    """The part of `window` in the same sentence as what follows it."""
    last = -1
    for m in _SENTENCE_STOP.finditer(window):
        last = m.end()
    return window[last:] if last != -1 else window


def _clip_after(window: str) -> str:
    m = _SENTENCE_STOP.search(window)
    return window[: m.start()] if m else window


def _clean(s: str) -> str:
    return " ".join(s.split())


_TABLES: dict[tuple[str, ...], dict[str, list[_Name]]] = {}


def _name_table(names: tuple[str, ...]) -> dict[str, list[_Name]]:
    """Names keyed by their first word (leading "The" dropped), longest first; memoised."""
    cached = _TABLES.get(names)
    if cached is not None:
        return cached
    table: dict[str, list[_Name]] = {}
    seen: set[str] = set()
    for outlet in names:
        core = outlet.strip()
        if core[:4] in ("The ", "the "):
            core = core[4:].strip()
        words = core.split()
        if not words or core in seen or not (words[0][:1].isupper() or words[0][:1].isdigit()):
            continue
        seen.add(core)
        source = r"\s+".join(re.escape(w) for w in words)
        short = len(core) <= 3 and core.isupper()
        table.setdefault(words[0], []).append(_Name(outlet.strip(), source, short))
    for entries in table.values():
        entries.sort(key=lambda n: -len(n.source))
    if len(_TABLES) > 16:
        _TABLES.clear()
    _TABLES[names] = table
    return table
