"""The browsable documentation: Swagger UI, from our own origin and under our CSP.

drf-spectacular's split view serves Swagger UI's start-up script as a file of its own instead of
inline; its page template is ours only to move an inline <style> to a stylesheet, since the
Content-Security-Policy (config/settings.py) allows neither inline script nor inline style.
Swagger UI's files come from drf-spectacular-sidecar, as static files.
"""

from drf_spectacular.views import SpectacularSwaggerSplitView


class SwaggerUI(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    title = "Dossier read API"
