"""Property tests for every parser, the fuzz regression inputs, and growth on hostile strings.

Parsers covered: the footnote-marker scanner, the notes-section finder, the reference-string parser,
URL finding and normalisation, page metadata (`audit.meta.digest`), input decoding, and the three
loaders behind `audit.extract.extract`. Hypothesis runs with its deadline on and a modest number of
examples; each property is one a user would check by hand ("the URL I wrote is the URL it found").
All inputs are generated here or are the minimised fuzz inputs in tests/fixtures/fuzz/.
"""

from __future__ import annotations

import importlib.util
import string
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.documents import decode
from audit.errors import DocumentError
from audit.extract import extract
from audit.extract.markers import scan_markers, split_stacked, to_ascii_digits
from audit.extract.plaintext import find_notes_section
from audit.extract.refstring import parse_reference
from audit.meta import digest
from audit.model import DocFormat
from audit.urls import cache_key, find_urls, normalize_url, validate_url

REPO = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())
FUZZ_INPUTS = REPO / "tests" / "fixtures" / "fuzz"

FAST = settings(max_examples=80, deadline=1000)
LOADERS = settings(max_examples=40, deadline=3000, suppress_health_check=[HealthCheck.too_slow])


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


fuzz_target = _load("citeaudit_fuzz_extract", REPO / "fuzz" / "fuzz_extract.py")
scaling = _load("citeaudit_scanner_scaling", REPO / "bench" / "scanner_scaling.py")

# -- building blocks ------------------------------------------------------------------------------

WORDS = st.sampled_from(
    [
        "the",
        "port",
        "handled",
        "cargo",
        "officials",
        "said",
        "report",
        "shipping",
        "rose",
        "ministry",
    ]
)
SENTENCE = st.lists(WORDS, min_size=3, max_size=10).map(lambda ws: " ".join(ws).capitalize())
LABEL = st.integers(min_value=1, max_value=300)
NAME = st.text(alphabet=string.ascii_lowercase, min_size=2, max_size=8).map(str.capitalize)
HOST = st.lists(
    st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=10),
    min_size=1,
    max_size=3,
).map(lambda labels: ".".join([*labels, "example"]))
# A URL's trailing "_" is read as Markdown emphasis around it, so no segment ends with one.
SEGMENT = st.text(
    alphabet=string.ascii_letters + string.digits + "-_~", min_size=1, max_size=12
).filter(lambda s: not s.endswith("_"))
URL = st.builds(
    lambda scheme, host, segments: f"{scheme}://{host}/" + "/".join(segments),
    st.sampled_from(["http", "https"]),
    HOST,
    st.lists(SEGMENT, max_size=4),
)
TITLE = st.lists(NAME, min_size=2, max_size=6).map(" ".join)
OUTLET = st.lists(NAME, min_size=1, max_size=3).map(lambda ws: " ".join([*ws, "Wire"]))
MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
DAY = st.tuples(
    st.integers(min_value=1990, max_value=2030),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=28),
)
ANY_TEXT = st.text(max_size=400)
MARKUPISH = st.text(alphabet="<>/=\"' &#;[]^()*_`!:.-\n abcdhilprstu0123456789¹²³", max_size=300)


# -- footnote markers ----------------------------------------------------------------------------


@FAST
@given(st.one_of(ANY_TEXT, MARKUPISH))
def test_markers_are_real_spans_of_the_text(text: str) -> None:
    found = scan_markers(text)
    assert found == sorted(found, key=lambda m: (m.start, m.end))
    for m in found:
        assert 0 <= m.start < m.end <= len(text)
        span = text[m.start : m.end]
        assert m.label
        if m.style == "superscript":
            assert to_ascii_digits(span) == m.label
        elif m.style == "caret":
            assert span == f"[^{m.label}]"
        else:  # a bracket marker's digits are inside its span (a range item "3–5" gives 3, 4, 5)
            assert m.label.isdigit()


