"""The JSON of each resource. Addresses are absolute: `url` is the public page, `api_url` the
API's own resource. Everything they read is loaded by api/selectors.py: no serializer queries.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.files.storage import default_storage
from django.db import models
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from taggit.models import Tag

from articles.models import Article, ExpertQuote
from authors.models import Author, Expert
from topics.models import Topic


def absolute(context: dict, path: str) -> str:
    return context["request"].build_absolute_uri(path)


def articles_of(context: dict, **scope: str) -> str:
    """The API's list of live articles narrowed to `scope` (e.g. topic=slug)."""
    return absolute(context, f"{reverse('api:article-list')}?{urlencode(scope)}")


class PageUrl(serializers.Field):
    """The absolute address of the object's public page."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj) -> str:
        return absolute(self.context, obj.get_absolute_url())


PageUrl = extend_schema_field({"type": "string", "format": "uri"})(PageUrl)


class ApiUrl(serializers.Field):
    """The absolute address of the object in the API (`route` takes its slug)."""

    def __init__(self, route: str, **kwargs):
        self.route = route
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj) -> str:
        return absolute(self.context, reverse(self.route, kwargs={"slug": obj.slug}))


ApiUrl = extend_schema_field({"type": "string", "format": "uri"})(ApiUrl)


class Rendition(serializers.Serializer):
    width = serializers.IntegerField()
    url = serializers.URLField()


class Image(serializers.Serializer):
    """An image and its WebP renditions (made once, on upload; core/images.py)."""

    url = serializers.URLField()
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    alt = serializers.CharField()
    credit = serializers.CharField()
    renditions = Rendition(many=True, help_text="WebP copies, narrowest first.")
    share_url = serializers.URLField(allow_null=True, help_text="A 1200×630 JPEG share card.")


def renditions(context: dict, made: dict) -> list[dict]:
    widths = sorted(made.get("widths", {}).items(), key=lambda item: int(item[0]))
    return [
        {"width": int(width), "url": absolute(context, default_storage.url(name))}
        for width, name in widths
    ]


class PlainText(serializers.CharField):
    def __init__(self, allow_unicode=None, validators=(), **kwargs):
        # Output only: the model's validators (its slug pattern) would become the schema's.
        super().__init__(**kwargs)


class Model(serializers.ModelSerializer):
    """Model fields as the API gives them: slugs and addresses as plain strings. A slug may be
    in any script (the schema's ASCII-only word pattern would refuse "иран"), and an optional
    address is "" when there is none, which "format: uri" would refuse."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.SlugField: PlainText,
        models.URLField: PlainText,
    }


class TopicRef(Model):
    url = PageUrl()
    api_url = ApiUrl("api:topic-detail")

    class Meta:
        model = Topic
        fields = ["slug", "name", "url", "api_url"]


class AuthorRef(Model):
    url = PageUrl()
    api_url = ApiUrl("api:author-detail")

    class Meta:
        model = Author
        fields = ["slug", "name", "role", "url", "api_url"]


class ExpertRef(Model):
    url = PageUrl()
    api_url = ApiUrl("api:expert-detail")

    class Meta:
        model = Expert
        fields = ["slug", "name", "credentials", "url", "api_url"]


class TagSerializer(Model):
    url = serializers.SerializerMethodField()
    api_url = ApiUrl("api:tag-detail")

    class Meta:
        model = Tag
        fields = ["slug", "name", "url", "api_url"]

    def get_url(self, tag: Tag) -> str:
        return absolute(self.context, reverse("articles:tag", kwargs={"slug": tag.slug}))


class ArticleSummary(Model):
    """An article as lists show it."""

    url = PageUrl()
    api_url = ApiUrl("api:article-detail")
    primary_topic = TopicRef()
    byline = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()
    image = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = [
            "slug", "title", "standfirst", "url", "api_url", "primary_topic", "byline", "tags",
            "publish_at", "updated_at", "modified_at", "reading_minutes", "image",
        ]  # fmt: skip
        extra_kwargs = {
            "updated_at": {"help_text": "When the substance last changed, as readers see it."},
            "modified_at": {"help_text": "When the article was last saved, for any change."},
        }

    @extend_schema_field(AuthorRef(many=True))
    def get_byline(self, article: Article):
        authors = [byline.author for byline in article.bylines.all()]
        return AuthorRef(authors, many=True, context=self.context).data

    @extend_schema_field(TagSerializer(many=True))
    def get_tags(self, article: Article):
        tags = sorted(article.tags.all(), key=lambda tag: (tag.name, tag.pk))
        return TagSerializer(tags, many=True, context=self.context).data

    @extend_schema_field(Image(allow_null=True))
    def get_image(self, article: Article):
        if not article.featured_image:
            return None
        share = article.featured_image_renditions.get("share")
        return {
            "url": absolute(self.context, article.featured_image.url),
            "width": article.featured_image_width,
            "height": article.featured_image_height,
            "alt": article.featured_image_alt,
            "credit": article.featured_image_credit,
            "renditions": renditions(self.context, article.featured_image_renditions),
            "share_url": absolute(self.context, default_storage.url(share)) if share else None,
        }


