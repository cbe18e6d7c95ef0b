"""citeaudit: a source-reliability and footnote auditor."""

__version__ = "0.1.0"
