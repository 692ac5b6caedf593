from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.files.storage import default_storage
from django.forms import Script
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from core.admin import MediaStoreErrors, PlainHelpText

from .. import editor, revisions, workflow
from ..models import Article, Status
from .actions import BulkActions
from .filters import ScheduleFilter, TrashFilter
from .forms import ArticleAdminForm
from .inlines import ActivityInline, BylineInline, ExpertQuoteInline, RelatedLinkInline
from .views import EditorViews, PreviewViews, RevisionViews, TransitionViews, TrashViews


@admin.register(Article)
class ArticleAdmin(
    EditorViews,
    TransitionViews,
    RevisionViews,
    PreviewViews,
    TrashViews,
    BulkActions,
    MediaStoreErrors,
    PlainHelpText,
    admin.ModelAdmin,
):
    form = ArticleAdminForm

    class Media:
        css = {"all": ["css/admin.css"]}
        # The toolbar, live preview and counters (a static file: the CSP allows no inline script).
        js = [
            Script("js/article-editor.js", defer=True),
            Script("js/slug-from-title.js", defer=True),
        ]

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
    # Not Django's prepopulated_fields: static/js/slug-from-title.js fills the slug from the
    # title on the add form only, as the server's slugify() would, until the editor edits it.
    autocomplete_fields = ["primary_topic", "topics", "featured_library_image"]
    inlines = [BylineInline, ExpertQuoteInline, RelatedLinkInline, ActivityInline]
    readonly_fields = [
        "status_badge", "schedule_note", "body_check", "body_statistics", "preview_link",
        "created_at", "modified_at", "featured_image_preview",
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
            {"fields": ["featured_library_image", "featured_image_preview", "featured_image",
                        "featured_image_alt", "featured_image_credit"],
             "description": "Choose an image from the media library: its description, credit "
                            "and focal point come with it. Or upload one below for this article "
                            "alone, with its own description and credit: it stays out of the "
                            "library and is deleted with the article.",
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
                image_search_url=reverse("admin:images_image_search"),
                image_add_url=reverse("admin:images_image_add"),
                article=obj,
            ),
        }
        form = super().get_form(request, obj, change, widgets=widgets, **kwargs)
        if obj is None and "slug" in form.base_fields:
            # The class is made afresh for each request, so this attribute is this form's only.
            form.base_fields["slug"].widget.attrs["data-slug-from"] = "id_title"
        return form

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
        if obj is None:
            return super().has_delete_permission(request)
        # "Delete" moves to the trash; the workflow says who may (writers: their own drafts).
        return workflow.may_move_to_trash(article=obj, user=request.user)

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

    def get_deleted_objects(self, objs, request):
        """What "Delete" touches: the articles themselves, moved to the trash. Nothing related
        is deleted, so Django's walk through related rows (and their delete permissions) would
        describe something that does not happen. ``perms_needed`` names the articles this person
        may not move to the trash, for the confirmation page to list."""
        articles = list(objs)
        ids = [article.pk for article in articles]
        live = set(Article.objects.filter(pk__in=ids).live().values_list("pk", flat=True))
        to_trash = [
            format_html(
                '<a href="{}">{}</a> ({})',
                reverse("admin:articles_article_change", args=[article.pk]),
                article.title,
                self._trash_note(article, live=article.pk in live),
            )
            for article in articles
        ]
        refused = {a.title for a in articles if not self.has_delete_permission(request, a)}
        count = {Article._meta.verbose_name_plural: len(articles)} if articles else {}
        return to_trash, count, refused, []

    @staticmethod
    def _trash_note(article: Article, *, live: bool) -> str:
        if live:
            return "live now: readers will no longer see it"
        if article.is_scheduled:
            return "scheduled: it will not go live while it is in the trash"
        if article.status == Status.PUBLISHED:
            return "published, but expired: not on the site"
        return f"{article.get_status_display().lower()}: not on the site"

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

    def delete_view(self, request, object_id, extra_context=None):
        return super().delete_view(
            request, object_id, {"title": "Move to the trash?", **(extra_context or {})}
        )

    def response_delete(self, request, obj_display, obj_id):
        messages.success(
            request,
            f"“{obj_display}” was moved to the trash. Editors can restore it from the list's "
            "trash filter.",
        )
        return HttpResponseRedirect(reverse("admin:articles_article_changelist"))

    # --- the extra views (views.py) --------------------------------------------------------

    def get_urls(self):
        return [
            *self.editor_urls(),
            *self.transition_urls(),
            *self.revision_urls(),
            *self.preview_urls(),
            *self.trash_urls(),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            actions = workflow.allowed_transitions(article=obj, user=request.user)
            context.update(
                workflow_actions=actions,
                workflow_help=self._workflow_help(
                    actions, may_edit=self.has_change_permission(request, obj)
                ),
                in_trash=obj.deleted_at is not None,
                may_restore=workflow.may_restore_from_trash(article=obj, user=request.user),
                restore_note=self.restore_note(obj),
                may_purge=workflow.may_purge(article=obj, user=request.user),
                may_share=workflow.may_share_preview(article=obj, user=request.user),
                preview_links=[
                    (link, request.build_absolute_uri(link.get_absolute_url()))
                    for link in obj.preview_links.active()
                ],
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    @staticmethod
    def _workflow_help(actions: list[workflow.Transition], *, may_edit: bool) -> str:
        """The hint under the workflow buttons, naming only steps this person has: saving
        if they may edit the form, scheduling if they may also publish from this state."""
        if not may_edit:
            return ""
        hint = "Save your changes before using these buttons."
        publishing = [f"“{t.label}”" for t in actions if t.target == Status.PUBLISHED]
        if publishing:
            hint += (
                " To schedule, set “publish at” to a future time, save, then press "
                f"{' or '.join(publishing)}."
            )
        return hint

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

    @admin.display(description="as shown")
    def featured_image_preview(self, article: Article) -> str:
        if article.pk is None or not article.featured_image:
            return "No featured image."
        if article.featured_library_image_id is None:
            source = "Uploaded to this article alone (not in the media library)."
        else:
            source = "From the media library, where its description, credit and focal point "
            source += "are edited."
        widths = article.featured_image_renditions.get("widths") or {}
        # The narrowest copy will do for a thumbnail; the original may be megabytes.
        thumbnail = (
            default_storage.url(widths[min(widths, key=int)])
            if widths
            else article.featured_image.url
        )
        return format_html(
            '<img class="dossier-thumbnail" src="{}" alt="" width="160"><br>{}<br>'
            "<small>{}</small>",
            thumbnail,
            " · ".join(
                part for part in (article.featured_image_alt, article.featured_image_credit) if part
            ),
            source,
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
