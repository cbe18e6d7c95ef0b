"""Outlet tiers: load the default list plus the user's files, and rate a URL or an outlet's name.

Matching order (documented in docs/tiers.md): the longest URL prefix rule ("x.com/somebody"),
then the longest host rule ("economictimes.indiatimes.com"), then the registered domain
("reuters.com"), then suffix rules (".gov", ".gov.uk", or a platform suffix such as
"blogspot.com"), and for names only, the outlet's name and aliases. Nothing here raises for
an unknown or malformed URL: it is rated `unknown`. Only a bad rules file raises
(`RulesFileError`, with file and line).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import audit
from audit.errors import RulesFileError
from audit.model import Citation, CitationKind, Rating
from audit.tiers_data import (
    OutletSpec,
    Problem,
    RulesDoc,
    is_rule_shape,
    merged_aliases,
    normalize_rule,
    parse_rules,
)

if TYPE_CHECKING:
    from publicsuffixlist import PublicSuffixList

DEFAULT_LABEL = "default"
"""`Rating.rules_file` prefix for outlets from the built-in list ("default:europe.toml")."""

# Flags whose platforms host many independent publishers: a subdomain on them is named in the
# rating ("Substack: someone.substack.com") so two newsletters do not look like one outlet.
_PLATFORM_FLAGS = frozenset({"user_generated", "social"})
_NOT_PUBLISHER_FLAGS = frozenset({"wiki"})  # en.wikipedia.org is one wiki, not a publisher
_MOBILE_PREFIXES = ("www.", "m.", "mobile.")
# Bounds on the lookups `rate_url` tries, so a hostile 1 MB URL ("a/a/a/..." or "a.a.a...")
# costs linear time, not one join per segment: no prefix rule is this deep, and DNS allows at
# most 127 labels in a host name.
_MAX_PREFIX_SEGMENTS = 32
_MAX_HOST_LABELS = 127


@dataclass(frozen=True, slots=True)
class Outlet:
    """One outlet of the (layered) list."""

    name: str
    tier: int
    domains: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    """How writers cite it; always starts with `name`."""
    flags: tuple[str, ...] = ()
    country: str | None = None
    note: str | None = None
    rules_file: str = DEFAULT_LABEL
    line: int | None = None


@dataclass(frozen=True, slots=True)
class _Hit:
    outlet: Outlet
    rule: str


@dataclass(frozen=True)
class TierList:
    """The outlets in force, with the indexes that answer `rate_url` and `rate_name`."""

    outlets: tuple[Outlet, ...]
    _prefixes: dict[str, _Hit] = field(default_factory=dict, repr=False)
    _hosts: dict[str, _Hit] = field(default_factory=dict, repr=False)
    _suffixes: dict[str, _Hit] = field(default_factory=dict, repr=False)
    _exact_names: dict[str, _Hit] = field(default_factory=dict, repr=False)
    _folded_names: dict[str, _Hit] = field(default_factory=dict, repr=False)

    # -- URLs ------------------------------------------------------------------------------

    def rate_url(self, url: str) -> Rating:
        """Rate the outlet that publishes `url`; unknown (never an error) if no rule matches.

        A web archive's snapshot of a page the list knows is rated as that page: the archive's
        own entry says a snapshot is as reliable as the original.
        """
        if "archive" in url:
            from audit.urls import archived_original

            original = archived_original(url)
            if original is not None and (rated := self._rate_url(original)).tier is not None:
                return rated
        return self._rate_url(url)

    def _rate_url(self, url: str) -> Rating:
        parts = _split_url(url)
        if parts is None:
            return _UNKNOWN
        host, path = parts
        bare = _strip_prefixes(host)
        # 1. URL prefix rules: try "host/a/b", then "host/a" (longest first).
        segments = [s for s in path.split("/") if s][:_MAX_PREFIX_SEGMENTS]
        for n in range(len(segments), 0, -1):
            key = bare + "/" + "/".join(segments[:n]).lower()
            if (hit := self._prefixes.get(key)) is not None:
                return _rating(hit, "url_prefix")
        # 2-4. Walk the host's dot-suffixes from the longest: the first rule found is the most
        # specific. Whether it counts as host, domain or suffix depends on the registered domain
        # (looked up only then: a run citing no listed outlet never loads the suffix list).
        labels = host.split(".")[-_MAX_HOST_LABELS:]
        for i in range(len(labels)):
            candidate = ".".join(labels[i:])
            if (hit := self._hosts.get(candidate)) is not None:
                return _rating(hit, _kind(candidate, _registered_domain(host)), host=host)
            # A ".gov" style rule covers hosts below it, never the bare suffix itself.
            if i > 0 and (hit := self._suffixes.get(candidate)) is not None:
                return _rating(hit, "suffix", host=host)
        return _UNKNOWN

    # -- names -----------------------------------------------------------------------------

    def rate_name(self, name: str) -> Rating | None:
        """Rate an outlet named in a citation or attribution ("Reuters", "the Times of India").

        Acronyms (aliases with no lower-case letter, such as "AP" or "RT") match only as written;
        other names ignore case, a leading "the" and curly quotes. A name that looks like a domain
        ("kyivpost.com") is rated as a URL. None if nothing matches.
        """
        cleaned = _clean_name(name)
        if not cleaned:
            return None
        hit = self._exact_names.get(cleaned) or self._folded_names.get(cleaned.casefold())
        if hit is not None:
            return _rating(hit, "alias")
        if " " not in cleaned and "." in cleaned and is_rule_shape(normalize_rule(cleaned)):
            rated = self.rate_url("https://" + cleaned)
            return rated if rated.tier is not None else None
        return None

    def attribution_names(self) -> list[str]:
        """Every name and alias, longest first (so a regex alternation prefers "The New York
        Times" to "Times"). Acronyms are meant to be matched case-sensitively."""
        # A one-letter name ("X") would match any capital letter in prose: rate_name only.
        names = {a for outlet in self.outlets for a in outlet.aliases if len(a.strip()) > 1}
        return sorted(names, key=lambda n: (-len(n), n))

    def rate_citation(self, citation: Citation) -> Rating:
        """Rate a citation: by its URL if it has one, else by the outlet it names."""
        ref = citation.reference
        if ref.url:
            return self.rate_url(ref.url)
        candidates = [ref.outlet]
        if citation.kind is CitationKind.ATTRIBUTION:
            candidates.append(ref.raw)
        for candidate in candidates:
            if candidate and (rated := self.rate_name(candidate)) is not None:
                return rated
        return _UNKNOWN

    # -- lookup ----------------------------------------------------------------------------

    def find(self, name: str) -> Outlet | None:
        """The outlet with this exact name (any case), if any."""
        key = name.strip().casefold()
        return next((o for o in self.outlets if o.name.casefold() == key), None)


_UNKNOWN = Rating(outlet=None, tier=None, matched_by="none")


def _rating(hit: _Hit, matched_by: str, *, host: str | None = None) -> Rating:
    outlet = hit.outlet
    name = outlet.name
    if (
        host is not None
        and _PLATFORM_FLAGS.intersection(outlet.flags)
        and not _NOT_PUBLISHER_FLAGS.intersection(outlet.flags)
        and "/" not in hit.rule
        and not hit.rule.startswith(".")
    ):
        bare = _strip_prefixes(host)
        if bare != hit.rule and bare.endswith("." + hit.rule):
            name = f"{outlet.name}: {bare}"  # a publisher of its own on a shared platform
    return Rating(
        outlet=name,
        tier=outlet.tier,
        flags=outlet.flags,
        matched_by=matched_by,
        rule=hit.rule,
        rules_file=outlet.rules_file,
        note=outlet.note,
    )


def _kind(candidate: str, registered: str) -> str:
    if not registered or candidate == registered:
        return "domain" if registered else "host"
    if len(candidate) > len(registered):
        return "host"
    return "suffix"


def _split_url(url: str) -> tuple[str, str] | None:
    """(host, path) of a URL, or None if it has no usable host. Never raises."""
    text = url.strip()
    if not text or any(c.isspace() for c in text):
        return None
    if "//" not in text.split("/", 1)[0] + "/" and not text.startswith("//"):
        # "reuters.com/x" or "www.reuters.com": no scheme, but plainly a host.
        text = "//" + text if "://" not in text else text
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme not in ("", "http", "https") or not host:
        return None
    host = host.rstrip(".")
    if not host or ".." in host:
        return None
    return host, parts.path


def _strip_prefixes(host: str) -> str:
    for prefix in _MOBILE_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            return host[len(prefix) :]
    return host


@functools.cache
def _suffix_list() -> PublicSuffixList:
    # The snapshot bundled with publicsuffixlist; it never downloads. Private suffixes are on
    # (its default), so blogspot.com and github.io subdomains count as publishers of their own;
    # a TLD the list does not know gives no registered domain. It replaced tldextract, whose
    # import pulls in requests: 78 ms to import and 19 ms to load, against 7 and 27 ms.
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList(accept_unknown=False)


@functools.lru_cache(maxsize=4096)
def _registered_domain(host: str) -> str:
    if _looks_like_ip(host):
        return ""
    try:
        return _suffix_list().privatesuffix(host.lower()) or ""
    except Exception:  # a library failure must not fail a citation: rate by host only
        return ""


def _looks_like_ip(host: str) -> bool:
    return ":" in host or bool(re.fullmatch(r"[0-9.]+", host))


_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " "})


