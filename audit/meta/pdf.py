"""PDF documents: title and dates from the document information, text from the first pages.

pypdf is imported lazily (only PDFs pay for it). A broken or hostile PDF gives unknowns,
never an exception.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from collections.abc import Mapping
from datetime import datetime

from audit.meta.structured import clean_text, normalize_date
from audit.model import PageMeta

MAX_PDF_PAGES = 30
"""Pages whose text is read for quote checks: reports put the quoted passage early, and text
extraction costs milliseconds per page."""

MAX_PDF_TEXT_CHARS = 200_000

_PDF_DATE = re.compile(
    r"^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?'?"
)


def pdf_date(raw: object) -> str | None:
    """ISO 8601 from a PDF date string ("D:20250711083200+01'00'"), time zone kept."""
    if isinstance(raw, datetime):
        return raw.isoformat()
    if not isinstance(raw, str):
        return None
    m = _PDF_DATE.match(raw.strip())
    if not m:
        return normalize_date(raw)
    year, month, day, hour, minute, second, sign, tzh, tzm = m.groups()
    if hour is None:
        return normalize_date(f"{year}-{month or '01'}-{day or '01'}")
    iso = f"{year}-{month or '01'}-{day or '01'}T{hour}:{minute or '00'}:{second or '00'}"
    if sign in ("Z", "z"):
        iso += "+00:00"
    elif sign in ("+", "-"):
        iso += f"{sign}{tzh or '00'}:{tzm or '00'}"
    return normalize_date(iso)


def digest_pdf(body: bytes, content_type: str | None) -> tuple[PageMeta, str | None]:
    """PageMeta and text of a PDF; unknowns where the document says nothing or cannot be read."""
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - pypdf is a dependency
        return PageMeta(content_type=content_type), None
    # pypdf reports damaged files through logging and warnings; they are not our user's concern.
    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.ERROR + 10)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(body), strict=False)
            info: Mapping[str, object] = reader.metadata or {}
            title = clean_text(info.get("/Title"))
            published = pdf_date(info.get("/CreationDate"))
            modified = pdf_date(info.get("/ModDate"))
            chunks: list[str] = []
            size = 0
            for page in reader.pages[:MAX_PDF_PAGES]:
                chunk = page.extract_text() or ""
                chunks.append(chunk)
                size += len(chunk)
                if size >= MAX_PDF_TEXT_CHARS:
                    break
    except Exception:  # a broken PDF is an unknown, not a crash
        return PageMeta(content_type=content_type), None
    finally:
        pypdf_log.setLevel(level)
    text = "\n".join(chunks)[:MAX_PDF_TEXT_CHARS].strip() or None
    return (
        PageMeta(
            title=title,
            title_source="pdf" if title else None,
            published=published,
            modified=modified,
            date_source="pdf" if published else None,
            content_type=content_type,
        ),
        text,
    )
