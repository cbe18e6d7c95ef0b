"""atheris fuzz target for the extraction entry point, over all three input formats.

The first byte of each input picks the format (byte % 3: 0 plain text, 1 Markdown, 2 HTML, so a
seed file starting with "0", "1" or "2" says which); the rest goes through the same decoding the
CLI uses (`audit.documents.decode`), and bytes it refuses are decoded with replacement instead, so
the loaders still see them. Any exception out of `audit.extract.extract` is a bug: loaders must
turn bad input into data. A few cheap invariants of the result are checked as well.

Run it with `make fuzz` (bounded time), or directly:

    .venv/bin/python fuzz/fuzz_extract.py fuzz/corpus -max_total_time=600 -timeout=10

See fuzz/README.md for what it found.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any

try:
    import atheris
except ImportError:  # the regression tests import `check` without the fuzz extra installed
    atheris = None

# Coverage instrumentation only when fuzzing, not when the regression tests import this module.
_instrument: Any = (
    atheris.instrument_imports(include=["audit", "markdown_it", "mdit_py_plugins", "linkify_it"])
    if atheris is not None and __name__ == "__main__"
    else contextlib.nullcontext()
)

with _instrument:
    # The loaders are imported lazily by `extract`; import them here so they are instrumented.
    import audit.extract.html
    import audit.extract.markdown
    import audit.extract.plaintext  # noqa: F401
    from audit.documents import decode
    from audit.errors import DocumentError
    from audit.extract import extract
    from audit.model import DocFormat

FORMATS = (DocFormat.TEXT, DocFormat.MARKDOWN, DocFormat.HTML)

# Outlet names for the attribution finder: a few short, overlapping ones so that the fuzzer can
# reach the attribution code from small inputs.
OUTLETS = ("Reuters", "The Times", "Times", "AP", "The New York Times", "NYT", "BBC News")

# Known bugs to look past, comma-separated: an invariant's name ("ids", "uses", "marks") skips
# that check; any other entry skips exceptions whose message contains it (for example
# FUZZ_ALLOW=uses,state.pos). A long run can then go on past a bug that already has a regression
# test instead of stopping on it each time.
ALLOW = frozenset(a for a in os.environ.get("FUZZ_ALLOW", "").split(",") if a)
INVARIANTS = frozenset({"ids", "uses", "marks"})


def text_of(body: bytes) -> str:
    """The text the CLI would hand the loaders, or a lossy decoding when it would refuse it."""
    try:
        return decode(body, "fuzz")[0]
    except DocumentError:
        return body.decode("utf-8", "replace")


def check(data: bytes) -> None:
    """One fuzz input: extract, then check what every report consumer relies on."""
    if not data:
        return
    fmt = FORMATS[data[0] % 3]
    text = text_of(data[1:])
    try:
        doc = extract("fuzz", text, fmt, OUTLETS)
    except Exception as exc:
        if any(known in str(exc) for known in ALLOW - INVARIANTS):
            return
        raise
    # Loaders may split on any line break str.splitlines knows; allow for either count.
    lines = max(len(text.splitlines()), text.count("\n") + 1) + 1
    ids = [c.id for c in doc.citations]
    if "ids" not in ALLOW and len(ids) != len(set(ids)):
        raise AssertionError(f"duplicate citation ids: {ids}")
    for c in doc.citations if "uses" not in ALLOW else ():
        for use in c.uses:
            if not 1 <= use.line <= lines or use.column < 1:
                raise AssertionError(f"use out of the document: {use}")
    if "marks" in ALLOW:
        return
    for p in doc.paragraphs:
        for mark in p.marks:
            if not 0 <= mark.start <= mark.end <= len(p.text):
                raise AssertionError(f"mark outside its paragraph: {mark} in {p.text!r}")


def main() -> None:
    if atheris is None:
        sys.exit("atheris is not installed: .venv/bin/pip install -e '.[fuzz]'")
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
