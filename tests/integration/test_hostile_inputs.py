"""Hostile input files, end to end through the real command line (issue 7, "Inputs").

Each case runs `citeaudit check ... --offline --format json` in a subprocess and must end in one
of two ways: a one-line error on stderr and exit 2, or a normal JSON report (exit 0 or 1). Never a
traceback, always within a time bound (the subprocess timeout; not a timed assertion) and, where
util-linux's `prlimit` exists, within 2 GB of address space (a run that needs more fails).

Every input is synthetic and built by the test itself in a temporary directory.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from audit.settings import MAX_INPUT_BYTES

MB = 1024 * 1024


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("citeaudit")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from audit.cli import main; main()"]


CLI = _cli()
MEMORY_CAP = ("prlimit", f"--as={2 * 1024**3}") if shutil.which("prlimit") else ()


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str


def check(
    *args: str | Path,
    cwd: Path,
    stdin: Any = subprocess.DEVNULL,
    data: bytes | None = None,
    timeout: float = 60,
    prefix: tuple[str, ...] = (),
) -> Run:
    """Run `citeaudit check ARGS --offline --format json` and collect what it printed."""
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "XDG_CACHE_HOME": str(cwd / ".cache"),
        "CITEAUDIT_FIXED_NOW": "2026-01-01T00:00:00+00:00",
    }
    proc = subprocess.run(
        [*MEMORY_CAP, *prefix, *CLI, "check", *map(str, args), "--offline", "--format", "json"],
        cwd=cwd,
        env=env,
        stdin=None if data is not None else stdin,
        input=data,
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    return Run(
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
    )


def assert_error(run: Run, *fragments: str) -> str:
    """Exit 2 with exactly one line on stderr, naming what went wrong; nothing on stdout."""
    assert "Traceback" not in run.stderr, run.stderr
    assert run.code == 2, (run.code, run.stderr[-2000:])
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("citeaudit: error: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert run.stdout == ""
    return lines[0]


def assert_report(run: Run) -> dict[str, Any]:
    """Exit 0 or 1 and a JSON report with one document per input; no traceback."""
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    assert run.code in (0, 1), (run.code, run.stderr[-2000:])
    report: dict[str, Any] = json.loads(run.stdout)
    assert report["documents"], report
    return report


def only_doc(report: dict[str, Any]) -> dict[str, Any]:
    (doc,) = report["documents"]
    return doc


def urls_of(doc: dict[str, Any]) -> list[str]:
    return [c["reference"]["url"] for c in doc["citations"]]


ARTICLE = (
    "A Synthetic Headline\n"
    "\n"
    "The port handled more cargo this year.¹ Officials disagreed.²\n"
    "\n"
    "Notes\n"
    "1. Example Wire, “Cargo rises,” July 11, 2025, https://wire.example/cargo\n"
    "2. Example Daily, “Officials disagree,” 2025, https://daily.example/officials\n"
)


# -- empty, binary and undecodable files -------------------------------------------------------


def test_empty_file_gives_an_empty_report(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    doc = only_doc(assert_report(check("empty.txt", cwd=tmp_path)))
    assert doc["citations"] == []
    assert doc["findings"] == []


@pytest.mark.parametrize(
    ("name", "head", "what"),
    [
        ("figure.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        ("paper.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\n", "PDF"),
        # An executable renamed to look like an article: the suffix must not fool the reader.
        ("notes.txt", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56, "ELF"),
        ("data.md", b"\x00\x01\x02\x03binary\x00" * 50, "binary"),
    ],
)
def test_binary_files_are_refused_with_what_they_are(
    tmp_path: Path, name: str, head: bytes, what: str
) -> None:
    (tmp_path / name).write_bytes(head + bytes(range(256)) * 4)
    assert_error(check(name, cwd=tmp_path), name, what)


def test_invalid_utf8_that_is_not_windows_1252_is_refused(tmp_path: Path) -> None:
    # 0x81 and 0x8d are undefined in Windows-1252 and invalid as UTF-8 start bytes.
    (tmp_path / "bad.txt").write_bytes(b"A headline\n\nText \x81\x8d more text.\n")
    assert_error(check("bad.txt", cwd=tmp_path), "bad.txt", "UTF-8")


def test_windows_1252_text_is_decoded(tmp_path: Path) -> None:
    text = ARTICLE.replace("A Synthetic Headline", "Café society — “quoted” words")
    (tmp_path / "legacy.txt").write_bytes(text.encode("cp1252"))
    doc = only_doc(assert_report(check("legacy.txt", cwd=tmp_path)))
    assert doc["title"] == "Café society — “quoted” words"
    assert urls_of(doc) == ["https://wire.example/cargo", "https://daily.example/officials"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_a_bom_is_decoded(tmp_path: Path, encoding: str) -> None:
    data = ARTICLE.encode(encoding)
    if encoding != "utf-16":  # the -le/-be codecs write no BOM: add the one an editor would
        data = "\ufeff".encode(encoding) + data
    (tmp_path / "wide.txt").write_bytes(data)
    doc = only_doc(assert_report(check("wide.txt", cwd=tmp_path)))
    assert doc["title"] == "A Synthetic Headline"
    first = doc["citations"][0]
    assert first["reference"]["url"] == "https://wire.example/cargo"
    # The BOM is not text: the marker's column is the one an editor shows.
    column = ARTICLE.splitlines()[2].index("¹") + 1
    assert [(u["line"], u["column"]) for u in first["uses"]] == [(3, column)]


def test_utf16_with_a_broken_surrogate_is_refused(tmp_path: Path) -> None:
    (tmp_path / "broken.txt").write_bytes(b"\xff\xfeA\x00\x00\xd8B\x00")  # lone high surrogate
    assert_error(check("broken.txt", cwd=tmp_path), "broken.txt", "utf-16")


def test_utf8_bom_does_not_shift_columns(tmp_path: Path) -> None:
    md = "# Title\n\nA claim.[^1]\n\n[^1]: Example Wire, 2025, https://wire.example/a\n"
    (tmp_path / "bom.md").write_bytes(b"\xef\xbb\xbf" + md.encode("utf-8"))
    doc = only_doc(assert_report(check("bom.md", cwd=tmp_path)))
    assert doc["title"] == "Title"
    (cited,) = doc["citations"]
    assert cited["reference"]["url"] == "https://wire.example/a"
    assert [(u["line"], u["column"]) for u in cited["uses"]] == [(3, 9)]


# -- size -----------------------------------------------------------------------------------------


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:
        fh.write(ARTICLE.encode())
        fh.truncate(50 * MB)  # sparse: the check must come from the size, not from reading it
    line = assert_error(check("huge.txt", cwd=tmp_path, timeout=30), "huge.txt", "limit")
    assert f"{MAX_INPUT_BYTES // MB} MB" in line


def test_50_mb_on_standard_input_is_refused(tmp_path: Path) -> None:
    data = b"word " * (10 * MB)
    assert_error(check("-", cwd=tmp_path, data=data, timeout=30), "<stdin>", "limit")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_an_endless_device_is_refused(tmp_path: Path) -> None:
    assert_error(check("/dev/zero", cwd=tmp_path, timeout=30), "/dev/zero", "limit")


def test_a_file_just_under_the_limit_is_read(tmp_path: Path) -> None:
    filler = ("Plain prose without citations goes on and on. " * 20 + "\n\n").encode()
    body = ARTICLE.encode() + filler * ((MAX_INPUT_BYTES - 4096) // len(filler))
    assert len(body) <= MAX_INPUT_BYTES
    (tmp_path / "long.txt").write_bytes(body)
    doc = only_doc(assert_report(check("long.txt", cwd=tmp_path, timeout=120)))
    assert "https://wire.example/cargo" in urls_of(doc)


# -- pathological structure -------------------------------------------------------------------


@pytest.mark.slow
def test_100000_footnote_markers(tmp_path: Path) -> None:
    body = "".join(f"Claim {i} is made here.[{i % 100 + 1}]\n" for i in range(100_000))
    notes = "".join(f"{n}. Example Wire, 2025, https://wire.example/{n}\n" for n in range(1, 101))
    (tmp_path / "many.txt").write_text("Title\n\n" + body + "\nNotes\n" + notes, encoding="utf-8")
    doc = only_doc(assert_report(check("many.txt", cwd=tmp_path, timeout=180)))
    assert len(doc["citations"]) == 100
    assert sum(len(c["uses"]) for c in doc["citations"]) == 100_000
    # One finding per note, each still one short line however many sentences it supports.
    reused = [f for f in doc["findings"] if f["rule"] == "marker-reused"]
    assert len(reused) == 100
    assert all(len(f["message"]) < 300 for f in reused)


def test_10000_nested_html_elements(tmp_path: Path) -> None:
    deep = (
        "<!doctype html><html><body>"
        + "<div>" * 10_000
        + '<p>Deep claim <a href="https://deep.example/story">here</a>.</p>'
        + "</div>" * 10_000
        + "</body></html>"
    )
    (tmp_path / "deep.html").write_text(deep, encoding="utf-8")
    (tmp_path / "unclosed.html").write_text("<div><span><b>" * 3_400 + "text", encoding="utf-8")
    report = assert_report(check("deep.html", "unclosed.html", cwd=tmp_path, timeout=60))
    deep_doc, unclosed_doc = report["documents"]
    assert urls_of(deep_doc) == ["https://deep.example/story"]
    assert unclosed_doc["citations"] == []


def test_a_1_mb_line_without_spaces(tmp_path: Path) -> None:
    (tmp_path / "line.txt").write_text("Title\n\n" + "x" * MB + "\n", encoding="utf-8")
    doc = only_doc(assert_report(check("line.txt", cwd=tmp_path)))
    assert doc["citations"] == []


def test_a_1_mb_url_is_invalid_and_reported_briefly(tmp_path: Path) -> None:
    url = "https://example.com/" + "a/" * (MB // 2)
    (tmp_path / "url.txt").write_text("Title\n\nSee " + url + " today.\n", encoding="utf-8")
    doc = only_doc(assert_report(check("url.txt", cwd=tmp_path)))
    (cited,) = doc["citations"]
    assert cited["link"]["verdict"] == "invalid_url"
    (invalid,) = [f for f in doc["findings"] if f["rule"] == "invalid-url"]
    assert "longer than" in invalid["message"]
    assert len(invalid["message"]) < 400


HOSTILE_RUNS = {
    "digits": "7" * 100_000,
    "digits-commas": "1, " * 30_000,
    "straight-quotes": '"' * 100_000,
    "curly-quotes": "“a ”" * 25_000,
    "brackets": "[1" * 50_000,
    # Each of these is a real marker, so the run is kept to 5,000 of them.
    "bracket-markers": "x[1]" * 5_000,
    "carets": "[^" * 50_000,
    # One superscript run of 100,000 digits: one marker whose label is no note number.
    "superscripts": "¹" * 100_000,
    "dots": "." * 100_000,
    "slashes": "/" * 100_000,
    "scheme-runs": "http://" * 15_000,
    "dates": "July 11, " * 10_000,
}
"""Each about 100 KB, one paragraph each; bench/scanner_scaling.py measures their growth."""


@pytest.mark.parametrize("fmt", ["txt", "md", "html"])
def test_strings_built_to_make_regexes_backtrack(tmp_path: Path, fmt: str) -> None:
    runs = list(HOSTILE_RUNS.values())
    if fmt == "html":
        text = "<html><body>" + "".join(f"<p>{r}</p>\n" for r in runs) + "</body></html>\n"
    else:
        text = "Title\n\n" + "\n\n".join(runs) + "\n"
    (tmp_path / f"hostile.{fmt}").write_text(text, encoding="utf-8")
    assert_report(check(f"hostile.{fmt}", cwd=tmp_path, timeout=90))


# -- the file system ------------------------------------------------------------------------------


def _chmod_denies(path: Path) -> bool:
    """True when mode 000 really stops us reading (it does not for root)."""
    try:
        path.read_bytes()
    except PermissionError:
        return True
    return False


def test_a_directory_with_an_unreadable_file(tmp_path: Path) -> None:
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    locked = folder / "b.txt"
    locked.write_text(ARTICLE, encoding="utf-8")
    locked.chmod(0)
    try:
        run = check("drafts", cwd=tmp_path)
        denied = _chmod_denies(locked)
    finally:
        locked.chmod(0o644)
    assert "Traceback" not in run.stderr
    if not denied:
        assert_report(run)
        pytest.skip("running as root: chmod 000 does not deny reads, so the error is not shown")
    assert_error(run, "b.txt", "permission denied")


def test_a_directory_with_an_unreadable_subdirectory(tmp_path: Path) -> None:
    folder = tmp_path / "drafts"
    (folder / "private").mkdir(parents=True)
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "private" / "b.md").write_text("# B\n", encoding="utf-8")
    (folder / "private").chmod(0)
    try:
        run = check("drafts", cwd=tmp_path)
        denied = not os.access(folder / "private", os.R_OK) or _chmod_denies(
            folder / "private" / "b.md"
        )
    finally:
        (folder / "private").chmod(0o755)
    assert "Traceback" not in run.stderr
    if not denied:
        assert len(assert_report(run)["documents"]) == 2
        pytest.skip("running as root: chmod 000 does not deny reads, so the error is not shown")
    # Never a silent gap in the audit: the directory that could not be read is named.
    assert_error(run, "private", "cannot read")


def test_a_symlink_loop_given_as_the_path(tmp_path: Path) -> None:
    (tmp_path / "loop-a.md").symlink_to(tmp_path / "loop-b.md")
    (tmp_path / "loop-b.md").symlink_to(tmp_path / "loop-a.md")
    assert_error(check("loop-a.md", cwd=tmp_path, timeout=30), "loop-a.md")


def test_a_symlink_loop_inside_a_directory(tmp_path: Path) -> None:
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "up").symlink_to(tmp_path)  # a directory loop: must not be followed
    report = assert_report(check("drafts", cwd=tmp_path, timeout=30))
    assert [Path(d["path"]).name for d in report["documents"]] == ["a.txt"]
    (folder / "self.md").symlink_to(folder / "self.md")  # a file that points at itself
    assert_error(check("drafts", cwd=tmp_path, timeout=30), "self.md")


def test_a_directory_tree_1500_levels_deep(tmp_path: Path) -> None:
    # Built outside pytest's tmp_path, whose clean-up (shutil.rmtree) recurses once per level and
    # would fail on a tree this deep; plain strings and a loop, since pathlib and os.makedirs
    # recurse too. It is removed bottom-up below, even when the test fails.
    root = tempfile.mkdtemp(prefix="citeaudit-deep-")
    deepest = os.path.join(root, "tree")
    try:
        os.mkdir(deepest)
        for _ in range(1500):
            deepest += "/d"
            os.mkdir(deepest)
        with open(os.path.join(deepest, "bottom.md"), "w", encoding="utf-8") as fh:
            fh.write("# Bottom\n\nSee https://deep.example/x\n")
        doc = only_doc(assert_report(check(os.path.join(root, "tree"), cwd=tmp_path)))
        assert urls_of(doc) == ["https://deep.example/x"]
    finally:
        _remove_deep(root, deepest)


def _remove_deep(root: str, deepest: str) -> None:
    bottom = os.path.join(deepest, "bottom.md")
    if os.path.exists(bottom):
        os.remove(bottom)
    while len(deepest) >= len(root):
        with contextlib.suppress(FileNotFoundError):
            os.rmdir(deepest)
        deepest = os.path.dirname(deepest)


def test_a_path_that_does_not_exist(tmp_path: Path) -> None:
    assert_error(check("missing.md", cwd=tmp_path), "missing.md", "no such file")


def test_a_glob_that_matches_nothing(tmp_path: Path) -> None:
    assert_error(check("drafts/*.md", cwd=tmp_path), "drafts/*.md", "no files match")


def test_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.txt")
    try:
        (tmp_path / name).write_text(ARTICLE, encoding="utf-8")
    except (UnicodeEncodeError, OSError):
        pytest.skip("this file system does not take non-UTF-8 names")
    doc = only_doc(assert_report(check(name, cwd=tmp_path)))
    assert len(doc["citations"]) == 2


# -- standard input ------------------------------------------------------------------------------


def test_standard_input_at_end_of_file_at_once(tmp_path: Path) -> None:
    doc = only_doc(assert_report(check("-", cwd=tmp_path, stdin=subprocess.DEVNULL)))
    assert doc["citations"] == []


def test_standard_input_closed(tmp_path: Path) -> None:
    # `0<&-` closes file descriptor 0 before citeaudit starts: there is no stdin at all.
    run = check("-", cwd=tmp_path, prefix=("sh", "-c", 'exec "$0" "$@" 0<&-'))
    assert_error(run, "<stdin>", "closed")


def test_an_article_on_standard_input(tmp_path: Path) -> None:
    data = ARTICLE.encode("utf-16")
    doc = only_doc(assert_report(check("-", cwd=tmp_path, data=data)))
    assert urls_of(doc) == ["https://wire.example/cargo", "https://daily.example/officials"]


def test_permission_errors_are_one_line_even_when_simulated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chmod tests above skip their last assertion as root; this simulates the denial."""
    from audit.documents import expand_paths, read_source
    from audit.errors import DocumentError

    folder = tmp_path / "drafts"
    (folder / "private").mkdir(parents=True)
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    real_scandir = os.scandir
    real_open = Path.open

    def scandir(path: str) -> Any:
        if str(path).endswith("private"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    def path_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "a.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(DocumentError, match=r"private: cannot read this directory"):
        expand_paths([str(folder)])
    monkeypatch.setattr(Path, "open", path_open)
    with pytest.raises(DocumentError, match=r"a\.txt: permission denied"):
        read_source(str(folder / "a.txt"))