@FAST
@given(
    st.lists(st.tuples(SENTENCE, LABEL, st.sampled_from(["bracket", "superscript"])), max_size=8)
)
def test_markers_written_after_sentences_are_all_found(items: list[tuple[str, int, str]]) -> None:
    pieces, expected = [], []
    supers = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
    for sentence, label, style in items:
        marker = f"[{label}]" if style == "bracket" else str(label).translate(supers)
        pieces.append(f"{sentence}.{marker}")
        expected.append(str(label))
    text = "Title\n\n" + " ".join(pieces) + "\n"
    assert [m.label for m in scan_markers(text)] == expected


@FAST
@given(
    st.text(alphabet="0123456789", min_size=1, max_size=14),
    st.sets(LABEL.map(str), max_size=30),
)
def test_split_stacked_never_loses_or_invents_digits(label: str, known: set[str]) -> None:
    parts = split_stacked(label, known)
    assert "".join(parts) == label
    assert parts == [label] or all(p in known for p in parts)


# -- notes sections -------------------------------------------------------------------------------

ENTRY_FORMS = st.sampled_from(["{n}. {ref}", "[{n}] {ref}", "{n}) {ref}"])


@FAST
@given(
    st.lists(SENTENCE, min_size=1, max_size=5),
    st.sampled_from(["Notes", "Footnotes", "References", "Sources", "Endnotes", "NOTES:"]),
    ENTRY_FORMS,
    st.lists(st.tuples(OUTLET, TITLE, URL), min_size=1, max_size=8),
)
def test_a_notes_section_gives_every_entry_and_url(
    body: list[str], heading: str, form: str, refs: list[tuple[str, str, str]]
) -> None:
    entries = [
        form.format(n=n, ref=f"{outlet}, “{title},” 2024, {url}")
        for n, (outlet, title, url) in enumerate(refs, start=1)
    ]
    lines = ["Headline", "", *body, "", heading, *entries]
    section = find_notes_section(lines)
    assert section is not None
    assert section.heading == lines.index(heading)
    assert [e.label for e in section.entries] == [str(n) for n in range(1, len(refs) + 1)]
    for entry, (_, _, url) in zip(section.entries, refs, strict=True):
        assert parse_reference(entry.raw).url == url


@FAST
@given(st.lists(st.one_of(ANY_TEXT, SENTENCE), max_size=12))
def test_notes_finder_indexes_stay_inside_the_lines(lines: list[str]) -> None:
    lines = [line.replace("\n", " ") for line in lines]
    section = find_notes_section(lines)
    if section is not None:
        assert section.end <= len(lines)
        for entry in section.entries:
            assert 0 <= entry.index < len(lines)
            assert entry.raw.strip() in lines[entry.index]


# -- reference strings ----------------------------------------------------------------------------


@FAST
@given(OUTLET, TITLE, DAY, URL, st.sampled_from(["chicago", "mla", "dash"]))
def test_the_documented_reference_forms_round_trip(
    outlet: str, title: str, day: tuple[int, int, int], url: str, form: str
) -> None:
    y, m, d = day
    if form == "chicago":
        raw = f"{outlet}, “{title},” {MONTHS[m - 1]} {d}, {y}, {url}"
    elif form == "mla":
        raw = f'Roe, Jane. "{title}." {outlet}, {d} {MONTHS[m - 1]} {y}. {url}'
    else:
        raw = f"{title} - {outlet} ({y:04d}-{m:02d}-{d:02d}) {url}"
    ref = parse_reference(raw)
    assert (ref.outlet, ref.title, ref.date, ref.url) == (
        outlet,
        title,
        f"{y:04d}-{m:02d}-{d:02d}",
        url,
    )


@FAST
@given(st.one_of(ANY_TEXT, MARKUPISH))
def test_a_reference_keeps_its_raw_text_and_a_url_from_it(raw: str) -> None:
    ref = parse_reference(raw)
    assert ref.raw == raw.strip() or ref.raw in raw
    if ref.url is not None:
        assert ref.url in raw


# -- URLs ----------------------------------------------------------------------------------------


