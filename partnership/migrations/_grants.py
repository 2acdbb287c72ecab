"""Shared by the data migrations that give the Secretariat group its permissions.

(The migration loader skips modules whose names start with an underscore.)
"""

from django.contrib.auth.management import create_permissions


def grant(apps, group_name, app_label, codenames):
    """Add permissions to a group, creating them first as they normally appear after migrate."""
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True  # the migration state's stub lacks it
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=group_name)
    group.permissions.add(
        *apps.get_model("auth", "Permission").objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
    )
