from django.db import migrations

from partnership.migrations._grants import grant

# The secretariat reviews exchanges, follow-ups and their quotes, edits the case studies
# prepared from them and publishes them (the admin action needs publish_casestudy). The
# counts and the history are shown as read-only inlines of the exchange, hence their view
# permissions.
SECRETARIAT_EXCHANGE_RECORD_PERMISSIONS = [
    "view_exchange",
    "change_exchange",
    "view_feweropportunitycount",
    "view_exchangeevent",
    "view_followup",
    "change_followup",
    "view_quote",
    "change_quote",
    "view_casestudy",
    "change_casestudy",
    "publish_casestudy",
]


def grant_exchange_records(apps, schema_editor):
    grant(apps, "Secretariat", "exchanges", SECRETARIAT_EXCHANGE_RECORD_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("partnership", "0007_secretariat_events"),
        ("exchanges", "0004_exchanges_follow_ups_case_studies"),
    ]
    operations = [migrations.RunPython(grant_exchange_records, migrations.RunPython.noop)]
