"""Create the editorial roles as groups. Roles are never set up by hand: this migration is the
record of what each role may do (docs/editorial-workflow.md explains it for editors).

The permission lists are copied here rather than imported so that later changes to the app
cannot rewrite history; a later migration changes a role by adding or removing permissions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def crud(app, model, actions=("add", "change", "delete", "view")):
    return [f"{app}.{action}_{model}" for action in actions]


ROLES = {
    "Writers": [
        *crud("articles", "article"),
        "articles.submit_article",
        *crud("articles", "byline"),
        *crud("articles", "expertquote"),
        *crud("articles", "relatedlink"),
        "articles.view_articleactivity",
        "authors.view_author",
        "authors.view_expert",
        "topics.view_topic",
        "taggit.view_tag",
    ],
    "Editors": [
        *crud("articles", "article"),
        "articles.submit_article",
        "articles.review_article",
        "articles.publish_article",
        "articles.edit_any_article",
        "articles.purge_article",
        *crud("articles", "byline"),
        *crud("articles", "expertquote"),
        *crud("articles", "relatedlink"),
        "articles.view_articleactivity",
        *crud("authors", "author"),
        *crud("authors", "authorlink"),
        *crud("authors", "expert"),
        *crud("topics", "topic"),
        *crud("taggit", "tag"),
        "core.view_slughistory",
    ],
    "Moderators": [
        "articles.view_article",
        "articles.review_article",
        "articles.view_byline",
        "articles.view_expertquote",
        "articles.view_relatedlink",
        "articles.view_articleactivity",
        "authors.view_author",
        "authors.view_expert",
        "topics.view_topic",
        "taggit.view_tag",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations run; create them now so the groups
    # can refer to them on a fresh database.
    for app_config in apps.get_app_configs():
        # Restored afterwards: called with the live app registry (tests do), leaving it None would
        # stop Django creating content types and permissions for the app after a flush.
        previous = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = previous

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        found = []
        for perm in perms:
            app_label, codename = perm.split(".")
            found.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(found)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_workflow"),
        ("authors", "0001_initial"),
        ("topics", "0001_initial"),
        ("core", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
