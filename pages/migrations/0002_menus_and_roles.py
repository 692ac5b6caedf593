"""The two menus with the links the header and footer had when they were written in the
template, so a site looks the same until editors change them; and the Editors role's right to
edit pages, menus and redirects (docs/editorial-workflow.md lists what each role may do).

Values are written out here rather than imported, so later changes to the app cannot rewrite
history (as in articles' roles migration)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MENUS = {
    "header": ["topics:list", "authors:list", "authors:expert_list"],
    "footer": ["website:home", "topics:list", "authors:list", "authors:expert_list"],
}

EDITOR_PERMISSIONS = [
    *(f"{action}_{model}" for model in ("page", "menu", "menuitem", "redirect")
      for action in ("add", "change", "delete", "view")),
    "view_slugredirect",
]  # fmt: skip


def create_menus(apps, schema_editor):
    Menu = apps.get_model("pages", "Menu")
    MenuItem = apps.get_model("pages", "MenuItem")
    for location, sections in MENUS.items():
        menu, created = Menu.objects.get_or_create(location=location)
        if created:
            for position, section in enumerate(sections):
                MenuItem.objects.create(menu=menu, section=section, sort_order=position)


def grant_editors(apps, schema_editor):
    app_config = apps.get_app_config("pages")
    # Restored afterwards: called with the live app registry (tests do), leaving it None would
    # stop Django creating content types and permissions for the app after a flush.
    previous = getattr(app_config, "models_module", None)
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = previous
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="pages", codename__in=EDITOR_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
        ("articles", "0004_editorial_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_menus, migrations.RunPython.noop),
        migrations.RunPython(grant_editors, migrations.RunPython.noop),
    ]
