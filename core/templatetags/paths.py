"""{% path "name" %}: the path of a page that takes no arguments, reversed once and kept
(core/paths.py).

The site's frame (header, search form, footer, feeds) links to the same dozen pages on every
page; through {% url %} each link walked the URL resolver again, about a third of rendering an
article page served from its kept parts (docs/performance.md).
"""

from __future__ import annotations

from django import template

from core import paths
from core.paths import fixed_path

register = template.Library()


@register.simple_tag
def path(viewname: str) -> str:
    return fixed_path(viewname)


@register.simple_tag
def slug_path(viewname: str, slug: str) -> str:
    """{% slug_path "articles:detail" article.slug %}: as {% url … slug=… %}, kept."""
    return paths.slug_path(viewname, slug)


@register.simple_tag
def asset(name: str) -> str:
    """{% asset "css/site.css" %}: as {% static %}, kept (core.paths.asset_url)."""
    return paths.asset_url(name)
