"""Public endpoints for what readers send. None of these pages is ever cached."""

from __future__ import annotations

import math
import re

from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from articles.models import Article
from core.http import client_ip
from pagecache.site import site_settings

from . import services
from .forms import CommentForm, GuardedForm, ReportForm
from .guards import FormTiming
from .models import Comment, comments_open
from .selectors import remember_held


def live_article(slug: str) -> Article:
    return get_object_or_404(Article.objects.live(), slug=slug)


def reply_parent(article: Article, reply_to: int | None) -> Comment | None:
    """The approved top-level comment a reply answers; 404 for anything else."""
    if reply_to is None:
        return None
    return get_object_or_404(
        Comment.objects.approved(), pk=reply_to, article=article, parent__isnull=True
    )


def accepting(request, article: Article) -> bool:
    days = site_settings(request).comments_close_after_days
    return comments_open(article, close_after_days=days)


def render_comment_form(request, article, form, *, parent=None, status=200, notice=""):
    return render(
        request,
        "comments/comment_form_page.html",
        {
            "article": article,
            "form": form,
            "parent": parent,
            "notice": notice,
            "is_open": accepting(request, article),
        },
        status=status,
    )


@never_cache
@require_GET
def write_comment(request, slug: str):
    """The comment form on a page of its own: for replies, and for readers without JavaScript."""
    article = live_article(slug)
    raw = request.GET.get("reply_to", "")
    # Digits only, and few enough for a database integer: anything else names no comment.
    if raw and not re.fullmatch(r"[0-9]{1,18}", raw):
        raise Http404("No such comment.")
    parent = reply_parent(article, int(raw) if raw else None)
    form = CommentForm(initial={"reply_to": parent.pk if parent else None})
    return render_comment_form(request, article, form, parent=parent)


@never_cache
@require_POST
def post_comment(request, slug: str):
    article = live_article(slug)
    form = CommentForm(request.POST)
    parent = None
    if form.is_valid():
        parent = reply_parent(article, form.cleaned_data["reply_to"])
    if not accepting(request, article):
        return render_comment_form(
            request,
            article,
            form,
            parent=parent,
            status=403,
            notice="Comments are closed on this article. Your text is below if you want to "
            "keep a copy.",
        )
    if not form.is_valid():
        return render_comment_form(request, article, form, parent=parent, status=400)
    try:
        comment = services.submit_comment(
            article=article,
            parent=parent,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            body=form.cleaned_data["body"],
            ip=client_ip(request),
            notify_replies=form.cleaned_data["notify_replies"],
        )
    except services.Refused as refusal:
        return render_comment_form(
            request, article, form, parent=parent, status=refusal.status, notice=refusal.message
        )
    remember_held(request, comment)
    return redirect(f"{article.get_absolute_url()}#comment-{comment.pk}")


@never_cache
@require_http_methods(["GET", "POST"])
def report_article(request, slug: str):
    article = live_article(slug)
    return _report(request, article=article, comment=None)


@never_cache
@require_http_methods(["GET", "POST"])
def report_comment(request, pk: int):
    comment = get_object_or_404(
        Comment.objects.approved().filter(article__in=Article.objects.live()), pk=pk
    )
    return _report(request, article=comment.article, comment=comment)


def _report(request, *, article: Article, comment: Comment | None):
    form = ReportForm(request.POST if request.method == "POST" else None)
    status, notice = 200, ""
    if form.is_bound:
        if form.is_valid():
            try:
                services.submit_report(
                    article=article,
                    comment=comment,
                    reason=form.cleaned_data["reason"],
                    details=form.cleaned_data["details"],
                    ip=client_ip(request),
                )
            except services.Refused as refusal:
                status, notice = refusal.status, refusal.message
            else:
                return render(
                    request, "comments/report_sent.html", {"article": article, "comment": comment}
                )
        else:
            status = 400
    context = {"article": article, "comment": comment, "form": form, "notice": notice}
    return render(request, "comments/report_form_page.html", context, status=status)


@never_cache
@require_GET
def form_token(request):
    """Fresh CSRF token and form stamp for a form on a cached page (static/js/comments.js).

    `?shown=` is how many seconds the page had been open (FormTiming.issue); anything that is
    not a finite number counts as 0.
    """
    try:
        shown_for = float(request.GET.get("shown", "0"))
    except ValueError:
        shown_for = 0.0
    if not math.isfinite(shown_for):
        shown_for = 0.0
    return JsonResponse(
        {"csrfToken": get_token(request), "opened": FormTiming.issue(shown_for=shown_for)}
    )


def resend_after_csrf_failure(request):
    """A comment or report whose CSRF check failed (a cached page seen without JavaScript, or
    cookies blocked): show it again, text kept, with a fresh token, instead of losing it."""
    match = request.resolver_match
    notice = (
        "For your security we need you to confirm this once more. Your text is kept: please "
        "check it and send it again."
    )
    if match.url_name == "post":
        article = live_article(match.kwargs["slug"])
        form = CommentForm(request.POST)
        form.is_valid()  # fills the errors list; the page shows the data either way
        form = _unchecked(form)
        return render_comment_form(request, article, form, status=403, notice=notice)
    if match.url_name == "report_article":
        article, comment = live_article(match.kwargs["slug"]), None
    else:
        comment = get_object_or_404(Comment.objects.approved(), pk=match.kwargs["pk"])
        article = comment.article
    form = _unchecked(ReportForm(request.POST))
    context = {"article": article, "comment": comment, "form": form, "notice": notice}
    return render(request, "comments/report_form_page.html", context, status=403)


def _unchecked(form: GuardedForm) -> GuardedForm:
    """The same data as a fresh form, without errors: nothing was wrong with what they wrote."""
    return type(form)(initial={k: v for k, v in form.data.items() if k in form.fields})


CSRF_RESENDABLE = {"comments:post", "comments:report_article", "comments:report_comment"}
