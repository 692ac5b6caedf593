"""The read API: live content as JSON under /api/v1/, with an OpenAPI 3 schema (docs/api.md).

Views are thin (views.py): query parameters are checked by serializers (params.py), what may be
read comes from the articles app's querysets and selectors, starting from
Article.objects.live() (selectors.py), and each view tells the page cache what it shows, so
anonymous clients get stored answers refreshed exactly by the changes that touch them.
"""
