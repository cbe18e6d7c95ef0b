"""Reading inputs: decoding, refusing binaries, expanding directories and globs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from audit.documents import decode, expand_paths, read_source, sniff_format
from audit.errors import DocumentError
from audit.model import DocFormat


def test_utf8_with_bom_and_utf16_decode(tmp_path: Path) -> None:
    (tmp_path / "bom.txt").write_bytes("\ufeffHello ¹".encode())
    (tmp_path / "u16.txt").write_bytes("Hello ¹".encode("utf-16"))
    assert read_source(str(tmp_path / "bom.txt")).text == "Hello ¹"
    assert read_source(str(tmp_path / "u16.txt")).text == "Hello ¹"


def test_windows_1252_text_is_accepted() -> None:
    text, encoding = decode("Caf\xe9 \x93quoted\x94".encode("latin-1"), "x.txt")
    assert encoding == "cp1252"
    assert text == "Café “quoted”"


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"%PDF-1.7\n...", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (b"\x7fELF\x02\x01\x01", "ELF"),
        (b"abc\x00def", "NUL"),
    ],
)
def test_binary_files_are_refused_with_the_reason(data: bytes, what: str) -> None:
    with pytest.raises(DocumentError, match=what):
        decode(data, "in.txt")


def test_missing_path_is_an_error() -> None:
    with pytest.raises(DocumentError, match="no such file"):
        expand_paths(["/nonexistent/article.md"])


def test_directory_expands_to_article_files_sorted(tmp_path: Path) -> None:
    (tmp_path / "b.md").write_text("b")
    (tmp_path / "a.html").write_text("a")
    (tmp_path / "notes.pdf").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.txt").write_text("c")
    found = [Path(p).name for p in expand_paths([str(tmp_path)])]
    assert found == ["a.html", "b.md", "c.txt"]


def test_glob_and_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "one.md").write_text("1")
    (tmp_path / "two.md").write_text("2")
    os.symlink(tmp_path, tmp_path / "loop")
    assert len(expand_paths([str(tmp_path / "*.md")])) == 2
    # The loop is not followed: each real file is listed once.
    assert sorted(Path(p).name for p in expand_paths([str(tmp_path)])) == ["one.md", "two.md"]


def test_sniffing_standard_input() -> None:
    assert sniff_format("<!DOCTYPE html><html><body><p>x</p>") is DocFormat.HTML
    assert sniff_format("Some text[^1]\n\n[^1]: A note") is DocFormat.MARKDOWN
    assert sniff_format("Plain text pasted from a page.¹\nFootnotes\nA note") is DocFormat.TEXT
