"""Comment text: escaped on display, links made nofollow/ugc, comparisons blind to disguises."""

from __future__ import annotations

from comments import text


def test_markup_in_a_comment_is_shown_as_text():
    html = text.render_plain_text('<script>alert(1)</script> <b onclick="x">hi</b>')

    assert "<script" not in html and "<b" not in html
    assert "&lt;script&gt;" in html


def test_quotes_are_escaped_so_no_attribute_can_be_opened():
    assert "'" not in text.render_plain_text("it's ' onmouseover='x")


def test_bare_links_become_nofollow_ugc_links():
    html = text.render_plain_text("See https://example.org/report for the figures.")

    assert '<a href="https://example.org/report" rel="nofollow ugc noopener">' in html


def test_javascript_urls_never_become_links():
    html = text.render_plain_text("javascript:alert(1) and JaVaScRiPt:alert(2)")

    assert "<a" not in html


def test_blank_lines_make_paragraphs_and_newlines_breaks():
    html = text.render_plain_text("One\nstill one\n\nTwo")

    assert html == "<p>One<br>still one</p>\n\n<p>Two</p>"


def test_link_hosts_lists_each_link_host_in_lower_case():
    html = text.render_plain_text("https://News.Example.com/a and www.other.org and a@mail.net")

    assert text.link_hosts(html) == ["news.example.com", "www.other.org", "mail.net"]


def test_clean_input_drops_nul_control_and_invisible_characters_but_keeps_newlines():
    assert text.clean_input(" a\x00b\u200bc\u202e\nd\te \x07") == "abc\nd\te"


def test_comparable_folds_case_width_spacing_and_invisible_characters():
    assert text.comparable("Ｃａｓｉｎｏ  BIG\u200b win") == text.comparable("casino big win")


def test_fingerprints_match_for_the_same_words_however_spaced_or_cased():
    assert text.fingerprint("Great  Article!\n") == text.fingerprint("great article!")
    assert text.fingerprint("Great article!") != text.fingerprint("Great article?")
