"""Account emails queued before links were made at send time held the link in their row.

Their text is replaced; one still waiting is marked failed (the person asks again).
"""

from django.db import migrations

SECRET_KEYS = (
    "account:account/email/password_reset_key:",
    "account:account/email/email_confirmation",
)
REMOVED = "(The content of this account email was removed: it held a sign-in link.)"


def forget_links(apps, schema_editor):
    OutboxEmail = apps.get_model("matchmaking", "OutboxEmail")
    for email in OutboxEmail.objects.filter(template="_pre_rendered").iterator():
        if not email.idempotency_key.startswith(SECRET_KEYS):
            continue
        email.context = {
            "subject": email.context.get("subject", ""),
            "text": REMOVED,
            "html": "",
            "_headers": {},
        }
        if email.status == "pending":
            email.status = "failed"
            email.last_error = REMOVED
        email.save(update_fields=["context", "status", "last_error"])


class Migration(migrations.Migration):
    dependencies = [("matchmaking", "0006_interest_profile")]

    operations = [migrations.RunPython(forget_links, migrations.RunPython.noop)]
