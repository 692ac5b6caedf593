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


# --- library images placed by reference: [[image:42]] ----------------------------------------


class Placed:
    """What finish_body reads of a library image (images.Image's attributes)."""

    def __init__(self, pk=5, *, alt="Cranes over the port", credit="Photo: Staff", **kwargs):
        self.pk, self.alt, self.credit = pk, alt, credit
        self.url = kwargs.get("url", "/media/images/port.png")
        self.srcset = kwargs.get(
            "srcset", "/media/images/renditions/port-480.webp 480w, /media/r/port-800.webp 800w"
        )
        self.width, self.height = kwargs.get("width", 1600), kwargs.get("height", 900)


def render_images(source: str, existing=frozenset({5, 6})):
    asked: list[list[int]] = []

    def resolve_images(ids: list[int]) -> set[int]:
        asked.append(ids)
        return set(ids) & set(existing)

    rendered = render_body(source, resolve_article=resolve, resolve_images=resolve_images)
    return rendered, asked


def test_an_image_reference_is_stored_as_a_placeholder_the_page_fills_in():
    rendered, _ = render_images("Before.\n\n[[image:5]]\n\nAfter.")

    assert rendered.image_ids == [5]
    assert '<figure class="body-image" data-image="5"></figure>' in rendered.html
    assert not rendered.warnings


def test_every_image_of_a_body_is_looked_up_in_one_question():
    _, asked = render_images("[[image:5]]\n\n[[image:6]]\n\n[[image:5]]\n\n[[image:9]]")

    assert asked == [[5, 6, 9]]


def test_a_body_without_images_asks_nothing():
    _, asked = render_images("Just words, and [[quote:q]].")

    assert asked == []


def test_the_placed_image_is_a_figure_with_renditions_size_description_and_credit():
    rendered, _ = render_images("[[image:5 | The port of Aktau in March]]")

    html = finish_body(rendered.html, live_urls={}, quotes={}, images={5: Placed()})

    (img,) = [attrs for tag, attrs in parse_tags(html) if tag == "img"]
    assert img["src"] == "/media/images/port.png"
    assert img["srcset"].startswith("/media/images/renditions/port-480.webp 480w")
    assert img["sizes"] and img["loading"] == "lazy"
    assert (img["width"], img["height"], img["alt"]) == ("1600", "900", "Cranes over the port")
    assert re.search(
        r'<figcaption>The port of Aktau in March <span class="body-image__credit">Photo: Staff'
        r"</span></figcaption>",
        html,
    )
    assert "data-image" not in html


def test_an_image_without_caption_or_credit_has_no_empty_caption():
    rendered, _ = render_images("[[image:5]]")

    html = finish_body(rendered.html, live_urls={}, quotes={}, images={5: Placed(credit="")})

    assert "<figcaption" not in html and "<img" in html


@pytest.mark.parametrize("source", ["[[image:9]]", "[[image:0]]"])
def test_a_reference_to_an_image_not_in_the_library_shows_nothing_and_warns(source):
    rendered, _ = render_images(source)

    assert "<figure" not in rendered.html
    assert not rendered.image_ids
    assert "is not in the media library" in rendered.warnings[0]


def test_an_image_deleted_after_saving_shows_nothing_to_readers():
    rendered, _ = render_images("Before.\n\n[[image:5]]\n\nAfter.")

    html = finish_body(rendered.html, live_urls={}, quotes={}, images={})

    assert "<figure" not in html and "<img" not in html
    assert "Before." in html and "After." in html


def test_the_preview_marks_a_missing_image_for_the_editor():
    rendered, _ = render_images("[[image:5]]")

    html = finish_body(
        rendered.html, live_urls={}, quotes={}, images={}, missing_image=lambda pk: f"<p>#{pk}</p>"
    )

    assert html.strip() == "<p>#5</p>"


@pytest.mark.parametrize(
    "source",
    [
        "[[image:abc]]",
        "[[image:5; DROP TABLE images_image]]",
        "[[image:-5]]",
        "[[image:5.0]]",
        "[[image:١٢]]",  # Arabic-Indic digits are not an id
        "[[image:9999999999]]",  # longer than any id
        "[[image:]]",
        "text [[image:5]] inside a paragraph",
    ],
)
def test_a_malformed_image_reference_stays_text(source):
    rendered, asked = render_images(source)

    assert "<figure" not in rendered.html and not rendered.image_ids
    assert asked == []
    assert_harmless(rendered.html)


@pytest.mark.parametrize(
    "caption",
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "</figcaption></figure><script>alert(1)</script>",
        "javascript:alert(1)",
        "&lt;b&gt; & more &amp;",
        "]] [[image:6]]",
    ],
)
def test_a_hostile_caption_is_shown_as_text(caption):
    rendered, _ = render_images(f"[[image:5 | {caption}]]")

    html = finish_body(rendered.html, live_urls={}, quotes={}, images={5: Placed(), 6: Placed(6)})

    assert_harmless(html)
    assert html.count("<img") == 1 and html.count("<figcaption>") == 1
    assert "<script" not in html and "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")


def test_a_hostile_description_or_credit_is_escaped():
    rendered, _ = render_images("[[image:5]]")
    hostile = Placed(
        alt='" onload="alert(1)',
        credit="<script>alert(1)</script>",
        url='/media/x.png" onerror="alert(1)',
        srcset="javascript:alert(1) 480w",
    )

    html = finish_body(rendered.html, live_urls={}, quotes={}, images={5: hostile})

    assert_harmless(html.replace("javascript:alert(1) 480w", ""))
    assert "&lt;script&gt;" in html
    assert ' onload="' not in html and ' onerror="' not in html


def test_a_long_caption_is_cut_short():
    rendered, _ = render_images("[[image:5 | " + "word " * 200 + "]]")

    html = finish_body(rendered.html, live_urls={}, quotes={}, images={5: Placed()})

    caption = re.search(r"<figcaption>(.*?)<span", html).group(1)
    assert len(caption) <= 301


def test_the_markdown_image_form_with_a_library_reference_warns_and_shows_nothing():
    rendered, asked = render_images("Look: ![the port](image:5)")

    assert "<img" not in rendered.html and asked == []
    assert "[[image:42]]" in rendered.warnings[0]


def test_an_image_reference_in_a_code_block_is_code():
    rendered, asked = render_images("```\n[[image:5]]\n```")

    assert "[[image:5]]" in rendered.html and "<figure" not in rendered.html
    assert asked == []


def test_search_text_ends_a_heading_before_the_paragraph_that_follows():
    rendered = render("## Shared ambitions\n\nA primary driver.\n\n### Can it last?\n\nPerhaps.")

    assert rendered.text == "Shared ambitions. A primary driver. Can it last? Perhaps."
