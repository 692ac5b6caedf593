"""`manage.py load_demo`: load (or refresh) the demo content in website/demo.

Idempotent: objects are matched by slug and updated in place; the bylines, quotes, curated
related links, tags and further topics of demo articles (and the links of demo authors) are
replaced on every run. Objects that are not part of the demo are never touched.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Article, Byline, ExpertQuote, RelatedLink, Status
from authors.models import Author, AuthorLink, Expert
from comments.models import Comment, CommentStatus
from pages.models import Menu, MenuItem, Page, PageStatus
from topics.models import Topic
from website.demo import content, illustrations


class Command(BaseCommand):
    help = "Load the demo content (a Russia–Iran relations cluster). Safe to run again."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            counts = load_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content: {counts['articles']} articles, {counts['authors']} authors, "
                f"{counts['experts']} experts, {counts['topics']} topics, "
                f"{counts['comments']} comments, {counts['pages']} site pages."
            )
        )


def load_demo() -> dict[str, int]:
    authors = {data["slug"]: _load_author(data) for data in content.AUTHORS}
    experts = {data["slug"]: _load_expert(data) for data in content.EXPERTS}
    topics: dict[str, Topic] = {}
    for data in content.TOPICS:  # main topics come first, so a parent is always there
        topics[data["slug"]], _ = Topic.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "description": data["description"],
                "parent": topics[data["parent"]] if data["parent"] else None,
            },
        )

    articles: dict[str, Article] = {}
    for data in content.ARTICLES:
        article = _save_article(data, topics)
        articles[data["slug"]] = article
        article.topics.set([topics[slug] for slug in data["topics"]])
        article.tags.set(data["tags"])
        article.bylines.all().delete()
        for position, slug in enumerate(data["authors"]):
            Byline.objects.create(article=article, author=authors[slug], sort_order=position)
        article.quotes.all().delete()
        for position, quote in enumerate(data["quotes"]):
            ExpertQuote.objects.create(
                article=article,
                expert=experts[quote["expert"]],
                key=quote["key"],
                text=quote["text"],
                context=quote.get("context", ""),
                source_url=quote.get("source_url", ""),
                said_on=quote.get("said_on"),
                sort_order=position,
            )

    # Second pass. `[text](article:slug)` links are resolved to article ids when an article is
    # saved (Article.save() renders the body), so on an empty database the first pass could not
    # resolve links to articles further down the list: they were stored as warnings. Now that
    # every demo article exists, saving each one again resolves all cross-links, clears those
    # warnings and fills `linked_articles`.
    for article in articles.values():
        article.save()

    for data in content.ARTICLES:
        article = articles[data["slug"]]
        article.related_links.all().delete()
        for position, (slug, lead_in) in enumerate(data["related"]):
            RelatedLink.objects.create(
                from_article=article,
                to_article=articles[slug],
                lead_in=lead_in,
                sort_order=position,
            )

    main_topic = topics[content.MAIN_TOPIC]
    main_topic.pillar_article = articles[content.PILLAR]
    main_topic.save()
    pages = _load_pages(topics)

    comments = 0
    for data in content.COMMENTS:
        top = _load_comment(articles[data["article"]], data)
        comments += 1
        for reply in data["replies"]:
            _load_comment(articles[data["article"]], reply, parent=top)
            comments += 1

    return {
        "articles": len(articles),
        "authors": len(authors),
        "experts": len(experts),
        "topics": len(topics),
        "comments": comments,
        "pages": len(pages),
    }


def _load_pages(topics: dict[str, Topic]) -> dict[str, Page]:
    """The demo's site pages (About, Contact, Privacy), and both menus' links, replaced."""
    pages = {}
    for data in content.PAGES:
        page = Page.objects.filter(slug=data["slug"]).first() or Page(slug=data["slug"])
        page.title = data["title"]
        page.body = content.page_body(data["slug"])
        page.meta_description = data["meta_description"]
        page.status = PageStatus.PUBLISHED
        page.save()
        pages[data["slug"]] = page
    for location, links in content.MENUS.items():
        menu, _ = Menu.objects.get_or_create(location=location)
        menu.items.all().delete()
        for position, (kind, name, label) in enumerate(links):
            objects = {"page": pages, "topic": topics}
            target = {"section": name} if kind == "section" else {kind: objects[kind][name]}
            MenuItem.objects.create(menu=menu, sort_order=position, label=label, **target)
    return pages


def _load_comment(article: Article, data: dict, parent: Comment | None = None) -> Comment:
    """An approved demo comment; found again by its article and words, so reloading adds none."""
    from_editors = data["name"] == "editors"
    comment, _ = Comment.objects.get_or_create(
        article=article,
        parent=parent,
        body=data["body"],
        defaults={
            "name": "The editors" if from_editors else data["name"],
            "from_editors": from_editors,
            "status": CommentStatus.APPROVED,
            "created_at": article.publish_at + timedelta(days=1 + (parent is not None)),
        },
    )
    return comment


def _load_author(data: dict) -> Author:
    author, _ = Author.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "name": data["name"],
            "role": data["role"],
            "short_bio": data["short_bio"],
            "bio": data["bio"],
            "website": data["website"],
        },
    )
    author.links.all().delete()
    for position, (label, url) in enumerate(data["links"]):
        AuthorLink.objects.create(author=author, label=label, url=url, sort_order=position)
    return author


def _load_expert(data: dict) -> Expert:
    expert, _ = Expert.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "name": data["name"],
            "credentials": data["credentials"],
            "bio": data["bio"],
            "url": data["url"],
        },
    )
    return expert


def _save_article(data: dict, topics: dict[str, Topic]) -> Article:
    """Create or update one article through Article.save(), so its body is rendered."""
    article = Article.objects.filter(slug=data["slug"]).first() or Article(slug=data["slug"])
    article.title = data["title"]
    article.standfirst = data["standfirst"]
    article.body = content.article_body(data["slug"])
    article.primary_topic = topics[data["primary_topic"]]
    article.featured = data["featured"]
    article.status = Status.PUBLISHED
    article.publish_at = data["publish_at"]
    article.updated_at = data["updated_at"]
    article.expire_at = None
    article.seo_title = data["seo_title"]
    article.meta_description = data["meta_description"]
    _set_image(article)
    article.save()
    return article


def _set_image(article: Article) -> None:
    """Give a demo article its drawing, made and stored once (through the storage API, so it
    lands wherever media goes); a reload reuses the stored file and its renditions."""
    if article.slug not in content.IMAGES:
        return
    kind, alt = content.IMAGES[article.slug]
    name = f"demo/{article.slug}.png"
    if article.featured_image.name != name or not default_storage.exists(name):
        if default_storage.exists(name):
            default_storage.delete(name)
        png = illustrations.draw_png(kind, seed=article.slug)
        article.featured_image = default_storage.save(name, ContentFile(png))
        article.featured_image_renditions = {}  # made again from the new file on save
    article.featured_image_alt = alt
    article.featured_image_credit = content.IMAGE_CREDIT
