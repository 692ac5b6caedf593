"""The changelist's bulk actions, each one workflow service call per article."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.core.exceptions import PermissionDenied

from core import mail

from .. import workflow
from ..models import Article


class BulkActions:
    """Mixed into ArticleAdmin, which lists these in ``actions``."""

    def _bulk(self, request, queryset, name: str) -> None:
        done, refused, without_byline = 0, [], []
        site_url = mail.site_url(request)
        for article in queryset:
            try:
                workflow.transition(article=article, name=name, by=request.user, site_url=site_url)
                done += 1
            except workflow.MissingByline:
                without_byline.append(article.title)
            except workflow.WorkflowError:
                refused.append(article.title)
        label = workflow.TRANSITIONS[name].label
        if done:
            messages.success(request, f"{label}: done for {done} article(s).")
        if refused:
            messages.warning(
                request,
                f"{label}: not allowed for {len(refused)} article(s) in their current state or "
                f"for your role: {', '.join(refused[:10])}{'…' if len(refused) > 10 else ''}.",
            )
        if without_byline:
            messages.error(
                request,
                f"{label}: not done for {len(without_byline)} article(s) with no author on the "
                "byline; add at least one author to each before publishing: "
                f"{', '.join(without_byline[:10])}{'…' if len(without_byline) > 10 else ''}.",
            )

    @admin.action(description="Submit selected for review", permissions=["submit"])
    def submit_selected(self, request, queryset):
        self._bulk(request, queryset, "submit")

    @admin.action(description="Approve and publish selected", permissions=["review"])
    def approve_selected(self, request, queryset):
        self._bulk(request, queryset, "approve")

    @admin.action(description="Unpublish selected", permissions=["review"])
    def unpublish_selected(self, request, queryset):
        self._bulk(request, queryset, "unpublish")

    @admin.action(description="Archive selected", permissions=["publish"])
    def archive_selected(self, request, queryset):
        self._bulk(request, queryset, "archive")

    @admin.action(description="Move selected articles to the trash", permissions=["delete"])
    def delete_selected(self, request, queryset):
        """Django's bulk delete, with its confirmation page and its check of each article's
        delete permission, but saying what really happens: the articles go to the trash."""
        if not request.POST.get("post"):
            return django_delete_selected(self, request, queryset)
        _objects, _counts, perms_needed, _protected = self.get_deleted_objects(queryset, request)
        if perms_needed:
            raise PermissionDenied
        articles = list(queryset)
        self.log_deletions(request, queryset)
        self.delete_queryset(request, articles)
        messages.success(
            request,
            f"Moved {len(articles)} article(s) to the trash. Editors can restore them from the "
            "list's trash filter.",
        )

    @admin.action(description="Restore selected from the trash", permissions=["edit_any"])
    def restore_selected(self, request, queryset):
        restored = 0
        # Counted first: restoring takes articles out of a list filtered to the trash.
        selected = len(queryset)
        articles = list(queryset.trashed())
        for article in articles:
            workflow.restore_from_trash(article=article, by=request.user)
            restored += 1
        if restored:
            messages.success(request, f"Restored {restored} article(s) from the trash.")
        # They keep the state they were trashed in, so published ones are back on the site.
        back = Article.objects.filter(pk__in=[a.pk for a in articles])
        live = list(back.live().values_list("title", flat=True))
        if live:
            messages.warning(
                request,
                f"{len(live)} of them are published and live on the site again: "
                f"{', '.join(live[:10])}{'…' if len(live) > 10 else ''}. Unpublish any that "
                "readers should not see.",
            )
        scheduled = list(back.scheduled().values_list("title", flat=True))
        if scheduled:
            messages.warning(
                request,
                f"{len(scheduled)} of them are scheduled and will go live at their publish "
                f"time: {', '.join(scheduled[:10])}{'…' if len(scheduled) > 10 else ''}.",
            )
        self._warn_not_in_trash(request, selected=selected, done=restored)

    @admin.action(description="Delete selected for good (trash only)", permissions=["purge"])
    def purge_selected(self, request, queryset):
        purged = 0
        selected = len(queryset)
        trashed = queryset.trashed()
        self.log_deletions(request, trashed)
        for article in trashed:
            workflow.purge(article=article, by=request.user)
            purged += 1
        if purged:
            messages.success(request, f"Deleted {purged} article(s) for good.")
        self._warn_not_in_trash(request, selected=selected, done=purged)

    @staticmethod
    def _warn_not_in_trash(request, *, selected: int, done: int) -> None:
        if selected > done:
            messages.warning(
                request,
                f"{selected - done} selected article(s) are not in the trash and were left as "
                "they are: choose the trash filter (“In the trash”) to find articles to restore "
                "or delete for good.",
            )

    def has_submit_permission(self, request):
        return request.user.has_perm("articles.submit_article") or request.user.has_perm(
            "articles.publish_article"
        )

    def has_review_permission(self, request):
        return request.user.has_perm("articles.review_article") or request.user.has_perm(
            "articles.publish_article"
        )

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def has_edit_any_permission(self, request):
        return request.user.has_perm("articles.edit_any_article")

    def has_purge_permission(self, request):
        return request.user.has_perm("articles.purge_article")
