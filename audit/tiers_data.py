"""Reading outlet-tier rules files: TOML text in, validated outlet entries (with lines) out.

The format is documented in `rules/README.md`. This module only parses and validates one file
at a time; layering files and matching URLs or names is `audit.tiers`. Every problem carries the
file and the 1-based line it comes from, because `citeaudit rules check` prints exactly that.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

FORMAT_VERSION = 1
"""The only rules-file `version` this release reads."""

FLAGS = frozenset(
    {
        "state_affiliated",
        "user_generated",
        "wiki",
        "social",
        "tabloid",
        "opinion",
        "think_tank",
        "press_release",
        "government",
        "academic",
        "preprint",
        "resolver",
    }
)
"""Every flag an outlet may carry (documented in rules/README.md)."""

TIERS = (1, 2, 3, 4)

_OUTLET_KEYS = frozenset({"name", "aliases", "domains", "tier", "flags", "country", "note"})
_TOP_KEYS = frozenset({"version", "outlet", "remove"})


@functools.cache
def _rule_shape() -> re.Pattern[str]:
    # A rule is a host ("reuters.com"), a host with a path prefix ("x.com/somebody"), or a suffix
    # that starts with a dot (".gov.uk"). Spaces, schemes-in-the-middle and empty labels are
    # typos. Compiled on first use: the character range makes it ~6 ms, and a run that reads
    # the built-in list from its cache (`audit.tiers_cache`) never needs it.
    return re.compile(r"^\.?[a-z0-9\u00a1-\uffff_-]+(\.[a-z0-9\u00a1-\uffff_-]+)*(/[^\s]*)?$")


_HEADER = re.compile(r"^\s*\[\[\s*outlet\s*\]\]\s*(#.*)?$")
_TABLE = re.compile(r"^\s*\[")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")

_Reporter = Callable[[int | None, str], None]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a rules file, where it is and what is wrong."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class OutletSpec:
    """One `[[outlet]]` table as written; None means "not given" (an override keeps the old)."""

    name: str
    line: int | None
    tier: int | None = None
    domains: tuple[str, ...] | None = None
    aliases: tuple[str, ...] | None = None
    flags: tuple[str, ...] | None = None
    country: str | None = None
    note: str | None = None
    given: frozenset[str] = frozenset()
    """The keys the table actually set (so an override can tell "country" from "no country")."""


@dataclass(frozen=True, slots=True)
class RulesDoc:
    """A parsed rules file: outlets to add or change, names or rules to remove."""

    file: str
    outlets: tuple[OutletSpec, ...]
    remove: tuple[tuple[str, int | None], ...]


def normalize_rule(rule: str) -> str:
    """The canonical form of a domain rule: lower case, no scheme, no "www.", no trailing "/"."""
    r = rule.strip().lower()
    for scheme in ("https://", "http://", "//"):
        if r.startswith(scheme):
            r = r[len(scheme) :]
            break
    if r.startswith("www."):
        r = r[4:]
    return r.rstrip("/")


def is_rule_shape(rule: str) -> bool:
    """True if a normalized rule looks like a host, a host+path prefix, or a ".suffix"."""
    return bool(_rule_shape().match(rule)) and ".." not in rule.split("/", 1)[0]


class _Lines:
    """Maps the n-th `[[outlet]]` table and its keys to line numbers in the source text."""

    def __init__(self, text: str) -> None:
        self.headers: list[int] = []
        self.keys: list[dict[str, int]] = []
        self.top: dict[str, int] = {}
        current: dict[str, int] | None = self.top
        for number, line in enumerate(text.splitlines(), start=1):
            if _HEADER.match(line):
                self.headers.append(number)
                current = {}
                self.keys.append(current)
            elif _TABLE.match(line):
                current = None  # some other table: its keys are not ours
            elif current is not None and (m := _KEY.match(line)):
                current.setdefault(m.group(1), number)

    def outlet(self, index: int, key: str | None = None) -> int | None:
        if index >= len(self.headers):
            return None
        if key is not None and key in self.keys[index]:
            return self.keys[index][key]
        return self.headers[index]


def _strings(value: object) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(v.strip() for v in value)
    return None


def parse_rules(text: str, file: str) -> tuple[RulesDoc, list[Problem]]:
    """Parse and validate one rules file's text; problems are returned, never raised.

    `file` is the label used in messages (a path, or "default:<name>" for the built-in list).
    """
    import tomllib  # only when a rules file is parsed, not when the cached list is read

    problems: list[Problem] = []
    empty = RulesDoc(file, (), ())
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib says "... (at line 3, column 7)": lift the line into our own format.
        m = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        line = int(m.group(1)) if m else None
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        return empty, [Problem(file, line, f"not valid TOML: {message}")]
    lines = _Lines(text)

    def bad(line: int | None, message: str) -> None:
        problems.append(Problem(file, line, message))

    for key in sorted(set(data) - _TOP_KEYS):
        bad(lines.top.get(key), f"unknown top-level key {key!r} (expected version, outlet, remove)")
    version = data.get("version")
    if version is None:
        bad(1, f"missing `version = {FORMAT_VERSION}` at the top of the file")
    elif version != FORMAT_VERSION:
        bad(lines.top.get("version"), f"version {version!r} is not supported (expected 1)")

    remove: list[tuple[str, int | None]] = []
    raw_remove = data.get("remove", [])
    removals = _strings(raw_remove)
    if removals is None:
        bad(lines.top.get("remove"), "remove must be a list of outlet names or domain rules")
    else:
        remove = [(r, lines.top.get("remove")) for r in removals if r]

    raw_outlets = data.get("outlet", [])
    if not isinstance(raw_outlets, list):
        bad(lines.top.get("outlet"), "outlet must be written as [[outlet]] tables")
        raw_outlets = []
    specs: list[OutletSpec] = []
    for index, table in enumerate(raw_outlets):
        spec = _outlet(table, index, lines, bad)
        if spec is not None:
            specs.append(spec)
    problems.extend(_duplicates(specs, file, lines))
    return RulesDoc(file, tuple(specs), tuple(remove)), problems


def _outlet(table: object, index: int, lines: _Lines, bad: _Reporter) -> OutletSpec | None:
    head = lines.outlet(index)
    if not isinstance(table, dict):
        bad(head, "each outlet must be a table")
        return None
    for key in sorted(set(table) - _OUTLET_KEYS):
        bad(lines.outlet(index, key), f"unknown key {key!r} in outlet (see rules/README.md)")
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        bad(head, "outlet has no `name`")
        return None
    name = name.strip()
    label = f"outlet {name!r}"

    tier = table.get("tier")
    if tier is not None and (isinstance(tier, bool) or tier not in TIERS):
        bad(lines.outlet(index, "tier"), f"{label}: tier must be 1, 2, 3 or 4, not {tier!r}")
        tier = None

    domains: tuple[str, ...] | None = None
    if "domains" in table:
        raw = _strings(table["domains"])
        if raw is None:
            bad(lines.outlet(index, "domains"), f"{label}: domains must be a list of strings")
        else:
            domains = tuple(normalize_rule(d) for d in raw)
            for original, rule in zip(raw, domains, strict=True):
                if not is_rule_shape(rule):
                    bad(lines.outlet(index, "domains"), f"{label}: {original!r} is not a domain")

    aliases: tuple[str, ...] | None = None
    if "aliases" in table:
        aliases = _strings(table["aliases"])
        if aliases is None or any(not a for a in aliases):
            bad(lines.outlet(index, "aliases"), f"{label}: aliases must be non-empty strings")
            aliases = None

    flags: tuple[str, ...] | None = None
    if "flags" in table:
        flags = _strings(table["flags"])
        if flags is None:
            bad(lines.outlet(index, "flags"), f"{label}: flags must be a list of strings")
        else:
            for flag in flags:
                if flag not in FLAGS:
                    known = ", ".join(sorted(FLAGS))
                    bad(lines.outlet(index, "flags"), f"{label}: unknown flag {flag!r} ({known})")
            flags = tuple(f for f in flags if f in FLAGS)

    texts: dict[str, str | None] = {}
    for key in ("country", "note"):
        value = table.get(key)
        if value is not None and not isinstance(value, str):
            bad(lines.outlet(index, key), f"{label}: {key} must be a string")
            value = None
        texts[key] = value.strip() if isinstance(value, str) else None

    return OutletSpec(
        name=name,
        line=head,
        tier=tier,
        domains=domains,
        aliases=aliases,
        flags=flags,
        country=texts["country"],
        note=texts["note"],
        given=frozenset(k for k in table if k in _OUTLET_KEYS),
    )


def _duplicates(specs: Iterable[OutletSpec], file: str, lines: _Lines) -> list[Problem]:
    """One file must not name an outlet twice, nor give one domain or alias to two outlets."""
    problems: list[Problem] = []
    names: dict[str, str] = {}
    owners: dict[str, str] = {}
    for spec in specs:
        key = spec.name.casefold()
        if key in names:
            problems.append(Problem(file, spec.line, f"outlet {spec.name!r} is listed twice"))
        names[key] = spec.name
        for rule in spec.domains or ():
            if rule in owners and owners[rule] != spec.name:
                problems.append(
                    Problem(file, spec.line, f"{rule!r} is claimed by {owners[rule]!r} too")
                )
            owners.setdefault(rule, spec.name)
    return problems


def merged_aliases(name: str, aliases: Iterable[str]) -> tuple[str, ...]:
    """The outlet's name followed by its aliases, without repeats."""
    seen: dict[str, None] = {name: None}
    for alias in aliases:
        seen.setdefault(alias, None)
    return tuple(seen)
