"""Give the editorial roles their moderation permissions. Moderators and Editors work the queue
(comments, reports, the blocklist); Writers do not moderate.

As in articles.0004, the lists are written out here so later code changes cannot rewrite what
this migration did.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATION = [
    "comments.view_comment",
    "comments.add_comment",
    "comments.change_comment",
    "comments.delete_comment",
    "comments.view_report",
    "comments.change_report",
    "comments.view_blockedterm",
    "comments.add_blockedterm",
    "comments.change_blockedterm",
    "comments.delete_blockedterm",
]
ROLES = {"Moderators": MODERATION, "Editors": MODERATION}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; this one needs them now.
    for config in apps.get_app_configs():
        # Restored afterwards: called with the live app registry (tests do), leaving it None would
        # stop Django creating content types and permissions for the app after a flush.
        previous = getattr(config, "models_module", None)
        config.models_module = True
        create_permissions(config, verbosity=0)
        config.models_module = previous
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(
            *group.permissions.filter(content_type__app_label="comments")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("articles", "0004_editorial_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
