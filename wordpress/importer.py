"""Importing a parsed WordPress export into Dossier: the one service behind the command and the
admin page.

Each thing is imported in its own transaction together with its ImportedItem row, so a run cut
short keeps what it finished and the next run continues from there; a thing whose WordPress
data has not changed since it was imported is left alone, so a second run changes nothing. An
article an editor has changed since it was imported is never overwritten.

Articles are written through the model (Article.save() derives the HTML, table of contents,
word count and search vector) with their activity log and a first revision, as any article;
the page cache's rules follow the model's signals, so pages refresh on their own.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import logging
import re
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from articles import revisions, workflow
from articles.models import Article, Byline, Status
from authors.models import Author
from comments.models import Comment, CommentStatus
from core.models import SlugHistory
from core.validators import validate_image_upload
from images.models import Image
from topics.models import Topic

from .convert import html_to_markdown, html_to_text
from .models import ImportedItem, Kind
from .wxr import WPAuthor, WPComment, WPItem, WPTerm, WXRFile

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

# WordPress status → Dossier state. "future" is published with its publish time ahead, which is
# what Dossier calls scheduled; "private" posts were readable by logged-in staff only, which
# nothing public in Dossier is, so they become unpublished (kept, not live, ready to publish).
STATUSES = {
    "publish": Status.PUBLISHED,
    "future": Status.PUBLISHED,
    "draft": Status.DRAFT,
    "pending": Status.IN_REVIEW,
    "private": Status.UNPUBLISHED,
}
COMMENT_STATUSES = {
    "1": CommentStatus.APPROVED,
    "0": CommentStatus.PENDING,
    "spam": CommentStatus.SPAM,
    "trash": CommentStatus.REJECTED,
}
ARTICLE_TYPES = {"post": Kind.POST, "page": Kind.PAGE}
SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.\w+$)")
UPLOADS = "/wp-content/uploads/"
DEFAULT_TOPIC = "Uncategorized"  # WordPress's own default category


@dataclass
class Summary:
    """What an import did, for the person who ran it."""

    dry_run: bool = False
    imported: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    LABELS = {
        Kind.AUTHOR: "authors", Kind.CATEGORY: "topics (from categories)",
        Kind.TAG: "tags", Kind.ATTACHMENT: "images (from attachments)",
        Kind.POST: "articles (from posts)", Kind.PAGE: "draft articles (from pages)",
        Kind.COMMENT: "comments",
    }  # fmt: skip

    def rows(self) -> list[tuple[str, int, int, int]]:
        """(what, imported, updated, unchanged) for each kind the file had."""
        return [
            (label, self.imported[kind], self.updated[kind], self.unchanged[kind])
            for kind, label in self.LABELS.items()
            if self.imported[kind] or self.updated[kind] or self.unchanged[kind]
        ]

    def lines(self) -> list[str]:
        head = "Dry run: nothing was saved. It would have done this:" if self.dry_run else ""
        out = [head] if head else []
        out += [
            f"{label}: {new} imported, {changed} updated, {same} unchanged"
            for label, new, changed, same in self.rows()
        ] or ["Nothing to import."]
        if self.skipped:
            out += [f"Skipped ({len(self.skipped)}):", *(f"  - {s}" for s in self.skipped)]
        if self.notes:
            out += [f"Notes ({len(self.notes)}):", *(f"  - {n}" for n in self.notes)]
        return out


def import_wxr(
    *,
    export: WXRFile,
    by: AbstractBaseUser | None = None,
    media_dir: Path | None = None,
    default_topic: Topic | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """Import `export`; returns what was done. A dry run does it all, then rolls it back (and
    stores no image file), so its summary is the real one."""
    importer = _Importer(
        export,
        by=by,
        media_dir=media_dir,
        default_topic=default_topic,
        dry_run=dry_run,
        progress=progress,
    )
    if not dry_run:
        importer.run()
        return importer.summary
    with transaction.atomic():
        importer.run()
        transaction.set_rollback(True)
    return importer.summary


def site_key(export: WXRFile) -> str:
    """Which WordPress site an export is from, the same whether it was exported over http or
    https, with or without www: a re-export after such a move must not import everything
    twice."""
    parts = urlsplit(export.site_url)
    if not parts.netloc:
        return (export.site_url or export.title or "wordpress")[:200]
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}"[:200]


def fingerprint(*parts) -> str:
    data = json.dumps(
        [asdict(p) if hasattr(p, "__dataclass_fields__") else p for p in parts],
        default=str,
        sort_keys=True,
    )
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()


def _id_from(text: str) -> int:
    """A stable id for what older exports list without one (authors, undeclared terms)."""
    return zlib.crc32(text.encode("utf-8"))


def _free_slug(model, wanted: str, *, max_length: int, fallback: str) -> str:
    """`wanted` as a slug, or with -2, -3… when another object has it, now or as an old
    address (taking it would send that object's old links here). Two queries, however many
    of the import's posts share a slug."""
    base = slugify(wanted, allow_unicode=True)[: max_length - 8].strip("-_") or fallback
    taken = set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= set(
        SlugHistory.objects.for_model(model)
        .filter(slug__startswith=base)
        .values_list("slug", flat=True)
    )
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


@dataclass
class _ArticlePlan:
    """Everything an imported article will hold, worked out before anything is written."""

    title: str
    slug_wanted: str
    standfirst: str
    body: str
    status: str
    publish_at: datetime | None
    deleted_at: datetime | None
    comments_enabled: bool
    topics: list[Topic]
    tags: list[str]
    authors: list[Author]
    featured: str
    featured_alt: str
    notes: list[str]


class _Importer:
    def __init__(self, export: WXRFile, *, by, media_dir, default_topic, dry_run, progress):
        self.export = export
        self.site = site_key(export)
        self.by = by if by is not None and by.is_authenticated else None
        self.media_dir = media_dir.resolve() if media_dir else None
        self.default_topic = self.given_default_topic = default_topic
        self.dry_run = dry_run
        self.progress = progress or (lambda done, total: None)
        self.summary = Summary(dry_run=dry_run)
        self.authors: dict[str, Author | None] = {}  # by login
        self.topics: dict[str, Topic | None] = {}  # by category slug
        self.tags: dict[str, Tag | None] = {}  # by tag slug
        self.tag_ids = {t.slug: t.id for t in export.tags if t.slug}
        self.attachments: dict[int, tuple[str, str]] = {}  # WordPress id → (file, alt text)
        self.uploads: dict[str, str] = {}  # normalised upload path → stored file name
        self.site_host = urlsplit(export.site_url).hostname or ""
        self.now = timezone.now()

    # --- the run ------------------------------------------------------------------------

    def run(self) -> None:
        self.summary.skipped += self.export.problems
        items = self.export.items
        content = [i for i in items if i.type in ARTICLE_TYPES]
        attachments = [i for i in items if i.type == "attachment"]
        total = len(content) + len(attachments)
        for author in self.export.authors:
            self._safely(f"Author “{author.login}”", self._author, author)
        self._categories()
        for term in self.export.tags:
            self._safely(f"Tag “{term.name}”", self._tag, term.slug, term.name)
        done = 0
        for item in attachments:
            self._safely(item.label, self._attachment, item)
            done += 1
            self.progress(done, total)
        for item in content:
            # Not one transaction: the article's author, tags and topic are each saved first,
            # then the article with its mapping, then each comment.
            self._safely(item.label, self._article, item, atomic=False)
            done += 1
            self.progress(done, total)
        others = Counter(i.type for i in items if i.type not in {*ARTICLE_TYPES, "attachment"})
        for kind, count in sorted(others.items()):
            self.summary.skipped.append(
                f"{count} WordPress “{kind}” item(s): menus, revisions, reusable blocks and "
                "plugins' own types are not content Dossier imports."
            )

    def _safely(self, what: str, step, *args, atomic: bool = True):
        """Run one step in its own transaction. A step that fails is rolled back and reported,
        and the run goes on: one odd item must not stop a whole site's import. (An
        interruption, which is not an Exception, still stops it; the next run resumes.)"""
        try:
            if not atomic:
                return step(*args)
            with transaction.atomic():
                return step(*args)
        except Exception as error:
            logger.exception("WordPress import: %s failed", what)
            self._forget()
            self.summary.skipped.append(
                f"{what}: could not be imported ({type(error).__name__}: {str(error)[:200]})."
            )
            return None

    def _forget(self) -> None:
        """Drop what was remembered of authors, tags and the fallback topic: a failed step may
        have made some that its rollback took away again. They are found again by their
        ImportedItem rows."""
        self.authors.clear()
        self.tags.clear()
        self.default_topic = self.given_default_topic

    def _find(self, kind: str, wp_id: int) -> ImportedItem | None:
        return ImportedItem.objects.filter(site=self.site, kind=kind, wp_id=wp_id).first()

    def _note(self, what: str, note: str) -> None:
        self.summary.notes.append(f"{what}: {note}")

    # --- authors, topics, tags ------------------------------------------------------------

    def _author(self, author: WPAuthor) -> Author | None:
        login = author.login or author.display_name
        if not login:
            self.summary.skipped.append("An author with neither login nor name: skipped.")
            return None
        wp_id = author.id if author.id is not None else _id_from(login)
        found = self._find(Kind.AUTHOR, wp_id)
        if found is not None:
            self.summary.unchanged[Kind.AUTHOR] += 1
            self.authors[login] = found.author
            return found.author
        name = (html_to_text(author.name) or login)[:120]
        existing = Author.objects.filter(name=name).first()
        if existing is not None:
            self._note(f"Author “{name}”", "matched the Dossier author of that name.")
        target = existing or Author.objects.create(
            name=name, slug=_free_slug(Author, name, max_length=140, fallback="author")
        )
        ImportedItem.objects.create(
            site=self.site,
            kind=Kind.AUTHOR,
            wp_id=wp_id,
            wp_slug=login[:200],
            author=target,
            fingerprint=fingerprint(author),
        )
        self.summary.imported[Kind.AUTHOR] += 1
        self.authors[login] = target
        return target

    def _categories(self) -> None:
        terms = {t.slug: t for t in self.export.categories if t.slug}
        for item in self.export.items:
            for slug, name in item.categories:
                if slug and slug not in terms:
                    terms[slug] = WPTerm(id=None, slug=slug, name=name or slug)

        def depth(term: WPTerm) -> int:
            seen, level = {term.slug}, 0
            while term.parent_slug in terms and term.parent_slug not in seen:
                seen.add(term.parent_slug)
                term, level = terms[term.parent_slug], level + 1
            return level

        for term in sorted(terms.values(), key=depth):
            self._safely(f"Category “{term.name}”", self._category, term, terms)

    def _category(self, term: WPTerm, terms: dict[str, WPTerm]) -> None:
        wp_id = term.id if term.id is not None else _id_from(term.slug)
        found = self._find(Kind.CATEGORY, wp_id)
        if found is not None:
            self.summary.unchanged[Kind.CATEGORY] += 1
            self.topics[term.slug] = found.topic
            return
        name = (html_to_text(term.name) or term.slug)[:120]
        parent = self.topics.get(term.parent_slug) if term.parent_slug != term.slug else None
        if parent is not None and parent.parent_id is not None:
            # Dossier's subtopics go one level deep: a deeper category joins the main topic.
            parent = parent.parent
            self._note(
                f"Category “{name}”",
                f"nested more than one level deep in WordPress; "
                f"it became a subtopic of “{parent.name}”.",
            )
        topic = Topic.objects.filter(name=name).first()
        if topic is not None:
            self._note(f"Category “{name}”", "matched the Dossier topic of that name.")
        else:
            topic = Topic.objects.create(
                name=name,
                slug=_free_slug(Topic, term.slug or name, max_length=140, fallback="topic"),
                description=html_to_text(term.description),
                parent=parent,
            )
        ImportedItem.objects.create(
            site=self.site,
            kind=Kind.CATEGORY,
            wp_id=wp_id,
            wp_slug=term.slug[:200],
            topic=topic,
            fingerprint=fingerprint(term),
        )
        self.summary.imported[Kind.CATEGORY] += 1
        self.topics[term.slug] = topic

    def _tag(self, slug: str, name: str) -> Tag | None:
        key = slug or name
        if key in self.tags:
            return self.tags[key]
        name = (html_to_text(name) or slug)[:100]
        if not name:
            return None
        wp_id = self.tag_ids.get(slug)
        wp_id = wp_id if wp_id is not None else _id_from(key)
        found = self._find(Kind.TAG, wp_id)
        if found is not None:
            self.summary.unchanged[Kind.TAG] += 1
        else:
            tag = Tag.objects.filter(name=name).first() or Tag.objects.create(name=name)
            found = ImportedItem.objects.create(
                site=self.site,
                kind=Kind.TAG,
                wp_id=wp_id,
                wp_slug=slug[:200],
                tag=tag,
                fingerprint=fingerprint(slug, name),
            )
            self.summary.imported[Kind.TAG] += 1
        self.tags[key] = found.tag
        return found.tag

    # --- attachments --------------------------------------------------------------------

    def _attachment(self, item: WPItem) -> None:
        what = f"Attachment {item.id} ({item.attachment_url or item.title or 'no address'})"
        found = self._find(Kind.ATTACHMENT, item.id)
        if found is not None:
            self.summary.unchanged[Kind.ATTACHMENT] += 1
            self._remember_attachment(item, found)
            return
        url = item.attachment_url or item.link
        relative = self._upload_path(url)
        if not relative:
            self.summary.skipped.append(f"{what}: it has no file address.")
            return
        if self.media_dir is None:
            self.summary.skipped.append(
                f"{what}: images are copied only from a local folder (the command's "
                "--media-dir), never downloaded; none was given."
            )
            return
        local = self._local_file(relative)
        if local is None:
            self.summary.skipped.append(f"{what}: {relative} is not in {self.media_dir}.")
            return
        with local.open("rb") as handle:
            upload = File(handle, name=local.name)
            try:
                validate_image_upload(upload)
            except ValidationError as error:
                self.summary.skipped.append(f"{what}: {' '.join(error.messages)}")
                return
            name = f"wordpress/{relative}"
            stored = name if self.dry_run else default_storage.save(name, upload)
        item_row = ImportedItem.objects.create(
            site=self.site,
            kind=Kind.ATTACHMENT,
            wp_id=item.id,
            file=stored,
            fingerprint=fingerprint(item),
        )
        self.summary.imported[Kind.ATTACHMENT] += 1
        self._remember_attachment(item, item_row)

    def _remember_attachment(self, item: WPItem, row: ImportedItem) -> None:
        if not row.file:
            return
        alt = html_to_text(item.meta.get("_wp_attachment_image_alt", "") or item.title)
        self.attachments[item.id] = (row.file, alt[:250])
        relative = self._upload_path(item.attachment_url or item.link)
        if relative:
            self.uploads[relative] = row.file

    @staticmethod
    def _upload_path(url: str) -> str:
        """The file's path inside wp-content/uploads (2019/03/photo.jpg), or the URL's path."""
        path = unquote(urlsplit(url).path)
        if UPLOADS in path:
            path = path.split(UPLOADS, 1)[1]
        return path.strip("/")

    def _local_file(self, relative: str) -> Path | None:
        """The file under --media-dir (a copy of wp-content/uploads, or of the whole site);
        never anything outside it, whatever the export says."""
        for base in (self.media_dir, self.media_dir / "wp-content" / "uploads"):
            candidate = (base / relative).resolve()
            if candidate.is_relative_to(self.media_dir) and candidate.is_file():
                return candidate
        return None

    def _image_address(self, src: str) -> str | None:
        """Where a body image is served from after the import: the imported file for the
        site's own uploads (None when it was not imported), the same address for an image
        hosted elsewhere, "" for what is not a web address."""
        parts = urlsplit(src.strip())
        if parts.scheme.lower() not in {"http", "https", ""}:
            return ""
        own = not parts.netloc or parts.hostname == self.site_host
        if own or UPLOADS in parts.path:
            relative = self._upload_path(src)
            stored = self.uploads.get(relative) or self.uploads.get(SIZE_SUFFIX.sub("", relative))
            return default_storage.url(stored) if stored else None
        return src

    # --- articles -----------------------------------------------------------------------

    def _article(self, item: WPItem) -> None:
        kind = ARTICLE_TYPES[item.type]
        what = item.label
        if item.status == "auto-draft":
            self.summary.skipped.append(f"{what}: an empty auto-draft WordPress made by itself.")
            return
        with transaction.atomic():  # the authors, tags and topic it needs, kept together
            plan = self._plan(item, kind)
        # Comments are imported on their own (below): a new one is no change to the article.
        fp = fingerprint(replace(item, comments=()), plan.body, plan.featured)
        found = self._find(kind, item.id)
        if found is None:
            with transaction.atomic():
                article = self._write(plan, article=None)
                link = urlsplit(item.link)
                ImportedItem.objects.create(
                    site=self.site,
                    kind=kind,
                    wp_id=item.id,
                    wp_slug=item.slug[:200],
                    wp_date=item.date.date() if item.date else None,
                    old_path=unquote(link.path)[:500] if link.path and not link.query else "",
                    article=article,
                    fingerprint=fp,
                    imported_version=article.version,
                )
            self.summary.imported[kind] += 1
            self.summary.notes += [f"{what}: {note}" for note in plan.notes]
        elif found.article is None:
            self.summary.skipped.append(
                f"{what}: its article was deleted in Dossier after an earlier import, so it "
                "is not imported again."
            )
            return
        elif found.fingerprint == fp:
            self.summary.unchanged[kind] += 1
        elif found.article.version != found.imported_version:
            self.summary.skipped.append(
                f"{what}: changed in WordPress since the last import, but its article was "
                "also edited in Dossier; the Dossier version was kept."
            )
        else:
            with transaction.atomic():
                self._write(plan, article=found.article)
                found.fingerprint = fp
                found.imported_version = found.article.version
                found.save()
            self.summary.updated[kind] += 1
            self.summary.notes += [f"{what}: {note}" for note in plan.notes]
        self._comments(item, article if found is None else found.article)

    def _plan(self, item: WPItem, kind: str) -> _ArticlePlan:
        notes: list[str] = []
        title = re.sub(r"\s+", " ", html_to_text(item.title)).strip()
        if not title:
            title = f"Untitled (WordPress {item.type} {item.id})"
            notes.append(f"it has no title; it was given “{title}”.")
        elif len(title) > 200:
            title = title[:199] + "…"
            notes.append("its title was longer than 200 characters and was shortened.")
        converted = html_to_markdown(item.content, resolve_image=self._image_address)
        notes += converted.notes
        status, publish_at, deleted_at = self._state(item, kind, notes)
        authors = [a for a in [self._creator(item.creator)] if a is not None]
        if status == Status.PUBLISHED and not authors:
            status = Status.DRAFT
            notes.append(
                "it has no author, and Dossier publishes nothing without a byline: it was "
                "imported as a draft. Add an author, then publish it."
            )
        topics = [t for t in (self.topics.get(slug) for slug, _ in item.categories) if t]
        if not topics:
            topics = [self._fallback_topic()]
        tags = [self._tag(slug, name) for slug, name in item.tags]
        featured, featured_alt = self.attachments.get(
            _int(item.meta.get("_thumbnail_id", "")), ("", "")
        )
        return _ArticlePlan(
            title=title,
            # WordPress renames a trashed post's slug; the article keeps the real one.
            slug_wanted=item.slug.removesuffix("__trashed") or title,
            standfirst=html_to_text(item.excerpt),
            body=converted.markdown,
            status=status,
            publish_at=publish_at,
            deleted_at=deleted_at,
            comments_enabled=item.comment_status != "closed",
            topics=list(dict.fromkeys(topics)),
            tags=list(dict.fromkeys(t.name for t in tags if t is not None)),
            authors=authors,
            featured=featured,
            featured_alt=featured_alt or title[:250],
            notes=notes,
        )

    def _state(self, item: WPItem, kind: str, notes: list[str]):
        """(status, publish_at, deleted_at) for the item's WordPress status."""
        wp_status, deleted_at = item.status, None
        if wp_status == "trash":
            wp_status = item.meta.get("_wp_trash_meta_status", "draft")
            trashed = _int(item.meta.get("_wp_trash_meta_time", ""))
            deleted_at = datetime.fromtimestamp(trashed, UTC) if trashed else self.now
            if deleted_at.year > 2200:
                deleted_at = self.now
        status = STATUSES.get(wp_status)
        if status is None:
            status = Status.DRAFT
            notes.append(f"its WordPress status “{wp_status[:40]}” is unknown; it is a draft.")
        if kind == Kind.PAGE and status != Status.DRAFT:
            status = Status.DRAFT
            notes.append(
                "a WordPress page: Dossier has no standalone pages, so it was imported as a "
                "draft article for an editor to publish or delete."
            )
        publish_at = item.date_gmt or (
            timezone.make_aware(item.date) if item.date is not None else None
        )
        if item.date_problem:
            notes.append(f"{item.date_problem}.")
        if status in {Status.PUBLISHED, Status.UNPUBLISHED} and publish_at is None:
            status = Status.DRAFT
            notes.append("it has no readable publish date: it was imported as a draft.")
        if status == Status.DRAFT or status == Status.IN_REVIEW:
            publish_at = None  # WordPress's date of a draft is when it was last saved
        if wp_status == "future" and publish_at is not None and publish_at <= self.now:
            notes.append("it was scheduled for a time already past, so it is live now.")
        if wp_status == "private":
            notes.append("private in WordPress: imported as unpublished.")
        return status, publish_at, deleted_at

    def _creator(self, login: str) -> Author | None:
        if not login:
            return None
        if login not in self.authors:
            self._safely(
                f"Author “{login}”",
                self._author,
                WPAuthor(id=None, login=login, email="", display_name=login),
            )
        return self.authors.get(login)

    def _fallback_topic(self) -> Topic:
        if self.default_topic is None:
            topic = (
                self.topics.get("uncategorized") or Topic.objects.filter(name=DEFAULT_TOPIC).first()
            )
            self.default_topic = topic or Topic.objects.create(
                name=DEFAULT_TOPIC,
                slug=_free_slug(Topic, "uncategorized", max_length=140, fallback="topic"),
            )
        return self.default_topic

    def _write(self, plan: _ArticlePlan, *, article: Article | None) -> Article:
        adding = article is None
        if adding:
            slug = _free_slug(Article, plan.slug_wanted, max_length=220, fallback="article")
            if slug != slugify(plan.slug_wanted, allow_unicode=True)[:212].strip("-_"):
                plan.notes.append(
                    f"its address “{plan.slug_wanted[:80]}” was taken or not a "
                    f"valid slug; it is /articles/{slug}/."
                )
            article = Article(slug=slug, created_by=self.by)
        from_status = "" if adding else article.status
        article.title = plan.title
        article.standfirst = plan.standfirst
        article.body = plan.body
        article.status = plan.status
        article.publish_at = plan.publish_at
        article.deleted_at = plan.deleted_at
        article.comments_enabled = plan.comments_enabled
        article.primary_topic = plan.topics[0]
        if plan.featured and not self.dry_run and article.featured_image.name != plan.featured:
            # Into the media library, like any image an editor uploads: found there, described
            # there, and shown as used by the article. One library image per imported file.
            image = Image.objects.filter(file=plan.featured).first()
            if image is None:
                image = Image(file=plan.featured, alt=plan.featured_alt[:250])
                image.save()
            article.featured_library_image = image
        article.save()
        article.topics.set(plan.topics[1:])
        article.tags.set(plan.tags)
        if [b.author_id for b in article.bylines.all()] != [a.pk for a in plan.authors]:
            article.bylines.all().delete()
            for position, author in enumerate(plan.authors):
                Byline.objects.create(article=article, author=author, sort_order=position)
        action = "import" if adding else "import update"
        workflow.record(
            article=article,
            by=self.by,
            action=action,
            from_status=from_status,
            reason="Imported from WordPress.",
        )
        revisions.record_revision(article=article, by=self.by, comment="Imported from WordPress")
        return article

    # --- comments -----------------------------------------------------------------------

    def _comments(self, item: WPItem, article: Article) -> None:
        by_id = {c.id: c for c in item.comments}

        def depth(comment: WPComment) -> int:
            seen, level = {comment.id}, 0
            while comment.parent_id in by_id and comment.parent_id not in seen:
                seen.add(comment.parent_id)
                comment, level = by_id[comment.parent_id], level + 1
            return level

        pingbacks = 0
        for comment in sorted(item.comments, key=depth):
            if comment.type in {"pingback", "trackback"}:
                pingbacks += 1
                continue
            self._safely(
                f"Comment {comment.id} on {item.label}", self._comment, comment, article, item
            )
        if pingbacks:
            self.summary.skipped.append(
                f"{item.label}: {pingbacks} pingback(s) or trackback(s); Dossier has none."
            )

    def _comment(self, comment: WPComment, article: Article, item: WPItem) -> None:
        what = f"Comment {comment.id} on {item.label}"
        fp = fingerprint(comment)
        found = self._find(Kind.COMMENT, comment.id)
        if found is not None:
            if found.fingerprint == fp:
                self.summary.unchanged[Kind.COMMENT] += 1
            else:
                self.summary.skipped.append(
                    f"{what}: changed in WordPress since it was imported; comments are "
                    "imported once and then moderated in Dossier."
                )
            return
        body = html_to_text(comment.content)
        if not body:
            self.summary.skipped.append(f"{what}: it is empty.")
            return
        parent = None
        if comment.parent_id:
            parent_row = self._find(Kind.COMMENT, comment.parent_id)
            parent = parent_row.comment if parent_row else None
            if parent is not None and parent.parent_id is not None:
                parent = parent.parent  # one level of replies: answer in the same thread
        status = COMMENT_STATUSES.get(comment.approved, CommentStatus.PENDING)
        created = Comment.objects.create(
            article=article,
            parent=parent,
            name=(comment.author or "Anonymous")[:80],
            email=_valid_email(comment.email),
            body=body,
            status=status,
            ip_address=_valid_ip(comment.ip),
            created_at=comment.date_gmt or article.publish_at or self.now,
            moderated_at=None if status == CommentStatus.PENDING else self.now,
            moderated_by=None if status == CommentStatus.PENDING else self.by,
        )
        ImportedItem.objects.create(
            site=self.site, kind=Kind.COMMENT, wp_id=comment.id, comment=created, fingerprint=fp
        )
        self.summary.imported[Kind.COMMENT] += 1


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) <= 18 else None


def _valid_email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value[:254]


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None
