"""History rows are called history, not events (a matchmaking event is something else), and
have one shape: ``kind``, ``actor``, ``note``, ``created_at``; offers keep theirs too.

Renames and field changes only: no row is lost. ``created_at`` takes a default instead of
``auto_now_add`` so that a service (or the demo) can date a row; the column does not change.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exchanges", "0004_exchanges_follow_ups_case_studies"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("ApplicationEvent", "ApplicationHistory"),
        migrations.RenameField("ApplicationHistory", "status", "kind"),
        migrations.RenameField("ApplicationHistory", "message", "note"),
        migrations.AlterField(
            model_name="applicationhistory",
            name="application",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="history",
                to="exchanges.application",
            ),
        ),
        migrations.AlterField(
            model_name="applicationhistory",
            name="note",
            field=models.TextField(blank=True, verbose_name="note"),
        ),
        migrations.AlterField(
            model_name="applicationhistory",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="at"),
        ),
        migrations.RenameModel("ExchangeEvent", "ExchangeHistory"),
        migrations.AlterField(
            model_name="exchangehistory",
            name="exchange",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="history",
                to="exchanges.exchange",
            ),
        ),
        migrations.AlterField(
            model_name="exchangehistory",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="at"),
        ),
        migrations.CreateModel(
            name="OfferHistory",
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
                        choices=[
                            ("draft", "Draft"),
                            ("published", "Published"),
                            ("closed", "Closed"),
                            ("archived", "Archived"),
                        ],
                        max_length=16,
                        verbose_name="status",
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
                    "offer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="history",
                        to="exchanges.offer",
                    ),
                ),
            ],
            options={
                "verbose_name": "offer history entry",
                "verbose_name_plural": "offer history",
                "ordering": ["created_at", "pk"],
                "abstract": False,
            },
        ),
    ]
