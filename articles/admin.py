from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Script
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from . import editor, preview, revisions, workflow
from .models import (
    Article,
    ArticleActivity,
    Byline,
    ExpertQuote,
    PreviewLink,
    RelatedLink,
    Status,
)

MISSING_VERSION = (
    "This request did not say which version of the article it was made from, so it could not "
    "be checked against other people's changes. Reload the page and try again."
)


def _posted_version(request) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _json_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


class BylineFormSet(forms.BaseInlineFormSet):
    default_error_messages = {
        # The same rule the workflow applies when publishing (workflow.MissingByline).
        "too_few_forms": "Add at least one author to the byline.",
    }


class BylineInline(admin.TabularInline):
    model = Byline
    formset = BylineFormSet
    extra = 0
    min_num = 1
    autocomplete_fields = ["author"]
    fields = ["author", "sort_order"]
    verbose_name = "author"
    verbose_name_plural = "byline (in order)"

    def get_formset(self, request, obj=None, **kwargs):
        # min_num alone only shows a row; validate_min makes "at least one author" a rule.
        kwargs.setdefault("validate_min", True)
        return super().get_formset(request, obj, **kwargs)


class ExpertQuoteInline(admin.StackedInline):
    model = ExpertQuote
    extra = 0
    autocomplete_fields = ["expert"]
    fields = [("expert", "key", "sort_order"), "text", ("context", "said_on"), "source_url"]


