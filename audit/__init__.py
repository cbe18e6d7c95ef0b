"""citeaudit: a source-reliability and footnote auditor.

The Python API is two calls, imported lazily so `import audit` stays cheap:

    from audit import audit_path, audit_text
    report = audit_path("draft.md", AuditOptions(offline=True))
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["AuditOptions", "__version__", "audit_path", "audit_text"]

if TYPE_CHECKING:
    from audit.pipeline import AuditOptions, audit_path, audit_text


def __getattr__(name: str) -> Any:
    if name in ("audit_path", "audit_text", "AuditOptions"):
        from audit import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'audit' has no attribute {name!r}")
