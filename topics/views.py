from __future__ import annotations

from django.views.generic import ListView

import pagecache

from .models import Topic


class TopicListView(ListView):
    template_name = "topics/topic_list.html"
    context_object_name = "topics"

    def get_queryset(self):
        pagecache.depends_on(self.request, pagecache.collection("topics"))
        return Topic.objects.filter(parent__isnull=True).prefetch_related("subtopics")
