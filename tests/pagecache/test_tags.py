"""Tags are named by pagecache.tags alone: one format, made in one place."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from taggit.models import Tag

import pagecache
from articles.models import Article
from authors.models import Author
from tests.factories import ArticleFactory, AuthorFactory, TopicFactory
from topics.models import Topic

ROOT = Path(__file__).resolve().parents[2]
APPS = ("core", "topics", "authors", "articles", "comments", "website", "config", "bench")

# What a tag spelled by hand looks like: "list:...", "all:...", or "app.model:{pk}".
SPELLED_TAG = re.compile(r"""f?["'](?:list:|all:|[a-z_]+[.:][a-z_]+:\{)""")


@pytest.mark.django_db
def test_helpers_by_pk_give_the_tags_of_the_loaded_objects():
    article = ArticleFactory()
    topic = TopicFactory()
    author = AuthorFactory()
    tag = Tag.objects.create(name="Caspian", slug="caspian")

    assert pagecache.object_tag(Article, article.pk) == pagecache.tag_for(article)
    assert pagecache.collection_of("articles", Topic, topic.pk) == pagecache.collection(
        "articles", topic
    )
    assert pagecache.collection_of("articles", Author, author.pk) == pagecache.collection(
        "articles", author
    )
    assert pagecache.collection_of("articles", Tag, tag.pk) == pagecache.collection("articles", tag)


def test_tags_of_flattens_objects_strings_and_lists_and_skips_none():
    assert pagecache.tags_of(["a", None, ["b", ("c", None)]]) == {"a", "b", "c"}


def test_no_tag_is_spelled_outside_the_page_cache_app():
    # A tag written by hand elsewhere could differ from the helpers' by one character, and the
    # pages under it would then never be refreshed: every tag comes from pagecache.tags.
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if SPELLED_TAG.search(line)
    ]
    assert found == []