def _clean_name(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).translate(_QUOTES)
    text = " ".join(text.split()).strip(" \"'.,;:()[]")
    if text[:4].lower() == "the ":
        text = text[4:]
    return text


# -- building and loading ------------------------------------------------------------------


def build_tier_list(outlets: Iterable[Outlet]) -> TierList:
    """Index outlets for matching; a later outlet wins a rule or alias an earlier one had."""
    kept = tuple(outlets)
    prefixes: dict[str, _Hit] = {}
    hosts: dict[str, _Hit] = {}
    suffixes: dict[str, _Hit] = {}
    exact: dict[str, _Hit] = {}
    folded: dict[str, _Hit] = {}
    for outlet in kept:
        for rule in outlet.domains:
            hit = _Hit(outlet, rule)
            if "/" in rule:
                prefixes[_strip_prefixes(rule.split("/", 1)[0]) + "/" + rule.split("/", 1)[1]] = hit
            elif rule.startswith("."):
                suffixes[rule[1:]] = hit
            else:
                hosts[rule] = hit
        for alias in outlet.aliases:
            cleaned = _clean_name(alias)
            if not cleaned:
                continue
            hit = _Hit(outlet, alias)
            if any(c.islower() for c in cleaned):
                folded[cleaned.casefold()] = hit
            else:
                exact[cleaned] = hit
    return TierList(kept, prefixes, hosts, suffixes, exact, folded)


