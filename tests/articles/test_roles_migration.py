"""The roles migration creates the editorial groups with exactly the permissions each role needs."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from tests.factories import EDITORS, MODERATORS, WRITERS, role_user

pytestmark = pytest.mark.django_db

roles_migration = importlib.import_module("articles.migrations.0004_editorial_roles")
moderation_migration = importlib.import_module("comments.migrations.0002_moderation_roles")
library_migration = importlib.import_module("images.migrations.0002_roles")
pages_migration = importlib.import_module("pages.migrations.0002_menus_and_roles")


def granted_by_migrations(name: str) -> set[str]:
    """What the migrations, in order, give a role."""
    return (
        set(roles_migration.ROLES[name])
        | set(moderation_migration.ROLES.get(name, []))
        | set(library_migration.ROLES.get(name, []))
        | pages_granted(name)
    )


def pages_granted(name: str) -> set[str]:
    """Site pages, menus and redirects are the editors' (pages/migrations/0002)."""
    if name != EDITORS:
        return set()
    return {f"pages.{codename}" for codename in pages_migration.EDITOR_PERMISSIONS}


def permissions_of(name: str) -> set[str]:
    group = Group.objects.get(name=name)
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_the_three_editorial_groups_exist():
    names = set(Group.objects.values_list("name", flat=True))

    assert {WRITERS, EDITORS, MODERATORS} <= names


@pytest.mark.parametrize("name", [WRITERS, EDITORS, MODERATORS])
def test_each_group_holds_exactly_the_permissions_the_migration_lists(name):
    assert permissions_of(name) == granted_by_migrations(name)


def test_writers_may_write_and_submit_but_not_publish_review_or_purge():
    perms = permissions_of(WRITERS)

    assert {
        "articles.add_article",
        "articles.change_article",
        "articles.view_article",
        "articles.submit_article",
    } <= perms
    assert not perms & {
        "articles.publish_article",
        "articles.review_article",
        "articles.purge_article",
        "articles.edit_any_article",
        "authors.change_author",
        "topics.change_topic",
    }


def test_moderators_may_view_and_review_but_not_change_delete_or_purge():
    perms = permissions_of(MODERATORS)

    assert {"articles.view_article", "articles.review_article"} <= perms
    assert not perms & {
        "articles.add_article",
        "articles.change_article",
        "articles.delete_article",
        "articles.purge_article",
        "articles.publish_article",
        "articles.edit_any_article",
        "articles.submit_article",
    }


def test_editors_may_publish_purge_edit_anything_and_run_the_taxonomy():
    perms = permissions_of(EDITORS)

    assert {
        "articles.publish_article",
        "articles.review_article",
        "articles.purge_article",
        "articles.edit_any_article",
        "articles.delete_article",
        "authors.change_author",
        "authors.change_expert",
        "topics.change_topic",
    } <= perms


@pytest.mark.parametrize(
    ("name", "granted", "withheld"),
    [
        (WRITERS, "articles.submit_article", "articles.publish_article"),
        (MODERATORS, "articles.review_article", "articles.change_article"),
        (EDITORS, "articles.purge_article", None),
    ],
)
def test_a_member_of_the_group_holds_its_permissions(name, granted, withheld):
    user = role_user(name)

    assert user.has_perm(granted)
    if withheld:
        assert not user.has_perm(withheld)


def test_running_the_roles_migrations_again_changes_nothing():
    before = {name: permissions_of(name) for name in roles_migration.ROLES}

    roles_migration.create_roles(apps, schema_editor=None)
    moderation_migration.grant(apps, schema_editor=None)
    library_migration.grant(apps, schema_editor=None)
    pages_migration.grant_editors(apps, schema_editor=None)

    assert Group.objects.filter(name__in=roles_migration.ROLES).count() == 3
    assert {name: permissions_of(name) for name in roles_migration.ROLES} == before


def test_reversing_the_roles_migration_removes_the_groups():
    roles_migration.remove_roles(apps, schema_editor=None)

    assert not Group.objects.filter(name__in=[WRITERS, EDITORS, MODERATORS]).exists()


@pytest.mark.parametrize("name", [EDITORS, MODERATORS])
def test_moderators_and_editors_may_work_the_comment_queue(name):
    assert {
        "comments.change_comment",
        "comments.delete_comment",
        "comments.change_report",
        "comments.add_blockedterm",
    } <= permissions_of(name)


def test_writers_do_not_moderate():
    assert not {p for p in permissions_of(WRITERS) if p.startswith("comments.")}


def test_reversing_the_moderation_migration_removes_only_comment_permissions():
    moderation_migration.revoke(apps, schema_editor=None)

    for name in (EDITORS, MODERATORS):
        assert permissions_of(name) == set(roles_migration.ROLES[name]) | set(
            library_migration.ROLES[name]
        ) | pages_granted(name)
