"""The Jinja2 environment of the public site's templates (jinja2/ at the top of the project).

Every page a reader sees, and the parts of it that are kept (articles/page_parts.py), is a
Jinja2 template; the admin and the e-mails stay on Django's template language (templates/).
Django's engine was 40–45 % of a topic or home page rendered at request time, walking its
nodes and resolving its variables. The same templates in Jinja2, compiled to Python once per
process, took the topic page's rendering from 0.69 to 0.40 ms of CPU and the page from 1.60 to
1.21 ms; what is left is mostly what the templates call (docs/performance.md, "Jinja2 for the
public pages").

What the templates had from Django's tags and filters they have here by the same names, made
from the same functions, so a page's output is the same:

- `path("website:home")`, `slug_path("topics:detail", slug)`, `asset("css/site.css")`: reversed
  and kept (core/paths.py); `url(name, *args, **kwargs)` is reverse() for the rest (admin links).
- `menu(location)` and `footer_topics()`: the site's menus and main topics, kept per process.
- The JSON-LD of a page's head (core/seo.py), given the request and site settings here.
- Filters `date`, `truncatechars`, `truncatewords`, `linebreaks`, `linebreaksbr`, `pluralize`:
  Django's own, with dates shown in the current time zone as Django's `date` filter shows them.

A variable that is missing renders empty, attribute, item and call of it too (`Missing`), as in
Django's templates. Unlike them, a method is not called unless the template calls it: `{{
article.get_absolute_url() }}`. A bare method would print its repr, so output refuses one
(`_finalize`).
"""

from __future__ import annotations

from typing import Any

from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.timezone import template_localtime
from jinja2 import ChainableUndefined, Environment, pass_context
from jinja2.runtime import Context

from core import seo
from core.paths import asset_url, fixed_path, slug_path
from pages.menus import menu_html
from topics import tree as topic_tree


class Missing(ChainableUndefined):
    """What a missing variable is: empty, and so is any attribute of it, item of it or call of
    it (`{{ page_obj.has_next() }}` on a page without pages), as in Django's templates."""

    __slots__ = ()

    def __call__(self, *args, **kwargs) -> Missing:
        return self


def _finalize(value: Any) -> Any:
    if callable(value) and not hasattr(value, "__html__"):
        # A method named without its call: Django's templates would have called it.
        raise TypeError(f"a template printed {value!r} uncalled: add ()")
    return value


def date(value, arg: str | None = None) -> str:
    """Django's `date` filter, the value first shown in the current time zone (as Django's
    templates do for every datetime they print)."""
    return defaultfilters.date(template_localtime(value), arg)


@pass_context
def menu(context: Context, location: str):
    request = context.get("request")
    return menu_html(request, location) if request is not None else ""


@pass_context
def footer_topics(context: Context):
    request = context.get("request")
    return topic_tree.footer_items(request) if request is not None else ""


@pass_context
def website_jsonld(context: Context):
    return seo.website_jsonld(context["request"], context["site"])


@pass_context
def breadcrumbs_jsonld(context: Context, crumbs):
    return seo.breadcrumbs_jsonld(context["request"], crumbs)


@pass_context
def article_jsonld(context: Context, article, bylines, tags):
    return seo.article_jsonld(context["request"], context["site"], article, bylines, tags)


@pass_context
def person_jsonld(context: Context, author, links):
    return seo.person_jsonld(context["request"], author, links)


@pass_context
def absolute_url(context: Context, url: str) -> str:
    return seo.absolute_url(context["request"], url)


@pass_context
def site_logo_url(context: Context) -> str:
    return seo.logo_url(context["request"], context["site"])


def url(viewname: str, *args, **kwargs) -> str:
    return reverse(viewname, args=args or None, kwargs=kwargs or None)


def environment(**options) -> Environment:
    """The environment Django's Jinja2 backend renders with (config/settings.py, TEMPLATES)."""
    options["undefined"] = Missing
    # As Django's templates do: a template's last newline is part of its output.
    options["keep_trailing_newline"] = True
    env = Environment(finalize=_finalize, **options)
    env.globals.update(
        path=fixed_path,
        slug_path=slug_path,
        asset=asset_url,
        static=static,
        url=url,
        get_current_language=translation.get_language,
        menu=menu,
        footer_topics=footer_topics,
        website_jsonld=website_jsonld,
        breadcrumbs_jsonld=breadcrumbs_jsonld,
        article_jsonld=article_jsonld,
        person_jsonld=person_jsonld,
        absolute_url=absolute_url,
        site_logo_url=site_logo_url,
    )
    env.filters.update(
        date=date,
        truncatechars=defaultfilters.truncatechars,
        truncatewords=defaultfilters.truncatewords,
        linebreaks=lambda value: defaultfilters.linebreaks_filter(value, autoescape=True),
        linebreaksbr=lambda value: defaultfilters.linebreaksbr(value, autoescape=True),
        pluralize=defaultfilters.pluralize,
    )
    return env
