"""Every admin page loads, the article admin shows body problems and stays cheap per row."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, ExpertQuote, RelatedLink, Status
from authors.models import Author, Expert
from core.models import SlugHistory
from tests.factories import (
    FIXED_PUBLISH_AT,
    ArticleFactory,
    AuthorFactory,
    AuthorLinkFactory,
    BlockedTermFactory,
    CommentFactory,
    ExpertFactory,
    ExpertQuoteFactory,
    ImageFactory,
    RelatedLinkFactory,
    ReportFactory,
    TopicFactory,
    UserFactory,
)
from topics.models import Topic

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
REGISTERED_IDS = [model._meta.label for model in REGISTERED]
SEARCHABLE = [model for model in REGISTERED if admin.site._registry[model].search_fields]
FILTERED = [model for model in REGISTERED if admin.site._registry[model].list_filter]


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def newsroom(media_in_tmp):
    """A small but complete site: every registered model has at least one row."""
    image = ImageFactory(title="Tankers", file__width=80, file__height=45)
    main = TopicFactory(name="Russia–Iran", slug="russia-iran")
    sub = TopicFactory(name="Arms trade", slug="arms-trade", parent=main)
    writer = AuthorFactory(name="Sarah Khan", user=UserFactory(is_staff=True))
    AuthorLinkFactory(author=writer)
    second = AuthorFactory(name="Tomás Ruiz")
    expert = ExpertFactory(name="Leila Farahani", slug="leila-farahani")
    pillar = ArticleFactory(
        title="Russia and Iran: an overview",
        slug="overview",
        primary_topic=main,
        topics=[sub],
        authors=[writer, second],
        tags=["sanctions", "drones"],
        body=f"## Start\n\n[[quote:leila-farahani]]\n\n[[quote:ghost]]\n\n[[image:{image.pk}]]",
        featured_library_image=image,
    )
    main.pillar_article = pillar
    main.save()
    other = ArticleFactory(
        title="Drones, missiles and money",
        slug="drones-missiles-money",
        primary_topic=sub,
        authors=[writer],
        tags=["drones"],
        status=Status.DRAFT,
        publish_at=None,
    )
    ExpertQuoteFactory(article=pillar, expert=expert, text="They need each other.")
    ExpertQuoteFactory(article=other, text="Money follows the drones.")  # a second expert
    RelatedLinkFactory(from_article=pillar, to_article=other)
    other.slug = "drones-and-money"
    other.save()  # leaves a SlugHistory row
    Group.objects.get(name="Editors")  # created by the roles migration
    # django-axes' login records, so their admin pages have rows to show.
    from axes.models import AccessAttempt, AccessFailureLog

    AccessAttempt.objects.create(
        username="intruder", ip_address="203.0.113.9", failures_since_start=2
    )
    AccessFailureLog.objects.create(username="intruder", ip_address="203.0.113.9")
    comment = CommentFactory(article=pillar)
    ReportFactory(article=pillar, comment=comment)
    BlockedTermFactory()
    from wordpress.models import ImportedItem

    ImportedItem.objects.create(
        site="https://old.example.org", kind="post", wp_id=42, article=pillar
    )
    return {"main": main, "sub": sub, "pillar": pillar, "other": other, "expert": expert}


def any_instance(model):
    instance = model._default_manager.order_by("pk").first()
    assert instance is not None, f"the newsroom fixture has no {model._meta.label}"
    return instance


# --- every page loads ---------------------------------------------------------------------


def test_admin_index_loads(admin_client, newsroom):
    assert admin_client.get(reverse("admin:index")).status_code == 200


def test_admin_index_puts_settings_and_security_after_the_editorial_sections(
    admin_client, newsroom
):
    app_list = admin_client.get(reverse("admin:index")).context["app_list"]

    *editorial, settings = app_list
    assert [app["name"] for app in editorial] == [
        "Articles",
        "Authors and experts",
        "Comments and moderation",
        "Media library",
        "Topics",
        "WordPress import",
    ]
    assert settings["name"] == "Settings and security"
    assert [model["object_name"] for model in settings["models"]] == [
        "SiteSettings",
        "SlugHistory",
        "Group",
        "User",
        "Tag",
        "AccessAttempt",
        "AccessFailureLog",
        "AccessLog",
    ]


def test_settings_and_security_models_keep_their_pages(admin_client, newsroom):
    axes_index = admin_client.get(reverse("admin:app_list", args=["axes"]))
    article_list = admin_client.get(admin_url(Article, "changelist")).content.decode()

    assert [app["app_label"] for app in axes_index.context["app_list"]] == ["axes"]
    assert 'class="app-articles module current-app"' in article_list
    assert 'class="app-settings-and-security module current-app"' not in article_list


@pytest.mark.parametrize(
    ("model", "address"),
    [
        (Article, "/articles/&lt;slug&gt;/"),
        (Author, "/authors/&lt;slug&gt;/"),
        (Expert, "/experts/&lt;slug&gt;/"),
        (Topic, "/topics/&lt;slug&gt;/"),
    ],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_slug_help_text_shows_the_address_pattern(admin_client, model, address):
    content = admin_client.get(admin_url(model, "add")).content.decode()

    assert address in content
    assert address.replace("&lt;slug&gt;", "") not in content


@pytest.mark.parametrize("model", REGISTERED, ids=REGISTERED_IDS)
def test_changelist_loads(admin_client, newsroom, model):
    response = admin_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@pytest.mark.parametrize("model", REGISTERED, ids=REGISTERED_IDS)
def test_add_form_loads_unless_adding_is_disabled(admin_client, newsroom, model):
    model_admin = admin.site._registry[model]
    request = admin_client.get(reverse("admin:index")).wsgi_request

    response = admin_client.get(admin_url(model, "add"))

    expected = 200 if model_admin.has_add_permission(request) else 403
    assert response.status_code == expected


@pytest.mark.parametrize("model", REGISTERED, ids=REGISTERED_IDS)
def test_change_form_loads(admin_client, newsroom, model):
    instance = any_instance(model)

    response = admin_client.get(admin_url(model, "change", instance.pk))

    assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=REGISTERED_IDS)
def test_history_and_delete_pages_load(admin_client, newsroom, model):
    instance = any_instance(model)
    request = admin_client.get(reverse("admin:index")).wsgi_request
    deletable = admin.site._registry[model].has_delete_permission(request, instance)

    assert admin_client.get(admin_url(model, "history", instance.pk)).status_code == 200
    delete_page = admin_client.get(admin_url(model, "delete", instance.pk))
    assert delete_page.status_code == (200 if deletable else 403)


@pytest.mark.parametrize("model", SEARCHABLE, ids=lambda model: model._meta.label)
def test_changelist_search_loads(admin_client, newsroom, model):
    response = admin_client.get(admin_url(model, "changelist"), {"q": "x"})

    assert response.status_code == 200


@pytest.mark.parametrize("model", FILTERED, ids=lambda model: model._meta.label)
def test_every_list_filter_choice_loads(admin_client, newsroom, model):
    url = admin_url(model, "changelist")
    changelist = admin_client.get(url).context["cl"]
    query_strings = {
        choice["query_string"]
        for spec in changelist.filter_specs
        for choice in spec.choices(changelist)
    }
    assert query_strings

    for query_string in sorted(query_strings):
        response = admin_client.get(url + query_string)
        # An invalid lookup redirects to ?e=1 instead of failing loudly.
        assert response.status_code == 200, query_string


def test_article_changelist_date_hierarchy_loads(admin_client, newsroom):
    url = admin_url(Article, "changelist")
    year, month = FIXED_PUBLISH_AT.year, FIXED_PUBLISH_AT.month

    for params in (
        {"publish_at__year": year},
        {"publish_at__year": year, "publish_at__month": month},
        {"publish_at__year": year, "publish_at__month": month, "publish_at__day": 15},
    ):
        assert admin_client.get(url, params).status_code == 200


def test_article_changelist_search_finds_by_title(admin_client, newsroom):
    response = admin_client.get(admin_url(Article, "changelist"), {"q": "overview"})

    assert list(response.context["cl"].result_list) == [newsroom["pillar"]]


def test_article_changelist_shows_status_and_byline(admin_client, newsroom):
    content = admin_client.get(admin_url(Article, "changelist")).content.decode()

    assert "Sarah Khan, Tomás Ruiz" in content
    assert 'class="dossier-badge dossier-badge--' in content
    assert "Draft" in content


def _autocomplete_fields():
    found = []
    for model, model_admin in admin.site._registry.items():
        for field_name in model_admin.autocomplete_fields:
            found.append((model, field_name))
        for inline in model_admin.inlines:
            for field_name in inline.autocomplete_fields:
                found.append((inline.model, field_name))
    return found


AUTOCOMPLETE = _autocomplete_fields()


@pytest.mark.parametrize(
    ("model", "field_name"),
    AUTOCOMPLETE,
    ids=[f"{model._meta.label}.{name}" for model, name in AUTOCOMPLETE],
)
def test_every_autocomplete_field_answers(admin_client, newsroom, model, field_name):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": field_name,
            "term": "",
        },
    )

    assert response.status_code == 200
    assert response.json()["results"], "the newsroom fixture has something to choose"


@pytest.mark.parametrize(
    ("model_name", "field_name", "factory"),
    [("byline", "author", AuthorFactory), ("expertquote", "expert", ExpertFactory)],
    ids=["byline-author", "quote-expert"],
)
def test_autocomplete_lists_people_alphabetically(admin_client, model_name, field_name, factory):
    # Created out of alphabetical order, so an unordered query shows in the result.
    for name in ("Zora Zed", "Adam Abel", "Mia Moss"):
        factory(name=name)

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": model_name, "field_name": field_name, "term": ""},
    )

    names = [result["text"] for result in response.json()["results"]]
    assert names == ["Adam Abel", "Mia Moss", "Zora Zed"]


# --- article change form ------------------------------------------------------------------


def test_article_change_form_shows_inlines(admin_client, newsroom):
    pillar = newsroom["pillar"]

    response = admin_client.get(admin_url(Article, "change", pillar.pk))

    formsets = {f.formset.prefix: f.formset for f in response.context["inline_admin_formsets"]}
    assert formsets["bylines"].initial_form_count() == 2
    assert formsets["quotes"].initial_form_count() == 1
    assert formsets["related_links"].initial_form_count() == 1
    content = response.content.decode()
    assert "They need each other." in content
    assert "Drones, missiles and money" in content


def test_article_change_form_shows_body_problems(admin_client, newsroom):
    pillar = newsroom["pillar"]

    content = admin_client.get(admin_url(Article, "change", pillar.pk)).content.decode()

    assert 'class="dossier-warnings"' in content
    assert (
        "The body places quote &quot;ghost&quot;, but this article has no quote with that key"
        in content
    )
    # The placed quote that exists is not reported.
    assert "quote &quot;leila-farahani&quot;" not in content


def test_article_change_form_says_so_when_the_body_is_clean(admin_client, newsroom):
    article = ArticleFactory(body="Nothing wrong here.", primary_topic=newsroom["main"])

    content = admin_client.get(admin_url(Article, "change", article.pk)).content.decode()

    assert "No problems found in the body." in content
    assert "/articles/" + article.slug + "/" in content  # the preview link


def test_article_add_form_asks_to_save_first(admin_client, newsroom):
    content = admin_client.get(admin_url(Article, "add")).content.decode()

    assert "Save the article to check its body." in content
    assert "Save the article to preview it." in content


# --- the article changelist costs the same whatever its length ----------------------------


def _changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(admin_url(Article, "changelist"))
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("under_subtopics", [False, True], ids=["main-topics", "subtopics"])
def test_article_changelist_does_not_query_per_row(admin_client, under_subtopics):
    main = TopicFactory(name="Main")
    topics = (
        [TopicFactory(name="Sub A", parent=main), TopicFactory(name="Sub B", parent=main)]
        if under_subtopics
        else [main, TopicFactory(name="Other main")]
    )
    authors = [AuthorFactory() for _ in range(3)]

    def add_articles(n: int, start: int) -> None:
        for i in range(start, start + n):
            ArticleFactory(
                primary_topic=topics[i % 2],
                authors=[authors[i % 3], authors[(i + 1) % 3]],
                tags=["x"],
                publish_at=FIXED_PUBLISH_AT + timedelta(hours=i),
            )

    add_articles(3, 0)
    _changelist_queries(admin_client)  # warm caches (content types, session)
    with_3 = _changelist_queries(admin_client)
    add_articles(17, 3)
    with_20 = _changelist_queries(admin_client)

    assert with_20 == with_3


# --- adding an article through the form ---------------------------------------------------


def _management(prefix: str, total: int) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _article_form(topic, **overrides) -> dict[str, str]:
    data = {
        "title": "Caspian shipping",
        "slug": "caspian-shipping",
        "standfirst": "Trade across the Caspian is growing.",
        "body": "## Routes\n\nShips cross the sea.",
        "primary_topic": str(topic.pk),
        "tags": "shipping, trade",
        "status": Status.DRAFT,
        "publish_at_0": "",
        "publish_at_1": "",
        "expire_at_0": "",
        "expire_at_1": "",
        "updated_at_0": "",
        "updated_at_1": "",
        "featured_image_alt": "",
        "featured_image_credit": "",
        "seo_title": "",
        "meta_description": "",
        "canonical_url": "",
        "_save": "Save",
        **_management("bylines", 0),
        **_management("quotes", 0),
        **_management("related_links", 0),
    }
    data.update(overrides)
    return data


def test_inline_prefixes_are_the_related_names(admin_client, newsroom):
    response = admin_client.get(admin_url(Article, "add"))

    prefixes = [f.formset.prefix for f in response.context["inline_admin_formsets"]]
    assert prefixes == ["bylines", "quotes", "related_links"]


def test_posting_the_add_form_with_a_byline_creates_the_article(admin_client, newsroom):
    writer = AuthorFactory(name="Nadia Petrova")
    data = _article_form(
        newsroom["main"],
        **_management("bylines", 1),
        **{"bylines-0-author": str(writer.pk), "bylines-0-sort_order": "0"},
    )

    response = admin_client.post(admin_url(Article, "add"), data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    article = Article.objects.get(slug="caspian-shipping")
    assert [b.author for b in article.bylines.all()] == [writer]
    assert article.status == Status.DRAFT
    assert article.publish_at is None
    assert '<h2 id="routes">Routes</h2>' in article.body_html
    assert sorted(article.tags.names()) == ["shipping", "trade"]


def test_posting_the_add_form_with_a_quote_fills_its_key_and_reports_problems(
    admin_client, newsroom
):
    writer = AuthorFactory()
    expert = newsroom["expert"]
    data = _article_form(
        newsroom["main"],
        body="[[quote:leila-farahani]]\n\n[[quote:ghost]]",
        status=Status.PUBLISHED,
        **_management("bylines", 1),
        **{"bylines-0-author": str(writer.pk), "bylines-0-sort_order": "0"},
        **_management("quotes", 1),
        **{
            "quotes-0-expert": str(expert.pk),
            "quotes-0-key": "",
            "quotes-0-sort_order": "0",
            "quotes-0-text": "Ships matter.",
            "quotes-0-context": "",
            "quotes-0-said_on": "",
            "quotes-0-source_url": "",
        },
        **_management("related_links", 1),
        **{
            "related_links-0-to_article": str(newsroom["pillar"].pk),
            "related_links-0-lead_in": "Start with",
            "related_links-0-sort_order": "0",
        },
    )

    response = admin_client.post(admin_url(Article, "add"), data, follow=True)

    assert response.status_code == 200
    article = Article.objects.get(slug="caspian-shipping")
    # A posted status is ignored: the state changes only through the workflow.
    assert article.status == Status.DRAFT
    assert list(article.quotes.values_list("key", flat=True)) == ["leila-farahani"]
    assert list(RelatedLink.objects.filter(from_article=article)) == list(
        article.related_links.all()
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any('"ghost"' in m for m in messages), messages
    assert not any('"leila-farahani"' in m for m in messages), messages


def test_posting_the_add_form_with_an_empty_byline_is_refused(admin_client, newsroom):
    # What the browser sends when the one byline row shown is left empty.
    data = _article_form(
        newsroom["main"],
        **_management("bylines", 1),
        **{"bylines-0-author": "", "bylines-0-sort_order": "0"},
    )

    response = admin_client.post(admin_url(Article, "add"), data)

    assert response.status_code == 200
    assert not Article.objects.filter(slug="caspian-shipping").exists()


def test_deleting_the_only_byline_is_refused(admin_client, newsroom):
    # BylineInline.min_num = 1 says every article has an author; ticking "Delete" on the only
    # byline row of an existing article must not leave it without one.
    writer = AuthorFactory()
    article = ArticleFactory(
        slug="caspian-shipping", primary_topic=newsroom["main"], authors=[writer]
    )
    byline = article.bylines.get()
    data = _article_form(
        newsroom["main"],
        **{
            "bylines-TOTAL_FORMS": "1",
            "bylines-INITIAL_FORMS": "1",
            "bylines-MIN_NUM_FORMS": "1",
            "bylines-MAX_NUM_FORMS": "1000",
            "bylines-0-id": str(byline.pk),
            "bylines-0-article": str(article.pk),
            "bylines-0-author": str(writer.pk),
            "bylines-0-sort_order": "0",
            "bylines-0-DELETE": "on",
        },
    )

    response = admin_client.post(admin_url(Article, "change", article.pk), data)

    assert article.bylines.count() == 1
    assert response.status_code == 200


# --- other admins ------------------------------------------------------------------------


def test_slug_history_is_read_only(admin_client, newsroom):
    entry = SlugHistory.objects.get()

    response = admin_client.post(
        admin_url(SlugHistory, "change", entry.pk), {"slug": "hijacked", "object_id": "1"}
    )

    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.slug == "drones-missiles-money"


def test_expert_quote_changelist_shortens_long_quotes(admin_client, newsroom):
    ExpertQuoteFactory(article=newsroom["pillar"], text="word " * 40)

    content = admin_client.get(admin_url(ExpertQuote, "changelist")).content.decode()

    assert "…" in content


def test_tag_change_form_loads(admin_client, newsroom):
    tag = Tag.objects.get(name="drones")

    assert admin_client.get(admin_url(Tag, "change", tag.pk)).status_code == 200
