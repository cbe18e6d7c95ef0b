"""Credentials in URLs are masked in reports, length kept (audit.redact)."""

from __future__ import annotations

import pytest
from growth import assert_linear

from audit.model import LinkResult, LinkVerdict, Report
from audit.redact import redact, redact_credentials


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see http://user:pw@host.example/a", "see http://*******@host.example/a"),
        ("https://TOKEN@github.com/x", "https://*****@github.com/x"),
        ("mailto:someone@example.org", "mailto:someone@example.org"),
        ("http://example.org/path@handle", "http://example.org/path@handle"),
        ("http://a.example/ then b@c.example", "http://a.example/ then b@c.example"),
        ("no url at all", "no url at all"),
    ],
)
def test_user_info_is_masked_and_nothing_else(text: str, expected: str) -> None:
    assert redact_credentials(text) == expected
    assert len(redact_credentials(text)) == len(text)


def test_a_megabyte_without_spaces_is_scanned_quickly() -> None:
    assert_linear(redact_credentials, lambda n: "a" * n + "://@", 1_000_000)
    assert_linear(redact_credentials, lambda n: "://a" * (n // 4) + "@", 1_000_000)


def test_a_report_is_masked_throughout_and_enums_survive() -> None:
    link = LinkResult(LinkVerdict.OK, 200, "http://u:p@h.example/", (), "fine")
    report = Report(documents=(), tool_version="x", generated_at="t", notes=("http://u:p@h/",))
    assert redact(link).final_url == "http://***@h.example/"
    assert redact(link).verdict is LinkVerdict.OK
    assert redact(report).notes == ("http://***@h/",)


def test_a_citation_held_twice_in_a_report_is_masked_in_both_places() -> None:
    from audit.pipeline import AuditOptions, audit_text

    article = "# Note\n\nAs reported [here](https://editor:s3cret@news.example/story).\n"
    report = audit_text(article, "markdown", AuditOptions(offline=True))
    doc = report.documents[0]
    masked = "https://" + "*" * len("editor:s3cret") + "@news.example/story"
    for citation in (doc.document.citations[0], doc.citations[0].citation):
        assert citation.reference.url == masked
    assert "s3cret" not in repr(report)


def test_a_value_without_an_at_sign_comes_back_as_it_is_and_is_remembered() -> None:
    from audit.redact import Redactor

    clean = LinkResult(LinkVerdict.OK, 200, "https://news.example/story", (), "fine")
    redactor = Redactor()
    assert redactor(clean) is clean
    # A report holding it is masked around it, and it is looked up, not walked again.
    report = Report(documents=(), tool_version="x", generated_at="t", notes=("http://u:p@h/",))
    assert redactor(report).notes == ("http://***@h/",)
    assert redactor(clean) is clean


def test_values_orjson_cannot_write_are_still_masked() -> None:
    # A lone surrogate (a broken paste) makes orjson refuse the value; the walk takes over.
    link = LinkResult(LinkVerdict.OK, 200, "http://u:p@h.example/\ud800", (), "fine")
    assert redact(link).final_url == "http://***@h.example/\ud800"
    # An "@" that is not in a URL's user-info is left alone.
    mail = LinkResult(LinkVerdict.OK, 200, "https://h.example/", (), "write to desk@h.example")
    assert redact(mail).reason == "write to desk@h.example"


def test_an_offline_report_is_masked_everywhere_a_credential_could_show() -> None:
    # Offline, citations are audited when the report is built, not during a fetch; each is
    # redacted as it is made, and nothing of the password may reach any part of the report:
    # the citation, its reference and the insecure-link finding's message.
    from audit.pipeline import AuditOptions, audit_text
    from audit.render.json import render_json

    article = (
        "# Note\n\nAs reported [here](http://editor:s3cret@news.example/story) and "
        "[there](https://news.example/other).\n"
    )
    report = audit_text(article, "markdown", AuditOptions(offline=True))
    rendered = render_json(report)
    assert "s3cret" not in rendered
    assert "editor:" not in rendered
    doc = report.documents[0]
    assert doc.citations[1].citation.reference.url == "https://news.example/other"
    masked = "http://" + "*" * len("editor:s3cret") + "@news.example/story"
    insecure = [f.message for f in doc.findings if f.rule == "insecure-link"]
    assert insecure == [f"inline-1 uses http://: {masked}"]
