from django.db import migrations

from partnership.migrations._grants import grant

# The secretariat creates and edits events in the admin, confirms registrations (an admin
# action), and sees the meetings and the meeting grid; registrations and meetings themselves
# change only through the services.
SECRETARIAT_EVENT_PERMISSIONS = [
    "add_event",
    "change_event",
    "delete_event",
    "view_event",
    "view_event_grid",
    "view_eventregistration",
    "confirm_eventregistration",
    "view_meeting",
]


def grant_events(apps, schema_editor):
    grant(apps, "Secretariat", "partnership", SECRETARIAT_EVENT_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("partnership", "0006_events")]
    operations = [migrations.RunPython(grant_events, migrations.RunPython.noop)]
