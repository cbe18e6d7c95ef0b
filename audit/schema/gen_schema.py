"""Writes report.schema.json, the JSON Schema of the JSON report.

Run: python -m audit.schema.gen_schema

The schema is written out as a file so tools can read it without Python; this script keeps the
repetitive parts (nullable strings, enums from the model) consistent with the code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from audit.model import (
    SCHEMA_VERSION,
    CitationKind,
    DatePrecision,
    DocFormat,
    LinkVerdict,
    Severity,
)


def nullable(kind: str) -> dict[str, Any]:
    return {"type": [kind, "null"]}


def obj(props: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": props,
        "required": required if required is not None else list(props),
    }


CHECK = {
    "anyOf": [
        {"type": "null"},
        obj(
            {
                "verdict": {"type": "string"},
                "reason": {"type": "string"},
                "score": nullable("number"),
                "delta_days": nullable("integer"),
                "source": nullable("string"),
            },
            ["verdict", "reason"],
        ),
    ]
}

SCORE_PARTS = {
    "type": "array",
    "items": obj(
        {"name": {"type": "string"}, "points": {"type": "number"}, "reason": {"type": "string"}}
    ),
}

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://citeaudit.invalid/schema/report.schema.json",
    "title": f"citeaudit JSON report, schema_version {SCHEMA_VERSION}",
    **obj(
        {
            "schema_version": {"const": SCHEMA_VERSION},
            "tool": obj({"name": {"const": "citeaudit"}, "version": {"type": "string"}}),
            "generated_at": {"type": "string"},
            "offline": {"type": "boolean"},
            "notes": {"type": "array", "items": {"type": "string"}},
            "documents": {"type": "array", "items": {"$ref": "#/$defs/document"}},
            "summary": obj(
                {
                    "documents": {"type": "integer"},
                    "citations": {"type": "integer"},
                    "findings": {"$ref": "#/$defs/severity_counts"},
                    "by_link_verdict": {"type": "object"},
                    "by_tier": {"type": "object"},
                }
            ),
        },
        ["schema_version", "tool", "documents", "summary"],
    ),
    "$defs": {
        "severity_counts": obj({s.value: {"type": "integer"} for s in Severity}),
        "document": obj(
            {
                "path": {"type": "string"},
                "format": {"enum": [f.value for f in DocFormat]},
                "title": nullable("string"),
                "date": nullable("string"),
                "author": nullable("string"),
                "score": nullable("integer"),
                "score_parts": SCORE_PARTS,
                "summary": {"type": "object"},
                "citations": {"type": "array", "items": {"$ref": "#/$defs/citation"}},
                "ignored_links": {
                    "type": "array",
                    "items": obj(
                        {
                            "url": {"type": "string"},
                            "line": {"type": "integer"},
                            "reason": {"type": "string"},
                        }
                    ),
                },
                "findings": {"type": "array", "items": {"$ref": "#/$defs/finding"}},
            },
            ["path", "title", "date", "citations", "ignored_links", "findings"],
        ),
        "citation": obj(
            {
                "id": {"type": "string"},
                "kind": {"enum": [k.value for k in CitationKind]},
                "marker": nullable("string"),
                "uses": {
                    "type": "array",
                    "items": obj(
                        {
                            "line": {"type": "integer", "minimum": 1},
                            "column": {"type": "integer", "minimum": 1},
                            "context": {"type": "string"},
                        }
                    ),
                },
                "reference": obj(
                    {
                        "raw": {"type": "string"},
                        "outlet": nullable("string"),
                        "authors": {"type": "array", "items": {"type": "string"}},
                        "title": nullable("string"),
                        "date": {
                            "type": ["string", "null"],
                            "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
                        },
                        "date_precision": {"enum": [*(p.value for p in DatePrecision), None]},
                        "accessed": nullable("string"),
                        "url": nullable("string"),
                    }
                ),
                "link": {"anyOf": [{"type": "null"}, {"$ref": "#/$defs/link"}]},
                "page": {"anyOf": [{"type": "null"}, {"$ref": "#/$defs/page"}]},
                "checks": {
                    "anyOf": [
                        {"type": "null"},
                        obj({"title": CHECK, "date": CHECK, "outlet": CHECK, "quote": CHECK}),
                    ]
                },
                "rating": {"anyOf": [{"type": "null"}, {"$ref": "#/$defs/rating"}]},
                "score": {"type": ["integer", "null"], "minimum": 0, "maximum": 100},
                "score_parts": SCORE_PARTS,
            },
            [
                "id",
                "kind",
                "marker",
                "uses",
                "reference",
                "link",
                "page",
                "checks",
                "rating",
                "score",
            ],
        ),
        "link": obj(
            {
                "verdict": {"enum": [v.value for v in LinkVerdict]},
                "status": nullable("integer"),
                "final_url": nullable("string"),
                "redirects": {
                    "type": "array",
                    "items": obj({"url": {"type": "string"}, "status": {"type": "integer"}}),
                },
                "reason": {"type": "string"},
                "from_cache": {"type": "boolean"},
                "elapsed_ms": nullable("integer"),
                "archive_url": nullable("string"),
            }
        ),
        "page": obj(
            {
                "title": nullable("string"),
                "title_source": nullable("string"),
                "site_name": nullable("string"),
                "published": nullable("string"),
                "modified": nullable("string"),
                "date_source": nullable("string"),
                "canonical_url": nullable("string"),
                "from_archive": {"type": "boolean"},
            }
        ),
        "rating": obj(
            {
                "outlet": nullable("string"),
                "tier": {"type": ["integer", "null"], "minimum": 1, "maximum": 4},
                "flags": {"type": "array", "items": {"type": "string"}},
                "matched_by": {"type": "string"},
                "rules_file": nullable("string"),
            }
        ),
        "finding": obj(
            {
                "id": {"type": "string", "pattern": r"^[A-Z]{2,3}\d{3}$"},
                "rule": {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$"},
                "severity": {"enum": [s.value for s in Severity]},
                "message": {"type": "string"},
                "line": nullable("integer"),
                "column": nullable("integer"),
                "citation": nullable("string"),
            }
        ),
    },
}

SCHEMA_PATH = Path(__file__).with_name("report.schema.json")

if __name__ == "__main__":
    SCHEMA_PATH.write_text(json.dumps(SCHEMA, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")
