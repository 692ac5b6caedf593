"""Manual redirects: what an editor may save, and the answer a reader gets.

A redirect answers only where the site has nothing to show (RedirectMiddleware, on a 404), so
the checks refuse what could never work or would trap readers:

- its old address showing a page now (a live article, a published site page, a topic …): the
  page wins, so the redirect would never be used;
- a loop: the target leads back to the old address, directly or through other redirects
  (A → A, A → B → A, A → B → C → B);
- an unsafe target URL (pages/addresses.py says which, and why).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.http import (
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.urls import Resolver404, resolve

from articles.models import Article
from authors.models import Author, Expert
from core.models import SlugHistory
from topics.models import Topic

from . import addresses

if TYPE_CHECKING:
    from .models import Redirect

#: Longest chain of redirects followed when looking for a loop; longer chains are refused too.
MAX_CHAIN = 10

#: Routes whose page shows one object found by its slug: the path shows a page while the object
#: is public (or redirects by slug history while an old slug of one is).
SLUG_PAGES = {
    "articles:detail": lambda: Article.objects.live(),
    "topics:detail": lambda: Topic.objects.all(),
    "authors:detail": lambda: Author.objects.all(),
    "authors:expert_detail": lambda: Expert.objects.all(),
}


def check(redirect: Redirect) -> None:
    """Raise ValidationError (by field) for a redirect that must not be saved."""
    from .models import Redirect

    errors: dict[str, list[str]] = {}
    targets = [bool(redirect.page_id), bool(redirect.article_id), bool(redirect.url.strip())]
    # Not exactly one target: the model's check constraint says so (models.ONE_TARGET), and
    # where it leads cannot be checked.
    one_target = sum(targets) == 1
    try:
        redirect.old_path = addresses.normalise_old_path(redirect.old_path)
    except ValidationError as error:
        errors.setdefault("old_path", []).extend(error.messages)
    if redirect.url.strip():
        try:
            redirect.url = addresses.check_target_url(redirect.url)
        except ValidationError as error:
            errors.setdefault("url", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    if not one_target:
        return

    shown = shows_page(redirect.old_path)
    if shown:
        raise ValidationError(
            {
                "old_path": f"{redirect.old_path} shows {shown} now, and a page that exists "
                "always wins over a redirect: this one would never be used. Unpublish or "
                "rename what is there first, or choose another old address."
            }
        )
    others = Redirect.objects.exclude(pk=redirect.pk) if redirect.pk else Redirect.objects.all()
    loop = find_loop(redirect.old_path, redirect.target_path(), others)
    if loop:
        chain = " → ".join(loop)
        raise ValidationError(f"This redirect would send readers round in a loop: {chain}.")


def same_path(a: str, b: str) -> bool:
    return a.rstrip("/") == b.rstrip("/")


def find_loop(old_path: str, target: str, others) -> list[str] | None:
    """The chain of paths that comes back on itself if `old_path` led to `target`, else None.

    Only paths on this site are followed; an address elsewhere ends the chain. A chain longer
    than MAX_CHAIN counts as a loop too: readers' browsers give up on long chains."""
    chain = [old_path]
    next_path = addresses.internal_path(target)
    while next_path is not None:
        if any(same_path(next_path, seen) for seen in chain):
            return [*chain, next_path]
        chain.append(next_path)
        if len(chain) > MAX_CHAIN:
            return chain
        step = others.for_path(next_path)
        if step is None:
            return None
        next_path = addresses.internal_path(step.target_path())
    return None


def shows_page(path: str) -> str | None:
    """What the site shows at `path` now ("the article “…”"), or None where it shows nothing
    (so a redirect from there would be used)."""
    from .models import Page

    for candidate in addresses.path_variants(path):
        try:
            match = resolve(candidate)
        except Resolver404:
            continue
        if not match.kwargs:
            return f"the page “{match.view_name}”"
        slug = match.kwargs.get("slug")
        if match.view_name == "pages:detail":
            queryset = Page.objects.live()
        elif match.view_name in SLUG_PAGES:
            queryset = SLUG_PAGES[match.view_name]()
        else:
            continue
        found = queryset.filter(slug=slug).first()
        if found is not None:
            return f"“{found}”"
        moved = SlugHistory.objects.find(queryset, slug)
        if moved is not None:
            return f"a redirect to “{moved}” (its old slug)"
    return None


def answer(path: str) -> HttpResponse | None:
    """The redirect a reader gets at `path` where the site has no page, or None."""
    from .models import Redirect, RedirectStatus

    redirect = Redirect.objects.for_path(path)
    if redirect is None:
        return None
    target = redirect.live_target()
    if target is None or same_path(addresses.internal_path(target) or "", path):
        return None
    kind = (
        HttpResponsePermanentRedirect
        if redirect.status == RedirectStatus.PERMANENT
        else HttpResponseRedirect
    )
    response = kind(target)
    # Browsers keep a 301 without caching headers for as long as they like, so an editor's
    # change would never reach them: they ask again each time (one small request).
    response["Cache-Control"] = "no-cache"
    return response