def apply_layer(outlets: Sequence[Outlet], doc: RulesDoc) -> tuple[list[Outlet], list[Problem]]:
    """Layer one rules file over the outlets so far: remove, then change or add."""
    problems: list[Problem] = []
    current = list(outlets)
    for item, line in doc.remove:
        key = item.strip().casefold()
        rule = normalize_rule(item)
        before = len(current)
        current = [o for o in current if o.name.casefold() != key and rule not in o.domains]
        if len(current) == before:
            problems.append(Problem(doc.file, line, f"remove: no outlet named or ruled {item!r}"))
    by_name = {o.name.casefold(): i for i, o in enumerate(current)}
    for spec in doc.outlets:
        index = by_name.get(spec.name.casefold())
        if index is None:
            made = _new_outlet(spec, doc.file, problems)
            if made is not None:
                by_name[made.name.casefold()] = len(current)
                current.append(made)
        else:
            current[index] = _changed_outlet(current[index], spec, doc.file)
    # A rule a later file gives to another outlet is that outlet's now: drop it from the old one.
    claimed = {rule: spec.name.casefold() for spec in doc.outlets for rule in spec.domains or ()}
    if claimed:
        current = [_without_claimed(o, claimed) for o in current]
    return current, problems


def _without_claimed(outlet: Outlet, claimed: dict[str, str]) -> Outlet:
    own = outlet.name.casefold()
    kept = tuple(d for d in outlet.domains if claimed.get(d, own) == own)
    return outlet if len(kept) == len(outlet.domains) else replace(outlet, domains=kept)


def _new_outlet(spec: OutletSpec, file: str, problems: list[Problem]) -> Outlet | None:
    if spec.tier is None:
        problems.append(Problem(file, spec.line, f"new outlet {spec.name!r} needs a tier"))
        return None
    return Outlet(
        name=spec.name,
        tier=spec.tier,
        domains=spec.domains or (),
        aliases=merged_aliases(spec.name, spec.aliases or ()),
        flags=spec.flags or (),
        country=spec.country,
        note=spec.note,
        rules_file=file,
        line=spec.line,
    )


