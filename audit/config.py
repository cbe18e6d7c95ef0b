"""Configuration files: `[tool.citeaudit]` in pyproject.toml, or a `citeaudit.toml`.

The file is found by walking up from the input (as ruff does): in each directory a
`citeaudit.toml` wins over a `pyproject.toml`, and a pyproject.toml without a
`[tool.citeaudit]` table is passed over. In `citeaudit.toml` the keys sit at the top level
(a `[tool.citeaudit]` table there is accepted too). Keys may be written with `_` or `-`.

Every field of `Config` is None when the file does not set it, so the CLI can layer it:
`config.with_overrides(**flags)` keeps each flag that is not None (flags win), and the CLI's
own defaults (audit.settings) fill whatever is still None.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from audit.errors import ConfigError
from audit.filtering import FAIL_ON_CHOICES, unknown_selectors

CONFIG_FILE = "citeaudit.toml"
PYPROJECT = "pyproject.toml"

FORMATS = ("table", "json", "html", "github", "sarif", "junit", "markdown")
"""Output formats a `formats` list may name."""


@dataclass(frozen=True, slots=True)
class Config:
    """Settings read from a configuration file; None means "not set here"."""

    path: Path | None = None
    """The file these settings came from (None: no file found)."""
    concurrency: int | None = None
    per_host: int | None = None
    timeout: float | None = None
    retries: int | None = None
    no_cache: bool | None = None
    cache_dir: Path | None = None
    user_agent: str | None = None
    proxy: str | None = None
    allow_private: bool | None = None
    offline: bool | None = None
    fail_on: str | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    rules: tuple[Path, ...] | None = None
    """Outlet-tier rules files, resolved against the config file's directory."""
    title_match_threshold: float | None = None
    title_partial_threshold: float | None = None
    date_tolerance_days: int | None = None
    ignore_urls: tuple[str, ...] | None = None
    """Regular expressions (Python `re` syntax, searched anywhere in the URL)."""
    ignore_domains: tuple[str, ...] | None = None
    formats: tuple[str, ...] | None = None
    output_dir: Path | None = None
    archive: bool | None = None
    """Ask the Wayback Machine for a snapshot when a link fails."""
    weights: tuple[tuple[str, float], ...] | None = None
    """Score weights (`[tool.citeaudit.weights]`), checked by `audit.scoring.Weights`."""

    def with_overrides(self, **flags: object) -> Config:
        """A copy with every flag that is not None put in place: command-line flags win.

        Raises ConfigError for a name that is not a setting (a programming slip in the CLI).
        """
        unknown = [k for k in flags if k not in _SETTINGS]
        if unknown:
            raise ConfigError(f"not a setting: {', '.join(sorted(unknown))}")
        changes = {k: v for k, v in flags.items() if v is not None}
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Value checks: each takes (key, raw value, directory of the file) and returns the typed value.

_Check = Callable[[str, object, Path], object]


def _int(minimum: int) -> _Check:
    def check(key: str, value: object, base: Path) -> object:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{key}: expected a whole number, got {value!r}")
        if value < minimum:
            raise ConfigError(f"{key}: must be at least {minimum}, got {value}")
        return value

    return check


def _float(low: float, high: float | None) -> _Check:
    def check(key: str, value: object, base: Path) -> object:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{key}: expected a number, got {value!r}")
        number = float(value)
        if number < low or (high is not None and number > high):
            span = f"between {low:g} and {high:g}" if high is not None else f"above {low:g}"
            raise ConfigError(f"{key}: must be {span}, got {value}")
        return number

    return check


def _positive_float(key: str, value: object, base: Path) -> object:
    number = _float(0.0, None)(key, value, base)
    if number == 0.0:
        raise ConfigError(f"{key}: must be above 0, got {value}")
    return number


def _bool(key: str, value: object, base: Path) -> object:
    if not isinstance(value, bool):
        raise ConfigError(f"{key}: expected true or false, got {value!r}")
    return value


def _str(key: str, value: object, base: Path) -> object:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{key}: expected a non-empty string, got {value!r}")
    return value


def _path(key: str, value: object, base: Path) -> object:
    text = _str(key, value, base)
    assert isinstance(text, str)
    return base / Path(text).expanduser()


def _str_list(key: str, value: object, base: Path) -> tuple[str, ...]:
    if isinstance(value, str):
        raise ConfigError(f"{key}: expected a list of strings, e.g. [{value!r}]")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{key}: expected a list of strings, got {value!r}")
    return tuple(value)


def _path_list(key: str, value: object, base: Path) -> object:
    return tuple(base / Path(v).expanduser() for v in _str_list(key, value, base))


def _selectors(key: str, value: object, base: Path) -> object:
    items = _str_list(key, value, base)
    bad = unknown_selectors(items)
    if bad:
        raise ConfigError(f"{key}: no rule matches {', '.join(repr(b) for b in bad)}")
    return items


def _regexes(key: str, value: object, base: Path) -> object:
    items = _str_list(key, value, base)
    for pattern in items:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(
                f"{key}: {pattern!r} is not a valid regular expression: {exc}"
            ) from None
    return items


