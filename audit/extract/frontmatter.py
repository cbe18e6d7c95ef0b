"""A small reader for the front matter that opens many Markdown articles (title, date, author).

Writers use a YAML-ish `---` block (or TOML between `+++`), but only a few flat keys matter here,
so this reads `key: value` / `key = "value"` lines and simple `- item` lists itself rather than
pulling in a YAML library (and YAML's surprises: `date: 2025-07-11` turning into a date object,
`title: no` into False). Pure; never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_KEY_VALUE = re.compile(r"^(?P<key>[A-Za-z_][\w.-]{0,40})\s*[:=]\s*(?P<value>.*)$")
_LIST_ITEM = re.compile(r"^\s+-\s+(?P<value>.+)$|^-\s+(?P<value2>.+)$")

_TITLE_KEYS = ("title", "headline", "name")
_DATE_KEYS = ("date", "published", "pubdate", "publishdate", "published_at", "created")
_AUTHOR_KEYS = ("author", "authors", "byline", "by")


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The fields of a front-matter block the auditor cares about, as written (unparsed)."""

    title: str | None = None
    date: str | None = None
    author: str | None = None
    end_line: int = 0
    """Number of source lines the block occupies (0 when there is none)."""


def split_front_matter(text: str) -> tuple[dict[str, str], int]:
    """Read a `---`/`+++` block at the very start of `text` into lowercase keys -> values.

    Returns the values and the number of lines the block takes (closing fence included), or
    ({}, 0) when the text does not open with a closed block.
    """
    lines = text.split("\n", 2000)
    if not lines or lines[0].rstrip() not in ("---", "+++"):
        return {}, 0
    fence = lines[0].rstrip()
    values: dict[str, str] = {}
    last_key: str | None = None
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() in (fence, "..."):
            return values, index + 1
        match = _KEY_VALUE.match(line)
        if match and not line[:1].isspace():
            last_key = match.group("key").lower()
            values[last_key] = _unquote(match.group("value"))
            continue
        item = _LIST_ITEM.match(line)
        if item and last_key is not None:
            value = _unquote(item.group("value") or item.group("value2") or "")
            joined = values.get(last_key, "")
            values[last_key] = f"{joined}, {value}" if joined else value
    return {}, 0


def read_front_matter(text: str) -> FrontMatter:
    """The title, date and author from the front matter at the start of `text`, if any."""
    values, end = split_front_matter(text)
    if not end:
        return FrontMatter()
    return FrontMatter(
        title=_first(values, _TITLE_KEYS),
        date=_first(values, _DATE_KEYS),
        author=_first(values, _AUTHOR_KEYS),
        end_line=end,
    )


def _first(values: dict[str, str], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = values.get(key, "").strip()
        if value:
            return value
    return None


def _unquote(value: str) -> str:
    value = value.strip()
    # A trailing YAML comment is not part of the value ("date: 2025-07-11  # draft").
    if " #" in value and not value.startswith(("'", '"')):
        value = value.split(" #", 1)[0].rstrip()
    if value.startswith("[") and value.endswith("]"):
        # Flow list: authors: [A. Writer, B. Editor]
        return ", ".join(_unquote(part) for part in value[1:-1].split(",") if part.strip())
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    return value.strip()
