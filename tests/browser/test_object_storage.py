"""An editor uploads a featured image in the admin with media on object storage (moto's S3
server on loopback, tests/objectstore.py), and a reader's browser loads it from the bucket:
under the site's Content-Security-Policy, with no console error."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import Page, expect

from articles.models import Article
from config import storage_url
from tests.browser.support import admin_message, log_in
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.browser


def test_editor_uploads_an_image_and_readers_load_it_from_the_bucket(
    editor_user, s3_media, settings, live_server, page: Page, tmp_path
):
    # As config/settings.py does when MEDIA_STORAGE_URL is set: pages may show its images.
    policy = settings.CONTENT_SECURITY_POLICY
    img_src = [*policy["DIRECTIVES"]["img-src"], storage_url.origin(s3_media.base_url)]
    settings.CONTENT_SECURITY_POLICY = {
        **policy,
        "DIRECTIVES": {**policy["DIRECTIVES"], "img-src": img_src},
    }
    article = ArticleFactory(title="Tanker routes", authors=[AuthorFactory()])
    picture = tmp_path / "tankers.png"
    buffer = BytesIO()
    Image.new("RGB", (1000, 560), "#2a5d8f").save(buffer, format="PNG")
    picture.write_bytes(buffer.getvalue())

    log_in(page, editor_user.username)
    page.goto(reverse("admin:articles_article_change", args=[article.pk]))
    page.locator("summary", has_text="Featured image").click()  # a collapsed fieldset
    page.locator("#id_featured_image").set_input_files(str(picture))
    page.get_by_label("Image description").fill("Tankers at anchor off Astrakhan")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(admin_message(page)).to_contain_text("was changed successfully")

    article = Article.objects.get(pk=article.pk)
    assert s3_media.keys()  # the original, its renditions and share card are in the bucket
    page.goto(article.get_absolute_url())
    image = page.locator(".article__image img")
    expect(image).to_have_attribute("src", s3_media.base_url + article.featured_image.name)
    image.scroll_into_view_if_needed()
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") > 0  # loaded, not blocked or broken
    assert image.evaluate("img => img.currentSrc").startswith(s3_media.base_url)
