from __future__ import annotations

from django.views.generic import ListView

from articles.models import Article
from core import page_cache
from core.views import ArticleListPage, shown_on_cards

from .models import Topic


class TopicListView(ListView):
    template_name = "topics/topic_list.html"
    context_object_name = "topics"

    def get_queryset(self):
        page_cache.depends_on(self.request, page_cache.collection("topics"))
        return Topic.objects.filter(parent__isnull=True).prefetch_related("subtopics")


class TopicDetailView(ArticleListPage):
    template_name = "topics/topic_detail.html"
    slug_model = Topic

    def get_slug_queryset(self):
        return Topic.objects.select_related("parent")

    def get_articles(self):
        topic = self.object
        return Article.objects.live().in_topic(topic).exclude(pk=topic.pillar_article_id)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        topic = self.object
        # The pillar leads the first page only, and only while it is live.
        pillar = None
        if topic.pillar_article_id and context["page_obj"].number == 1:
            pillar = Article.objects.live().with_cards().filter(pk=topic.pillar_article_id).first()
        context.update(pillar=pillar, subtopics=topic.subtopics.all())
        page_cache.depends_on(
            self.request,
            topic.parent,
            # The pillar slot and the subtopic list change with the topics, not the articles.
            page_cache.collection("topics"),
            f"articles.article:{topic.pillar_article_id}" if topic.pillar_article_id else None,
            shown_on_cards([pillar] if pillar else []),
        )
        return context
