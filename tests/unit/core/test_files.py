"""Reports and cassettes are written whole, and never replace a device, a pipe or a link."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from fifo import fifo_reader

from audit.files import write_atomic


def test_a_new_file_and_its_folders_are_made(tmp_path: Path) -> None:
    target = tmp_path / "out" / "deeper" / "report.json"
    write_atomic(target, "{}\n")
    assert target.read_text(encoding="utf-8") == "{}\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.json"]  # no temp left


def test_a_failed_write_keeps_the_old_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")

    def fail(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_a_symbolic_link_is_followed_not_replaced(tmp_path: Path) -> None:
    real = tmp_path / "reports" / "latest.json"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "report.json"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "new"


def test_a_named_pipe_is_written_into_and_stays_a_pipe(tmp_path: Path) -> None:
    # The same path as `-o /dev/null` or `-o /dev/stdout`: renaming over it would put a plain
    # file where the device was (as root), or fail for want of rights on the folder.
    pipe = tmp_path / "pipe"
    with fifo_reader(pipe, timeout=10) as received:
        write_atomic(pipe, "report\n")
    assert received == ["report\n"]
    assert pipe.is_fifo()


def test_a_new_report_is_readable_as_the_umask_allows(tmp_path: Path) -> None:
    # As a shell's `>` makes it: a report is for reading (by a teammate, a web server, CI).
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "report.json", "{}\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "report.json").stat().st_mode) == 0o644


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_bytes_are_written_as_they_are(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    write_atomic(target, "Zürich “quoted”\n".encode())
    assert target.read_bytes() == "Zürich “quoted”\n".encode()
    write_atomic(target, "Zürich again\n")  # text is written as UTF-8
    assert target.read_bytes() == "Zürich again\n".encode()
