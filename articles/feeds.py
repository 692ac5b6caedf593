"""RSS 2.0 and Atom feeds: the whole site, one topic, one author. All go through live()."""

from __future__ import annotations

import copy
import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from taggit.models import Tag

import pagecache
from authors.models import Author
from core.models import SiteSettings, SlugHistory
from topics.models import Topic

from .listings import shown_on_cards
from .models import Article
from .rendering import finish_body, referenced_article_ids

FEED_SIZE = 20
ROOT_RELATIVE_HREF = re.compile(r'href="/(?!/)')
ROOT_RELATIVE_SRC = re.compile(r'\b(src|srcset)="/(?!/)')
# Later entries of a srcset: ", /media/… 800w".
ROOT_RELATIVE_SRCSET_ITEM = re.compile(r"(\d+w, )/(?!/)")


class FeedMoved(Exception):
    def __init__(self, url: str):
        self.url = url


class FullContentRss(Rss201rev2Feed):
    """RSS 2.0 with the article body in content:encoded when the feed carries full content."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])


class FullContentAtom(Atom1Feed):
    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"


def tags_of(item: Article) -> list[Tag]:
    """The tags of an article read with_tag_list(), as (unsaved) Tag objects."""
    return [Tag(pk=tag["id"], name=tag["name"]) for tag in item.tag_list or []]


def full_content() -> bool:
    return settings.DOSSIER["FEED_FULL_CONTENT"]


class ArticleFeed(Feed):
    feed_type = FullContentRss

    def __call__(self, request, *args, **kwargs):
        # One Feed instance serves every request; a per-request copy can hold the request
        # (for absolute author URLs) without threads seeing each other's.
        feed = copy.copy(self)
        feed.request = request
        feed.site = SiteSettings.current()
        try:
            return Feed.__call__(feed, request, *args, **kwargs)
        except FeedMoved as moved:
            return HttpResponsePermanentRedirect(moved.url)

    def object_by_slug(self, model, slug: str, url_name: str):
        """The feed's topic or author; an old slug answers with a 301 to the current feed, as
        the pages do, so subscribers keep their feed after a rename."""
        found = model.objects.filter(slug=slug).first()
        if found is not None:
            return found
        moved = SlugHistory.objects.find(model.objects.all(), slug)
        if moved is None:
            raise Http404(f"No {model._meta.verbose_name} at this address.")
        raise FeedMoved(reverse(url_name, kwargs={"slug": moved.slug}))

    def author_name(self, obj=None) -> str:
        # Atom needs an author for every entry; the publisher stands in where a byline is empty.
        return self.site.organisation_name or self.site.site_name

    def title(self, obj=None) -> str:
        return self.site.site_name

    def description(self, obj=None) -> str:
        return self.site.tagline

    def subtitle(self, obj=None) -> str:  # Atom's name for the description
        return self.description(obj)

    def link(self, obj=None) -> str:
        return reverse("website:home")

    def articles(self, obj):
        return Article.objects.live()

    def items(self, obj=None):
        articles = self.articles(obj).with_cards().with_tag_list().newest_first()
        if full_content():
            # Cards leave the body behind; a full-content feed brings back its HTML.
            articles = articles.defer(None).for_reading().with_body_references()
        items = list(articles[:FEED_SIZE])
        self.declare_cache_dependencies(obj, items)
        return items

    def declare_cache_dependencies(self, obj, items: list[Article]) -> None:
        """What the feed shows, for the page cache (pagecache/)."""
        pagecache.depends_on(
            self.request,
            obj,
            pagecache.collection("articles", obj),
            shown_on_cards(items),
            [tags_of(item) for item in items],
        )
        if full_content():
            pagecache.depends_on(
                self.request,
                [[quote.expert for quote in item.quotes.all()] for item in items],
                [
                    [
                        pagecache.object_tag(Article, pk)
                        for pk in referenced_article_ids(item.body_html)
                    ]
                    for item in items
                ],
                [list(item.body_images.all()) for item in items],
            )

    def item_extra_kwargs(self, item: Article) -> dict:
        if not full_content():
            return {}
        # Same finishing as the article page: only live links, quotes placed; URLs absolute.
        body = finish_body(
            item.body_html,
            live_urls={
                a.pk: self.request.build_absolute_uri(a.get_absolute_url())
                for a in item.live_linked_articles
            },
            quotes={quote.key: quote for quote in item.quotes.all()},
            images={image.pk: image for image in item.body_images.all()},
        )
        # Feed readers cannot resolve site-relative links (expert pages, for one) or image
        # addresses (placed library images, when media is served from this site).
        base = self.request.build_absolute_uri("/").rstrip("/")
        content = ROOT_RELATIVE_HREF.sub(f'href="{base}/', str(body))
        content = ROOT_RELATIVE_SRC.sub(lambda m: f'{m[1]}="{base}/', content)
        content = ROOT_RELATIVE_SRCSET_ITEM.sub(lambda m: f"{m[1]}{base}/", content)
        return {"content": content}

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.standfirst

    def item_pubdate(self, item: Article):
        return item.publish_at

    def item_updateddate(self, item: Article):
        return item.last_updated

    # The workflow publishes nothing without a byline (workflow.MissingByline), but older
    # articles may have none: the publisher stands in, as in the article's JSON-LD.
    def item_author_name(self, item: Article) -> str:
        return ", ".join(b.author.name for b in item.bylines.all()) or self.author_name()

    def item_author_link(self, item: Article) -> str:
        bylines = item.bylines.all()
        if not bylines:
            return self.site.organisation_url or self.request.build_absolute_uri(
                reverse("website:home")
            )
        return self.request.build_absolute_uri(bylines[0].author.get_absolute_url())

    def item_categories(self, item: Article) -> list[str]:
        # Sorted: the database aggregates tags in no particular order.
        return [item.primary_topic.name, *sorted(tag.name for tag in tags_of(item))]

    def item_guid_is_permalink(self, item: Article) -> bool:
        return True


class AtomMixin:
    feed_type = FullContentAtom


class TopicFeed(ArticleFeed):
    feed_url_name = "topics:feed"

    def get_object(self, request, slug: str) -> Topic:
        return self.object_by_slug(Topic, slug, self.feed_url_name)

    def title(self, obj: Topic) -> str:
        return f"{obj.name} — {self.site.site_name}"

    def description(self, obj: Topic) -> str:
        return obj.description or f"New articles on {obj.name}."

    def link(self, obj: Topic) -> str:
        return obj.get_absolute_url()

    def articles(self, obj: Topic):
        return Article.objects.live().in_topic(obj)


class TopicAtomFeed(AtomMixin, TopicFeed):
    feed_url_name = "topics:feed_atom"


class AuthorFeed(ArticleFeed):
    feed_url_name = "authors:feed"

    def get_object(self, request, slug: str) -> Author:
        return self.object_by_slug(Author, slug, self.feed_url_name)

    def title(self, obj: Author) -> str:
        return f"{obj.name} — {self.site.site_name}"

    def description(self, obj: Author) -> str:
        return obj.short_bio or f"New articles by {obj.name}."

    def link(self, obj: Author) -> str:
        return obj.get_absolute_url()

    def articles(self, obj: Author):
        return Article.objects.live().by_author(obj)


class AuthorAtomFeed(AtomMixin, AuthorFeed):
    feed_url_name = "authors:feed_atom"
