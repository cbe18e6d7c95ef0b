"""Named defaults, each with the reason for its value. The config file and flags override them."""

from __future__ import annotations

INPUT_SUFFIXES = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
}
"""File suffixes read when a directory is given, and the format each implies."""

MAX_INPUT_BYTES = 8 * 1024 * 1024
"""Inputs larger than this are refused with a one-line error (exit 2).

A real article is well under 1 MB, and a saved news page with its inline scripts 0.1-3 MB. At
8 MB the worst case measured (an HTML page dense with footnote links) still takes about 10 s and
under 0.5 GB; a 50 MB file would take minutes and gigabytes, which is a stalled CI job."""

MAX_CONTEXT_CHARS = 400
"""A use's context sentence is cut to this length, so a 1 MB line cannot bloat the report."""

DEFAULT_CONCURRENCY = 32
"""Requests in flight across all hosts."""

DEFAULT_PER_HOST = 4
"""Requests in flight to one host: polite to the site, and under most rate limits."""

DEFAULT_TIMEOUT_S = 20.0
"""Total deadline for one URL, redirects and retries included."""

DEFAULT_CONNECT_TIMEOUT_S = 10.0
DEFAULT_READ_TIMEOUT_S = 10.0

DEFAULT_RETRIES = 2
"""Retries on connection errors, 429, 502, 503 and 504."""

MAX_RETRY_AFTER_S = 30.0
"""A Retry-After longer than this is capped: a CI job must not sleep for an hour."""

MAX_REDIRECTS = 10
"""Hops followed before the chain counts as a loop (browsers allow ~20; real chains use 1-3)."""

MAX_BODY_BYTES = 5 * 1024 * 1024
"""Bytes of a body read; the rest is not downloaded. News pages are 0.1-2 MB."""

MAX_DECOMPRESSED_BYTES = 20 * 1024 * 1024
"""Decompressed bytes accepted, so a gzip bomb costs one verdict, not the machine."""

DIGEST_QUEUE_BYTES = 16 * 1024 * 1024
"""Bytes of fetched pages held waiting for their digest while the next requests go out
(`audit.fetch.turns`): about a hundred 150 KB news pages; past it, pages are digested at once."""

CACHE_TTL_OK_S = 7 * 24 * 3600
"""Successful fetches are reused for a week."""

CACHE_TTL_FAIL_S = 6 * 3600
"""Failures are retried after six hours: a site may only have been down for a moment."""

TITLE_MATCH_THRESHOLD = 90.0
"""token_sort_ratio at or above this is a match."""

TITLE_PARTIAL_THRESHOLD = 75.0
"""Between this and the match threshold is partial; below it, a mismatch."""

DATE_TOLERANCE_DAYS = 1
"""A cited date this close to the page's date is `near` (time zones shift a day)."""
