"""Reading input articles: paths, directories, globs and standard input into decoded text.

This is the input edge of the pipeline: the only module that reads the user's files.
"""

from __future__ import annotations

import glob
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from audit.errors import DocumentError
from audit.model import DocFormat
from audit.settings import INPUT_SUFFIXES, MAX_INPUT_BYTES

STDIN_NAME = "-"
_LIMIT = f"{MAX_INPUT_BYTES // (1024 * 1024)} MB"

# Magic numbers of binary formats people hand us by mistake: the message can then say what it is.
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF file"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"PK\x03\x04", "a ZIP archive (a .docx or .epub?)"),
    (b"\x1f\x8b", "a gzip archive"),
)


@dataclass(frozen=True, slots=True)
class SourceText:
    """An input article, decoded."""

    path: str
    """As the user wrote it (or "-" for standard input)."""
    text: str
    fmt: DocFormat
    encoding: str


def format_for_suffix(path: str) -> DocFormat | None:
    """The format a file name implies, or None when its suffix is not one we read."""
    name = INPUT_SUFFIXES.get(Path(path).suffix.lower())
    return DocFormat(name) if name else None


def sniff_format(text: str) -> DocFormat:
    """Guess the format of text with no file name (standard input)."""
    head = text[:4096].lstrip().lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) or (
        head.startswith("<") and any(t in head for t in ("<body", "<p>", "<p ", "<div", "<article"))
    ):
        return DocFormat.HTML
    md_signals = ("[^", "](http", "\n# ", "\n## ", "]: http")
    if head.startswith(("---\n", "# ")) or any(s in text[:65536] for s in md_signals):
        return DocFormat.MARKDOWN
    return DocFormat.TEXT


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Decode an input file's bytes to text, refusing binary files with a clear reason."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", path), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", path), "utf-16"
    for signature, what in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise DocumentError(f"{path}: this is {what}, not a text, Markdown or HTML article")
    if b"\x00" in data[:8192]:
        raise DocumentError(f"{path}: binary data (NUL bytes), not a text article")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    # Text pasted on older Windows machines is often Windows-1252; accept it only when it decodes
    # to mostly printable text, so random binary is still refused.
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise DocumentError(
            f"{path}: not valid UTF-8 (byte {utf8_error.start}) nor Windows-1252 text"
        ) from None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > len(text) // 100:
        raise DocumentError(f"{path}: not valid UTF-8 (byte {utf8_error.start}); binary data?")
    return text, "cp1252"


def _strict(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DocumentError(f"{path}: invalid {encoding} at byte {exc.start}") from None


def read_source(path: str, fmt: DocFormat | None = None) -> SourceText:
    """Read one file (or "-") into a SourceText."""
    if path == STDIN_NAME:
        data = _read_stdin()
        text, encoding = decode(data, "<stdin>")
        return SourceText(path, text, fmt or sniff_format(text), encoding)
    p = Path(path)
    try:
        data = _read_bounded(p, path)
    except IsADirectoryError:
        raise DocumentError(f"{path}: is a directory") from None
    except PermissionError:
        raise DocumentError(f"{path}: permission denied") from None
    except FileNotFoundError:
        raise DocumentError(f"{path}: no such file") from None
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read ({exc.strerror or exc})") from None
    text, encoding = decode(data, path)
    chosen = fmt or format_for_suffix(path) or sniff_format(text)
    return SourceText(path, text, chosen, encoding)


def _read_bounded(p: Path, path: str) -> bytes:
    """The bytes of a file, never more than the limit plus one.

    The size is checked before reading, and the read itself is bounded too, because a device or
    a pipe named on the command line (/dev/zero, <(cmd)) has no size and may never end.
    """
    with p.open("rb") as fh:
        info = os.fstat(fh.fileno())
        if stat.S_ISREG(info.st_mode) and info.st_size > MAX_INPUT_BYTES:
            raise DocumentError(
                f"{path}: {info.st_size // (1024 * 1024)} MB is larger than the {_LIMIT} limit "
                "for one article"
            )
        data = fh.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise DocumentError(f"{path}: larger than the {_LIMIT} limit for one article")
    return data


def _read_stdin() -> bytes:
    stream = sys.stdin.buffer if sys.stdin is not None else None
    if stream is None:
        raise DocumentError("<stdin>: standard input is closed")
    try:
        data = stream.read(MAX_INPUT_BYTES + 1)
    except (OSError, ValueError):
        raise DocumentError("<stdin>: standard input is closed") from None
    if len(data) > MAX_INPUT_BYTES:
        raise DocumentError(f"<stdin>: larger than the {_LIMIT} limit for one article")
    return data


def expand_paths(args: Iterable[str]) -> list[str]:
    """Turn command-line arguments (files, directories, globs, "-") into file paths, in order.

    A directory yields every file below it with a suffix we read, sorted; a glob its matches.
    A name that matches nothing is an error, so a typo never passes as a clean audit.
    """
    out: list[str] = []
    seen: set[str] = set()
    for arg in args:
        for path in _expand_one(arg):
            if path not in seen:
                seen.add(path)
                out.append(path)
    return out


def _expand_one(arg: str) -> Iterator[str]:
    if arg == STDIN_NAME:
        yield arg
        return
    p = Path(arg)
    if p.is_dir():
        found = sorted(_walk(p))
        if not found:
            raise DocumentError(f"{arg}: no .md, .markdown, .html, .htm or .txt files below it")
        yield from found
        return
    if p.exists() or p.is_symlink():
        yield arg
        return
    if glob.has_magic(arg):
        matches = sorted(m for m in glob.glob(arg, recursive=True) if Path(m).is_file())
        if not matches:
            raise DocumentError(f"{arg}: no files match this pattern")
        yield from matches
        return
    raise DocumentError(f"{arg}: no such file or directory")


def _walk(root: Path) -> Iterator[str]:
    """Files below `root` with a suffix we read; hidden directories are skipped.

    An explicit stack, not os.walk: os.walk recurses, and a tree 1,500 directories deep raised
    RecursionError. Symlinked directories are not entered, so a symlink loop cannot send us round
    for ever. A directory we cannot list is an error, never a silent gap in the audit.
    """
    stack = [str(root)]
    while stack:
        top = stack.pop()
        try:
            with os.scandir(top) as it:
                entries = list(it)
        except OSError as exc:
            raise DocumentError(
                f"{top}: cannot read this directory ({exc.strerror or exc})"
            ) from None
        for entry in entries:
            try:
                is_dir = entry.is_dir() and not entry.is_symlink()
            except OSError:
                is_dir = False
            if is_dir:
                if not entry.name.startswith("."):
                    stack.append(entry.path)
            elif Path(entry.name).suffix.lower() in INPUT_SUFFIXES:
                yield entry.path
