"""FetchOptions: every knob of the fetch engine, with defaults from `audit.settings`.

The CLI flags and the configuration file map onto these fields one to one (see the fetch
engine's section of the README for the flag of each field).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from audit import __version__, settings

DEFAULT_USER_AGENT = f"citeaudit/{__version__} (+https://github.com/citeaudit/citeaudit)"
"""An honest User-Agent: sites can see what is calling and where to complain."""

BACKOFF_BASE_S = 0.5
"""First retry waits about this long (jittered), doubling on each further retry."""


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """How to fetch: limits, timeouts, identity, proxy, safety, cache and cassettes."""

    concurrency: int = settings.DEFAULT_CONCURRENCY
    """Requests in flight across all hosts (`--concurrency`)."""
    per_host: int = settings.DEFAULT_PER_HOST
    """Requests in flight to one host (`--per-host`)."""
    timeout: float = settings.DEFAULT_TIMEOUT_S
    """Total deadline for one URL, redirects, retries and body included (`--timeout`)."""
    connect_timeout: float = settings.DEFAULT_CONNECT_TIMEOUT_S
    read_timeout: float = settings.DEFAULT_READ_TIMEOUT_S
    retries: int = settings.DEFAULT_RETRIES
    """Retries on connection errors, 429, 502, 503 and 504 (`--retries`)."""
    max_retry_after: float = settings.MAX_RETRY_AFTER_S
    """A Retry-After longer than this is capped."""
    backoff_base: float = BACKOFF_BASE_S
    max_redirects: int = settings.MAX_REDIRECTS
    max_body_bytes: int = settings.MAX_BODY_BYTES
    max_decompressed_bytes: int = settings.MAX_DECOMPRESSED_BYTES
    user_agent: str = DEFAULT_USER_AGENT
    """`--user-agent`."""
    proxy: str | None = None
    """`--proxy URL`; when None, HTTPS_PROXY / HTTP_PROXY / NO_PROXY from the environment apply."""
    allow_private: bool = False
    """`--allow-private`: contact private, loopback and link-local addresses too."""
    insecure: bool = False
    """Skip TLS certificate checks (local testing only)."""
    cache_dir: Path | None = None
    """`--cache-dir`; None means the user's cache directory (platformdirs)."""
    use_cache: bool = True
    """False with `--no-cache`: neither read nor write the cache."""
    refresh: bool = False
    """`--refresh`: ignore cached entries but write fresh ones."""
    record: Path | None = None
    """`--record FILE`: save every exchange of the run to this cassette."""
    replay: Path | None = None
    """`--replay FILE`: answer from this cassette, never touch the network."""
    quiet: bool = False
    """`--quiet`: no progress bar (the CLI reads this)."""
