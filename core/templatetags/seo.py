"""Structured data (JSON-LD) and share metadata for page heads.

Built from objects the views already fetched, so they add no queries. JSON is escaped for
embedding in HTML the same way Django's json_script does.
"""

from __future__ import annotations

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from core.paths import fixed_path

register = template.Library()

_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _script(data: dict | list) -> SafeString:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def _absolute(request, url: str) -> str:
    return url if url.startswith(("http://", "https://")) else request.build_absolute_uri(url)


def logo_url(request, site) -> str:
    return _absolute(request, site.logo.url if site.logo else static("img/logo.png"))


def organisation(request, site) -> dict:
    return {
        "@type": "Organization",
        "name": site.organisation_name or site.site_name,
        "url": site.organisation_url or request.build_absolute_uri(fixed_path("website:home")),
        "logo": {"@type": "ImageObject", "url": logo_url(request, site)},
    }


@register.simple_tag(takes_context=True)
def website_jsonld(context) -> SafeString:
    request = context["request"]
    home = request.build_absolute_uri(fixed_path("website:home"))
    search = request.build_absolute_uri(fixed_path("articles:search"))
    return _script(
        {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": context["site"].site_name,
            "description": context["site"].tagline,
            "url": home,
            "publisher": organisation(request, context["site"]),
            "potentialAction": {
                "@type": "SearchAction",
                "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term}}"},
                "query-input": "required name=search_term",
            },
        }
    )


@register.simple_tag(takes_context=True)
def breadcrumbs_jsonld(context, crumbs) -> SafeString:
    request = context["request"]
    items = [("Home", fixed_path("website:home")), *crumbs]
    return _script(
        {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": position,
                    "name": name,
                    "item": request.build_absolute_uri(url),
                }
                for position, (name, url) in enumerate(items, start=1)
            ],
        }
    )


def person(request, author) -> dict:
    data = {
        "@type": "Person",
        "name": author.name,
        "url": request.build_absolute_uri(author.get_absolute_url()),
    }
    if author.role:
        data["jobTitle"] = author.role
    return data


@register.simple_tag(takes_context=True)
def article_jsonld(context, article, bylines, tags) -> SafeString:
    request = context["request"]
    url = request.build_absolute_uri(article.get_absolute_url())
    publisher = organisation(request, context["site"])
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.description,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "datePublished": article.publish_at,
        "dateModified": article.last_updated,
        # Search engines ask for an author. The workflow publishes nothing without a byline
        # (workflow.MissingByline), but older articles may have none: the publisher stands in.
        "author": [person(request, byline.author) for byline in bylines] or [publisher],
        "publisher": publisher,
        "articleSection": article.primary_topic.name,
        "keywords": [tag.name for tag in tags],
        "wordCount": article.word_count,
    }
    if article.featured_image:
        data["image"] = [request.build_absolute_uri(article.share_image_url)]
    else:
        data["image"] = [logo_url(request, context["site"])]
    return _script(data)


@register.simple_tag(takes_context=True)
def person_jsonld(context, author, links) -> SafeString:
    request = context["request"]
    data = {"@context": "https://schema.org", **person(request, author)}
    if author.short_bio or author.bio:
        data["description"] = author.short_bio or author.bio[:300]
    if author.photo:
        data["image"] = request.build_absolute_uri(author.photo.url)
    same_as = [author.website] if author.website else []
    same_as += [link.url for link in links]
    if same_as:
        data["sameAs"] = same_as
    return _script(data)


@register.simple_tag(takes_context=True)
def absolute_url(context, url: str) -> str:
    return _absolute(context["request"], url)


@register.simple_tag(takes_context=True)
def site_logo_url(context) -> str:
    return logo_url(context["request"], context["site"])


@register.simple_tag
def author_photo(author, size: int, density: int = 1) -> str:
    """URL of the author's photo rendition for a `size`-pixel box at `density`× pixels."""
    return author.photo_url(int(size) * int(density))
