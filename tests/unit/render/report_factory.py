"""Hand-built `audit.model.Report` values for renderer tests, hostile strings included.

Everything here is synthetic: invented outlets, titles, URLs and sentences, written for these
tests. Other test modules may reuse it; load it by path when not in this folder:

    spec = importlib.util.spec_from_file_location("report_factory", PATH_TO_THIS_FILE)

`make_report()` gives two documents; the first has citations with every interesting verdict,
a hostile page title, an unanswered marker, document-level findings and ignored links.
"""

from __future__ import annotations

from audit.checks import registry
from audit.model import (
    AuditedCitation,
    CheckResult,
    Checks,
    Citation,
    CitationKind,
    DatePrecision,
    DocFormat,
    DocumentReport,
    ExtractedDocument,
    Finding,
    Hop,
    IgnoredLink,
    LinkResult,
    LinkVerdict,
    Mark,
    PageMeta,
    Paragraph,
    Rating,
    Reference,
    Report,
    Score,
    ScorePart,
    Severity,
    Use,
)

HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE_ATTR = '"><img src=x onerror=alert(1)>'
HOSTILE_URL = "javascript:alert(1)"
GENERATED_AT = "2026-01-02T03:04:05+00:00"
TOOL_VERSION = "0.1.0"

FIRST_PATH = "drafts/harbour piece.md"
SECOND_PATH = "drafts/second.md"


def _para(line: int, text: str, marks: list[tuple[str, str | None]]) -> Paragraph:
    """A paragraph whose marks cover the first occurrence of each given snippet."""
    out: list[Mark] = []
    for snippet, citation_id in marks:
        start = text.index(snippet)
        out.append(Mark(start, start + len(snippet), citation_id))
    return Paragraph(line=line, text=text, marks=tuple(out))


