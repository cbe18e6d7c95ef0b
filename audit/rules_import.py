"""Turn a user's ratings CSV into a citeaudit rules file (TOML text). Pure: text in, text out.

Three shapes are understood (rules/README.md, "Importing ratings"):

* `domain,label`: a word per domain, as rating services and research sets ship them
  ("reliable", "mixed", "unreliable", "satire", "state media"...). Mapped with LABEL_TIERS.
* `domain,score`: a number per domain, 0-1 or 0-100 (detected per file). Mapped with
  SCORE_TIERS.
* the State Media Matrix shape (`Country`, `Main assets`, `URL`, `Typology`...): only the
  state-controlled and captured typologies (SC, CaPu, CaPr) become `state_affiliated` outlets;
  independent public media (IP, e.g. the BBC) and the independent-but-funded types are skipped.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from audit.errors import RulesFileError
from audit.tiers_data import is_rule_shape, normalize_rule

LABEL_TIERS: dict[str, tuple[int, tuple[str, ...]]] = {
    **dict.fromkeys(("very high", "highest", "tier 1", "excellent"), (1, ())),
    **dict.fromkeys(
        (
            "reliable",
            "generally reliable",
            "high",
            "high credibility",
            "credible",
            "trustworthy",
            "green",
            "pass",
            "mostly factual",
            "tier 2",
            "good",
        ),
        (2, ()),
    ),
    **dict.fromkeys(
        (
            "mixed",
            "medium",
            "moderate",
            "no consensus",
            "use with care",
            "yellow",
            "biased",
            "partisan",
            "tier 3",
            "caution",
        ),
        (3, ()),
    ),
    **dict.fromkeys(
        (
            "unreliable",
            "generally unreliable",
            "deprecated",
            "blacklisted",
            "low",
            "very low",
            "low credibility",
            "not credible",
            "red",
            "fail",
            "fake",
            "fake news",
            "questionable",
            "conspiracy",
            "conspiracy-pseudoscience",
            "pseudoscience",
            "satire",
            "tier 4",
            "junk",
        ),
        (4, ()),
    ),
    **dict.fromkeys(
        ("state", "state media", "state-affiliated", "state affiliated"), (3, ("state_affiliated",))
    ),
    "propaganda": (4, ("state_affiliated",)),
}
"""How a rating label maps to (tier, flags); case and surrounding spaces are ignored."""

SCORE_TIERS: tuple[tuple[float, int], ...] = ((0.90, 1), (0.75, 2), (0.40, 3), (0.0, 4))
"""A score scaled to 0-1 gets the first tier whose threshold it reaches."""

STATE_TYPOLOGIES = {
    "SC": "state-controlled",
    "CaPu": "captured public",
    "CaPr": "captured private",
}
"""State Media Matrix typologies that count as state-affiliated (the others are skipped)."""

# On shared platforms the matrix lists an account, not a site: keep the path as a prefix rule.
_PLATFORM_HOSTS = frozenset(
    {
        "facebook.com",
        "youtube.com",
        "t.me",
        "twitter.com",
        "x.com",
        "instagram.com",
        "vk.com",
        "ok.ru",
        "tiktok.com",
        "linkedin.com",
        "rutube.ru",
        "telegram.me",
    }
)
_DOMAIN_KEYS = ("domain", "url", "site", "website", "host", "source", "source_url")
_LABEL_KEYS = ("label", "rating", "category", "reliability", "class", "type")
_SCORE_KEYS = ("score", "rating", "credibility", "reliability_score", "pc1", "quality")


@dataclass
class ImportResult:
    """The rules file text and what happened to each row."""

    toml: str
    outlets: int = 0
    skipped: list[str] = field(default_factory=list)
    """One line per row not imported, with its line number and why."""


@dataclass
class _Entry:
    name: str
    tier: int
    flags: tuple[str, ...]
    country: str | None
    note: str
    domains: list[str] = field(default_factory=list)


def import_csv(text: str, source: str) -> ImportResult:
    """Convert CSV text to a rules file. Raises RulesFileError if the shape is not understood."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise RulesFileError(f"{source}: the CSV file is empty")
    header = [h.strip().lower() for h in rows[0]]
    if "typology" in header and "url" in header:
        entries, skipped = _matrix(rows, header, source)
    else:
        entries, skipped = _ratings(rows, header, source)
    return ImportResult(_render(entries, source), len(entries), skipped)


