"""Revisions of articles, kept with django-reversion.

A revision is recorded after every editorial save (admin form, workflow transition, restore),
once the article *and* its byline, quotes, related links and tags are all written, so each
revision is the complete article as it stood. Restoring copies an old revision's content onto
the article and records a new revision: history only grows, nothing is lost. Workflow state
(status, publish dates, trash, version) is never restored: that changes only through the
workflow.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass

import reversion
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from reversion.models import Version
from taggit.models import Tag

import pagecache
from authors.models import Author, Expert
from core import images, storage
from images.models import Image
from topics.models import Topic

from .invalidation import refresh
from .models import Article, Byline, ExpertQuote, RelatedLink, TaggedArticle

DERIVED = (
    "body_html", "toc", "word_count", "reading_minutes", "body_quote_keys", "body_warnings",
    "linked_articles", "body_images",
)  # fmt: skip
# What a restore copies back; everything else on the row belongs to the workflow.
CONTENT_FIELDS = (
    "title", "slug", "standfirst", "body", "primary_topic_id", "featured",
    "featured_library_image_id", "featured_image", "featured_image_alt", "featured_image_credit",
    "seo_title", "meta_description", "canonical_url", "noindex",
)  # fmt: skip


def register_models() -> None:
    """Called from ArticlesConfig.ready()."""
    if reversion.is_registered(Article):
        return
    reversion.register(
        Article, exclude=DERIVED, follow=("bylines", "quotes", "related_links", "tagged_items")
    )
    for child in (Byline, ExpertQuote, RelatedLink, TaggedArticle):
        reversion.register(child)


def record_revision(*, article: Article, by: AbstractBaseUser | None, comment: str) -> None:
    with reversion.create_revision(manage_manually=True):
        reversion.add_to_revision(article)
        if by is not None and by.is_authenticated:
            reversion.set_user(by)
        reversion.set_comment(comment)


def stored_images(article: Article) -> list[str]:
    """The names in the media store of the article's image and renditions, now and in every
    revision, that no other article and no library image uses."""
    names = set(images.stored_names(article.featured_image, article.featured_image_renditions))
    for data in Version.objects.get_for_object(article).values_list("serialized_data", flat=True):
        try:
            fields = json.loads(data)[0]["fields"]
        except (ValueError, LookupError, TypeError):
            continue  # a revision in another format names no file we can trust
        if fields.get("featured_image"):
            names.add(fields["featured_image"])
            names.update(images.stored_names(None, fields.get("featured_image_renditions") or {}))
    shared = Article.objects.exclude(pk=article.pk).filter(featured_image__in=names)
    names -= set(shared.values_list("featured_image", flat=True))
    # A featured image from the media library belongs to the library, not to the article: it
    # stays, with its renditions, for the library and the other articles using it.
    for image in Image.objects.filter(file__in=names).only("file", "renditions"):
        names -= set(images.stored_names(image.file, image.renditions))
    return sorted(names)


def versions_of(article: Article):
    """The article's own Version rows, newest first, with who and when."""
    return (
        Version.objects.get_for_object(article)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


# --- reading a revision back -------------------------------------------------------------


@dataclass
class Snapshot:
    """An article revision as readable text, field by field, for diffs."""

    fields: dict[str, str]


def _children(version: Version, model) -> list[dict]:
    rows = [
        v.field_dict
        for v in version.revision.version_set.all()
        if v.content_type.model_class() is model
    ]
    return sorted(rows, key=lambda row: (row.get("sort_order", 0), row.get("id", 0)))


def snapshot(version: Version) -> Snapshot:
    data = version.field_dict
    bylines = _children(version, Byline)
    quotes = _children(version, ExpertQuote)
    links = _children(version, RelatedLink)
    tags = _children(version, TaggedArticle)
    topic_ids = {data.get("primary_topic_id"), *data.get("topics", [])} - {None}
    topics = Topic.objects.in_bulk(topic_ids)
    authors = Author.objects.in_bulk([row["author_id"] for row in bylines])
    experts = Expert.objects.in_bulk([row["expert_id"] for row in quotes])
    targets = Article.objects.only("title").in_bulk([row["to_article_id"] for row in links])
    tag_names = Tag.objects.in_bulk([row["tag_id"] for row in tags])

    def name(objects, pk, attr="name") -> str:
        found = objects.get(pk)
        return getattr(found, attr) if found else f"(deleted #{pk})"

    return Snapshot(
        {
            "Title": data.get("title", ""),
            "Slug": data.get("slug", ""),
            "Standfirst": data.get("standfirst", ""),
            "Body": data.get("body", ""),
            "Primary topic": name(topics, data.get("primary_topic_id")),
            "Further topics": ", ".join(sorted(name(topics, pk) for pk in data.get("topics", []))),
            "Byline": ", ".join(name(authors, row["author_id"]) for row in bylines),
            "Tags": ", ".join(sorted(name(tag_names, row["tag_id"]) for row in tags)),
            "Expert quotes": "\n".join(
                f"[{row['key']}] {name(experts, row['expert_id'])}: {row['text']}" for row in quotes
            ),
            "Related links": "\n".join(
                f"{row['lead_in']} → {name(targets, row['to_article_id'], 'title')}".strip()
                for row in links
            ),
            "SEO title": data.get("seo_title", ""),
            "Meta description": data.get("meta_description", ""),
            "Canonical URL": data.get("canonical_url", ""),
            "Hidden from search engines": "yes" if data.get("noindex") else "no",
            "Lead on home page": "yes" if data.get("featured") else "no",
            "Featured image": str(data.get("featured_image") or ""),
            "Image description": data.get("featured_image_alt", ""),
        }
    )


@dataclass
class FieldDiff:
    field: str
    lines: list[tuple[str, str]]  # (kind, text): kind is "add", "remove" or "same"


def diff(older: Snapshot, newer: Snapshot) -> list[FieldDiff]:
    """The fields that differ, each as a line diff (context kept short for long bodies)."""
    changes = []
    for field, old_text in older.fields.items():
        new_text = newer.fields.get(field, "")
        if old_text == new_text:
            continue
        lines = []
        for line in difflib.unified_diff(
            old_text.splitlines(), new_text.splitlines(), lineterm="", n=2
        ):
            if line.startswith(("---", "+++")):
                continue
            if line.startswith("@@"):
                lines.append(("gap", "…"))
            elif line.startswith("+"):
                lines.append(("add", line[1:]))
            elif line.startswith("-"):
                lines.append(("remove", line[1:]))
            else:
                lines.append(("same", line[1:]))
        changes.append(FieldDiff(field, lines))
    return changes


# --- restoring -----------------------------------------------------------------------------


def restore_revision(
    *, article: Article, version: Version, by: AbstractBaseUser, expected_version: int | None
) -> Article:
    """Make `article`'s content what it was in `version`, as a new revision."""
    from . import workflow  # workflow records activity; imported here to keep modules acyclic

    if version.object_id != str(article.pk) or version.content_type.model_class() is not Article:
        raise workflow.WorkflowError("That revision belongs to another article.")
    data = version.field_dict
    with transaction.atomic():
        # Setting another image reads its dimensions from the media store.
        with storage.media_store():
            for field in CONTENT_FIELDS:
                if field in data:
                    setattr(article, field, data[field])
        if (
            article.featured_library_image_id is not None
            and not Image.objects.filter(pk=article.featured_library_image_id).exists()
        ):
            # The image was deleted from the library since: the revision's copy of it (its
            # file, description and credit) stands in, as an image uploaded to the article.
            article.featured_library_image = None
            article.featured_image_renditions = {
                k: v for k, v in article.featured_image_renditions.items() if k != "library_image"
            }
        if not Topic.objects.filter(pk=article.primary_topic_id).exists():
            raise workflow.WorkflowError(
                "The revision's primary topic no longer exists; choose a topic and save instead."
            )
        old_authors = {row["author_id"] for row in _children(version, Byline)}
        if not Author.objects.filter(pk__in=old_authors).exists():
            raise workflow.WorkflowError(
                "None of the revision's authors exist any more, so it cannot be restored; "
                "edit the article instead."
            )
        if Article.objects.exclude(pk=article.pk).filter(slug=article.slug).exists():
            raise workflow.WorkflowError(
                f"Another article now uses the address “{article.slug}”; it cannot be restored."
            )
        workflow.save_article(article=article, by=by, expected_version=expected_version)
        article.topics.set(Topic.objects.filter(pk__in=data.get("topics", [])))
        _restore_children(article, version)
        article.save()  # render again: quotes and links are back in place
        date = timezone.localtime(version.revision.date_created)
        workflow.record(
            article=article, by=by, action="restore revision", reason=f"Revision of {date:%c}"
        )
        record_revision(
            article=article, by=by, comment=f"Restored the revision of {date:%d %b %Y, %H:%M}"
        )
    return article


def _restore_children(article: Article, version: Version) -> None:
    authors = set(Author.objects.values_list("pk", flat=True))
    experts = set(Expert.objects.values_list("pk", flat=True))
    articles = set(
        Article.objects.filter(
            pk__in=[r["to_article_id"] for r in _children(version, RelatedLink)]
        ).values_list("pk", flat=True)
    )
    tags = set(Tag.objects.values_list("pk", flat=True))
    article.bylines.all().delete()
    Byline.objects.bulk_create(
        Byline(article=article, author_id=row["author_id"], sort_order=row["sort_order"])
        for row in _children(version, Byline)
        if row["author_id"] in authors
    )
    article.quotes.all().delete()
    for row in _children(version, ExpertQuote):
        if row["expert_id"] in experts:
            ExpertQuote.objects.create(
                article=article,
                **{k: row[k] for k in ("expert_id", "key", "text", "context", "source_url",
                                       "said_on", "sort_order")},
            )  # fmt: skip
    article.related_links.all().delete()
    RelatedLink.objects.bulk_create(
        RelatedLink(
            from_article=article,
            to_article_id=row["to_article_id"],
            lead_in=row["lead_in"],
            sort_order=row["sort_order"],
        )
        for row in _children(version, RelatedLink)
        if row["to_article_id"] in articles and row["to_article_id"] != article.pk
    )
    article.tagged_items.all().delete()
    TaggedArticle.objects.bulk_create(
        TaggedArticle(content_object=article, tag_id=row["tag_id"])
        for row in _children(version, TaggedArticle)
        if row["tag_id"] in tags
    )
    # bulk_create() sends no signals: refresh the lists the restored bylines and tags join.
    refresh(tags={pagecache.tag_for(article)}, articles_moved={article.pk})