@FAST
@given(URL, st.sampled_from(["", ".", ",", ";", ")", "!", "?", "”", "'"]), SENTENCE)
def test_a_url_in_prose_is_found_exactly(url: str, after: str, sentence: str) -> None:
    text = f"{sentence} at {url}{after} and more."
    assert [u for _, _, u in find_urls(text)] == [url]


@FAST
@given(
    URL,
    st.lists(
        st.tuples(st.sampled_from(["utm_source", "utm_medium", "fbclid", "gclid"]), SEGMENT),
        max_size=3,
    ),
    st.lists(st.tuples(st.sampled_from(["id", "page", "q"]), SEGMENT), max_size=2),
)
def test_normalisation_is_idempotent_and_the_cache_key_drops_tracking(
    url: str, tracking: list[tuple[str, str]], keep: list[tuple[str, str]]
) -> None:
    def with_query(params: list[tuple[str, str]]) -> str:
        return url + ("?" + "&".join(f"{k}={v}" for k, v in params) if params else "")

    full = with_query([*keep, *tracking])
    once = normalize_url(full)
    assert normalize_url(once) == once
    assert validate_url(once) is None
    # The same page reached through a tracking link is the same cache entry.
    key = cache_key(full)
    assert key == cache_key(with_query(keep))
    assert not any(f"{k}=" in key for k, _ in tracking)


@FAST
@given(ANY_TEXT)
def test_url_helpers_never_raise_on_any_text(text: str) -> None:
    for start, end, url in find_urls(text):
        assert text[start:end] == url
        assert validate_url(url) is None or isinstance(validate_url(url), str)
        normalize_url(url)
        cache_key(url)


# -- page metadata -------------------------------------------------------------------------------


@FAST
@given(TITLE, DAY, st.sampled_from(["utf-8", "windows-1252", "utf-16"]))
def test_page_title_and_date_are_read_back(
    title: str, day: tuple[int, int, int], charset: str
) -> None:
    y, m, d = day
    iso = f"{y:04d}-{m:02d}-{d:02d}"
    page = (
        f'<html><head><meta charset="{charset}"><title>{title}</title>'
        f'<meta property="article:published_time" content="{iso}T09:00:00Z"></head>'
        f"<body><article><h1>{title}</h1><p>Text of the story.</p></article></body></html>"
    )
    meta, _text = digest(
        "https://site.example/a", "https://site.example/a", "text/html", page.encode(charset), {}
    )
    assert meta is not None
    assert meta.title == title
    assert meta.published is not None and meta.published.startswith(iso)


@FAST
@given(
    st.one_of(st.binary(max_size=600), MARKUPISH.map(str.encode)),
    st.sampled_from([None, "text/html", "text/html; charset=nope", "application/pdf", "image/png"]),
)
def test_page_metadata_never_raises_on_any_body(body: bytes, ctype: str | None) -> None:
    meta, text = digest("https://s.example/", "https://s.example/", ctype, body, {})
    assert meta is None or meta.title is None or len(meta.title) <= 2000
    assert text is None or isinstance(text, str)


# -- decoding input files ----------------------------------------------------------------------


@FAST
@given(st.binary(max_size=600))
def test_decoding_any_bytes_gives_text_or_a_document_error(data: bytes) -> None:
    try:
        text, encoding = decode(data, "f.txt")
    except DocumentError as exc:
        assert str(exc).startswith("f.txt: ")
        assert "\n" not in str(exc)
        return
    assert encoding in ("utf-8", "utf-8-sig", "utf-16", "cp1252")
    assert "\x00" not in text[:8192] or encoding == "utf-16"


@FAST
@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=300),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_unicode_text_round_trips_through_decoding(text: str, encoding: str) -> None:
    data = text.encode(encoding)
    if encoding == "utf-8" and data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return  # a leading U+FEFF written without a BOM reads as a BOM, as in every editor
    if encoding == "utf-8" and text.startswith(("%PDF-", "GIF8", "PK\x03\x04")):
        return  # starts with a binary format's signature
    assert decode(data, "f")[0] == text


# -- the three loaders ---------------------------------------------------------------------------


