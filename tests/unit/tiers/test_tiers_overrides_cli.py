"""User overrides (add, change, remove), the CSV importer and the `rules` subcommands.

All rules and CSV files here are synthetic; the State Media Matrix is read from
../shared/reference-data when present.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from audit.errors import RulesFileError
from audit.rules_cmd import rules_app
from audit.rules_import import import_csv
from audit.tiers import load_tiers
from audit.tiers_data import parse_rules

REPO = Path(__file__).resolve().parents[3]
MATRIX = REPO / ".." / "shared" / "reference-data" / "state-media-matrix.csv"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_user_file_adds_changes_and_removes(tmp_path: Path) -> None:
    user = _write(
        tmp_path,
        "mine.toml",
        'version = 1\nremove = ["Medium", "kyivpost.com"]\n\n'
        '[[outlet]]\nname = "Reuters"\ntier = 2\nnote = "Our desk downgrades it."\n\n'
        '[[outlet]]\nname = "Valley Courier"\naliases = ["The Courier"]\n'
        'domains = ["valleycourier.example"]\ntier = 2\ncountry = "US"\n',
    )
    default = load_tiers()
    t = load_tiers([user])
    reuters = t.rate_url("https://www.reuters.com/x")
    assert (reuters.tier, reuters.note, reuters.rules_file) == (
        2,
        "Our desk downgrades it.",
        str(user),
    )
    assert reuters.matched_by == "domain"  # domains kept from the default
    assert default.rate_url("https://www.reuters.com/x").tier == 1  # cached default untouched
    assert t.rate_url("https://medium.com/@a/b").tier is None
    assert t.rate_url("https://www.kyivpost.com/x").tier is None
    added = t.rate_url("https://valleycourier.example/2025/story")
    assert (added.outlet, added.tier) == ("Valley Courier", 2)
    assert t.rate_name("the Courier").outlet == "Valley Courier"  # type: ignore[union-attr]


def test_later_files_win_and_can_take_a_domain(tmp_path: Path) -> None:
    first = _write(tmp_path, "a.toml", 'version = 1\n[[outlet]]\nname = "TASS"\ntier = 4\n')
    second = _write(
        tmp_path,
        "b.toml",
        'version = 1\n[[outlet]]\nname = "TASS English"\ndomains = ["tass.com"]\ntier = 2\n',
    )
    t = load_tiers([first, second])
    assert t.rate_url("https://tass.com/x").outlet == "TASS English"
    assert t.rate_url("https://tass.ru/x").tier == 4


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('version = 1\nremove = ["No Such Outlet"]\n', r":2: remove: no outlet"),
        (
            'version = 1\n[[outlet]]\nname = "New One"\ndomains = ["n.example"]\n',
            r":2: new outlet 'New One' needs a tier",
        ),
        (
            'version = 1\n[[outlet]]\nname = "F"\ndomains = ["f.example"]\ntier = 2\n'
            'flags = ["fake"]\n',
            r":6: .*unknown flag 'fake'",
        ),
        ("version = 2\n", r":1: version 2 is not supported"),
        ('[[outlet]]\nname = "F"\ntier = 1\n', r":1: missing `version"),
        (
            'version = 1\n[[outlet]]\nname = "F"\ndomains = ["not a domain"]\ntier = 1\n',
            r":4: .*is not a domain",
        ),
        (
            'version = 1\n[[outlet]]\nname = "F"\ntier = 1\ncolour = "red"\n',
            r":5: unknown key 'colour'",
        ),
    ],
)
def test_user_file_errors_name_the_line(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, "u.toml", text)
    with pytest.raises(RulesFileError, match=message):
        load_tiers([path])


def test_importer_label_and_score_shapes() -> None:
    labels = import_csv(
        "domain,label\nhttps://www.good.example/,Reliable\nbad.example,unreliable\n"
        "odd.example,purple\nstate.example,State media\n",
        "labels.csv",
    )
    doc, problems = parse_rules(labels.toml, "labels.toml")
    assert problems == []
    tiers = {o.name: (o.tier, o.flags or ()) for o in doc.outlets}
    assert tiers == {
        "good.example": (2, ()),
        "bad.example": (4, ()),
        "state.example": (3, ("state_affiliated",)),
    }
    assert labels.skipped == ["line 4: label 'purple' has no tier mapping"]

    scores = import_csv("a.example,95\nb.example,80\nc.example,50\nd.example,10\n", "s.csv")
    doc, problems = parse_rules(scores.toml, "s.toml")
    assert problems == []
    assert [o.tier for o in doc.outlets] == [1, 2, 3, 4]
    fractions = import_csv("site,score\na.example,0.95\nb.example,0.2\n", "f.csv")
    assert [o.tier for o in parse_rules(fractions.toml, "f")[0].outlets] == [1, 4]


def test_importer_rejects_empty_input() -> None:
    with pytest.raises(RulesFileError, match="empty"):
        import_csv("\n\n", "empty.csv")


def test_importer_on_the_state_media_matrix(tmp_path: Path) -> None:
    if not MATRIX.is_file():
        pytest.skip("reference data not present")
    result = import_csv(MATRIX.read_text(encoding="utf-8"), MATRIX.name)
    doc, problems = parse_rules(result.toml, "matrix.toml")
    assert problems == []
    assert result.outlets == len(doc.outlets) > 500
    assert all(o.flags == ("state_affiliated",) for o in doc.outlets)
    out = _write(tmp_path, "matrix.toml", result.toml)
    t = load_tiers([out])
    assert "state_affiliated" in t.rate_url("https://tass.ru/x").flags
    assert "state_affiliated" in t.rate_url("https://www.globaltimes.cn/x").flags
    assert "state_affiliated" not in t.rate_url("https://www.bbc.co.uk/news").flags  # IP skipped


runner = CliRunner()


def test_cli_check_default_and_user_file(tmp_path: Path) -> None:
    ok = runner.invoke(rules_app, ["check"])
    assert ok.exit_code == 0 and ok.stdout.startswith("ok: default list")
    bad = _write(tmp_path, "bad.toml", 'version = 1\n[[outlet]]\nname = "Z"\ntier = 9\n')
    res = runner.invoke(rules_app, ["check", str(bad)])
    assert res.exit_code == 2
    assert f"{bad}:4: outlet 'Z': tier must be 1, 2, 3 or 4, not 9" in res.stderr
    assert "Traceback" not in res.stderr + res.stdout


def test_cli_which_and_list() -> None:
    res = runner.invoke(rules_app, ["which", "https://economictimes.indiatimes.com/a/b.cms"])
    assert res.exit_code == 0
    assert (
        "The Economic Times" in res.stdout and "host 'economictimes.indiatimes.com'" in res.stdout
    )
    assert "default:" in res.stdout
    assert "unknown" in runner.invoke(rules_app, ["which", "nowhere.example"]).stdout
    listing = runner.invoke(rules_app, ["list", "--flag", "preprint"])
    assert listing.exit_code == 0 and "arXiv" in listing.stdout and "Reuters" not in listing.stdout


def test_cli_import_writes_a_checkable_file(tmp_path: Path) -> None:
    csv_file = _write(tmp_path, "r.csv", "domain,score\nx.example,0.9\ny.example,0.1\n")
    out = tmp_path / "r.toml"
    res = runner.invoke(rules_app, ["import", str(csv_file), "--format", "csv", "-o", str(out)])
    assert res.exit_code == 0 and "imported 2 outlets" in res.stderr
    assert runner.invoke(rules_app, ["check", str(out)]).exit_code == 0
    wrong = runner.invoke(rules_app, ["import", str(csv_file), "--format", "xlsx"])
    assert wrong.exit_code == 2 and "unsupported --format" in wrong.stderr
    missing = runner.invoke(rules_app, ["import", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 2 and "cannot read" in missing.stderr
