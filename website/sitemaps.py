"""Sitemap sections. Each is paginated at SITEMAP_PAGE_SIZE URLs, and the index at /sitemap.xml
lists every page of every section, so a site of any size stays within the protocol's limits."""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db import connections, models
from django.db.models import F, Window
from django.db.models.functions import Coalesce, Greatest, RowNumber
from django.utils import timezone

from articles.models import Article
from authors.models import Author, Expert
from pages.models import Page
from topics.models import Topic

#: URLs per sitemap page. The protocol allows 50,000; a page that size is about 6 MB of XML, and
#: rendering it took a worker's memory from 65 MB to 143 MB at 100,000 articles (10,000: 79 MB).
#: Crawlers read the index and fetch every page either way.
SITEMAP_PAGE_SIZE = 10_000


class SectionSitemap(Sitemap):
    """A section whose entries change at `lastmod_field`, with what the index needs about it.

    Django's index asks each section for its latest lastmod by loading every item of it, which
    at 100,000 articles means 100,000 model instances for one small XML file. page_lastmods()
    asks the database instead, in one aggregate query per section.
    """

    lastmod_field = "modified_at"
    limit = SITEMAP_PAGE_SIZE

    def lastmod(self, item: models.Model) -> datetime:
        return getattr(item, self.lastmod_field)

    def lastmod_expression(self) -> models.Expression:
        """lastmod() in SQL, for page_lastmods()."""
        return F(self.lastmod_field)

    def page_lastmods(self) -> list[datetime]:
        """The latest change on each page of this section, first page first (empty: none).

        Rows are numbered in the order the section lists them, so page n here is exactly the
        page the section shows at ?p=n.
        """
        items = self.items()
        ordering = [
            F(name[1:]).desc() if name.startswith("-") else F(name).asc()
            for name in items.query.order_by
        ]
        numbered = items.order_by().values(
            n=Window(RowNumber(), order_by=ordering), stamp=self.lastmod_expression()
        )
        inner, params = numbered.query.sql_with_params()
        connection = connections[items.db]
        n, stamp = connection.ops.quote_name("n"), connection.ops.quote_name("stamp")
        # GROUP BY over a window function needs a derived table, which the ORM cannot write.
        # (n - 1) / limit is the 0-based page number (integer division on both backends); the
        # limit is our own integer, written into the SQL so both mentions are the same text.
        page = f"({n} - 1) / {int(self.limit)}"
        sql = f"SELECT MAX({stamp}) FROM ({inner}) numbered GROUP BY {page} ORDER BY {page}"
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [_as_datetime(latest) for (latest,) in cursor.fetchall()]


def _as_datetime(value: datetime | str) -> datetime:
    """A raw MAX() of a datetime column: text on SQLite (stored in UTC), a datetime on
    PostgreSQL."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if settings.USE_TZ and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


class ArticleSitemap(SectionSitemap):
    """An article's lastmod is the date readers see (Article.last_updated), not the row's
    modified_at, which moves with every save (a demo reload, a typo fix)."""

    def lastmod(self, item: Article) -> datetime | None:
        return item.last_updated

    def lastmod_expression(self) -> models.Expression:
        # Article.last_updated in SQL: live articles always have a publish time.
        return Greatest("publish_at", Coalesce("updated_at", "publish_at"))

    def items(self):
        # Only what the public may see, and not what editors asked search engines to skip.
        return (
            Article.objects.live()
            .filter(noindex=False, canonical_url="")
            .only("slug", "publish_at", "updated_at")
            .order_by("pk")
        )


class TopicSitemap(SectionSitemap):
    def items(self):
        return Topic.objects.only("slug", "modified_at").order_by("pk")


class AuthorSitemap(SectionSitemap):
    def items(self):
        return Author.objects.only("slug", "modified_at").order_by("pk")


class ExpertSitemap(SectionSitemap):
    def items(self):
        return Expert.objects.only("slug", "modified_at").order_by("pk")


class PageSitemap(SectionSitemap):
    def items(self):
        return Page.objects.live().filter(noindex=False).only("slug", "modified_at").order_by("pk")


SITEMAPS = {
    "articles": ArticleSitemap,
    "topics": TopicSitemap,
    "authors": AuthorSitemap,
    "experts": ExpertSitemap,
    "pages": PageSitemap,
}
