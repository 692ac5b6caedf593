"""SlugHistoryMixin and SlugHistory: old addresses keep pointing at renamed objects."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from articles.models import Article, Status
from authors.models import Author, Expert
from core.models import SlugHistory
from tests.factories import ArticleFactory, AuthorFactory, ExpertFactory, TopicFactory
from topics.models import Topic

pytestmark = pytest.mark.django_db

SLUGGED = [
    pytest.param(Article, ArticleFactory, id="article"),
    pytest.param(Author, AuthorFactory, id="author"),
    pytest.param(Topic, TopicFactory, id="topic"),
    pytest.param(Expert, ExpertFactory, id="expert"),
]


def old_slugs(model) -> dict[str, int]:
    return dict(SlugHistory.objects.for_model(model).values_list("slug", "object_id"))


def rename(obj, slug: str) -> None:
    obj.slug = slug
    obj.save()


@pytest.mark.parametrize(("model", "factory"), SLUGGED)
def test_creating_an_object_records_no_history(model, factory):
    factory(slug="first")

    assert SlugHistory.objects.count() == 0


@pytest.mark.parametrize(("model", "factory"), SLUGGED)
def test_renaming_records_the_old_slug(model, factory):
    obj = factory(slug="old")

    rename(obj, "new")

    assert old_slugs(model) == {"old": obj.pk}
    entry = SlugHistory.objects.get()
    assert entry.content_type == ContentType.objects.get_for_model(model)


@pytest.mark.parametrize(("model", "factory"), SLUGGED)
def test_renaming_an_object_loaded_from_the_database_records_the_old_slug(model, factory):
    pk = factory(slug="old").pk
    obj = model.objects.get(pk=pk)

    rename(obj, "new")

    assert old_slugs(model) == {"old": pk}


@pytest.mark.parametrize(("model", "factory"), SLUGGED)
def test_saving_without_renaming_records_nothing(model, factory):
    obj = model.objects.get(pk=factory(slug="same").pk)

    obj.save()
    obj.save()

    assert SlugHistory.objects.count() == 0


@pytest.mark.parametrize(("model", "factory"), SLUGGED)
def test_every_old_slug_is_kept_after_several_renames(model, factory):
    obj = factory(slug="one")

    rename(obj, "two")
    rename(obj, "three")

    assert old_slugs(model) == {"one": obj.pk, "two": obj.pk}


@pytest.mark.parametrize(("model", "factory"), SLUGGED)
def test_renaming_back_removes_the_history_entry(model, factory):
    obj = factory(slug="original")
    rename(obj, "changed")

    rename(obj, "original")

    assert old_slugs(model) == {"changed": obj.pk}
    assert "original" not in old_slugs(model)


@pytest.mark.parametrize(("model", "factory"), SLUGGED)
def test_new_object_taking_an_old_slug_removes_that_history_entry(model, factory):
    renamed = factory(slug="shared")
    rename(renamed, "moved")

    newcomer = factory(slug="shared")

    assert old_slugs(model) == {}
    assert SlugHistory.objects.find(model.objects.all(), "shared") is None
    assert model.objects.get(slug="shared") == newcomer


@pytest.mark.parametrize(("model", "factory"), SLUGGED)
def test_existing_object_renamed_to_an_old_slug_removes_that_history_entry(model, factory):
    first = factory(slug="wanted")
    rename(first, "elsewhere")
    second = factory(slug="placeholder")

    rename(second, "wanted")

    # "wanted" now belongs to `second`; only second's own old slug is left.
    assert old_slugs(model) == {"placeholder": second.pk}
    assert model.objects.get(slug="elsewhere") == first


@pytest.mark.parametrize(("model", "factory"), SLUGGED)
def test_newest_rename_owns_a_reused_old_slug(model, factory):
    first = factory(slug="contested")
    rename(first, "first-now")
    second = factory(slug="contested")  # removes the entry: the live object wins
    rename(second, "second-now")

    assert old_slugs(model) == {"contested": second.pk}
    assert SlugHistory.objects.find(model.objects.all(), "contested") == second


def test_history_is_kept_per_model():
    author = AuthorFactory(slug="shared-name")
    rename(author, "author-now")

    TopicFactory(slug="shared-name")  # a topic may use a slug an author gave up

    assert old_slugs(Author) == {"shared-name": author.pk}
    assert SlugHistory.objects.find(Topic.objects.all(), "shared-name") is None
    assert SlugHistory.objects.find(Author.objects.all(), "shared-name") == author


def test_find_returns_the_renamed_object():
    article = ArticleFactory(slug="before")
    rename(article, "after")

    assert SlugHistory.objects.find(Article.objects.all(), "before") == article


def test_find_returns_none_for_an_unknown_slug():
    ArticleFactory(slug="current")

    assert SlugHistory.objects.find(Article.objects.all(), "never-used") is None
    assert SlugHistory.objects.find(Article.objects.all(), "current") is None


def test_find_respects_the_queryset_it_is_given():
    article = ArticleFactory(slug="before", status=Status.DRAFT, publish_at=None)
    rename(article, "after")

    assert SlugHistory.objects.find(Article.objects.live(), "before") is None
    assert SlugHistory.objects.find(Article.objects.all(), "before") == article


def test_find_ignores_history_of_a_deleted_object():
    author = AuthorFactory(slug="before")
    rename(author, "after")
    author.delete()

    assert SlugHistory.objects.find(Author.objects.all(), "before") is None


def test_history_entry_reads_as_model_slug_and_id():
    author = AuthorFactory(slug="before")
    rename(author, "after")

    assert str(SlugHistory.objects.get()) == f"author:before → #{author.pk}"
