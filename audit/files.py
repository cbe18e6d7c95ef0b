"""Writing the files a run produces (reports, cassettes) without ever leaving half of one.

A report or cassette is written to a temporary sibling and renamed over the target, so an
interrupted run leaves the old file or the new one. Renaming only suits regular files, though:
`-o /dev/null`, `-o /dev/stdout` or a named pipe must be written in place (a rename would put a
regular file where the device was, or fail for want of rights on /dev), and a symbolic link is
followed so that the file it names is the one replaced.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_text_atomic(target: Path, text: str) -> None:
    """Write `text` (UTF-8) to `target`, whole or not at all where the target allows it."""
    path = target.resolve() if target.is_symlink() else target
    if path.exists() and not path.is_file():
        # A device, a pipe or a socket: there is nothing to keep whole, only somewhere to write.
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
