from django.db import migrations

from partnership.migrations._grants import grant

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
    for app_label, models in SECRETARIAT_PERMISSIONS.items():
        codenames = [f"{action}_{model}" for model, actions in models.items() for action in actions]
        grant(apps, "Secretariat", app_label, codenames)


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
