from __future__ import annotations

from django.views.generic import ListView

import pagecache

from .models import Author, Expert


class AuthorListView(ListView):
    template_name = "authors/author_list.html"
    context_object_name = "authors"

    def get_queryset(self):
        pagecache.depends_on(self.request, pagecache.collection("authors"))
        return Author.objects.all()


class ExpertListView(ListView):
    template_name = "authors/expert_list.html"
    context_object_name = "experts"

    def get_queryset(self):
        pagecache.depends_on(self.request, pagecache.collection("experts"))
        return Expert.objects.all()
