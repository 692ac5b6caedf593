"""The article admin's extra views, one mixin per concern. Each mixin names its URLs in
a ``*_urls()`` method, which ``ArticleAdmin.get_urls()`` puts before Django's own."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html

from core import mail
from core.admin import MEDIA_STORE_DOWN_SHORT
from core.storage import MediaStoreUnavailable

from .. import editor, preview, revisions, workflow
from ..models import Article, PreviewLink, Status

MISSING_VERSION = (
    "This request did not say which version of the article it was made from, so it could not "
    "be checked against other people's changes. Reload the page and try again."
)


def _posted_version(request) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%d %b %Y, %H:%M %Z")


def _json_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


class EditorViews:
    """The body editor's endpoints (static/js/article-editor.js)."""

    def editor_urls(self) -> list[URLPattern]:
        return [
            path(
                "editor/preview/",
                self.admin_site.admin_view(self.editor_preview_view),
                name="articles_article_editor_preview",
            ),
            path(
                "editor/articles/",
                self.admin_site.admin_view(self.editor_search_view),
                name="articles_article_editor_search",
            ),
        ]

    def editor_preview_view(self, request):
        """The body as the article page would show it, rendered from the unsaved text. POST,
        because the body is large and the request must carry the CSRF token."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        body = request.POST.get("body")
        if body is None:
            return _json_error("Send the body to preview.", 400)
        article = None
        if article_id := request.POST.get("article", ""):
            if not (article_id.isascii() and article_id.isdigit()):
                return _json_error("The article to preview is not a number.", 400)
            article = Article.objects.not_trashed().filter(pk=int(article_id)).first()
            if article is None:
                return _json_error("That article does not exist or is in the trash.", 404)
            if not self.has_view_permission(request, article):
                raise PermissionDenied
        try:
            result = editor.preview_body(body=body, article=article)
        except editor.EditorInputError as error:
            return _json_error(str(error), 400)
        return JsonResponse(
            {
                "html": result.html,
                "warnings": result.warnings,
                "word_count": result.word_count,
                "reading_minutes": result.reading_minutes,
            }
        )

    def editor_search_view(self, request):
        """Articles to link from the body, by title or slug, for "Link to article"."""
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        exclude = request.GET.get("exclude", "")
        if exclude and not (exclude.isascii() and exclude.isdigit()):
            return _json_error("The article to leave out is not a number.", 400)
        try:
            results = editor.articles_to_link(
                user=request.user,
                term=request.GET.get("q", ""),
                exclude=int(exclude) if exclude else None,
            )
        except editor.EditorInputError as error:
            return _json_error(str(error), 400)
        return JsonResponse({"results": results})


class TransitionViews:
    """The workflow buttons on the change form."""

    def transition_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:pk>/transition/<slug:name>/",
                self.admin_site.admin_view(self.transition_view),
                name="articles_article_transition",
            ),
        ]

    def transition_view(self, request, pk: int, name: str):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        version = _posted_version(request)
        if version is None:
            messages.error(request, MISSING_VERSION)
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))
        try:
            article = workflow.transition(
                article=article,
                name=name,
                by=request.user,
                reason=request.POST.get("reason", ""),
                expected_version=version,
                site_url=mail.site_url(request),
            )
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, self._transition_message(article, name))
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))

    @staticmethod
    def _transition_message(article: Article, name: str) -> str:
        if article.is_scheduled:
            return f"“{article.title}” is scheduled: it goes live on {_when(article.publish_at)}."
        return f"“{article.title}” is now {article.get_status_display().lower()}."


class RevisionViews:
    """The revision history: list, compare, restore."""

    def revision_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:pk>/revisions/",
                self.admin_site.admin_view(self.revisions_view),
                name="articles_article_revisions",
            ),
            path(
                "<int:pk>/revisions/<int:version_id>/restore/",
                self.admin_site.admin_view(self.restore_revision_view),
                name="articles_article_restore_revision",
            ),
        ]

    def revisions_view(self, request, pk: int):
        """Every revision (who, when, which action), and a diff between any two."""
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        versions = list(revisions.versions_of(article))
        by_id = {v.pk: v for v in versions}
        comparison = None
        older_id, newer_id = request.GET.get("from", ""), request.GET.get("to", "")
        if older_id or newer_id:
            try:
                older, newer = by_id[int(older_id)], by_id[int(newer_id)]
            except (KeyError, ValueError):
                messages.error(request, "Choose two revisions of this article to compare.")
            else:
                if older.revision.date_created > newer.revision.date_created:
                    older, newer = newer, older
                comparison = {
                    "older": older,
                    "newer": newer,
                    "changes": revisions.diff(revisions.snapshot(older), revisions.snapshot(newer)),
                }
        # The radios mark what is compared (the older revision as "from", whichever way round
        # it was asked), else the latest change: the newest revision and the one before it.
        if comparison is not None:
            selected = (comparison["older"].pk, comparison["newer"].pk)
        else:
            selected = (
                versions[1].pk if len(versions) > 1 else None,
                versions[0].pk if versions else None,
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "title": f"Revisions of “{article.title}”",
            "versions": versions,
            "comparison": comparison,
            "selected_from": selected[0],
            "selected_to": selected[1],
            "may_restore": self.has_change_permission(request, article),
        }
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def restore_revision_view(self, request, pk: int, version_id: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = get_object_or_404(Article, pk=pk)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        version = get_object_or_404(revisions.versions_of(article), pk=version_id)
        expected = _posted_version(request)
        if expected is None:
            messages.error(request, MISSING_VERSION)
            return HttpResponseRedirect(reverse("admin:articles_article_revisions", args=[pk]))
        try:
            revisions.restore_revision(
                article=article, version=version, by=request.user, expected_version=expected
            )
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("admin:articles_article_revisions", args=[pk]))
        except MediaStoreUnavailable:
            # The revision's image needs its renditions made again, and the store is down; the
            # restore ran in one transaction, so nothing of it was kept.
            messages.error(request, f"The revision was not restored. {MEDIA_STORE_DOWN_SHORT}")
            return HttpResponseRedirect(reverse("admin:articles_article_revisions", args=[pk]))
        messages.success(
            request,
            "The revision was restored as a new revision; the previous text is still in the "
            "history.",
        )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))


class PreviewViews:
    """Share-preview links: share and revoke."""

    def preview_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:pk>/share-preview/",
                self.admin_site.admin_view(self.share_preview_view),
                name="articles_article_share_preview",
            ),
            path(
                "<int:pk>/revoke-preview/<int:link_id>/",
                self.admin_site.admin_view(self.revoke_preview_view),
                name="articles_article_revoke_preview",
            ),
        ]

    def share_preview_view(self, request, pk: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = get_object_or_404(Article.objects.not_trashed(), pk=pk)
        try:
            days = int(request.POST.get("days", "7"))
        except ValueError:
            days = 0  # out of range: refused by the service, after its permission check
        try:
            link = preview.share_preview(article=article, by=request.user, days=days)
        except workflow.NotAllowed:
            raise PermissionDenied from None
        except ValueError:
            messages.error(
                request, f"Choose how long the link works: 1 to {preview.MAX_DAYS} days."
            )
        else:
            url = request.build_absolute_uri(link.get_absolute_url())
            workflow.record(article=article, by=request.user, action="share preview")
            messages.success(
                request,
                format_html(
                    'Preview link (works without a login until {}): <a href="{}">{}</a>',
                    timezone.localtime(link.expires_at).strftime("%d %b %Y, %H:%M %Z"),
                    url,
                    url,
                ),
            )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))

    def revoke_preview_view(self, request, pk: int, link_id: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        link = get_object_or_404(PreviewLink, pk=link_id, article_id=pk)
        try:
            preview.revoke_preview(link=link, by=request.user)
        except workflow.NotAllowed:
            raise PermissionDenied from None
        workflow.record(article=link.article, by=request.user, action="revoke preview")
        messages.success(request, "The preview link no longer works.")
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))


class TrashViews:
    """Restore from the trash, or delete for good."""

    def trash_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:pk>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="articles_article_restore",
            ),
            path(
                "<int:pk>/purge/",
                self.admin_site.admin_view(self.purge_view),
                name="articles_article_purge",
            ),
        ]

    def restore_view(self, request, pk: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = get_object_or_404(Article.objects.trashed(), pk=pk)
        try:
            workflow.restore_from_trash(article=article, by=request.user)
        except workflow.NotAllowed:
            raise PermissionDenied from None
        messages.success(request, f"“{article.title}” was restored from the trash.")
        # Restoring keeps the state the article was trashed in: a published one is back on the
        # site, which nobody should learn from a reader.
        if article.is_live:
            messages.warning(
                request,
                "It is published, so it is live on the site again. Unpublish it if readers "
                "should not see it.",
            )
        elif article.is_scheduled:
            messages.warning(
                request,
                f"It is scheduled, so it goes live on {_when(article.publish_at)}. Unpublish it "
                "if it should not.",
            )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))

    @staticmethod
    def restore_note(article: Article) -> str:
        """Said beside "Restore from trash": restoring keeps the article's state (as the trash
        kept it), so a published article goes back on the site."""
        if article.status != Status.PUBLISHED:
            return ""
        now = timezone.now()
        if article.expire_at is not None and article.expire_at <= now:
            return ""
        if article.publish_at is not None and article.publish_at > now:
            return (
                f"It is scheduled: restoring it puts it back on the site on "
                f"{_when(article.publish_at)}."
            )
        return "It is published: restoring it puts it back on the site at once."

    def purge_view(self, request, pk: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = get_object_or_404(Article.objects.trashed(), pk=pk)
        try:
            # Logged in Django's admin log first: the article's own activity goes with it.
            if workflow.may_purge(article=article, user=request.user):
                self.log_deletions(request, Article.objects.filter(pk=article.pk))
            workflow.purge(article=article, by=request.user)
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))
        messages.success(request, f"“{article.title}” was deleted for good.")
        return HttpResponseRedirect(reverse("admin:articles_article_changelist") + "?trash=only")
