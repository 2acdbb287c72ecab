from django.db import migrations

from partnership.migrations._grants import grant


def grant_outbox(apps, schema_editor):
    # The secretariat watches the outbox and resends what failed.
    grant(apps, "Secretariat", "matchmaking", ["view_outboxemail", "change_outboxemail"])


class Migration(migrations.Migration):
    dependencies = [
        ("partnership", "0001_secretariat_group"),
        ("matchmaking", "0004_outbox"),
    ]
    operations = [migrations.RunPython(grant_outbox, migrations.RunPython.noop)]
