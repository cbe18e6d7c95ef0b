"""The exceptions that stop a whole run; per-citation trouble is data, never an exception.

Our exception hierarchy:

* AuditError            -- anything the CLI turns into a one-line message and exit code 2
  + DocumentError       -- an input path is missing, unreadable, binary or undecodable
  + ConfigError         -- a configuration file or flag is wrong
  + RulesFileError      -- an outlet-tier rules file is malformed
  + CassetteError       -- a cassette file is missing, truncated or hand-edited badly
  + Interrupted         -- the user pressed Ctrl-C; the CLI exits 130
"""

from __future__ import annotations


class AuditError(Exception):
    """Raised for trouble that stops the run. Subclass it; the message is shown to the user."""


class DocumentError(AuditError):
    """An input document cannot be read as text."""


class ConfigError(AuditError):
    """A configuration file or option is invalid."""


class RulesFileError(AuditError):
    """An outlet-tier rules file is invalid; the message names the file and line."""


class CassetteError(AuditError):
    """A cassette file cannot be used."""


class Interrupted(AuditError):
    """The run was interrupted (Ctrl-C); partial results are discarded, the cache left whole."""
