"""Writing the files a run produces (reports, cassettes) without ever leaving half of one.

A report or cassette is written to a temporary sibling and renamed over the target, so an
interrupted run leaves the old file or the new one. Renaming only suits regular files, though:
`-o /dev/null`, `-o /dev/stdout` or a named pipe must be written in place (a rename would put a
regular file where the device was, or fail for want of rights on /dev), and a symbolic link is
followed so that the file it names is the one replaced.
"""

from __future__ import annotations

import os
from pathlib import Path

_NEW_FILE_MODE = 0o666
"""Before the umask, as `open()` and a shell's `>` create files: a report is for reading."""


def write_atomic(target: Path, text: str | bytes) -> None:
    """Write `text` (UTF-8 unless already bytes) to `target`, whole or not at all where it can.

    A file that is replaced keeps its permission bits; a new one gets the umask's, as a shell's
    `>` gives it (tempfile's private 0600 made reports unreadable to a web server or a teammate).
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    path = target.resolve() if target.is_symlink() else target
    if path.exists() and not path.is_file():
        # A device, a pipe or a socket: there is nothing to keep whole, only somewhere to write.
        with open(path, "wb") as fh:
            fh.write(data)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = os.stat(path).st_mode & 0o777  # read and write bits, not set-user-ID and the like
    except OSError:
        mode = None
    fd, tmp = _new_sibling(path)
    try:
        with open(fd, "wb") as fh:
            fh.write(data)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _new_sibling(path: Path) -> tuple[int, str]:
    """A new, empty, exclusively created file beside `path`: its descriptor and its name.

    Not `tempfile.mkstemp`: its import costs ~10 ms at the end of every run, and it creates the
    file 0600 whatever the umask.
    """
    for _ in range(100):
        tmp = str(path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"))
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
            return os.open(tmp, flags, _NEW_FILE_MODE), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")
