"""A named pipe with a reader on the other end, for tests of writing into one."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def fifo_reader(path: Path, timeout: float = 30) -> Iterator[list[str]]:
    """Make a FIFO at `path` and read it whole in the background; the list gets the text.

    The reader is a daemon thread: if nothing ever opens the pipe for writing (the bug these
    tests guard against), the test fails on an empty list instead of hanging the suite.
    """
    os.mkfifo(path)
    received: list[str] = []
    reader = threading.Thread(
        target=lambda: received.append(path.read_text(encoding="utf-8")), daemon=True
    )
    reader.start()
    yield received
    reader.join(timeout)