def _domains(key: str, value: object, base: Path) -> object:
    return tuple(d.strip().lower().rstrip(".") for d in _str_list(key, value, base))


def _weights(key: str, value: object, base: Path) -> object:
    from audit.scoring import Weights

    if not isinstance(value, dict):
        raise ConfigError(f"{key}: expected a table of weights, e.g. [tool.citeaudit.weights]")
    Weights.from_mapping(value)  # raises ConfigError naming a bad key or value
    return tuple((str(k).replace("-", "_"), float(v)) for k, v in value.items())


def _choice(choices: tuple[str, ...]) -> _Check:
    def check(key: str, value: object, base: Path) -> object:
        if not isinstance(value, str) or value.lower() not in choices:
            raise ConfigError(f"{key}: {value!r} is not one of {', '.join(choices)}")
        return value.lower()

    return check


def _formats(key: str, value: object, base: Path) -> object:
    items = _str_list(key, value, base)
    for item in items:
        _choice(FORMATS)(key, item, base)
    return tuple(i.lower() for i in items)


_SETTINGS: dict[str, _Check] = {
    "weights": _weights,
    "concurrency": _int(1),
    "per_host": _int(1),
    "timeout": _positive_float,
    "retries": _int(0),
    "no_cache": _bool,
    "cache_dir": _path,
    "user_agent": _str,
    "proxy": _str,
    "allow_private": _bool,
    "offline": _bool,
    "fail_on": _choice(FAIL_ON_CHOICES),
    "select": _selectors,
    "ignore": _selectors,
    "rules": _path_list,
    "title_match_threshold": _float(0.0, 100.0),
    "title_partial_threshold": _float(0.0, 100.0),
    "date_tolerance_days": _int(0),
    "ignore_urls": _regexes,
    "ignore_domains": _domains,
    "formats": _formats,
    "output_dir": _path,
    "archive": _bool,
}
assert set(_SETTINGS) == {f.name for f in dataclasses.fields(Config)} - {"path"}


def parse_settings(table: Mapping[str, object], source: Path) -> Config:
    """Check a table of settings and build a Config; ConfigError names the bad key and file."""
    base = source.parent
    values: dict[str, object] = {}
    for raw_key, raw_value in table.items():
        key = raw_key.replace("-", "_")
        check = _SETTINGS.get(key)
        if check is None:
            close = difflib.get_close_matches(key, list(_SETTINGS), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(f"{source}: unknown key {raw_key!r}{hint}")
        try:
            values[key] = check(key, raw_value, base)
        except ConfigError as exc:
            raise ConfigError(f"{source}: {exc}") from None
    cfg = Config(path=source, **values)  # type: ignore[arg-type]
    match, partial = cfg.title_match_threshold, cfg.title_partial_threshold
    if match is not None and partial is not None and partial > match:
        raise ConfigError(
            f"{source}: title_partial_threshold ({partial:g}) is above "
            f"title_match_threshold ({match:g})"
        )
    return cfg


def _read_toml(path: Path) -> dict[str, object]:
    import tomllib  # most runs find no configuration file and never parse TOML

    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such configuration file") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, not a configuration file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None


def _tool_table(data: Mapping[str, object], path: Path) -> Mapping[str, object] | None:
    """The `[tool.citeaudit]` table, or None when the file has none."""
    tool = data.get("tool")
    if tool is None:
        return None
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: 'tool' must be a table")
    table = tool.get("citeaudit")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.citeaudit] must be a table")
    return table


def read_config_file(path: Path) -> Config:
    """Read one configuration file (pyproject.toml or citeaudit.toml style, by its name)."""
    data = _read_toml(path)
    if path.name == PYPROJECT:
        table = _tool_table(data, path)
        return parse_settings(table or {}, path.resolve())
    nested = _tool_table(data, path)
    if nested is not None:
        rest = {k: v for k, v in data.items() if k != "tool"}
        if rest:
            raise ConfigError(f"{path}: unknown key {next(iter(rest))!r} beside [tool.citeaudit]")
        return parse_settings(nested, path.resolve())
    return parse_settings(data, path.resolve())


def find_config(start: Path) -> Path | None:
    """The configuration file that governs `start` (a file or directory), walking upwards."""
    try:
        here = start.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (pathlib before 3.13)
        return None
    directory = here if here.is_dir() else here.parent
    for folder in (directory, *directory.parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return candidate
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and _tool_table(_read_toml(pyproject), pyproject) is not None:
            return pyproject
    return None


def load_config(start: Path, explicit: Path | None) -> Config:
    """The settings for a run: from `explicit` (--config) if given, else the nearest file.

    `start` is the first input path (use the current directory for standard input). Returns an
    empty Config when there is no file. Raises ConfigError for a missing explicit file, bad TOML,
    an unknown key (named, with a suggestion) or a value of the wrong type.
    """
    if explicit is not None:
        return read_config_file(explicit)
    found = find_config(start)
    return read_config_file(found) if found is not None else Config()