class ActivityInline(admin.TabularInline):
    """The article's activity log: read-only, newest first."""

    model = ArticleActivity
    extra = 0
    can_delete = False
    fields = ["created_at", "actor", "action", "from_status", "to_status", "reason"]
    readonly_fields = fields
    verbose_name = "activity"
    verbose_name_plural = "activity log"
    classes = ["collapse"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    fk_name = "from_article"
    extra = 0
    autocomplete_fields = ["to_article"]
    fields = ["to_article", "lead_in", "sort_order"]
    verbose_name = "related article"
    verbose_name_plural = "related reading (curated, in order)"


class ArticleAdminForm(forms.ModelForm):
    # The version the editor loaded; a save from an older version is refused (no lost edits).
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 -- the admin narrows this to its fieldsets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        # The admin wraps the whole request in a transaction, so this lock holds until the
        # save: nobody can slip a save in between the check and ours.
        current = (
            Article.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        expected = cleaned.get("expected_version")
        if expected is None:
            raise ValidationError(
                "This form is missing the version it was opened at, so it cannot be checked "
                "against other people's changes. Reload the page and make your change again.",
                code="missing_version",
            )
        if current is not None and expected is not None and expected != current:
            raise ValidationError(
                format_html(
                    "Someone else saved this article after you opened it, so your changes were "
                    'not saved. <a href="{}" target="_blank" rel="noopener">Open the latest '
                    'version in a new tab</a> and its <a href="{}" target="_blank" '
                    'rel="noopener">history</a> to see what changed, then copy your changes '
                    "across.",
                    reverse("admin:articles_article_change", args=[self.instance.pk]),
                    reverse("admin:articles_article_history", args=[self.instance.pk]),
                ),
                code="edit_conflict",
            )
        return cleaned


class TrashFilter(admin.SimpleListFilter):
    title = "trash"
    parameter_name = "trash"

    def lookups(self, request, model_admin):
        return [("only", "In the trash")]

    def queryset(self, request, queryset):
        if self.value() == "only":
            return queryset.trashed()
        return queryset.not_trashed()


class ScheduleFilter(admin.SimpleListFilter):
    title = "schedule"
    parameter_name = "schedule"

    def lookups(self, request, model_admin):
        return [("scheduled", "Scheduled"), ("live", "Live now"), ("expired", "Expired")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "scheduled":
            return queryset.scheduled(now)
        if self.value() == "live":
            return queryset.live(now)
        if self.value() == "expired":
            return queryset.filter(status=Status.PUBLISHED, expire_at__lte=now)
        return queryset


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm

    class Media:
        css = {"all": ["css/admin.css"]}
        # The toolbar, live preview and counters (a static file: the CSP allows no inline script).
        js = [Script("js/article-editor.js", defer=True)]

    change_form_template = "admin/articles/article/change_form.html"
    list_display = ["title", "status_badge", "primary_topic", "byline", "publish_at", "modified_at"]
    list_filter = [
        "status", ScheduleFilter, "primary_topic", "featured", "noindex", "bylines__author",
        TrashFilter,
    ]  # fmt: skip
    list_select_related = ["primary_topic__parent"]
    search_fields = ["title", "slug", "standfirst"]
    date_hierarchy = "publish_at"
    ordering = ["-modified_at"]
    # Django would also count every article, unfiltered, on every load ("N total"): a full
    # scan at 100,000 rows. The count of what the list shows is enough.
    show_full_result_count = False
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["primary_topic", "topics"]
    inlines = [BylineInline, ExpertQuoteInline, RelatedLinkInline, ActivityInline]
    readonly_fields = [
        "status_badge", "schedule_note", "body_check", "body_statistics", "preview_link",
        "created_at", "modified_at",
    ]  # fmt: skip
    actions = ["submit_selected", "approve_selected", "unpublish_selected", "archive_selected",
               "delete_selected", "restore_selected", "purge_selected"]  # fmt: skip
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "preview_link"]}),
        ("Body", {"fields": ["body", "body_check", "body_statistics"]}),
        ("Placement", {"fields": ["primary_topic", "topics", "tags", "featured"]}),
        (
            "Publishing",
            {"fields": ["status_badge", "schedule_note", "publish_at", "expire_at", "updated_at",
                        "created_at", "modified_at", "expected_version"],
             "description": "The state changes only through the workflow buttons at the top."},
        ),
        (
            "Featured image",
            {"fields": ["featured_image", "featured_image_alt", "featured_image_credit"],
             "classes": ["collapse"]},
        ),
        ("Comments", {"fields": ["comments_enabled"], "classes": ["collapse"]}),
        (
            "Search engines",
            {"fields": ["seo_title", "meta_description", "canonical_url", "noindex"],
             "classes": ["collapse"]},
        ),
    ]  # fmt: skip

    def get_queryset(self, request):
        # The byline column would otherwise cost a query per row.
        return super().get_queryset(request).with_bylines()

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The body's editor needs the article (its saved quote keys, its id for the preview),
        # which formfield_for_dbfield never sees.
        widgets = {
            **kwargs.pop("widgets", {}),
            "body": editor.BodyEditorWidget(
                preview_url=reverse("admin:articles_article_editor_preview"),
                search_url=reverse("admin:articles_article_editor_search"),
                article=obj,
            ),
        }
        return super().get_form(request, obj, change, widgets=widgets, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        recommended = editor.RECOMMENDED_LENGTHS.get(db_field.name)
        if recommended is not None:
            kwargs["widget"] = editor.CountedTextInput(recommended=recommended)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_inlines(self, request, obj):
        # A new article has no history yet.
        return (
            self.inlines
            if obj is not None
            else [i for i in self.inlines if i is not ActivityInline]
        )

    # --- permissions: enforced here, on the server, for every view and POST ----------------

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return obj.deleted_at is None and workflow.may_edit(article=obj, user=request.user)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        if obj is not None and obj.deleted_at is not None:
            return False  # already in the trash: restore or purge it instead
        if obj is None or request.user.has_perm("articles.edit_any_article"):
            return True
        # Writers may bin their own drafts, nothing else.
        return obj.status in {Status.DRAFT, Status.RETURNED} and workflow.is_owner(
            article=obj, user=request.user
        )

    # --- saving --------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        workflow.save_article(
            article=obj, by=request.user, expected_version=form.cleaned_data.get("expected_version")
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The revision is taken now that byline, quotes, links and tags are saved too.
        revisions.record_revision(
            article=form.instance, by=request.user, comment="Edited" if change else "Created"
        )
        # Quotes and links are saved after the article, so the body is checked only now.
        for problem in form.instance.body_problems():
            messages.warning(request, problem)

    def delete_model(self, request, obj):
        workflow.move_to_trash(article=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            workflow.move_to_trash(article=article, by=request.user)

    # --- "Save and preview" ------------------------------------------------------------------

    SAVE_AND_PREVIEW = "_saveandpreview"

    def response_add(self, request, obj, post_url_continue=None):
        return self._preview_after_save(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return self._preview_after_save(request, obj) or super().response_change(request, obj)

    def _preview_after_save(self, request, obj: Article) -> HttpResponseRedirect | None:
        """After a successful save (the version check has passed by now), show the article
        as readers will see it: staff open drafts through the article page (``visible_to``)."""
        if self.SAVE_AND_PREVIEW not in request.POST or IS_POPUP_VAR in request.POST:
            return None
        if not Article.objects.visible_to(request.user).filter(pk=obj.pk).exists():
            messages.warning(
                request,
                f"“{obj}” was saved, but your account cannot open previews of unpublished "
                "articles, so you are back on the form.",
            )
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))
        messages.success(request, f"“{obj}” was saved and opened in preview.")
        return HttpResponseRedirect(obj.get_absolute_url())

    def response_delete(self, request, obj_display, obj_id):
        messages.success(
            request,
            f"“{obj_display}” was moved to the trash. Editors can restore it from the list's "
            "trash filter.",
        )
        return HttpResponseRedirect(reverse("admin:articles_article_changelist"))

    # --- workflow buttons -----------------------------------------------------------------

    def get_urls(self):
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
            path(
                "<int:pk>/transition/<slug:name>/",
                self.admin_site.admin_view(self.transition_view),
                name="articles_article_transition",
            ),
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
            *super().get_urls(),
        ]

    # --- the body editor's endpoints (static/js/article-editor.js) --------------------------

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
            )
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, self._transition_message(article, name))
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))

    @staticmethod
    def _transition_message(article: Article, name: str) -> str:
        if article.is_scheduled:
            when = timezone.localtime(article.publish_at).strftime("%d %b %Y, %H:%M %Z")
            return f"“{article.title}” is scheduled: it goes live on {when}."
        return f"“{article.title}” is now {article.get_status_display().lower()}."

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
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "title": f"Revisions of “{article.title}”",
            "versions": versions,
            "comparison": comparison,
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
        messages.success(
            request,
            "The revision was restored as a new revision; the previous text is still in the "
            "history.",
        )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))

    def share_preview_view(self, request, pk: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = get_object_or_404(Article.objects.not_trashed(), pk=pk)
        if not self.has_change_permission(request, article) and not request.user.has_perm(
            "articles.review_article"
        ):
            raise PermissionDenied
        try:
            days = int(request.POST.get("days", "7"))
            link = preview.share_preview(article=article, by=request.user, days=days)
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
        if not self.has_change_permission(request, link.article) and not request.user.has_perm(
            "articles.review_article"
        ):
            raise PermissionDenied
        preview.revoke_preview(link=link)
        workflow.record(article=link.article, by=request.user, action="revoke preview")
        messages.success(request, "The preview link no longer works.")
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))

    def restore_view(self, request, pk: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = get_object_or_404(Article.objects.trashed(), pk=pk)
        if not request.user.has_perm("articles.edit_any_article"):
            raise PermissionDenied
        workflow.restore_from_trash(article=article, by=request.user)
        messages.success(request, f"“{article.title}” was restored from the trash.")
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))

    def purge_view(self, request, pk: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = get_object_or_404(Article.objects.trashed(), pk=pk)
        try:
            # Logged in Django's admin log first: the article's own activity goes with it.
            if request.user.has_perm("articles.purge_article"):
                self.log_deletions(request, Article.objects.filter(pk=article.pk))
            workflow.purge(article=article, by=request.user)
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))
        messages.success(request, f"“{article.title}” was deleted for good.")
        return HttpResponseRedirect(reverse("admin:articles_article_changelist") + "?trash=only")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(
                workflow_actions=[
                    t for t in workflow.allowed_transitions(article=obj, user=request.user)
                ],
                in_trash=obj.deleted_at is not None,
                may_restore=request.user.has_perm("articles.edit_any_article"),
                may_purge=request.user.has_perm("articles.purge_article"),
                may_share=self.has_change_permission(request, obj)
                or request.user.has_perm("articles.review_article"),
                preview_links=[
                    (link, request.build_absolute_uri(link.get_absolute_url()))
                    for link in obj.preview_links.active()
                ],
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- bulk actions ---------------------------------------------------------------------

    def _bulk(self, request, queryset, name: str) -> None:
        done, refused, without_byline = 0, [], []
        for article in queryset:
            try:
                workflow.transition(article=article, name=name, by=request.user)
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
        for article in queryset.trashed():
            workflow.restore_from_trash(article=article, by=request.user)
            restored += 1
        if restored:
            messages.success(request, f"Restored {restored} article(s) from the trash.")
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

    # --- columns and read-only fields -----------------------------------------------------

    @admin.display(description="status", ordering="status")
    def status_badge(self, article: Article) -> str:
        if article.deleted_at is not None:
            label, css_class = "In trash", "trash"
        elif article.is_scheduled:
            label, css_class = "Scheduled", "scheduled"
        else:
            label, css_class = article.get_status_display(), article.status
        return format_html(
            '<span class="dossier-badge dossier-badge--{}">{}</span>', css_class, label
        )

    @admin.display(description="go-live")
    def schedule_note(self, article: Article) -> str:
        if article.pk is None or article.publish_at is None:
            return "Goes live when it is published."
        when = timezone.localtime(article.publish_at).strftime("%d %b %Y, %H:%M %Z")
        if article.publish_at > timezone.now():
            return f"Goes live on {when} (if published by then)."
        return f"Publish time {when}."

    @admin.display(description="byline")
    def byline(self, article: Article) -> str:
        return ", ".join(b.author.name for b in article.bylines.all())

    @admin.display(description="body check")
    def body_check(self, article: Article) -> str:
        if article.pk is None:
            return "Save the article to check its body."
        problems = article.body_problems()
        if not problems:
            return "No problems found in the body."
        return format_html(
            '<ul class="dossier-warnings">{}</ul>',
            format_html_join("", "<li>{}</li>", ((p,) for p in problems)),
        )

    @admin.display(description="size")
    def body_statistics(self, article: Article) -> str:
        return f"{article.word_count:,} words · {article.reading_minutes} min read"

    @admin.display(description="preview")
    def preview_link(self, article: Article) -> str:
        if article.pk is None:
            return "Save the article to preview it."
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">Preview the article as readers will '
            "see it</a> (drafts are shown to staff only, marked as a preview)",
            article.get_absolute_url(),
        )


@admin.register(ExpertQuote)
class ExpertQuoteAdmin(admin.ModelAdmin):
    list_display = ["short_text", "expert", "article", "said_on"]
    list_select_related = ["expert", "article"]
    list_filter = ["expert"]
    search_fields = ["text", "expert__name", "article__title"]
    autocomplete_fields = ["expert", "article"]

    # Quotes belong to articles: the article's editing rules apply to them here too.
    def has_add_permission(self, request):
        return super().has_add_permission(request) and request.user.has_perm(
            "articles.edit_any_article"
        )

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (
            obj is None or workflow.may_edit(article=obj.article, user=request.user)
        )

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (
            obj is None or workflow.may_edit(article=obj.article, user=request.user)
        )

    @admin.display(description="quote")
    def short_text(self, quote: ExpertQuote) -> str:
        return quote.text[:90] + ("…" if len(quote.text) > 90 else "")