def _article(fmt: DocFormat, paragraphs: list[tuple[str, int]], refs: list[str]) -> str:
    if fmt is DocFormat.MARKDOWN:
        body = "\n\n".join(f"{s}.[^{n}]" for s, n in paragraphs)
        notes = "\n".join(f"[^{n}]: Example Wire, 2024, {u}" for n, u in enumerate(refs, 1))
        return f"# Headline\n\n{body}\n\n{notes}\n"
    if fmt is DocFormat.HTML:
        body = "".join(
            f'<p>{s}.<sup><a href="#fn{n}" id="ref{n}">{n}</a></sup></p>\n' for s, n in paragraphs
        )
        notes = "".join(
            f'<li id="fn{n}">Example Wire, 2024, <a href="{u}">{u}</a></li>\n'
            for n, u in enumerate(refs, 1)
        )
        return (
            "<html><head><title>Headline</title></head><body><article><h1>Headline</h1>\n"
            f'{body}<section class="footnotes"><ol>\n{notes}</ol></section>'
            "</article></body></html>\n"
        )
    body = "\n\n".join(f"{s}.[{n}]" for s, n in paragraphs)
    notes = "\n".join(f"{n}. Example Wire, 2024, {u}" for n, u in enumerate(refs, 1))
    return f"Headline\n\n{body}\n\nNotes\n{notes}\n"


@LOADERS
@given(
    st.sampled_from(list(DocFormat)),
    st.lists(URL, min_size=1, max_size=6, unique=True),
    st.data(),
)
def test_every_loader_finds_each_cited_note_and_its_url(
    fmt: DocFormat, refs: list[str], data: st.DataObject
) -> None:
    paragraphs = data.draw(
        st.lists(
            st.tuples(SENTENCE, st.integers(min_value=1, max_value=len(refs))),
            min_size=1,
            max_size=6,
        )
    )
    doc = extract("a", _article(fmt, paragraphs, refs), fmt, ())
    footnotes = {c.marker: c for c in doc.citations if c.kind.value == "footnote"}
    assert sorted(footnotes, key=int) == [str(n) for n in range(1, len(refs) + 1)]
    for n, url in enumerate(refs, 1):
        assert footnotes[str(n)].reference.url == url
    used = sorted(str(n) for _, n in paragraphs)
    assert sorted(u.label for u in doc.markers) == used
    for label, c in footnotes.items():
        assert len(c.uses) == used.count(label)


@LOADERS
@given(
    st.sampled_from([b"0", b"1", b"2"]),
    st.one_of(st.binary(max_size=300), MARKUPISH.map(str.encode)),
)
def test_every_loader_keeps_its_invariants_on_any_input(fmt: bytes, body: bytes) -> None:
    """The fuzz target's checks: no exception, unique ids, uses and marks inside the text."""
    fuzz_target.check(fmt + body)


# -- fuzz regression inputs ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", [pytest.param(p, id=p.stem) for p in sorted(FUZZ_INPUTS.glob("*.bin"))]
)
def test_fuzz_regression_inputs(path: Path) -> None:
    fuzz_target.check(path.read_bytes())


def test_the_regression_inputs_are_there() -> None:
    names = {p.name for p in FUZZ_INPUTS.glob("*.bin")}
    assert {"markdown-linkify-state-pos.bin", "html-char-ref-newline-shifts-lines.bin"} <= names


# -- growth on hostile strings ------------------------------------------------------------------


@pytest.mark.parametrize("scanner", sorted(scaling.SCANNERS))
def test_scanners_grow_linearly_on_hostile_strings(scanner: str) -> None:
    """8x the input must cost well under 24x the time (quadratic code would show ~64x).

    Best of three runs per size; a few milliseconds of slack keep timer noise on the tiniest
    inputs from counting. A complexity check, not a timing.
    """
    slow = []
    for name in scaling.HOSTILE:
        s = scaling.measure(scanner, name, base=2000, sizes=(1, 8))
        first, last = s.seconds
        if last > 24 * first + 0.003:
            slow.append(f"{name}: {first * 1000:.2f} ms -> {last * 1000:.2f} ms")
    assert not slow, slow
