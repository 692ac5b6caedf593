"""articles/rendering.py: Markdown in, sanitised HTML out; finish_body at display time."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import pytest
from django.conf import settings

from articles.rendering import finish_body, reading_minutes, render_body
from tests.factories import ExpertFactory, ExpertQuoteFactory

KNOWN = {"pillar": 7, "sidebar": 8}
CALLOUT_KINDS = list(settings.DOSSIER["CALLOUT_KINDS"].items())


def resolve(reference: str) -> int | None:
    return KNOWN.get(reference)


def render(source: str):
    return render_body(source, resolve_article=resolve)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def parse_tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.tags


def assert_harmless(html: str) -> None:
    """No script element, no event handler attribute, no javascript:/data: URL anywhere."""
    assert "<script" not in html.lower()
    for tag, attrs in parse_tags(html):
        assert tag not in {"script", "iframe", "object", "embed", "style", "svg", "math"}, html
        for name, value in attrs.items():
            assert not re.fullmatch(r"on\w+", name, re.IGNORECASE), html
            normalised = re.sub(r"[\s\x00-\x1f]", "", value or "").lower()
            assert "javascript:" not in normalised, html
            assert "vbscript:" not in normalised, html
            assert not normalised.startswith("data:"), html
    # Belt and braces, without a parser: inside any tag, once the quoted attribute values are
    # removed, nothing may look like an event handler (` onxxx=`).
    for tag in re.findall(r"<[^>]*>", html):
        unquoted = re.sub(r"\"[^\"]*\"|'[^']*'", "", tag)
        assert not re.search(r"\son\w+\s*=", unquoted, re.IGNORECASE), html


# --- headings and table of contents -------------------------------------------------------


def test_h1_is_demoted_to_h2():
    result = render("# Main point\n\nText.")

    assert "<h1" not in result.html
    assert '<h2 id="main-point">Main point</h2>' in result.html
    assert result.toc == [{"id": "main-point", "title": "Main point"}]


def test_h2_headings_get_ids_and_a_table_of_contents():
    result = render("## Shared ambitions\n\nText.\n\n## Where they part ways\n\nMore.")

    assert '<h2 id="shared-ambitions">' in result.html
    assert '<h2 id="where-they-part-ways">' in result.html
    assert result.toc == [
        {"id": "shared-ambitions", "title": "Shared ambitions"},
        {"id": "where-they-part-ways", "title": "Where they part ways"},
    ]


def test_repeated_headings_get_de_duplicated_ids():
    result = render("## Background\n\n## Background\n\n# Background")

    assert [entry["id"] for entry in result.toc] == ["background", "background-2", "background-3"]
    for anchor in ("background", "background-2", "background-3"):
        assert f'<h2 id="{anchor}">' in result.html


def test_heading_with_emphasis_uses_its_plain_text_in_the_toc():
    result = render("## The *real* cost")

    assert result.toc == [{"id": "the-real-cost", "title": "The real cost"}]
    assert '<h2 id="the-real-cost">The <em>real</em> cost</h2>' in result.html


def test_heading_without_letters_gets_a_fallback_id():
    result = render("## ???")

    assert result.toc[0]["id"] == "section"


def test_h3_is_kept_but_not_in_the_toc():
    result = render("## Section\n\n### Subsection")

    assert "<h3>Subsection</h3>" in result.html
    assert [entry["title"] for entry in result.toc] == ["Section"]


# --- callouts -------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "label"), CALLOUT_KINDS, ids=[k for k, _ in CALLOUT_KINDS])
def test_each_callout_kind_renders_an_aside_with_its_label(kind, label):
    result = render(f"::: {kind}\nIran and Russia *both* want this.\n:::\n")

    assert f'<aside class="callout callout--{kind}" role="note" aria-label="{label}">' in (
        result.html
    )
    assert f'<p class="callout__label">{label}</p>' in result.html
    assert "<p>Iran and Russia <em>both</em> want this.</p>" in result.html
    assert result.html.strip().endswith("</aside>")
    assert result.warnings == []


def test_callout_may_hold_several_paragraphs_and_a_list():
    result = render("::: insight\nFirst.\n\nSecond.\n\n- one\n- two\n:::\n")

    inside = result.html.split("</aside>")[0]
    assert "<p>First.</p>" in inside
    assert "<p>Second.</p>" in inside
    assert "<li>one</li>" in inside


def test_unknown_callout_kind_warns_and_renders_a_plain_aside():
    result = render("::: gossip\nHeard it somewhere.\n:::\n")

    assert '<aside class="callout" role="note">' in result.html
    assert "callout__label" not in result.html
    assert "callout--" not in result.html
    assert result.warnings == [
        'Unknown callout kind "gossip": use one of '
        + ", ".join(settings.DOSSIER["CALLOUT_KINDS"])
        + "."
    ]


def test_callout_kinds_follow_the_setting(settings):
    settings.DOSSIER = {**settings.DOSSIER, "CALLOUT_KINDS": {"aside-note": "By the way"}}

    result = render("::: aside-note\nText.\n:::\n\n::: insight\nText.\n:::\n")

    assert '<p class="callout__label">By the way</p>' in result.html
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith('Unknown callout kind "insight"')


@pytest.mark.parametrize(
    "source",
    [
        '::: in"sight\nText\n:::\n',
        '::: insight" onclick="alert(1)\nText\n:::\n',
        "::: <script>alert(1)</script>\nText\n:::\n",
        "::: x' onmouseover='alert(1)\nText\n:::\n",
    ],
)
def test_callout_kind_with_quotes_or_markup_is_not_a_callout(source):
    result = render(source)

    assert "<aside" not in result.html
    assert_harmless(result.html)


# --- expert quotes --------------------------------------------------------------------------


def test_quote_line_renders_a_placeholder_and_records_the_key():
    result = render("Before.\n\n[[quote:leila-farahani]]\n\nAfter.")

    assert '<figure class="expert-quote" data-quote="leila-farahani"></figure>' in result.html
    assert result.quote_keys == ["leila-farahani"]


def test_quote_line_tolerates_spaces_and_records_each_key_once():
    result = render("[[ quote : jan ]]\n\n[[quote:jan]]\n\n[[quote:ana_2]]")

    assert result.quote_keys == ["jan", "ana_2"]
    assert result.html.count('data-quote="jan"') == 2


def test_quote_syntax_inside_a_paragraph_is_plain_text():
    result = render("As said in [[quote:jan]] earlier.")

    assert "data-quote" not in result.html
    assert result.quote_keys == []


def test_finish_body_replaces_the_placeholder_with_the_quote():
    expert = ExpertFactory.build(
        name="Leila Farahani", slug="leila-farahani", credentials="Senior Fellow, Caspian Institute"
    )
    quote = ExpertQuoteFactory.build(
        expert=expert,
        key="leila-farahani",
        text="Sanctions push them together.",
        context="in an interview",
        said_on=date(2026, 2, 3),
        source_url="https://example.org/interview",
    )
    html = render("[[quote:leila-farahani]]").html

    shown = finish_body(html, live_urls={}, quotes={"leila-farahani": quote})

    assert "data-quote" not in shown
    assert "Sanctions push them together." in shown
    assert "Leila Farahani" in shown
    assert "Senior Fellow, Caspian Institute" in shown
    assert 'href="/experts/leila-farahani/"' in shown
    assert "in an interview" in shown
    assert 'href="https://example.org/interview"' in shown


def test_finish_body_escapes_quote_text():
    expert = ExpertFactory.build(name="Eve <b>", slug="eve")
    quote = ExpertQuoteFactory.build(expert=expert, text='<script>alert("x")</script>')

    shown = finish_body(render("[[quote:eve]]").html, live_urls={}, quotes={"eve": quote})

    assert "<script" not in shown
    assert "&lt;script&gt;" in shown
    assert "Eve &lt;b&gt;" in shown


def test_finish_body_drops_a_placeholder_with_no_matching_quote():
    shown = finish_body(render("Text.\n\n[[quote:ghost]]").html, live_urls={}, quotes={})

    assert "data-quote" not in shown
    assert "<figure" not in shown
    assert "<p>Text.</p>" in shown


# --- links ----------------------------------------------------------------------------------


def test_article_link_is_stored_as_a_reference_not_a_url():
    result = render("Read [the pillar](article:pillar).")

    assert '<a data-article-ref="7"' in result.html
    assert "href" not in result.html
    assert result.article_ids == [7]
    assert result.warnings == []


def test_article_link_scheme_is_case_insensitive_and_ignores_slashes():
    result = render("[a](ARTICLE:pillar) [b](article:/sidebar/)")

    assert result.article_ids == [7, 8]


def test_each_linked_article_is_recorded_once():
    result = render("[a](article:pillar) and [b](article:pillar)")

    assert result.article_ids == [7]


def test_link_to_an_unknown_article_warns_and_references_nothing():
    result = render("[a](article:missing)")

    assert 'data-article-ref="0"' in result.html
    assert result.article_ids == []
    assert result.warnings == [
        'The link to "missing" points to no article: it shows as plain text.'
    ]


def test_finish_body_links_a_live_article():
    html = render("Read [the pillar](article:pillar).").html

    shown = finish_body(html, live_urls={7: "/articles/the-pillar/"}, quotes={})

    assert '<a href="/articles/the-pillar/">the pillar</a>' in shown
    assert "data-article-ref" not in shown


def test_finish_body_shows_a_link_to_a_not_live_article_as_plain_text():
    html = render("Read [the *pillar*](article:pillar) now.").html

    shown = finish_body(html, live_urls={8: "/articles/other/"}, quotes={})

    assert "<a" not in shown
    assert "Read the <em>pillar</em> now." in shown


def test_finish_body_shows_a_broken_link_as_plain_text():
    shown = finish_body(render("[gone](article:missing)").html, live_urls={}, quotes={})

    assert "<a" not in shown
    assert "gone" in shown


def test_finish_body_escapes_the_article_url():
    html = render("[a](article:pillar)").html

    shown = finish_body(html, live_urls={7: '/articles/x/"onclick="alert(1)'}, quotes={})

    assert_harmless(shown)


def test_finish_body_leaves_ordinary_links_alone():
    html = render("[site](https://example.org/report)").html

    shown = finish_body(html, live_urls={}, quotes={})

    assert 'href="https://example.org/report"' in shown


def test_ordinary_links_get_noopener():
    result = render("[site](https://example.org/)")

    assert 'rel="noopener noreferrer"' in result.html


def test_mailto_links_are_kept():
    result = render("[write](mailto:desk@example.org)")

    assert 'href="mailto:desk@example.org"' in result.html


# --- hostile input --------------------------------------------------------------------------

HOSTILE = {
    "script_tag": "<script>alert(1)</script>",
    "script_inline": "Text <script>alert(1)</script> more",
    "img_onerror": '<img src="x" onerror="alert(1)">',
    "svg_onload": "<svg onload=alert(1)></svg>",
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "javascript_link": "[x](javascript:alert(1))",
    "javascript_upper": "[x](JAVASCRIPT:alert(1))",
    "javascript_mixed_entity": "[x](jav&#x61;script:alert(1))",
    "javascript_encoded": "[x](javascript%3Aalert(1))",
    "javascript_autolink": "<javascript:alert(1)>",
    "javascript_reference": "[x][r]\n\n[r]: javascript:alert(1)",
    "vbscript_link": "[x](vbscript:msgbox(1))",
    "data_link": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "data_image": "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "javascript_image": "![x](javascript:alert(1))",
    "raw_anchor": '<a href="javascript:alert(1)">click</a>',
    "raw_anchor_https": '<a href="https://evil.example" onclick="alert(1)">click</a>',
    "title_injection": '[x](https://a.com "a\\" onmouseover=\\"b")',
    "title_injection_single": "[x](https://a.com 'a' onmouseover='b')",
    "title_entity_injection": '[x](https://a.com "a&quot; onmouseover=&quot;b")',
    "image_title_injection": '![x](https://a.com/i.png "t\\" onerror=\\"alert(1)")',
    "alt_injection": '![a" onerror="alert(1)](https://a.com/i.png)',
    "callout_quotes": '::: warning" onclick="alert(1)\nText\n:::\n',
    "article_ref_spoof": '[x](https://a.com "data-article-ref=\\"7\\"")',
    "style_tag": "<style>body{display:none}</style>",
    "html_comment": "<!-- <script>alert(1)</script> -->",
    "table_cell": "| a |\n|---|\n| <script>alert(1)</script> |",
}


@pytest.mark.parametrize(
    "html",
    [
        "<script>x</script>",
        '<img src="x" onerror="alert(1)">',
        "<img src=x onerror=alert(1)>",
        '<a href="JavaScript:alert(1)">x</a>',
        '<a href=" java\tscript:alert(1)">x</a>',
        '<a href="data:text/html;base64,AAAA">x</a>',
        '<img src="DATA:image/png;base64,AAAA">',
    ],
)
def test_the_harmlessness_check_itself_catches_dangerous_html(html):
    with pytest.raises(AssertionError):
        assert_harmless(html)


@pytest.mark.parametrize("source", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_input_renders_harmless_html(source):
    result = render(source)

    assert_harmless(result.html)
    assert_harmless(finish_body(result.html, live_urls={7: "/articles/p/"}, quotes={}))


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "![x](javascript:alert(1))",
        '<a href="https://evil.example">raw</a>',
    ],
)
def test_dangerous_and_raw_links_never_become_anchors_with_that_target(source):
    result = render(source)

    hrefs = [attrs.get("href") for tag, attrs in parse_tags(result.html) if tag == "a"]
    srcs = [attrs.get("src") for tag, attrs in parse_tags(result.html) if tag == "img"]
    assert not any(hrefs), result.html
    assert not any(srcs), result.html


def test_raw_html_is_shown_as_text():
    result = render("<b>bold</b>")

    assert "&lt;b&gt;bold&lt;/b&gt;" in result.html
    assert "<b>" not in result.html


def test_title_injection_stays_inside_the_title_attribute():
    result = render('[x](https://a.com "a\\" onmouseover=\\"b")')

    (anchor,) = [attrs for tag, attrs in parse_tags(result.html) if tag == "a"]
    assert anchor["href"] == "https://a.com"
    assert anchor["title"] == 'a" onmouseover="b'
    assert set(anchor) == {"href", "title", "rel"}


def test_ordinary_link_cannot_pose_as_an_article_reference():
    html = render('[x](https://a.com "data-article-ref=\\"7\\"")').html

    shown = finish_body(html, live_urls={7: "/articles/p/"}, quotes={})

    assert "/articles/p/" not in shown


# --- other Markdown -------------------------------------------------------------------------


def test_tables_render():
    result = render("| Route | Status |\n| --- | :-: |\n| Caspian | Expanding |")

    assert "<table>" in result.html
    assert "<th>Route</th>" in result.html
    assert "<td>Caspian</td>" in result.html


def test_strikethrough_renders():
    result = render("~~struck~~")

    assert "<s>struck</s>" in result.html


def test_emphasis_lists_blockquotes_code_and_rules_render():
    result = render("*em* **strong** `code`\n\n- a\n1. b\n\n> quoted\n\n---\n\n```\npre\n```")

    for fragment in (
        "<em>em</em>",
        "<strong>strong</strong>",
        "<code>code</code>",
        "<li>a</li>",
        "<ol>",
        "<blockquote>",
        "<hr>",
        "<pre><code>pre",
    ):
        assert fragment in result.html


def test_images_are_lazy_loaded_with_their_description():
    result = render("![A map of the Caspian](https://example.org/map.png)")

    (image,) = [attrs for tag, attrs in parse_tags(result.html) if tag == "img"]
    assert image == {
        "src": "https://example.org/map.png",
        "alt": "A map of the Caspian",
        "loading": "lazy",
    }


def test_typographer_makes_quotes_and_dashes_typographic():
    result = render('"a" -- b')

    assert "“a” – b" in result.html


def test_empty_body_renders_nothing():
    result = render("")

    assert result.html == ""
    assert result.toc == []
    assert result.word_count == 0


# --- word count and reading time ------------------------------------------------------------


def test_word_count_ignores_markup():
    result = render("## Two words\n\n**Three** *more* [words](https://a.com).")

    assert result.word_count == 5


def test_contractions_and_hyphenated_words_count_once():
    result = render("Don't over-think the well-known case.")

    assert result.word_count == 5


@pytest.mark.parametrize(
    ("words", "minutes"), [(0, 1), (1, 1), (229, 1), (230, 1), (231, 2), (460, 2), (461, 3)]
)
def test_reading_minutes_rounds_up_with_a_minimum_of_one(settings, words, minutes):
    settings.DOSSIER = {**settings.DOSSIER, "WORDS_PER_MINUTE": 230}

    assert reading_minutes(words) == minutes


def test_reading_minutes_follow_the_setting(settings):
    settings.DOSSIER = {**settings.DOSSIER, "WORDS_PER_MINUTE": 100}

    assert reading_minutes(101) == 2


def test_search_text_ends_a_heading_before_the_paragraph_that_follows():
    rendered = render("## Shared ambitions\n\nA primary driver.\n\n### Can it last?\n\nPerhaps.")

    assert rendered.text == "Shared ambitions. A primary driver. Can it last? Perhaps."
