"""An organisation's suspensions and their lifting, in the one shape of every history table."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("matchmaking", "0007_outbox_forget_account_links"),
    ]

    operations = [
        migrations.CreateModel(
            name="OrganisationHistory",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("suspended", "Suspended"), ("unsuspended", "Suspension lifted")],
                        max_length=16,
                        verbose_name="what",
                    ),
                ),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="by",
                    ),
                ),
                ("note", models.TextField(blank=True, verbose_name="note")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="at"),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="history",
                        to="matchmaking.organisation",
                        verbose_name="organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "organisation history entry",
                "verbose_name_plural": "organisation history",
                "ordering": ["created_at", "pk"],
                "abstract": False,
            },
        ),
    ]
