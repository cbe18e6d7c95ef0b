"""The JSON report: the contract other tools read (schema in `audit/schema/report.schema.json`).

Field names come from `audit.model`; this module only decides the layout (what nests where) and
adds the summaries. Later issues add fields; none is ever renamed.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from enum import Enum
from typing import Any

from audit.model import (
    SCHEMA_VERSION,
    AuditedCitation,
    DocumentReport,
    Finding,
    Report,
    Severity,
)

JsonObj = dict[str, Any]


_SCALARS = (str, int, float, bool, type(None))


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    # dataclasses.fields() rebuilds its tuple on every call; a report has ~50 values per citation.
    return tuple(f.name for f in dataclasses.fields(cls))


def plain(value: object) -> Any:
    """A model value as JSON-ready data: dataclasses to dicts, enums to their values."""
    if isinstance(value, _SCALARS) and not isinstance(value, Enum):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: plain(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


Leaf = Callable[[object], Any]
"""How model values inside the layout are given: `plain` data, or as they are for orjson."""


def _as_is(value: object) -> Any:
    # orjson writes dataclasses (fields in order), enums (their values) and tuples natively.
    return value


def citation_json(ac: AuditedCitation, leaf: Leaf = plain) -> JsonObj:
    """One citation as the contract lays it out."""
    c = ac.citation
    out: JsonObj = {
        "id": c.id,
        "kind": c.kind.value,
        "marker": c.marker,
        "uses": leaf(c.uses),
        "reference": leaf(c.reference),
        "entry_line": c.entry_line,
        "link": leaf(ac.link),
        "page": leaf(ac.page),
        "checks": leaf(ac.checks),
        "rating": leaf(ac.rating),
        "score": ac.score.value if ac.score else None,
        "score_parts": leaf(ac.score.parts) if ac.score else [],
    }
    return out


def finding_json(f: Finding, leaf: Leaf = plain) -> JsonObj:
    """One finding."""
    return leaf(f)  # type: ignore[no-any-return]


def document_summary(dr: DocumentReport) -> JsonObj:
    """Counts a reader (or a dashboard) wants without walking the citations."""
    by_kind = Counter(ac.citation.kind.value for ac in dr.citations)
    by_verdict = Counter(ac.link.verdict.value for ac in dr.citations if ac.link)
    by_tier = Counter(_tier_label(ac) for ac in dr.citations)
    by_severity = Counter(f.severity.value for f in dr.findings)
    with_url = sum(1 for ac in dr.citations if ac.citation.reference.url)
    total = len(dr.citations)
    return {
        "citations": total,
        "by_kind": dict(sorted(by_kind.items())),
        "by_link_verdict": dict(sorted(by_verdict.items())),
        "by_tier": dict(sorted(by_tier.items())),
        "findings": {s.value: by_severity.get(s.value, 0) for s in Severity},
        "checkable_share": round(with_url / total, 3) if total else None,
        "ignored_links": len(dr.document.ignored_links),
    }


def _tier_label(ac: AuditedCitation) -> str:
    if ac.rating is None or ac.rating.tier is None:
        return "unknown"
    return str(ac.rating.tier)


def document_json(dr: DocumentReport, leaf: Leaf = plain) -> JsonObj:
    """One document: its facts, citations, ignored links, findings and summary."""
    doc = dr.document
    return {
        "path": doc.path,
        "format": doc.fmt.value,
        "title": doc.title,
        "date": doc.date,
        "author": doc.author,
        "score": dr.score.value if dr.score else None,
        "score_parts": leaf(dr.score.parts) if dr.score else [],
        "summary": document_summary(dr),
        "citations": [citation_json(ac, leaf) for ac in dr.citations],
        "ignored_links": leaf(doc.ignored_links),
        "findings": [finding_json(f, leaf) for f in dr.findings],
    }


def report_json(report: Report, leaf: Leaf = plain) -> JsonObj:
    """The whole report as a JSON-ready dict (with `leaf=plain`, the default)."""
    docs = [document_json(d, leaf) for d in report.documents]
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "citeaudit", "version": report.tool_version},
        "generated_at": report.generated_at,
        "offline": report.offline,
        "notes": list(report.notes),
        "documents": docs,
        "summary": run_summary(report.documents),
    }


def run_summary(documents: Sequence[DocumentReport]) -> JsonObj:
    """Totals over every document of the run."""
    severities: Counter[str] = Counter()
    verdicts: Counter[str] = Counter()
    tiers: Counter[str] = Counter()
    citations = 0
    for dr in documents:
        citations += len(dr.citations)
        severities.update(f.severity.value for f in dr.findings)
        verdicts.update(ac.link.verdict.value for ac in dr.citations if ac.link)
        tiers.update(_tier_label(ac) for ac in dr.citations)
    return {
        "documents": len(documents),
        "citations": citations,
        "findings": {s.value: severities.get(s.value, 0) for s in Severity},
        "by_link_verdict": dict(sorted(verdicts.items())),
        "by_tier": dict(sorted(tiers.items())),
    }


def _dumps_orjson(value: Any, option: int = 0) -> bytes:
    import orjson

    return orjson.dumps(value, option=orjson.OPT_INDENT_2 | option)


def dumps_pretty(value: Any) -> str:
    """`value` as JSON indented by two spaces, non-ASCII kept, as `json.dumps(indent=2)` writes it.

    The standard library's C encoder is used only without `indent`; indented, `json.dumps` runs
    in pure Python (0.12 s of a 1,000-citation report). orjson writes the same text in C. It
    refuses what JSON cannot hold faithfully (lone surrogates, integers over 64 bits): those
    reports go through `json`, as before.
    """
    try:
        return _dumps_orjson(value).decode("utf-8")
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return json.dumps(value, indent=2, ensure_ascii=False)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def render_json_bytes(report: Report) -> bytes:
    """The report as indented JSON, UTF-8 encoded, ending with a newline.

    Bytes because a file is where the report usually goes: orjson writes UTF-8, and turning a
    10 MB report (3,000 citations) into text only to encode it again cost ~15 ms each way.
    """
    import orjson

    try:
        # The model's dataclasses go to orjson as they are: 3x faster than making dicts first.
        return _dumps_orjson(report_json(report, _as_is), orjson.OPT_APPEND_NEWLINE)
    except TypeError:
        text = dumps_pretty(report_json(report)) + "\n"
        # A lone surrogate cannot be written as UTF-8; JSON's \\u escape is the same string.
        return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text).encode("utf-8")


def render_json(report: Report) -> str:
    """The report as indented JSON text."""
    return render_json_bytes(report).decode("utf-8")
