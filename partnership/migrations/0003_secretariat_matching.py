from django.db import migrations

from partnership.migrations._grants import grant


def grant_matching(apps, schema_editor):
    # The secretariat sees interest profiles, matches and invitations, and can re-score
    # profiles and offers (the admin actions need the change permission).
    grant(apps, "Secretariat", "matchmaking", ["view_interestprofile", "change_interestprofile"])
    grant(apps, "Secretariat", "exchanges", ["view_offerprofilematch", "view_offerinvitation"])


class Migration(migrations.Migration):
    dependencies = [
        ("partnership", "0002_secretariat_outbox"),
        ("matchmaking", "0006_interest_profile"),
        ("exchanges", "0003_matches_scores_invitations"),
    ]
    operations = [migrations.RunPython(grant_matching, migrations.RunPython.noop)]