def _first_document() -> DocumentReport:
    body1 = (
        "The harbour authority said exports grew 12% last year¹. "
        f"A blog titled {HOSTILE_TITLE} disagreed²."
    )
    body2 = (
        'According to the Northern Ledger, the port "will double its capacity"³, '
        f"though one post {HOSTILE_ATTR} claimed otherwise⁴."
    )
    body3 = "A later report⁹ was never written up."
    paragraphs = (
        _para(3, body1, [("¹", "fn-1"), ("²", "fn-2")]),
        _para(5, body2, [("the Northern Ledger", "attr-1"), ("³", "fn-3"), ("⁴", "fn-4")]),
        _para(7, body3, [("⁹", None)]),
        Paragraph(line=9, text="Footnotes", in_notes=True),
    )
    c1 = Citation(
        id="fn-1",
        kind=CitationKind.FOOTNOTE,
        marker="1",
        uses=(Use(3, 54, "The harbour authority said exports grew 12% last year."),),
        reference=Reference(
            raw="Harbour Gazette, “Exports climb again,” March 3, 2025, https://gazette.example/a",
            outlet="Harbour Gazette",
            title="Exports climb again",
            date="2025-03-03",
            date_precision=DatePrecision.DAY,
            url="https://gazette.example/a",
        ),
        entry_line=10,
        entry_column=1,
    )
    a1 = AuditedCitation(
        citation=c1,
        link=LinkResult(LinkVerdict.OK, 200, "https://gazette.example/a", (), "answered 200 OK"),
        page=PageMeta(
            title="Exports climb again",
            title_source="og",
            site_name="Harbour Gazette",
            site_name_source="og",
            published="2025-03-03T08:00:00+00:00",
            date_source="json_ld",
        ),
        checks=Checks(
            title=CheckResult("match", "titles agree", score=100.0, source="live"),
            date=CheckResult("match", "same day", delta_days=0, source="live"),
            outlet=CheckResult("match", "site name agrees"),
            quote=CheckResult("n/a", "no quoted passage"),
        ),
        rating=Rating("Harbour Gazette", 2, matched_by="domain", rule="gazette.example"),
        score=Score(92, (ScorePart("tier", -8.0, "tier 2 outlet"),)),
    )
    c2 = Citation(
        id="fn-2",
        kind=CitationKind.FOOTNOTE,
        marker="2",
        uses=(Use(3, 95, f"A blog titled {HOSTILE_TITLE} disagreed."),),
        reference=Reference(
            raw=f"{HOSTILE_ATTR} “{HOSTILE_TITLE},” 2024, https://blog.example/gone",
            outlet=HOSTILE_ATTR,
            title=HOSTILE_TITLE,
            date="2024",
            date_precision=DatePrecision.YEAR,
            url="https://blog.example/gone",
        ),
        entry_line=11,
        entry_column=1,
    )
    a2 = AuditedCitation(
        citation=c2,
        link=LinkResult(
            LinkVerdict.DEAD,
            404,
            "https://blog.example/gone-for-good",
            (Hop("https://blog.example/gone", 301), Hop("https://blog.example/gone-for-good", 404)),
            "answered 404 Not Found",
            archive_url="https://web.archive.org/web/2024/https://blog.example/gone",
        ),
        page=PageMeta(
            title=HOSTILE_TITLE,
            title_source="title_tag",
            published="2024-05-01",
            date_source="heuristic",
            from_archive=True,
        ),
        checks=Checks(
            title=CheckResult("match", "titles agree", score=100.0, source="archive"),
            date=CheckResult("unknown", "cited only a year", source="archive"),
        ),
        rating=Rating(None, 4, flags=("user_generated",), matched_by="domain", rule="blog.example"),
        score=Score(20, (ScorePart("link", -50.0, "dead link"), ScorePart("tier", -30.0, "t4"))),
    )
    c3 = Citation(
        id="fn-3",
        kind=CitationKind.FOOTNOTE,
        marker="3",
        uses=(
            Use(5, 70, 'According to the Northern Ledger, the port "will double its capacity".'),
        ),
        reference=Reference(
            raw=f"Northern Ledger. {HOSTILE_URL}",
            outlet="Northern Ledger",
            url=HOSTILE_URL,
        ),
        entry_line=12,
        entry_column=1,
    )
    a3 = AuditedCitation(
        citation=c3,
        link=LinkResult(LinkVerdict.INVALID_URL, None, None, (), "not an http(s) address"),
        rating=Rating("Northern Ledger", 1, matched_by="alias", rule="Northern Ledger"),
        score=Score(40, (ScorePart("link", -60.0, "invalid URL"),)),
    )
    c4 = Citation(
        id="fn-4",
        kind=CitationKind.FOOTNOTE,
        marker="4",
        uses=(Use(5, 120, f"though one post {HOSTILE_ATTR} claimed otherwise."),),
        reference=Reference(
            raw="https://social.example/post/1", url="https://social.example/post/1"
        ),
        entry_line=13,
        entry_column=1,
    )
    a4 = AuditedCitation(
        citation=c4,
        link=LinkResult(LinkVerdict.BLOCKED, 403, "https://social.example/post/1", (), "403"),
        rating=Rating(None, None),
        score=Score(60),
    )
    attr = Citation(
        id="attr-1",
        kind=CitationKind.ATTRIBUTION,
        marker=None,
        uses=(Use(5, 14, "According to the Northern Ledger, ..."),),
        reference=Reference(raw="the Northern Ledger", outlet="Northern Ledger"),
    )
    a5 = AuditedCitation(
        citation=attr,
        link=LinkResult(LinkVerdict.NOT_CHECKED, None, None, (), "no URL"),
        rating=Rating("Northern Ledger", 1, matched_by="alias", rule="Northern Ledger"),
    )
    findings = (
        registry.finding(
            "dead-link",
            "https://blog.example/gone answered 404 Not Found",
            line=11,
            column=40,
            citation="fn-2",
            suggestion="https://web.archive.org/web/2024/https://blog.example/gone",
        ),
        registry.finding(
            "low-tier-source", "blog.example is tier 4", line=11, column=1, citation="fn-2"
        ),
        registry.finding(
            "invalid-url", f"not a web address: {HOSTILE_URL}", line=12, column=18, citation="fn-3"
        ),
        registry.finding(
            "blocked-link",
            "social.example refused: 403, with a, comma: and\nnewline %",
            line=13,
            column=1,
            citation="fn-4",
        ),
        registry.finding(
            "unlinked-attribution",
            "Northern Ledger is named but not linked",
            line=5,
            column=14,
            citation="attr-1",
        ),
        registry.finding("marker-without-entry", "marker ⁹ has no notes entry", line=7, column=15),
        registry.finding("unsourced-figure", f"figure with no source {HOSTILE_TITLE}", line=None),
    )
    doc = ExtractedDocument(
        path=FIRST_PATH,
        fmt=DocFormat.MARKDOWN,
        title=f"Harbour exports {HOSTILE_TITLE}",
        date="2025-04-01",
        author="A. Writer",
        citations=(c1, c2, c3, c4, attr),
        ignored_links=(
            IgnoredLink("https://social.example/share?u=1", 15, "share link"),
            IgnoredLink(f"https://bio.example/{HOSTILE_ATTR}", 16, "author bio"),
        ),
        paragraphs=paragraphs,
        suppressions=((13, "LNK003"),),
    )
    return DocumentReport(
        document=doc,
        citations=(a1, a2, a3, a4, a5),
        findings=findings,
        score=Score(58, (ScorePart("citations", -42.0, "mean of citation scores"),)),
    )


