"""The editorial dashboard: which articles each panel lists, and the admin index showing it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from articles import workflow
from articles.models import Status
from articles.selectors import editorial_dashboard
from tests.conftest import FROZEN_NOW
from tests.factories import AuthorFactory, UserFactory, article_in, superuser

pytestmark = pytest.mark.django_db

PANELS = ["My drafts", "Returned to me", "Awaiting review", "Scheduled", "Recently published"]
GO_LIVE = datetime(2026, 6, 10, 15, 30, tzinfo=UTC)


def created_at(moment: datetime, status: str, **kwargs):
    """An article last saved at `moment` (panels order by modification time)."""
    with time_machine.travel(moment, tick=False):
        return article_in(status, **kwargs)


def panels_of(user, **kwargs) -> dict:
    return {panel.title: panel for panel in editorial_dashboard(user=user, **kwargs)}


def titles(panel) -> list[str]:
    return [article.title for article in panel.articles]


@pytest.fixture
def newsroom(writer_user):
    """Articles in every state, some the writer's, some someone else's, some in the trash."""
    someone = UserFactory(is_staff=True)
    hour = timedelta(hours=1)
    start = FROZEN_NOW - 10 * hour
    made = {
        "own draft": created_at(start, Status.DRAFT, created_by=writer_user),
        "bylined draft": created_at(
            start + hour, Status.DRAFT, authors=[AuthorFactory(user=writer_user)]
        ),
        "other draft": created_at(start, Status.DRAFT, created_by=someone),
        "own in review": created_at(start + 2 * hour, Status.IN_REVIEW, created_by=writer_user),
        "other in review": created_at(start + hour, Status.IN_REVIEW, created_by=someone),
        "own returned": created_at(start, Status.RETURNED, created_by=writer_user),
        "other returned": created_at(start, Status.RETURNED, created_by=someone),
        "scheduled later": created_at(
            start, Status.PUBLISHED, publish_at=GO_LIVE + timedelta(days=1)
        ),
        "scheduled soon": created_at(start, Status.PUBLISHED, publish_at=GO_LIVE),
        "published older": created_at(
            start, Status.PUBLISHED, publish_at=FROZEN_NOW - timedelta(days=3)
        ),
        "published newer": created_at(
            start, Status.PUBLISHED, publish_at=FROZEN_NOW - timedelta(days=1)
        ),
        "expired": created_at(
            start,
            Status.PUBLISHED,
            publish_at=FROZEN_NOW - timedelta(days=9),
            expire_at=FROZEN_NOW - timedelta(days=2),
        ),
        "unpublished": created_at(start, Status.UNPUBLISHED, created_by=writer_user),
    }
    binned = {
        status: created_at(start, status, created_by=writer_user, title=f"binned {status}")
        for status in (Status.DRAFT, Status.RETURNED, Status.IN_REVIEW, Status.PUBLISHED)
    }
    binned["binned scheduled"] = created_at(
        start, Status.PUBLISHED, publish_at=GO_LIVE, title="binned scheduled"
    )
    for article in binned.values():
        workflow.move_to_trash(article=article, by=superuser())
    for title, article in made.items():
        article.title = title
        article.save(update_fields=["title"])
    return made


def test_writer_dashboard_lists_the_right_articles_in_each_panel(frozen_now, newsroom, writer_user):
    panels = panels_of(writer_user)

    assert list(panels) == PANELS
    assert titles(panels["My drafts"]) == ["bylined draft", "own draft"]  # newest edit first
    assert titles(panels["Returned to me"]) == ["own returned"]
    assert titles(panels["Awaiting review"]) == ["other in review", "own in review"]  # oldest
    assert titles(panels["Scheduled"]) == ["scheduled soon", "scheduled later"]
    assert titles(panels["Recently published"]) == ["published newer", "published older"]


def test_dashboard_counts_match_the_lists(frozen_now, newsroom, writer_user):
    counts = {title: panel.count for title, panel in panels_of(writer_user).items()}

    assert counts == {
        "My drafts": 2,
        "Returned to me": 1,
        "Awaiting review": 2,
        "Scheduled": 2,
        "Recently published": 2,
    }


def test_dashboard_leaves_out_trashed_articles(frozen_now, newsroom, writer_user):
    listed = {
        article.title
        for panel in editorial_dashboard(user=writer_user)
        for article in panel.articles
    }

    assert not {title for title in listed if title.startswith("binned")}


def test_someone_elses_dashboard_shows_their_drafts_not_the_writers(
    frozen_now, newsroom, editor_user
):
    panels = panels_of(editor_user)

    assert titles(panels["My drafts"]) == []
    assert titles(panels["Returned to me"]) == []
    # The shared panels are the same for everyone.
    assert titles(panels["Awaiting review"]) == ["other in review", "own in review"]


def test_panel_lists_are_cut_at_the_limit_but_count_everything(frozen_now, writer_user):
    for _ in range(3):
        article_in(Status.IN_REVIEW)

    panel = panels_of(writer_user, limit=2)["Awaiting review"]

    assert len(panel.articles) == 2
    assert panel.count == 3
    assert panel.changelist_query == "status__exact=in_review"


def test_scheduled_article_moves_to_recently_published_at_its_time(frozen_now, writer_user):
    article_in(Status.PUBLISHED, publish_at=GO_LIVE, title="Caspian shipping")

    before = panels_of(writer_user)
    with time_machine.travel(GO_LIVE, tick=False):
        after = panels_of(writer_user)

    assert titles(before["Scheduled"]) == ["Caspian shipping"]
    assert titles(before["Recently published"]) == []
    assert titles(after["Scheduled"]) == []
    assert titles(after["Recently published"]) == ["Caspian shipping"]


def test_user_without_view_permission_gets_no_dashboard(frozen_now, newsroom):
    assert editorial_dashboard(user=UserFactory(is_staff=True)) == []


# --- on the admin index -------------------------------------------------------------------


def test_admin_index_shows_the_panels(client, frozen_now, newsroom, writer_user):
    client.force_login(writer_user)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert [panel.title for panel in response.context["dashboard"]] == PANELS
    content = response.content.decode()
    for title in PANELS:
        assert f">{title} <span" in content
    assert 'Awaiting review <span class="dossier-count">2</span>' in content
    assert "goes live 10 Jun, 15:30" in content
    assert "goes live 11 Jun, 15:30" in content
    assert "published newer" in content
    assert reverse("admin:articles_article_change", args=[newsroom["own draft"].pk]) in content
    assert "binned" not in content


def test_admin_index_links_to_the_whole_list_when_a_panel_is_full(client, frozen_now, writer_user):
    for _ in range(9):
        article_in(Status.IN_REVIEW)
    client.force_login(writer_user)

    content = client.get(reverse("admin:index")).content.decode()

    changelist = reverse("admin:articles_article_changelist")
    assert f'href="{changelist}?status__exact=in_review">See all 9</a>' in content


def test_admin_index_says_when_a_panel_is_empty(client, frozen_now, writer_user):
    client.force_login(writer_user)

    content = client.get(reverse("admin:index")).content.decode()

    assert "No drafts of yours." in content
    assert "The review queue is empty." in content
    assert "Nothing is scheduled." in content


def test_admin_index_has_no_dashboard_for_staff_who_cannot_view_articles(client, newsroom):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert response.context["dashboard"] == []
    assert "dossier-dashboard" not in response.content.decode()
