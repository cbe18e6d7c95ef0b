"""digest(): decoding, structured probes, PDFs, other types and hostile input."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfWriter

from audit.meta import decode_body, digest
from audit.meta.pdf import pdf_date
from audit.meta.structured import normalize_date, url_date
from audit.meta.title import strip_site_suffix

URL = "https://news.example/story"


def _digest(html: str | bytes, ctype: str | None = "text/html", headers=None, url: str = URL):
    body = html.encode("utf-8") if isinstance(html, str) else html
    return digest(url, url, ctype, body, headers or {})


def test_jsonld_graph_in_list_and_modified_date_with_zone() -> None:
    page = """<html><head><script type="application/ld+json">
    [{"@context": "https://schema.org", "@graph": [
      {"@type": "WebSite", "name": "Harbour Times"},
      {"@type": ["NewsArticle"], "headline": "Dredging halted after storm",
       "datePublished": "2025-07-11T23:30:00-05:00", "dateModified": "2025-07-12T08:00:00-05:00",
       "isAccessibleForFree": "False"}]}]
    </script></head><body><p>x</p></body></html>"""
    meta, _ = _digest(page)
    assert meta is not None
    assert meta.title == "Dredging halted after storm"
    assert meta.title_source == "json_ld"
    assert meta.site_name == "Harbour Times"
    assert meta.published == "2025-07-11T23:30:00-05:00"
    assert meta.modified == "2025-07-12T08:00:00-05:00"
    assert meta.date_source == "json_ld"
    assert meta.free_to_read is False


def test_broken_jsonld_falls_back_to_meta_tags() -> None:
    page = """<html><head><script type="application/ld+json">{"headline": "oops",,}</script>
    <meta name="parsely-pub-date" content="2024-02-03T10:00:00Z">
    <title>Ferry deal signed | Island Post</title></head><body></body></html>"""
    meta, _ = _digest(page)
    assert meta is not None
    assert meta.title == "Ferry deal signed"
    assert meta.published == "2024-02-03T10:00:00+00:00"
    assert meta.date_source == "meta"


def test_time_inside_related_list_is_not_the_page_date() -> None:
    page = """<html><head><title>Vote delayed</title></head><body><article><h1>Vote delayed</h1>
    <p>Text of the story.</p></article><aside class="related"><time datetime="2021-01-01">old</time>
    </aside></body></html>"""
    meta, _ = _digest(page, url="https://news.example/2025/07/11/vote-delayed")
    assert meta is not None
    assert meta.published == "2025-07-11"
    assert meta.date_source == "url"


def test_shift_jis_declared_only_in_meta() -> None:
    html = (
        '<html><head><meta charset="shift_jis"><title>港湾の採決を延期</title></head>'
        "<body><p>本文です。</p></body></html>"
    )
    meta, text = _digest(html.encode("shift_jis"), headers={"Content-Type": "text/html"})
    assert meta is not None and meta.title == "港湾の採決を延期"
    assert text == "本文です。"


def test_header_charset_wins_over_meta() -> None:
    html = '<html><head><meta charset="utf-8"><title>Привет мир</title></head></html>'
    meta, _ = _digest(
        html.encode("cp1251"), headers={"content-type": "text/html; charset=windows-1251"}
    )
    assert meta is not None and meta.title == "Привет мир"


def test_undeclared_bad_bytes_decode_with_replacement() -> None:
    assert decode_body(b"caf\xe9 ok") == "caf\ufffd ok"
    assert decode_body(b'<meta charset="no-such-charset">x') == '<meta charset="no-such-charset">x'


def test_huge_title_is_capped() -> None:
    meta, _ = _digest("<html><head><title>" + "word " * 400_000 + "</title></head></html>")
    assert meta is not None and meta.title is not None
    assert len(meta.title) <= 1000


def test_non_html_types_are_unknowns() -> None:
    meta, text = _digest(b"\x89PNG\r\n\x1a\n\x00\x00", ctype="image/png")
    assert meta is not None
    assert meta.content_type == "image/png"
    assert meta.title is None and meta.published is None and text is None


def test_pdf_document_information() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata(
        {"/Title": "Annual report on harbour dredging", "/CreationDate": "D:20250711083200+01'00'"}
    )
    buf = io.BytesIO()
    writer.write(buf)
    meta, _ = _digest(buf.getvalue(), ctype="application/pdf")
    assert meta is not None
    assert meta.title == "Annual report on harbour dredging"
    assert meta.title_source == "pdf"
    assert meta.published == "2025-07-11T08:32:00+01:00"
    assert meta.date_source == "pdf"


def test_pdf_sniffed_without_content_type_and_broken_pdf_is_unknown() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    buf = io.BytesIO()
    writer.write(buf)
    meta, _ = _digest(buf.getvalue(), ctype=None)
    assert meta is not None and meta.title is None
    meta, text = _digest(b"%PDF-1.7\n garbage that is not a pdf", ctype="application/pdf")
    assert meta is not None and meta.title is None and text is None


def test_pdf_dates() -> None:
    assert pdf_date("D:20240102") == "2024-01-02"
    assert pdf_date("D:20240102030405Z") == "2024-01-02T03:04:05+00:00"
    assert pdf_date("garbage") is None


def test_date_normalisation_keeps_zones_and_drops_junk() -> None:
    assert normalize_date("2025-07-11T08:32:00Z") == "2025-07-11T08:32:00+00:00"
    assert normalize_date("Fri, 11 Jul 2025 08:32:00 +0200") == "2025-07-11T08:32:00+02:00"
    assert normalize_date("0001-01-01") is None
    assert normalize_date("next tuesday") is None
    assert normalize_date(20250711) is None


def test_url_dates() -> None:
    assert url_date("https://x.example/2025/07/11/story") == "2025-07-11"
    assert url_date("https://x.example/news/story-20250520-fees") == "2025-05-20"
    assert url_date("https://x.example/2025/06/story/") == "2025-06"
    assert url_date("https://x.example/2025/13/40/story") is None
    assert url_date("https://x.example/article/12345678901") is None


def test_site_suffix_stripping() -> None:
    assert strip_site_suffix("Talks stall - BBC News", ["BBC News"]) == "Talks stall"
    assert strip_site_suffix("Reuters | Talks stall", ["Reuters"]) == "Talks stall"
    assert strip_site_suffix("Talks stall | World news | The Guardian") == "Talks stall"
    assert strip_site_suffix("Talks stall – Valley Courier") == "Talks stall"
    # Half a headline after a dash is not a site name.
    assert strip_site_suffix("Exports rise - but slowly") == "Exports rise - but slowly"


@settings(max_examples=60, deadline=2000)
@given(
    st.binary(max_size=3000), st.sampled_from(["text/html", None, "application/pdf", "text/plain"])
)
def test_digest_never_raises_on_bytes(body: bytes, ctype: str | None) -> None:
    meta, text = digest(URL, URL, ctype, body, {"Content-Type": ctype or ""})
    assert meta is not None
    assert text is None or isinstance(text, str)


@settings(max_examples=60, deadline=2000)
@given(st.text(max_size=2000))
def test_digest_never_raises_on_markup_like_text(fragment: str) -> None:
    page = (
        f'<html><head><script type="application/ld+json">{fragment}</script>'
        f"<title>{fragment}</title></head><body>"
        f'<time datetime="{fragment}">{fragment}</time><p>{fragment}</p></body></html>'
    )
    meta, _ = digest(URL, URL, "text/html", page.encode("utf-8", "surrogatepass"), {})
    assert meta is not None


def _by_text(body: bytes, headers: dict[str, str]) -> tuple[object, object]:
    # The page read the long way: decoded, then encoded again for lxml.
    from audit.meta import digest_html

    return digest_html(decode_body(body, headers), URL, "text/html")


PAGE_PARTS = st.sampled_from(
    [
        "<title>Caf\u00e9 prices</title>",
        '<meta property="og:title" content="Na\u00efve title">',
        '<meta charset="iso-8859-1">',
        '<time datetime="2024-05-01">1 May</time>',
        "<p>\u201cQuoted\u201d words \u2014 and an emoji \U0001f600</p>",
        "<p>A NUL \x00 inside</p>",
        "<p>\ufffd written on purpose</p>",
        "<p>plain ascii words</p>",
    ]
)


@settings(max_examples=80, deadline=2000)
@given(st.lists(PAGE_PARTS, max_size=6), st.binary(max_size=8), st.sampled_from(["", "utf-8"]))
def test_utf8_bodies_handed_over_as_bytes_give_what_decoding_gives(
    parts: list[str], noise: bytes, charset: str
) -> None:
    # A UTF-8 body goes to lxml as fetched, without decoding and encoding it again; a body that
    # is not clean UTF-8 (the random noise) takes the long way. Either way the answer is the same.
    body = ("<html><head>" + "".join(parts) + "</head><body>").encode() + noise + b"</body></html>"
    headers = {"content-type": f"text/html; charset={charset}" if charset else "text/html"}
    assert digest(URL, URL, "text/html", body, headers) == _by_text(body, headers)


def test_a_title_that_ends_with_the_hosts_name_gives_the_site_name() -> None:
    from audit.checks.verify import check_outlet
    from audit.meta.title import site_suffix

    page = "<html><head><title>Harbour plan approved | Example Gazette</title></head></html>"
    meta, _ = _digest(page, url="https://www.examplegazette.example/news/harbour")
    assert (meta.site_name, meta.site_name_source) == ("Example Gazette", "title_tag")
    assert meta.title == "Harbour plan approved"
    assert check_outlet("Example Gazette", None, meta).verdict == "match"
    assert check_outlet("Reuters", None, meta).verdict == "mismatch"
    # A section's name, or a host that spells neither: no site name from the title.
    assert _digest(page, url="https://news.example/harbour")[0].site_name is None
    assert (
        site_suffix("Harbour plan approved | Politics", "https://examplegazette.example/a") is None
    )
    assert site_suffix("Rail strike called off - BBC News", "https://www.bbc.co.uk/n") == "BBC News"
    assert site_suffix("Gazette | Example Gazette", "https://examplegazette.example/") is None
    # A declared name wins over the title's.
    declared = page.replace("</title>", '</title><meta property="og:site_name" content="EG">')
    assert _digest(declared, url="https://www.examplegazette.example/n")[0].site_name == "EG"