def _second_document() -> DocumentReport:
    c1 = Citation(
        id="inline-1",
        kind=CitationKind.INLINE,
        marker=None,
        uses=(Use(2, 10, "See the survey for details."),),
        reference=Reference(raw="https://survey.example/2025", url="https://survey.example/2025"),
        entry_line=2,
        entry_column=10,
    )
    a1 = AuditedCitation(
        citation=c1,
        link=LinkResult(
            LinkVerdict.REDIRECTED,
            200,
            "https://survey.example/results/2025",
            (Hop("https://survey.example/2025", 301),),
            "moved permanently",
        ),
        page=PageMeta(title="Survey results 2025", title_source="h1"),
        rating=Rating("Survey Org", 3, matched_by="host", rule="survey.example"),
        score=Score(75, (ScorePart("link", -10.0, "moved"), ScorePart("tier", -15.0, "tier 3"))),
    )
    text = "See the survey for details."
    doc = ExtractedDocument(
        path=SECOND_PATH,
        fmt=DocFormat.MARKDOWN,
        title=None,
        date=None,
        author=None,
        citations=(c1,),
        ignored_links=(),
        paragraphs=(_para(2, text, [("the survey", "inline-1")]),),
    )
    findings = (
        registry.finding(
            "moved-link",
            "moved to https://survey.example/results/2025",
            line=2,
            column=10,
            citation="inline-1",
            suggestion="https://survey.example/results/2025",
        ),
    )
    return DocumentReport(document=doc, citations=(a1,), findings=findings, score=Score(75))


def make_report(*, documents: int = 2) -> Report:
    """A deterministic Report of one or two documents (fixed clock and version)."""
    docs = (_first_document(), _second_document())[:documents]
    return Report(
        documents=docs,
        tool_version=TOOL_VERSION,
        generated_at=GENERATED_AT,
        notes=(f"cache unavailable {HOSTILE_TITLE}",),
    )


def empty_report() -> Report:
    """A run over one document with no citations at all."""
    doc = ExtractedDocument(
        path="empty.txt",
        fmt=DocFormat.TEXT,
        title=None,
        date=None,
        author=None,
        citations=(),
        ignored_links=(),
        paragraphs=(),
    )
    return Report(
        documents=(DocumentReport(document=doc, citations=(), findings=()),),
        tool_version=TOOL_VERSION,
        generated_at=GENERATED_AT,
    )


def all_findings(report: Report) -> list[Finding]:
    """Every finding of every document, in order."""
    return [f for d in report.documents for f in d.findings]


def count(report: Report, severity: Severity) -> int:
    """How many findings of one severity the report holds."""
    return sum(1 for f in all_findings(report) if f.severity is severity)