def _ratings(
    rows: list[list[str]], header: list[str], source: str
) -> tuple[list[_Entry], list[str]]:
    domain_col = next((header.index(k) for k in _DOMAIN_KEYS if k in header), None)
    if domain_col is None:
        # No header: the first column is the domain, the second the label or score.
        domain_col, value_col, body, first = 0, 1, rows, 1
    else:
        others = [i for i in range(len(header)) if i != domain_col]
        value_col = next(
            (header.index(k) for k in (*_SCORE_KEYS, *_LABEL_KEYS) if k in header),
            others[0] if others else -1,
        )
        body, first = rows[1:], 2
    if value_col < 0:
        raise RulesFileError(f"{source}: expected two columns, domain and label or score")
    values = [r[value_col].strip() if len(r) > value_col else "" for r in body]
    numbers = [_number(v) for v in values if v]
    numeric = bool(numbers) and all(n is not None for n in numbers)
    scale = 100.0 if numeric and max(n for n in numbers if n is not None) > 1.0 else 1.0
    entries: dict[str, _Entry] = {}
    skipped: list[str] = []
    for offset, (row, value) in enumerate(zip(body, values, strict=True)):
        line = first + offset
        rule = _rule(row[domain_col] if len(row) > domain_col else "")
        if rule is None:
            skipped.append(f"line {line}: no usable domain")
            continue
        if numeric:
            score = _number(value)
            if score is None or not 0.0 <= score / scale <= 1.0:
                skipped.append(f"line {line}: score {value!r} is out of range")
                continue
            tier = next(t for threshold, t in SCORE_TIERS if score / scale >= threshold)
            flags: tuple[str, ...] = ()
            note = f"Imported from {source}: score {value}."
        else:
            mapped = LABEL_TIERS.get(" ".join(value.lower().split()))
            if mapped is None:
                skipped.append(f"line {line}: label {value!r} has no tier mapping")
                continue
            tier, flags = mapped
            note = f"Imported from {source}: labelled {value!r}."
        if rule in entries:
            skipped.append(f"line {line}: {rule} is listed twice (first kept)")
            continue
        entries[rule] = _Entry(rule, tier, flags, None, note, [rule])
    return list(entries.values()), skipped


def _matrix(
    rows: list[list[str]], header: list[str], source: str
) -> tuple[list[_Entry], list[str]]:
    col = {name: header.index(name) for name in header}

    def cell(row: list[str], name: str) -> str:
        i = col.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    entries: dict[str, _Entry] = {}
    owners: set[str] = set()
    skipped: list[str] = []
    for line, row in enumerate(rows[1:], start=2):
        typology = cell(row, "typology")
        name = cell(row, "main assets") or cell(row, "media company")
        if typology not in STATE_TYPOLOGIES:
            skipped.append(
                f"line {line}: {name or '?'}: typology {typology or 'none'} is not state-affiliated"
            )
            continue
        rule = _rule(cell(row, "url"), keep_path=True)
        if not name or rule is None:
            skipped.append(f"line {line}: {name or '?'}: no name or no usable URL")
            continue
        if rule in owners:
            skipped.append(f"line {line}: {name}: {rule} already imported")
            continue
        country = cell(row, "country") or None
        company = cell(row, "media company")
        key = f"{name.casefold()}|{(country or '').casefold()}"
        entry = entries.get(key)
        if entry is None:
            taken = any(e.name.casefold() == name.casefold() for e in entries.values())
            label = f"{name} ({country})" if taken else name
            owner = f", owned by {company}" if company and company != name else ""
            note = (
                f"Imported from {source}: {STATE_TYPOLOGIES[typology]} media ({typology}){owner}."
            )
            entry = entries[key] = _Entry(label, 3, ("state_affiliated",), country, note)
        entry.domains.append(rule)
        owners.add(rule)
    return list(entries.values()), skipped


def _number(value: str) -> float | None:
    try:
        return float(value.replace(",", ".")) if value else None
    except ValueError:
        return None


def _rule(value: str, keep_path: bool = False) -> str | None:
    text = value.strip()
    if not text:
        return None
    if "//" not in text:
        text = "//" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return None
    rule = normalize_rule(host)
    if keep_path and rule in _PLATFORM_HOSTS:
        path = parts.path.strip("/")
        if not path:
            return None  # the platform itself is not the outlet
        rule = f"{rule}/{path.split('/')[0].lower()}"
    return rule if rule and is_rule_shape(rule) else None


def _render(entries: list[_Entry], source: str) -> str:
    lines = [
        f"# citeaudit rules imported from {source} by `citeaudit rules import`.",
        "# Check with `citeaudit rules check FILE`; use with `--rules FILE`.",
        "version = 1",
        "",
    ]
    for e in entries:
        lines += ["[[outlet]]", f"name = {_toml_str(e.name)}"]
        lines.append("domains = [" + ", ".join(_toml_str(d) for d in e.domains) + "]")
        lines.append(f"tier = {e.tier}")
        if e.flags:
            lines.append("flags = [" + ", ".join(_toml_str(f) for f in e.flags) + "]")
        if e.country:
            lines.append(f"country = {_toml_str(e.country)}")
        lines += [f"note = {_toml_str(e.note)}", ""]
    return "\n".join(lines)


def _toml_str(value: str) -> str:
    # JSON string escapes are valid TOML basic-string escapes; DEL must be escaped too.
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