def _changed_outlet(old: Outlet, spec: OutletSpec, file: str) -> Outlet:
    given = spec.given
    return Outlet(
        name=old.name,
        tier=spec.tier if "tier" in given and spec.tier is not None else old.tier,
        domains=spec.domains if "domains" in given and spec.domains is not None else old.domains,
        aliases=(
            merged_aliases(old.name, spec.aliases)
            if "aliases" in given and spec.aliases is not None
            else old.aliases
        ),
        flags=spec.flags if "flags" in given and spec.flags is not None else old.flags,
        country=spec.country if "country" in given else old.country,
        note=spec.note if "note" in given else old.note,
        rules_file=file,
        line=spec.line,
    )


def default_rules_dir() -> Path:
    """Where the built-in list lives: `audit/_rules` in a wheel, `<repo>/rules` in a checkout."""
    package = Path(audit.__file__).resolve().parent
    bundled = package / "_rules"
    return bundled if bundled.is_dir() else package.parent / "rules"


def read_rules_file(path: Path, label: str | None = None) -> tuple[RulesDoc, list[Problem]]:
    """Read and validate one rules file; unreadable files are a problem, not an exception."""
    name = label or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return RulesDoc(name, (), ()), [Problem(name, None, f"cannot read rules file ({reason})")]
    return parse_rules(text, name)


def default_outlets_checked(directory: Path) -> tuple[list[Outlet], list[Problem]]:
    """The built-in list and every problem in it (`rules check` on the default list).

    The default files only add outlets; across them, a name or a rule must appear once.
    """
    outlets: list[Outlet] = []
    problems: list[Problem] = []
    names: dict[str, str] = {}
    owners: dict[str, str] = {}
    for path in sorted(directory.glob("*.toml")):
        doc, found = read_rules_file(path, f"{DEFAULT_LABEL}:{path.name}")
        problems.extend(found)
        if doc.remove:
            problems.append(Problem(doc.file, doc.remove[0][1], "the default list cannot remove"))
        for spec in doc.outlets:
            key = spec.name.casefold()
            if key in names and names[key] != doc.file:
                problems.append(Problem(doc.file, spec.line, f"{spec.name!r} is in two files"))
                continue
            names[key] = doc.file
            for rule in spec.domains or ():
                owner = owners.setdefault(rule, spec.name)
                if owner != spec.name:
                    problems.append(
                        Problem(doc.file, spec.line, f"{rule!r} also belongs to {owner!r}")
                    )
            made = _new_outlet(spec, doc.file, problems)
            if made is not None:
                outlets.append(made)
    if not outlets and not problems:
        problems.append(Problem(str(directory), None, "no outlets found in the default list"))
    return outlets, problems


@functools.lru_cache(maxsize=8)
def _default_outlets(directory: str) -> tuple[Outlet, ...]:
    from audit.tiers_cache import load_or_build

    def parse() -> list[Outlet]:
        outlets, problems = default_outlets_checked(Path(directory))
        if problems:
            raise RulesFileError(_summary(problems))
        return outlets

    # Parsed once per version of the files, then read back from the user's cache (~30 ms less).
    return load_or_build(sorted(Path(directory).glob("*.toml")), parse, Outlet)


@functools.lru_cache(maxsize=8)
def _default_list(directory: str) -> TierList:
    return build_tier_list(_default_outlets(directory))


def _summary(problems: Sequence[Problem]) -> str:
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"{problems[0]}{more}"


def load_tiers(extra_files: Sequence[Path] = (), *, default_dir: Path | None = None) -> TierList:
    """The default list layered with the user's rules files, in order.

    Raises RulesFileError (naming file and line) for a malformed file. The parsed default list
    is cached in-process, so repeated calls cost only the user's files.
    """
    directory = str(default_dir or default_rules_dir())
    if not extra_files:
        return _default_list(directory)
    outlets: list[Outlet] = list(_default_outlets(directory))
    for path in extra_files:
        doc, problems = read_rules_file(Path(path))
        layered, more = apply_layer(outlets, doc)
        problems += more
        if problems:
            raise RulesFileError(_summary(problems))
        outlets = layered
    return build_tier_list(outlets)