class SearchResult(ArticleSummary):
    snippet_html = serializers.SerializerMethodField(
        help_text="Where the words were found, escaped HTML with the matches in <mark>."
    )

    class Meta(ArticleSummary.Meta):
        fields = [*ArticleSummary.Meta.fields, "snippet_html"]

    def get_snippet_html(self, article: Article) -> str:
        from articles.search import snippet_html

        return str(snippet_html(article, self.context["query"]))


class PlacedQuote(Model):
    expert = ExpertRef()

    class Meta:
        model = ExpertQuote
        fields = ["key", "text", "context", "source_url", "said_on", "expert"]


class TocEntry(serializers.Serializer):
    id = serializers.CharField(help_text="The heading's anchor in body_html.")
    title = serializers.CharField()


class RelatedReading(serializers.Serializer):
    title = serializers.CharField()
    slug = serializers.CharField()
    url = serializers.URLField()
    api_url = serializers.URLField()
    lead_in = serializers.CharField(help_text="The editor's sentence before the title, if any.")
    curated = serializers.BooleanField(help_text="Chosen by the editor, not suggested.")


class ArticleDetail(ArticleSummary):
    """An article as its page shows it. Expects context["page"], articles.selectors'
    ArticlePage for it."""

    topics = TopicRef(many=True, help_text="Further topics, beyond the primary one.")
    body_html = serializers.SerializerMethodField(
        help_text="The body as the page shows it: sanitised HTML, placed quotes filled in, "
        "links to live articles kept (site-relative), links to others as plain text."
    )
    quotes = serializers.SerializerMethodField()
    related = serializers.SerializerMethodField()
    canonical_url = serializers.SerializerMethodField()
    description = serializers.CharField(help_text="The meta description, else the standfirst.")
    toc = TocEntry(many=True, help_text="The body's headings, in order.")

    class Meta(ArticleSummary.Meta):
        fields = [
            *ArticleSummary.Meta.fields, "canonical_url", "description", "topics", "body_html",
            "toc", "word_count", "quotes", "related",
        ]  # fmt: skip

    def get_body_html(self, article: Article) -> str:
        return str(self.context["page"].body)

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_canonical_url(self, article: Article) -> str:
        return article.canonical_url or absolute(self.context, article.get_absolute_url())

    @extend_schema_field(PlacedQuote(many=True))
    def get_quotes(self, article: Article):
        """The quotes placed in the body, in the order they appear there."""
        by_key = {quote.key: quote for quote in article.quotes.all()}
        placed = [by_key[key] for key in dict.fromkeys(article.body_quote_keys) if key in by_key]
        return PlacedQuote(placed, many=True, context=self.context).data

    @extend_schema_field(RelatedReading(many=True))
    def get_related(self, article: Article):
        page = self.context["page"]
        reading = [(link.to_article, link.lead_in, True) for link in page.curated_links]
        reading += [(suggested, "", False) for suggested in page.suggested_articles]
        return [
            {
                "title": target.title,
                "slug": target.slug,
                "url": absolute(self.context, target.get_absolute_url()),
                "api_url": absolute(
                    self.context, reverse("api:article-detail", kwargs={"slug": target.slug})
                ),
                "lead_in": lead_in,
                "curated": curated,
            }
            for target, lead_in, curated in reading
        ]


class TopicSerializer(Model):
    url = PageUrl()
    api_url = ApiUrl("api:topic-detail")
    parent = TopicRef(allow_null=True)
    articles_url = serializers.SerializerMethodField(help_text="Its live articles in the API.")

    class Meta:
        model = Topic
        fields = ["slug", "name", "description", "parent", "url", "api_url", "articles_url"]

    def get_articles_url(self, topic: Topic) -> str:
        return articles_of(self.context, topic=topic.slug)


class TopicDetail(TopicSerializer):
    subtopics = TopicRef(many=True)

    class Meta(TopicSerializer.Meta):
        fields = [*TopicSerializer.Meta.fields, "subtopics"]


class AuthorLinkSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.URLField()


class AuthorSerializer(Model):
    url = PageUrl()
    api_url = ApiUrl("api:author-detail")
    links = AuthorLinkSerializer(many=True)
    photo = serializers.SerializerMethodField()
    articles_url = serializers.SerializerMethodField(help_text="Their live articles in the API.")

    class Meta:
        model = Author
        fields = [
            "slug", "name", "role", "short_bio", "bio", "website", "links", "photo", "url",
            "api_url", "articles_url",
        ]  # fmt: skip

    @extend_schema_field(Image(allow_null=True))
    def get_photo(self, author: Author):
        if not author.photo:
            return None
        return {
            "url": absolute(self.context, author.photo.url),
            "width": author.photo_width,
            "height": author.photo_height,
            "alt": author.photo_alt,
            "credit": "",
            "renditions": renditions(self.context, author.photo_renditions),
            "share_url": None,
        }

    def get_articles_url(self, author: Author) -> str:
        return articles_of(self.context, author=author.slug)


class ExpertSerializer(Model):
    url = PageUrl()
    api_url = ApiUrl("api:expert-detail")
    website = serializers.CharField(source="url", help_text='The expert\'s own page, or "".')

    class Meta:
        model = Expert
        fields = ["slug", "name", "credentials", "bio", "website", "url", "api_url"]
