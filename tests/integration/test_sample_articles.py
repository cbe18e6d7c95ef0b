"""The plain-text loader on the five sample articles in ../shared/articles (read, never copied)."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.extract.clutter import BIO, EMAIL
from audit.extract.plaintext import extract_text
from audit.model import CitationKind, ExtractedDocument


def _repo_root() -> Path:
    here = Path(__file__).resolve()
    return next(p for p in here.parents if (p / "pyproject.toml").is_file())


ARTICLES = _repo_root() / ".." / "shared" / "articles"

pytestmark = pytest.mark.skipif(not ARTICLES.is_dir(), reason="sample articles not present")


def load(name: str) -> ExtractedDocument:
    path = ARTICLES / name
    return extract_text(str(path), path.read_text(encoding="utf-8"), ())


def kinds(doc: ExtractedDocument) -> list[CitationKind]:
    return [c.kind for c in doc.citations]


def test_tianjin_footnotes() -> None:
    doc = load("tianjin-subordination.txt")
    footnotes = [c for c in doc.citations if c.kind is CitationKind.FOOTNOTE]
    assert len(footnotes) == 9
    assert len(doc.citations) == 9  # nothing else: bio links and comments are not citations
    assert not doc.notes_numbered
    for c in footnotes:
        ref = c.reference
        assert ref.outlet and ref.title and ref.url, c.id
        assert ref.date or ref.accessed, c.id
    first = footnotes[0]
    assert first.marker == "1"
    assert len({u.line for u in first.uses}) == 3
    assert first.reference.outlet == "Reuters" and first.reference.date == "2025-07-11"
    wiki = footnotes[4]
    assert wiki.reference.outlet == "Wikipedia"
    assert wiki.reference.accessed == "2025-07" and wiki.reference.date is None
    assert footnotes[8].uses == ()  # entry 9 is never cited
    assert all(len(c.uses) >= 1 for c in footnotes[:8])
    assert sorted({m.label for m in doc.markers}) == [str(n) for n in range(1, 9)]
    bio = [i for i in doc.ignored_links if i.reason == BIO]
    assert len(bio) == 9
    assert len(doc.ignored_links) == 9


def test_if_china_moves_one_attribution() -> None:
    doc = load("if-china-moves.txt")
    assert kinds(doc) == [CitationKind.ATTRIBUTION]
    assert doc.citations[0].reference.outlet == "The New York Times"
    assert doc.citations[0].uses[0].context.startswith("According to The New York Times")
    assert doc.title == "If China moves, Russia falls"
    assert all("ADVERTISEMENT" not in p.text for p in doc.paragraphs)


def test_less_than_meets_the_eye_provenance() -> None:
    doc = load("less-than-meets-the-eye.txt")
    assert kinds(doc) == [CitationKind.PROVENANCE]
    url = doc.citations[0].reference.url
    assert url is not None and url.startswith("https://asiatimes.com/2025/09/")
    assert doc.ignored_links == ()


def test_roast_duck_has_no_citations() -> None:
    doc = load("roast-duck.txt")
    assert doc.citations == ()
    assert doc.markers == ()
    assert doc.title is None  # the first lines are a login banner, not a headline
    assert all("Member Login" not in p.text for p in doc.paragraphs)


def test_beijing_moscow_attributions_and_email() -> None:
    doc = load("beijing-moscow-axis.txt")
    assert kinds(doc) == [CitationKind.ATTRIBUTION, CitationKind.ATTRIBUTION]
    scmp, fa = doc.citations
    assert scmp.reference.outlet == "South China Morning Post"
    # Both Foreign Affairs essays are one attribution citation with two uses (one per mention).
    assert fa.reference.outlet == "Foreign Affairs"
    assert len(fa.uses) == 2 and fa.uses[0].line < fa.uses[1].line
    assert [(i.reason, "@" in i.url) for i in doc.ignored_links] == [(EMAIL, True)]
