"""DocumentBuilder: numbering, merging repeated uses, resolving markers to entries."""

from __future__ import annotations

from audit.extract.common import DocumentBuilder
from audit.model import CitationKind, DocFormat, Mark


def test_numbering_merging_and_resolution() -> None:
    b = DocumentBuilder("a.md", DocFormat.MARKDOWN)
    b.add_footnote("1", "Example Wire, “A story,” May 1, 2024, https://wire.example/a", 20, 1)
    b.add_footnote("2", "https://wire.example/b", 21, 1)
    m1 = b.add_marker_use("1", 3, 10, "First claim.")
    m9 = b.add_marker_use("9", 2, 5, "An orphan claim.")
    b.add_marker_use("1", 4, 2, "Second claim.")
    i1 = b.add_inline("https://site.example/x", 5, 1, "ctx", text="a link")
    i1again = b.add_inline("https://site.example/x", 6, 1, "ctx2")
    i2 = b.add_inline("https://site.example/y", 7, 1, "ctx3")
    a1 = b.add_attribution("Reuters", 8, 1, "Reuters reported it.", "Reuters reported")
    a1again = b.add_attribution("Reuters", 9, 1, "As Reuters said.", "Reuters said")
    p1 = b.add_provenance("Example Times: https://times.example/a", 10, 1, "Source: ...")
    b.add_ignored("https://x.com/me", 11, "author bio / social profile")
    b.add_ignored("https://x.com/me", 11, "author bio / social profile")
    b.add_paragraph(3, "First claim.¹ Orphan.⁹", [Mark(12, 13, m1), Mark(21, 22, m9)])
    doc = b.build("Title", "2025-01-01", "Author", notes_numbered=False)

    assert (m1, m9, i1, i1again, i2, a1, a1again, p1) == (
        "fn-1", "fn-9", "inline-1", "inline-1", "inline-2", "attr-1", "attr-1", "prov-1",
    )  # fmt: skip
    ids = [c.id for c in doc.citations]
    assert ids == ["fn-1", "fn-2", "inline-1", "inline-2", "prov-1", "attr-1"]
    cites = {c.id: c for c in doc.citations}
    assert [(u.line, u.column) for u in cites["fn-1"].uses] == [(3, 10), (4, 2)]
    assert cites["fn-2"].uses == ()
    assert cites["fn-1"].reference.outlet == "Example Wire"
    assert cites["fn-1"].kind is CitationKind.FOOTNOTE and cites["fn-1"].marker == "1"
    assert cites["inline-1"].reference.raw == "a link" and len(cites["inline-1"].uses) == 2
    assert cites["attr-1"].reference.outlet == "Reuters" and len(cites["attr-1"].uses) == 2
    assert cites["prov-1"].reference.url == "https://times.example/a"
    assert [(m.label, m.line) for m in doc.markers] == [("9", 2), ("1", 3), ("1", 4)]
    assert len(doc.ignored_links) == 1
    assert doc.paragraphs[0].marks == (Mark(12, 13, "fn-1"), Mark(21, 22, None))
    assert not doc.notes_numbered and doc.title == "Title" and doc.author == "Author"


def test_duplicate_entry_labels_get_distinct_ids() -> None:
    b = DocumentBuilder("a.txt", DocFormat.TEXT)
    assert b.add_footnote("3", "https://a.example/", 1, 1) == "fn-3"
    assert b.add_footnote("3", "https://b.example/", 2, 1) == "fn-3-2"
    b.add_marker_use("3", 1, 1, "claim")
    doc = b.build(None, None, None)
    assert [(c.id, c.marker, len(c.uses)) for c in doc.citations] == [
        ("fn-3", "3", 1),
        ("fn-3-2", "3", 0),
    ]
