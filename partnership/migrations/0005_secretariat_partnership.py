from django.db import migrations

from partnership.migrations._grants import grant

# The secretariat sees the applications, members, history and promoters, and decides on
# them through the admin actions; nobody edits these rows by hand.
SECRETARIAT_PARTNERSHIP_PERMISSIONS = [
    "view_membershipapplication",
    "decide_membershipapplication",
    "view_membershipevent",
    "view_partnershipmember",
    "view_promoter",
    "decide_promoter",
]


def grant_partnership(apps, schema_editor):
    grant(apps, "Secretariat", "partnership", SECRETARIAT_PARTNERSHIP_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("partnership", "0004_membership_promoters")]
    operations = [migrations.RunPython(grant_partnership, migrations.RunPython.noop)]
