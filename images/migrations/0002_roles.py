"""The editorial roles' rights in the media library (the roles are made by articles 0004).

Writers upload and describe images and place them; deleting one, which takes it out of every
body placing it, is for editors. Moderators may look.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Writers": ["images.add_image", "images.change_image", "images.view_image"],
    "Editors": [
        "images.add_image", "images.change_image", "images.delete_image", "images.view_image",
    ],
    "Moderators": ["images.view_image"],
}


def ids_of(Permission, perms):
    # Ids rather than objects: the historical models of the two directions are not the same
    # classes, and a relation refuses the other's instances.
    return Permission.objects.filter(
        content_type__app_label="images", codename__in=[perm.split(".")[1] for perm in perms]
    ).values_list("pk", flat=True)


def grant(apps, schema_editor):
    app_config = apps.get_app_config("images")
    # Restored afterwards: called with the live app registry (tests do), leaving it None would
    # stop Django creating content types and permissions for the app after a flush.
    previous = getattr(app_config, "models_module", None)
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = previous
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLES.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        group.permissions.add(*ids_of(Permission, perms))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLES.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(*ids_of(Permission, perms))


class Migration(migrations.Migration):
    dependencies = [
        ("images", "0001_initial"),
        ("articles", "0004_editorial_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
