"""The moderation queue: comments (pending first), reports, and the blocklist.

Moderators and Editors hold the permissions (comments.0002). Comments are never added here:
they come from readers, and staff answer through "Reply as the editors".
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from core import mail

from . import services, text
from .models import MODERATION_ORDER, BlockedTerm, Comment, CommentStatus, Report, ReportStatus


def badge(value: str, label: str) -> str:
    return format_html('<span class="dossier-badge dossier-badge--{}">{}</span>', value, label)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Reply",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text="Published at once under the comment, marked as from the editors. Plain text.",
    )

    def clean_body(self) -> str:
        body = text.clean_input(self.cleaned_data["body"])
        if not body:
            raise ValidationError("Write the reply first.")
        return body


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["excerpt", "name", "article_link", "status_badge", "created_at"]
    list_filter = ["status", "from_editors", ("article", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["body", "name", "email", "article__title"]
    list_select_related = ["article"]
    list_per_page = 50
    # A moderation queue grows without bound; counting every row on each load is not needed.
    show_full_result_count = False
    actions = ["approve_selected", "reject_selected", "spam_selected", "delete_selected"]
    fields = [
        "article_link", "parent", "name", "email", "notify_replies", "body", "status",
        "from_editors", "ip_address", "created_at", "moderated_at", "moderated_by",
    ]  # fmt: skip
    readonly_fields = [
        "article_link", "parent", "notify_replies", "from_editors", "ip_address", "created_at",
        "moderated_at", "moderated_by",
    ]  # fmt: skip
    change_form_template = "admin/comments/comment/change_form.html"

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_queryset(self, request):
        # Not super(): it orders by get_ordering() before the "waiting" annotation exists.
        return Comment.objects.moderation_order()

    def get_ordering(self, request):
        # The annotations come from get_queryset(): pending first, oldest first; then the rest.
        return MODERATION_ORDER

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            obj.moderated_by = request.user
            obj.moderated_at = timezone.now()
        super().save_model(request, obj, form, change)

    # --- columns ---------------------------------------------------------------------------

    @admin.display(description="comment")
    def excerpt(self, comment: Comment) -> str:
        label = Truncator(comment.body).chars(90)
        return f"↳ {label}" if comment.parent_id else label

    @admin.display(description="article", ordering="article__title")
    def article_link(self, comment: Comment) -> str:
        return format_html(
            '<a href="{}#comments">{}</a>', comment.article.get_absolute_url(), comment.article
        )

    @admin.display(description="status", ordering="status")
    def status_badge(self, comment: Comment) -> str:
        label = "From the editors" if comment.from_editors else comment.get_status_display()
        return badge(f"comment-{comment.status}", label)

    # --- bulk moderation -------------------------------------------------------------------

    def _moderate(self, request, queryset, status: str, label: str) -> None:
        changed = services.moderate(comments=queryset, status=status, by=request.user)
        messages.success(request, f"{label}: {changed} comment(s).")

    @admin.action(description="Approve selected comments", permissions=["change"])
    def approve_selected(self, request, queryset):
        self._moderate(request, queryset, CommentStatus.APPROVED, "Approved")

    @admin.action(description="Reject selected comments", permissions=["change"])
    def reject_selected(self, request, queryset):
        self._moderate(request, queryset, CommentStatus.REJECTED, "Rejected")

    @admin.action(description="Mark selected comments as spam", permissions=["change"])
    def spam_selected(self, request, queryset):
        self._moderate(request, queryset, CommentStatus.SPAM, "Marked as spam")

    # --- editors' reply --------------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<int:pk>/reply/",
                self.admin_site.admin_view(self.reply_view),
                name="comments_comment_reply",
            ),
            *super().get_urls(),
        ]

    def reply_view(self, request, pk: int):
        if not (
            self.has_change_permission(request) and request.user.has_perm("comments.add_comment")
        ):
            raise PermissionDenied
        parent = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
        form = ReplyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            reply = services.post_editors_reply(
                parent=parent,
                body=form.cleaned_data["body"],
                by=request.user,
                site_url=mail.site_url(request),
            )
            if parent.status != CommentStatus.APPROVED and parent.parent_id is None:
                messages.warning(
                    request,
                    "The reply is published, but readers see it only once the comment it "
                    "answers is approved.",
                )
            told = services.reply_notice_due(answered=parent, thread=reply.parent)
            messages.success(
                request,
                "Your reply is published on the article."
                + (f" {parent.name} is e-mailed a link to it, as they asked." if told else ""),
            )
            return redirect(reverse("admin:comments_comment_change", args=[reply.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Reply to {parent.name}",
            "parent": parent,
            "form": form,
        }
        return TemplateResponse(request, "admin/comments/comment/reply.html", context)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["reason", "target", "details_excerpt", "status_badge", "created_at"]
    list_filter = ["status", "reason"]
    search_fields = ["details", "article__title", "comment__body"]
    list_select_related = ["article", "comment"]
    show_full_result_count = False
    actions = ["resolve_selected", "resolve_and_reject_selected", "dismiss_selected"]
    # Everything is read-only: a report is what a reader sent. The one thing staff write, the
    # note of what they did, is written once, with the button that closes the report (the
    # "Close this report" box), and shown here afterwards.
    readonly_fields = [
        "target", "reported_text", "reason", "details", "status", "ip_address", "created_at",
        "resolved_at", "resolved_by", "resolution_note",
    ]  # fmt: skip
    change_form_template = "admin/comments/report/change_form.html"

    class Media:
        css = {"all": ["css/admin.css"]}

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article", "comment")

    def get_ordering(self, request):
        # Open reports first, newest first; then the closed ones. (Status names do not sort
        # that way: "open" falls between "dismissed" and "resolved".)
        closed = Case(When(status=ReportStatus.OPEN, then=Value(0)), default=Value(1))
        return [closed.asc(), "-created_at"]

    @admin.display(description="reported")
    def target(self, report: Report) -> str:
        if report.comment_id:
            url = reverse("admin:comments_comment_change", args=[report.comment_id])
            return format_html(
                '<a href="{}">Comment by {}</a> on “{}”', url, report.comment.name, report.article
            )
        url = reverse("admin:articles_article_change", args=[report.article_id])
        return format_html('<a href="{}">Article “{}”</a>', url, report.article)

    def get_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is None or obj.comment_id is None:
            fields.remove("reported_text")
        if obj is None or obj.status == ReportStatus.OPEN:
            fields = [
                f for f in fields if f not in ("resolved_at", "resolved_by", "resolution_note")
            ]
        return fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Nothing on the page is edited through the form, so it has no Save buttons.
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="reported comment")
    def reported_text(self, report: Report) -> str:
        """The comment as its author wrote it (its stored, escaped rendering), with its state:
        what the moderator judges, without opening another page."""
        comment = report.comment
        return format_html(
            '<blockquote class="dossier-reported">{}</blockquote><p>{} · {}</p>',
            mark_safe(comment.body_html),  # rendered from plain text and escaped on save
            comment.name,
            comment.get_status_display(),
        )

    @admin.display(description="details")
    def details_excerpt(self, report: Report) -> str:
        return Truncator(report.details).chars(80)

    @admin.display(description="status", ordering="status")
    def status_badge(self, report: Report) -> str:
        return badge(f"report-{report.status}", report.get_status_display())

    def _close(self, request, queryset, outcome: str, *, reject_comment: bool = False) -> None:
        closed = 0
        for report in queryset.filter(status=ReportStatus.OPEN):
            services.resolve_report(
                report=report, outcome=outcome, by=request.user, reject_comment=reject_comment
            )
            closed += 1
        skipped = queryset.count() - closed
        messages.success(request, f"Closed {closed} report(s); each is in its article's activity.")
        if skipped:
            messages.info(
                request, f"{skipped} report(s) were already closed and left as they were."
            )

    @admin.action(description="Resolve selected reports (action taken)", permissions=["change"])
    def resolve_selected(self, request, queryset):
        self._close(request, queryset, ReportStatus.RESOLVED)

    @admin.action(
        description="Resolve selected and reject the reported comments", permissions=["change"]
    )
    def resolve_and_reject_selected(self, request, queryset):
        if not request.user.has_perm("comments.change_comment"):
            raise PermissionDenied
        self._close(request, queryset, ReportStatus.RESOLVED, reject_comment=True)

    @admin.action(description="Dismiss selected reports (no action needed)", permissions=["change"])
    def dismiss_selected(self, request, queryset):
        self._close(request, queryset, ReportStatus.DISMISSED)

    # --- resolving one report from its page ------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<int:pk>/close/",
                self.admin_site.admin_view(require_POST(self.close_view)),
                name="comments_report_close",
            ),
            *super().get_urls(),
        ]

    def close_view(self, request, pk: int):
        if not self.has_change_permission(request):
            raise PermissionDenied
        report = get_object_or_404(Report.objects.select_related("article", "comment"), pk=pk)
        outcome = request.POST.get("outcome", "")
        reject = outcome == "resolved-reject"
        if reject:
            outcome = ReportStatus.RESOLVED
        if outcome not in (ReportStatus.RESOLVED, ReportStatus.DISMISSED):
            messages.error(request, "Choose whether the report is resolved or dismissed.")
        elif report.status != ReportStatus.OPEN:
            messages.warning(request, "This report was already closed; nothing changed.")
        else:
            note = text.clean_input(request.POST.get("note", ""))[:1000]
            services.resolve_report(
                report=report, outcome=outcome, by=request.user, note=note, reject_comment=reject
            )
            messages.success(
                request, f"Report {report.get_status_display().lower()}; recorded in the activity."
            )
        return redirect(reverse("admin:comments_report_change", args=[report.pk]))


class BlockedTermForm(forms.ModelForm):
    class Meta:
        model = BlockedTerm
        fields = ["kind", "value", "note"]

    def clean(self):
        cleaned = super().clean()
        value = text.comparable(cleaned.get("value") or "")
        if cleaned.get("kind") == BlockedTerm.Kind.DOMAIN:
            value = value.removeprefix("www.").strip(".")
            if not value or " " in value or "." not in value:
                raise ValidationError({"value": "Enter a domain such as example.com."})
        if not value:
            raise ValidationError({"value": "Enter a word or phrase."})
        clash = BlockedTerm.objects.filter(kind=cleaned.get("kind"), value=value)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError({"value": "This is already on the blocklist."})
        cleaned["value"] = value
        return cleaned


@admin.register(BlockedTerm)
class BlockedTermAdmin(admin.ModelAdmin):
    form = BlockedTermForm
    list_display = ["value", "kind", "note", "created_by", "created_at"]
    list_filter = ["kind"]
    search_fields = ["value", "note"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
