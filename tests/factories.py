"""factory_boy factories for Dossier's models.

Articles default to published at a fixed instant in the past (FIXED_PUBLISH_AT), so tests never
depend on the wall clock unless they ask for it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from articles.models import Article, Byline, ExpertQuote, RelatedLink, Status
from authors.models import Author, AuthorLink, Expert
from comments.models import BlockedTerm, Comment, CommentStatus, Report, ReportReason
from images.models import Image
from topics.models import Topic

FIXED_PUBLISH_AT = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def permissions(self, create, extracted, **kwargs):
        """`permissions=["articles.view_article", ...]` grants those permissions."""
        if not create or not extracted:
            return
        from django.contrib.auth.models import Permission

        for dotted in extracted:
            app_label, codename = dotted.split(".", 1)
            self.user_permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        # The password is set by a post-generation call, so it has to be saved afterwards.
        if create:
            instance.save()


def superuser(**kwargs):
    """A saved superuser (staff, every permission)."""
    return UserFactory(is_staff=True, is_superuser=True, **kwargs)


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    description = "A cluster of articles."


class AuthorFactory(DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Author {n}")
    slug = factory.Sequence(lambda n: f"author-{n}")
    role = "Staff Writer"
    short_bio = "Writes about things."


class AuthorLinkFactory(DjangoModelFactory):
    class Meta:
        model = AuthorLink

    author = factory.SubFactory(AuthorFactory)
    label = "Mastodon"
    url = "https://example.social/@author"


class ExpertFactory(DjangoModelFactory):
    class Meta:
        model = Expert

    name = factory.Sequence(lambda n: f"Expert {n}")
    slug = factory.Sequence(lambda n: f"expert-{n}")
    credentials = "Senior Fellow, Example Institute"


class ArticleFactory(DjangoModelFactory):
    """A published article (publish_at fixed in the past).

    ``ArticleFactory(authors=[a, b])`` writes the byline in that order;
    ``ArticleFactory(tags=["x", "y"])`` sets tags; ``topics=[t]`` sets further topics.
    """

    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    standfirst = "What this article argues, in two sentences."
    body = "Some text."
    primary_topic = factory.SubFactory(TopicFactory)
    status = Status.PUBLISHED
    publish_at = FIXED_PUBLISH_AT

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        for position, author in enumerate(extracted):
            Byline.objects.create(article=self, author=author, sort_order=position)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        self.tags.set(list(extracted))

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        self.topics.set(list(extracted))


class ImageFactory(DjangoModelFactory):
    """A library image: a real 1600 × 900 PNG, renditions made on save. Tests using it keep
    MEDIA_ROOT in a temporary directory (the `media_in_tmp` fixture)."""

    class Meta:
        model = Image

    file = factory.django.ImageField(width=1600, height=900, color="#336699", filename="pic.png")
    title = factory.Sequence(lambda n: f"Picture {n}")
    alt = factory.Sequence(lambda n: f"Tankers at anchor, view {n}")
    credit = "Photo: Staff"


class BylineFactory(DjangoModelFactory):
    class Meta:
        model = Byline

    article = factory.SubFactory(ArticleFactory)
    author = factory.SubFactory(AuthorFactory)
    sort_order = 0


class ExpertQuoteFactory(DjangoModelFactory):
    class Meta:
        model = ExpertQuote

    article = factory.SubFactory(ArticleFactory)
    expert = factory.SubFactory(ExpertFactory)
    text = "The two sides need each other more than they admit."
    context = "in an interview with the author"


class RelatedLinkFactory(DjangoModelFactory):
    class Meta:
        model = RelatedLink

    from_article = factory.SubFactory(ArticleFactory)
    to_article = factory.SubFactory(ArticleFactory)
    lead_in = "For a deeper dive, read"


class CommentFactory(DjangoModelFactory):
    """An approved reader's comment; pass status=CommentStatus.PENDING for the queue."""

    class Meta:
        model = Comment

    article = factory.SubFactory(ArticleFactory)
    name = factory.Sequence(lambda n: f"Reader {n}")
    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    body = factory.Sequence(lambda n: f"A thoughtful point about sanctions, number {n}.")
    status = CommentStatus.APPROVED
    created_at = FIXED_PUBLISH_AT


class ReportFactory(DjangoModelFactory):
    class Meta:
        model = Report

    article = factory.SubFactory(ArticleFactory)
    reason = ReportReason.INACCURATE
    details = "The date in the second section is wrong."


class BlockedTermFactory(DjangoModelFactory):
    class Meta:
        model = BlockedTerm
        django_get_or_create = ["kind", "value"]

    kind = BlockedTerm.Kind.WORD
    value = "casino"


# --- editorial roles and workflow states --------------------------------------------------

WRITERS, EDITORS, MODERATORS = "Writers", "Editors", "Moderators"


def role_user(role: str, **kwargs):
    """A saved staff user in one of the groups the roles migration creates
    (``WRITERS``, ``EDITORS`` or ``MODERATORS``)."""
    from django.contrib.auth.models import Group

    user = UserFactory(is_staff=True, **kwargs)
    user.groups.add(Group.objects.get(name=role))
    return user


def article_in(status: str, **kwargs) -> Article:
    """An article in workflow state `status`.

    Published, unpublished and archived ones keep FIXED_PUBLISH_AT (they were live once);
    drafts, articles in review and returned ones have no publish time yet. Pass
    ``created_by=user`` to make it that user's own article. It has one author, as the admin
    requires and publishing needs; pass ``authors=[]`` for an empty byline.
    """
    if status not in {Status.PUBLISHED, Status.UNPUBLISHED, Status.ARCHIVED}:
        kwargs.setdefault("publish_at", None)
    kwargs.setdefault("authors", [AuthorFactory()])
    return ArticleFactory(status=status, **kwargs)
