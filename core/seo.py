"""Structured data (JSON-LD) and share metadata for page heads, called by the public
templates (website/templating.py puts them in the template environment).

Built from objects the views already fetched, so they add no queries. JSON is escaped for
embedding in HTML the same way Django's json_script does.
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from core.paths import asset_url, fixed_path

_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _script(data: dict | list) -> SafeString:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def absolute_url(request, url: str) -> str:
    """`url` as an absolute URL: as it is when it is one (object storage), else on this host."""
    return url if url.startswith(("http://", "https://")) else request.build_absolute_uri(url)


def logo_url(request, site) -> str:
    return absolute_url(request, site.logo.url if site.logo else asset_url("img/logo.png"))


def organisation(request, site) -> dict:
    return {
        "@type": "Organization",
        "name": site.organisation_name or site.site_name,
        "url": site.organisation_url or request.build_absolute_uri(fixed_path("website:home")),
        "logo": {"@type": "ImageObject", "url": logo_url(request, site)},
    }


def website_jsonld(request, site) -> SafeString:
    home = request.build_absolute_uri(fixed_path("website:home"))
    search = request.build_absolute_uri(fixed_path("articles:search"))
    return _script(
        {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": site.site_name,
            "description": site.tagline,
            "url": home,
            "publisher": organisation(request, site),
            "potentialAction": {
                "@type": "SearchAction",
                "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term}}"},
                "query-input": "required name=search_term",
            },
        }
    )


def breadcrumbs_jsonld(request, crumbs) -> SafeString:
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


def article_jsonld(request, site, article, bylines, tags) -> SafeString:
    url = request.build_absolute_uri(article.get_absolute_url())
    publisher = organisation(request, site)
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
        data["image"] = [logo_url(request, site)]
    return _script(data)


def person_jsonld(request, author, links) -> SafeString:
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
