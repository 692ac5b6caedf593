"""WordPress HTML → Dossier Markdown, checked through Dossier's own renderer."""

from __future__ import annotations

import pytest

from articles.rendering import render_body
from wordpress.convert import html_to_markdown, html_to_text


def rendered(html: str, **kwargs) -> str:
    markdown = html_to_markdown(html, **kwargs).markdown
    return render_body(markdown, resolve_article=lambda ref: None).html


def test_classic_editor_blank_lines_are_paragraphs_and_newlines_are_breaks():
    markdown = html_to_markdown("One\n\nTwo\nstill two\n- not a list").markdown

    assert markdown == "One\n\nTwo\\\nstill two\\\n\\- not a list\n"


def test_block_editor_markup_converts_to_the_same_html():
    html = rendered(
        "<!-- wp:heading --><h2>Routes</h2><!-- /wp:heading -->\n"
        "<p>Ships <strong>doubled</strong>, <em>ports</em> <del>slowed</del>.</p>\n"
        '<ol start="3"><li>Aktau</li><li>Baku<ul><li>East quay</li></ul></li></ol>\n'
        "<blockquote><p>Full until June.</p></blockquote><hr>"
    )

    assert '<h2 id="routes">Routes</h2>' in html
    assert "<strong>doubled</strong>" in html and "<em>ports</em>" in html
    assert "<s>slowed</s>" in html
    assert '<ol start="3">' in html and "<li>East quay</li>" in html
    assert "<blockquote>\n<p>Full until June.</p>\n</blockquote>" in html
    assert "<hr>" in html


def test_links_keep_web_and_mail_addresses_only():
    markdown = html_to_markdown(
        '<p><a href="https://example.org/a (b)" title="T">web</a> '
        '<a href="mailto:desk@example.org">mail</a> <a href="javascript:alert(1)">js</a> '
        '<a href="data:text/html,x">data</a></p>'
    ).markdown

    assert '[web](https://example.org/a%20%28b%29 "T")' in markdown
    assert "[mail](mailto:desk@example.org)" in markdown
    assert "js data" in markdown


def test_code_keeps_its_text_and_language():
    markdown = html_to_markdown(
        '<p>Use <code>a*b</code>.</p><pre><code class="language-sql">SELECT `x`\n  FROM t;'
        "</code></pre>"
    ).markdown

    assert "`a*b`" in markdown
    assert "```sql\nSELECT `x`\n  FROM t;\n```" in markdown


def test_images_use_the_resolver_and_are_dropped_with_a_note_when_missing():
    converted = html_to_markdown(
        '<p><img src="https://site.example/a.png" alt="A"><img src="https://site.example/b.png">'
        "</p>",
        resolve_image=lambda src: "/media/a.png" if src.endswith("a.png") else None,
    )

    assert "![A](/media/a.png)" in converted.markdown
    assert "b.png" not in converted.markdown
    assert any("b.png was left out" in note for note in converted.notes)


def test_caption_shortcode_becomes_image_and_caption_and_other_shortcodes_are_noted():
    converted = html_to_markdown(
        '[caption id="x"]<img src="https://e.example/p.jpg" alt="P"> The port.[/caption]'
        '\n\n[gallery ids="1,2"]\n\n[sic] stays'
    )

    assert "![P](https://e.example/p.jpg)\n\n*The port.*" in converted.markdown
    assert "gallery" not in converted.markdown
    assert "\\[sic\\] stays" in converted.markdown
    assert converted.notes == ["The [gallery] shortcode was left out: Dossier has no equivalent."]


def test_tables_become_markdown_tables():
    html = rendered(
        "<table><thead><tr><th>Port</th><th>Fee</th></tr></thead>"
        "<tbody><tr><td>Aktau</td><td>4 | 5</td></tr></tbody></table>"
    )

    assert "<th>Port</th>" in html and "<td>4 | 5</td>" in html


@pytest.mark.parametrize(
    "text",
    ["*not emphasis*", "# not a heading", "[[quote:x]]", "::: warning", "1. one", "<b>x</b>",
     "&amp;copy;", "[a](article:b)"],
)  # fmt: skip
def test_text_that_looks_like_markdown_stays_text(text):
    from html import escape

    html = rendered(f"<p>{escape(text)}</p>")

    assert html == f"<p>{escape(text, quote=False)}</p>\n"


def test_scripts_styles_and_forms_are_left_out_with_notes_and_embeds_become_links():
    converted = html_to_markdown(
        "<p>Kept</p><script>alert(1)</script><style>p{}</style><form><input></form>"
        '<iframe src="https://video.example/1"></iframe><iframe src="javascript:x"></iframe>'
    )

    assert converted.markdown == ("Kept\n\n[https://video.example/1](https://video.example/1)\n")
    assert "A <script> element was left out." in converted.notes
    assert "An embedded <iframe> with no web address was left out." in converted.notes


def test_html_to_text_keeps_paragraphs_and_drops_scripts():
    assert html_to_text("<p>Hi <b>you</b></p><p>two<br>x</p><script>x</script>") == (
        "Hi you\n\ntwo\nx"
    )


def test_each_list_is_written_once_however_deep_lists_nest(monkeypatch):
    from wordpress import convert

    calls = []
    written = convert._Converter.list

    def counting(self, node):
        calls.append(node.tag)
        return written(self, node)

    monkeypatch.setattr(convert._Converter, "list", counting)

    markdown = html_to_markdown("<ul><li>a" * 8 + "</li></ul>" * 8).markdown

    assert len(calls) == 8  # writing a list twice per level made depth 30 take hours
    assert markdown.rstrip().endswith("- a")


def test_markup_nested_beyond_reason_is_flattened_quickly():
    markdown = html_to_markdown("<blockquote>" * 500 + "deep" + "</blockquote>" * 500).markdown

    assert markdown.count(">") <= 101
    assert markdown.rstrip().endswith("deep")


@pytest.mark.parametrize(
    "body",
    ['<a href="' * 30000, "<!--" * 50000, "[caption]" * 30000, "[gallery" * 30000, "<a" * 100000],
    ids=["unclosed-attributes", "unclosed-comments", "unclosed-captions", "unclosed-shortcodes",
         "unclosed-tags"],
)  # fmt: skip
def test_pathological_markup_converts_in_linear_time(body):
    """Each took minutes before (Python's HTMLParser and ".*?" between shortcodes rescan the
    rest of the text at every opener); now well under a second. The bound is generous so a
    slow machine does not fail it, and far below what a quadratic pass needs."""
    import time

    started = time.monotonic()
    html_to_markdown(body)

    assert time.monotonic() - started < 10
