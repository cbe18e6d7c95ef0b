"""Configuration files: discovery by walking up, key checks, and layering under flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.config import Config, find_config, load_config
from audit.errors import ConfigError


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_pyproject_table_found_by_walking_up(tmp_path: Path) -> None:
    _write(
        tmp_path / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.citeaudit]\nper-host = 2\nfail_on = "warning"\n'
        'rules = ["rules/mine.toml"]\nignore_urls = ["^https://intranet\\\\."]\n',
    )
    draft = _write(tmp_path / "drafts" / "deep" / "a.md", "# hi\n")
    cfg = load_config(draft, None)
    assert cfg.path == (tmp_path / "pyproject.toml").resolve()
    assert cfg.per_host == 2 and cfg.fail_on == "warning"
    assert cfg.rules == ((tmp_path / "rules" / "mine.toml").resolve(),)
    assert cfg.ignore_urls == ("^https://intranet\\.",)
    assert cfg.timeout is None


def test_citeaudit_toml_wins_and_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    _write(tmp_path / "citeaudit.toml", "timeout = 5\n")
    _write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\n')
    draft = _write(tmp_path / "sub" / "a.md", "text")
    assert find_config(draft) == (tmp_path / "citeaudit.toml").resolve()
    assert load_config(draft, None).timeout == 5.0
    _write(tmp_path / "sub" / "citeaudit.toml", "[tool.citeaudit]\nretries = 0\n")
    assert load_config(draft, None).retries == 0


def test_no_config_gives_empty_settings(tmp_path: Path) -> None:
    draft = _write(tmp_path / "a" / "b.md", "x")
    cfg = load_config(draft, None)
    # A parent of tmp_path could hold a config; only assert when none is found.
    if find_config(draft) is None:
        assert cfg == Config()


def test_unknown_key_is_named_with_a_suggestion(tmp_path: Path) -> None:
    path = _write(tmp_path / "citeaudit.toml", "concurency = 4\n")
    with pytest.raises(ConfigError, match=r"unknown key 'concurency' \(did you mean 'concurrency'"):
        load_config(tmp_path, None)
    with pytest.raises(ConfigError, match=str(path.name)):
        load_config(tmp_path, path)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("concurrency = 0", "concurrency: must be at least 1"),
        ("concurrency = true", "concurrency: expected a whole number"),
        ("timeout = 0", "timeout: must be above 0"),
        ("offline = 'yes'", "offline: expected true or false"),
        ("fail_on = 'fatal'", "fail_on: 'fatal' is not one of"),
        ("select = 'LNK'", "select: expected a list of strings"),
        ("ignore = ['NOPE999']", "ignore: no rule matches 'NOPE999'"),
        ("ignore_urls = ['(']", r"ignore_urls: '\(' is not a valid regular expression"),
        ("formats = ['pdf']", "formats: 'pdf' is not one of"),
        ("title_match_threshold = 101", "title_match_threshold: must be between 0 and 100"),
        ("title_match_threshold = 70\ntitle_partial_threshold = 80", "is above"),
        ("timeout = ", "invalid TOML"),
        (
            "[tool]\ncitiaudit = 1\nciteaudit = 3",
            "'tool' must be a table|citeaudit] must be a table",
        ),
    ],
)
def test_bad_values_are_config_errors(tmp_path: Path, text: str, needle: str) -> None:
    path = _write(tmp_path / "citeaudit.toml", text + "\n")
    with pytest.raises(ConfigError, match=needle):
        load_config(tmp_path / "x.md", path)


def test_explicit_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_config(tmp_path, tmp_path / "missing.toml")


def test_every_cli_option_has_a_key(tmp_path: Path) -> None:
    text = "\n".join(
        [
            "concurrency = 8",
            "per_host = 2",
            "timeout = 12.5",
            "retries = 1",
            "no_cache = true",
            "cache_dir = 'cache'",
            "user_agent = 'ua'",
            "proxy = 'http://proxy.example:3128'",
            "allow_private = false",
            "offline = true",
            "fail_on = 'never'",
            "select = ['LNK', 'dead-link']",
            "ignore = ['SRC005']",
            "rules = ['a.toml']",
            "title_match_threshold = 88",
            "title_partial_threshold = 70",
            "date_tolerance_days = 2",
            "ignore_urls = ['example']",
            "ignore_domains = ['Example.ORG.']",
            "formats = ['json', 'HTML']",
            "output_dir = 'out'",
            "archive = false",
        ]
    )
    cfg = load_config(tmp_path, _write(tmp_path / "citeaudit.toml", text))
    assert cfg.ignore_domains == ("example.org",)
    assert cfg.formats == ("json", "html")
    assert cfg.output_dir == (tmp_path / "out").resolve()
    assert cfg.select == ("LNK", "dead-link")


def test_flags_win_over_the_file(tmp_path: Path) -> None:
    cfg = load_config(tmp_path, _write(tmp_path / "citeaudit.toml", "timeout = 5\nretries = 3\n"))
    merged = cfg.with_overrides(timeout=1.0, retries=None, offline=True)
    assert (merged.timeout, merged.retries, merged.offline) == (1.0, 3, True)
    with pytest.raises(ConfigError, match="not a setting: bogus"):
        cfg.with_overrides(bogus=1)
