"""Sitemap sections. Each is paginated at 50,000 URLs by Django, and the index at /sitemap.xml
lists every page of every section, so a site of any size stays within the protocol's limits."""

from django.contrib.sitemaps import Sitemap

from articles.models import Article
from authors.models import Author, Expert
from topics.models import Topic


class ArticleSitemap(Sitemap):
    def items(self):
        # Only what the public may see, and not what editors asked search engines to skip.
        return (
            Article.objects.live()
            .filter(noindex=False, canonical_url="")
            .only("slug", "modified_at")
            .order_by("pk")
        )

    def lastmod(self, article: Article):
        return article.modified_at


class TopicSitemap(Sitemap):
    def items(self):
        return Topic.objects.only("slug", "modified_at").order_by("pk")

    def lastmod(self, topic: Topic):
        return topic.modified_at


class AuthorSitemap(Sitemap):
    def items(self):
        return Author.objects.only("slug", "modified_at").order_by("pk")

    def lastmod(self, author: Author):
        return author.modified_at


class ExpertSitemap(Sitemap):
    def items(self):
        return Expert.objects.only("slug", "modified_at").order_by("pk")

    def lastmod(self, expert: Expert):
        return expert.modified_at


SITEMAPS = {
    "articles": ArticleSitemap,
    "topics": TopicSitemap,
    "authors": AuthorSitemap,
    "experts": ExpertSitemap,
}
