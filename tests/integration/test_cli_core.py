"""The command line as a user meets it: help, version, inputs, formats, outputs, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import jsonschema
import pytest
from fifo import fifo_reader

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO.parent / "shared" / "articles"
FIXTURES = REPO / "tests" / "fixtures" / "articles"
SCHEMA = json.loads((REPO / "audit" / "schema" / "report.schema.json").read_text())
CLI = [sys.executable, "-m", "audit"]
HOME = tempfile.mkdtemp(prefix="citeaudit-home-")
"""A home of its own: the CLI keeps caches under ~/.cache, which must not land in the checkout."""


def run(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        cwd=cwd or REPO,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": HOME, "NO_COLOR": "1"},
    )


def article_files() -> list[Path]:
    found = sorted(p for p in FIXTURES.rglob("*") if p.suffix in {".md", ".html", ".txt"})
    if SAMPLES.is_dir():
        found += sorted(SAMPLES.glob("*.txt"))
    return found


def test_version_and_help() -> None:
    version = run("--version")
    assert version.returncode == 0
    assert version.stdout.startswith("citeaudit ")
    helptext = run("check", "--help")
    assert helptext.returncode == 0
    for flag in ("--offline", "--format", "--fail-on", "--replay", "--record", "--allow-private"):
        assert flag in helptext.stdout


@pytest.mark.parametrize(
    ("make", "expect"),
    [
        (lambda d: d / "missing.md", "no such file"),
        (lambda d: _write(d / "picture.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00"), "PNG"),
        (lambda d: _write(d / "bad.txt", b"ok \xff\xfe\x00\x01 \x00"), "binary"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, make, expect: str) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path)
    result = run("check", str(path), "--offline")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expect in lines[0]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_unknown_format_and_selector_are_usage_errors(tmp_path: Path) -> None:
    article = _write(tmp_path / "a.md", b"Hello.\n")
    assert run("check", str(article), "--format", "pdf").returncode == 2
    bad = run("check", str(article), "--offline", "--ignore", "NOPE999")
    assert bad.returncode == 2 and "NOPE999" in bad.stderr


@pytest.mark.parametrize("path", article_files(), ids=lambda p: p.name)
def test_every_fixture_report_validates_against_the_schema(path: Path) -> None:
    result = run("check", str(path), "--offline", "--format", "json", "--fail-on", "never")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    jsonschema.validate(report, SCHEMA)
    (doc,) = report["documents"]
    assert doc["path"] == str(path)
    for citation in doc["citations"]:
        for use in citation["uses"]:
            assert use["line"] >= 1 and use["column"] >= 1


def test_standard_input_is_sniffed_as_markdown() -> None:
    text = b'A claim.[^1]\n\n[^1]: Example Wire, "A story," May 2, 2024, https://news.example/a\n'
    result = run("check", "-", "--offline", "--format", "json", stdin=text)
    assert result.returncode in (0, 1), result.stderr
    (doc,) = json.loads(result.stdout)["documents"]
    assert doc["format"] == "markdown"
    (citation,) = doc["citations"]
    assert citation["reference"]["url"] == "https://news.example/a"
    assert citation["reference"]["date"] == "2024-05-02"


def test_directory_gives_one_document_per_article(tmp_path: Path) -> None:
    (tmp_path / "one.md").write_text("See [a](https://one.example/a).\n")
    (tmp_path / "two.txt").write_text("Plain text with no sources.\n")
    (tmp_path / "skip.pdf.bak").write_text("not an article")
    result = run("check", str(tmp_path), "--offline", "--format", "json", "--fail-on", "never")
    docs = json.loads(result.stdout)["documents"]
    assert [Path(d["path"]).name for d in docs] == ["one.md", "two.txt"]


def test_several_formats_go_to_the_output_dir(tmp_path: Path) -> None:
    article = tmp_path / "draft.md"
    article.write_text("A fact.[^1]\n\n[^1]: https://news.example/fact\n")
    out = tmp_path / "out"
    result = run(
        "check",
        str(article),
        "--offline",
        "--fail-on",
        "never",
        "--format",
        "json",
        "--format",
        "html",
        "--format",
        "sarif",
        "--output-dir",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["draft.html", "draft.json", "draft.sarif"]
    assert json.loads((out / "draft.json").read_text())["summary"]["citations"] == 1


def test_fail_on_threshold_sets_the_exit_code(tmp_path: Path) -> None:
    article = tmp_path / "a.md"
    # A marker with no entry is an error (FN001); an insecure link is info.
    article.write_text("Claim one.[^1] Claim two.[^2]\n\n[^1]: http://news.example/a\n")
    assert run("check", str(article), "--offline").returncode == 1
    assert run("check", str(article), "--offline", "--fail-on", "never").returncode == 0
    assert run("check", str(article), "--offline", "--ignore", "FN001").returncode == 0
    assert (
        run("check", str(article), "--offline", "--ignore", "FN", "--fail-on", "info").returncode
        == 1
    )


def test_python_api(tmp_path: Path) -> None:
    from audit import AuditOptions, audit_path, audit_text

    article = tmp_path / "a.txt"
    article.write_text(
        "A claim.¹\n\nNotes\n1. Example Wire, “A story,” May 2, 2024, https://news.example/a\n"
    )
    report = audit_path(article, AuditOptions(offline=True))
    (doc,) = report.documents
    assert [c.citation.reference.url for c in doc.citations] == ["https://news.example/a"]
    again = audit_text(article.read_text(), "text", AuditOptions(offline=True))
    assert again.documents[0].citations[0].citation.reference.title == "A story"


def test_output_to_a_pipe_writes_into_it_and_leaves_it_a_pipe(tmp_path: Path) -> None:
    # `-o /dev/null` once replaced /dev/null with a regular file (a rename over it, as root).
    article = tmp_path / "a.md"
    article.write_text("# A\n\nSee [one](https://example.org/one).\n", encoding="utf-8")
    pipe = tmp_path / "pipe"
    with fifo_reader(pipe) as received:
        done = run("check", str(article), "--offline", "--format", "json", "-o", str(pipe))
    assert done.returncode == 0, done.stderr
    assert pipe.is_fifo()
    assert json.loads(received[0])["summary"]["citations"] == 1


CONSOLE_SCRIPT = Path(sys.executable).with_name("citeaudit")


@pytest.mark.parametrize(
    "command",
    [CLI, [str(CONSOLE_SCRIPT)]],
    ids=["python -m audit", "citeaudit script"],
)
def test_the_quick_exit_loses_no_output_and_keeps_the_exit_code(
    tmp_path: Path, command: list[str]
) -> None:
    # The console script leaves with os._exit once the report is written: whatever is still in
    # the buffers of standard output and error must be flushed first, or a pipe gets nothing.
    if not Path(command[0]).is_file():
        pytest.skip("the console script is not installed beside this Python")
    article = tmp_path / "a.md"
    article.write_text("Claim one.[^1] Claim two.[^2]\n\n[^1]: http://news.example/a\n")

    def call(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*command, "check", *args],
            capture_output=True,
            text=True,
            env={"PATH": "/usr/bin:/bin", "HOME": HOME, "NO_COLOR": "1"},
            timeout=120,
        )

    done = call(str(article), "--offline", "--format", "json")
    assert done.returncode == 1, done.stderr  # a marker without an entry is an error
    report = json.loads(done.stdout)
    assert report["summary"]["citations"] == 1
    assert "marker-without-entry" in {f["rule"] for f in report["documents"][0]["findings"]}
    table = call(str(article), "--offline", "--fail-on", "never")
    assert table.returncode == 0, table.stderr
    assert "news.example" in table.stdout
    bad = call(str(tmp_path / "missing.md"))
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == [
        f"citeaudit: error: {tmp_path / 'missing.md'}: no such file or directory"
    ]


def test_a_reader_that_goes_away_costs_no_traceback(tmp_path: Path) -> None:
    # `citeaudit check big.md --format json | head`: the report is larger than the pipe, the
    # reader leaves after a few bytes, and the flush before the quick exit meets a closed pipe.
    article = tmp_path / "big.md"
    article.write_text(
        "\n\n".join(f"Claim {n} is in [source {n}](https://news.example/{n})." for n in range(2000))
    )
    proc = subprocess.Popen(
        [*CLI, "check", str(article), "--offline", "--format", "json", "--fail-on", "never"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={"PATH": "/usr/bin:/bin", "HOME": HOME, "NO_COLOR": "1"},
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(10) == b'{\n  "schem'
    proc.stdout.close()
    with proc.stderr:
        errors = proc.stderr.read().decode()
    # click ends a run whose output pipe broke with status 1 (0 when Python writes unbuffered).
    assert proc.wait(timeout=120) in (0, 1), errors
    assert "Traceback" not in errors
    assert "Exception ignored" not in errors


@pytest.mark.parametrize(
    ("code", "status", "printed"),
    [
        (None, 0, ""),
        (0, 0, ""),
        (2, 2, ""),
        (130, 130, ""),
        ("no such rules file", 1, "no such rules file\n"),
    ],
)
def test_exit_status_is_what_sys_exit_would_give(
    capsys: pytest.CaptureFixture[str], code: object, status: int, printed: str
) -> None:
    from audit.cli import _exit_status

    assert _exit_status(code) == status
    assert capsys.readouterr().err == printed


def test_a_profiled_run_still_writes_its_profile(tmp_path: Path) -> None:
    # docs/performance.md profiles the CLI with cProfile and pyinstrument; both write their
    # results when the program returns, which the quick exit would skip.
    profile = tmp_path / "run.prof"
    done = subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "audit", "--version"],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": HOME},
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("citeaudit ")
    import pstats

    assert pstats.Stats(str(profile)).total_calls > 0
