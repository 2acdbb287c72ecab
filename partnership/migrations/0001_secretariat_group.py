from django.contrib.auth.management import create_permissions
from django.db import migrations

# What the EARLALL secretariat may do in the admin without being superusers.
SECRETARIAT_PERMISSIONS = {
    "matchmaking": {
        "exchangetype": ("view", "add", "change", "delete"),
        "theme": ("view", "add", "change", "delete"),
        "feweropportunitycategory": ("view", "add", "change", "delete"),
        "fieldofeducation": ("view", "add", "change", "delete"),
        "language": ("view", "add", "change", "delete"),
        "organisation": ("view", "change"),
        "membership": ("view", "change", "delete"),
        "invitation": ("view", "delete"),
        "user": ("view",),
    },
    "exchanges": {
        "offer": ("view", "change"),
        "application": ("view",),
        "applicationevent": ("view",),
    },
}


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the
    # group can hold them on a fresh database.
    for app_label in SECRETARIAT_PERMISSIONS:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True  # the migration state's stub lacks it
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    group, _ = group_model.objects.get_or_create(name="Secretariat")
    for app_label, models in SECRETARIAT_PERMISSIONS.items():
        for model, actions in models.items():
            codenames = [f"{action}_{model}" for action in actions]
            group.permissions.add(
                *permission_model.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Secretariat").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("matchmaking", "0002_seed_vocabularies"),
        ("exchanges", "0002_initial"),
    ]
    operations = [migrations.RunPython(create_group, remove_group)]
