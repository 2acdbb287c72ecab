"""History rows are called history, not events (a matchmaking event is something else), in
one shape: ``kind``, ``actor``, ``note``, ``created_at``. Promoters keep a history too. Event
registrations share the decision fields of membership applications and promoters.

Renames and field changes only: no row is lost. The data steps keep what pointed at the old
names working: emails waiting in the outbox refer to the renamed models (and call them
``entry`` now), and the permissions of the renamed models keep their holders. (The
Secretariat's grants, the new history tables' included, are ``partnership.permissions``'.)
"""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

RENAMED = {
    ("exchanges", "applicationevent"): ("applicationhistory", "application history entry"),
    ("exchanges", "exchangeevent"): ("exchangehistory", "exchange history entry"),
    ("partnership", "membershipevent"): ("membershiphistory", "partnership history entry"),
}
ACTIONS = ("add", "change", "delete", "view")
# Emails whose context names a history row: it was "event", it is "entry".
ENTRY_TEMPLATES = (
    "application_received",
    "application_decided",
    "application_withdrawn",
    "membership_ended",
)


def _relabel(value, labels):
    if isinstance(value, dict):
        if value.get("__model__") in labels:
            return {**value, "__model__": labels[value["__model__"]]}
        return {key: _relabel(item, labels) for key, item in value.items()}
    if isinstance(value, list):
        return [_relabel(item, labels) for item in value]
    return value


def _rewrite_outbox(apps, *, labels, keys):
    OutboxEmail = apps.get_model("matchmaking", "OutboxEmail")
    for email in OutboxEmail.objects.filter(template__in=ENTRY_TEMPLATES).iterator():
        context = _relabel(email.context, labels)
        old_key, new_key = keys
        if old_key in context:
            context[new_key] = context.pop(old_key)
        if context != email.context:
            OutboxEmail.objects.filter(pk=email.pk).update(context=context)


def _rename_permissions(apps, renames):
    Permission = apps.get_model("auth", "Permission")
    for app_label, old, new, name in renames:
        for action in ACTIONS:
            perms = Permission.objects.filter(content_type__app_label=app_label)
            old_perm = perms.filter(codename=f"{action}_{old}").first()
            if old_perm is None:
                continue
            new_perm = perms.filter(codename=f"{action}_{new}").first()
            if new_perm is None:
                old_perm.codename = f"{action}_{new}"
                old_perm.name = f"Can {action} {name}"
                old_perm.save(update_fields=["codename", "name"])
            else:  # both exist: the holders of the old one hold the new one
                for group in old_perm.group_set.all():
                    group.permissions.add(new_perm)
                for user in old_perm.user_set.all():
                    user.user_permissions.add(new_perm)
                old_perm.delete()


def forwards(apps, schema_editor):
    labels = {f"{app}.{old}": f"{app}.{new}" for (app, old), (new, _name) in RENAMED.items()}
    _rewrite_outbox(apps, labels=labels, keys=("event", "entry"))
    _rename_permissions(
        apps, [(app, old, new, name) for (app, old), (new, name) in RENAMED.items()]
    )


def backwards(apps, schema_editor):
    labels = {f"{app}.{new}": f"{app}.{old}" for (app, old), (new, _name) in RENAMED.items()}
    _rewrite_outbox(apps, labels=labels, keys=("entry", "event"))
    _rename_permissions(
        apps, [(app, new, old, name) for (app, old), (new, name) in RENAMED.items()]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("partnership", "0008_secretariat_exchange_records"),
        ("exchanges", "0005_history"),
        ("matchmaking", "0008_organisation_history"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Membership history
        migrations.RenameModel("MembershipEvent", "MembershipHistory"),
        migrations.RenameField("MembershipHistory", "at", "created_at"),
        migrations.AlterModelOptions(
            name="membershiphistory",
            options={
                "ordering": ["created_at", "pk"],
                "verbose_name": "partnership history entry",
                "verbose_name_plural": "partnership history",
            },
        ),
        migrations.AlterField(
            model_name="membershiphistory",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="partnership_history",
                to="matchmaking.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.AlterField(
            model_name="membershiphistory",
            name="application",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="history",
                to="partnership.membershipapplication",
                verbose_name="application",
            ),
        ),
        migrations.AlterField(
            model_name="membershiphistory",
            name="kind",
            field=models.CharField(
                choices=[
                    ("applied", "Applied"),
                    ("withdrawn", "Withdrew the application"),
                    ("approved", "Approved"),
                    ("rejected", "Rejected"),
                    ("left", "Left the partnership"),
                    ("ended", "Membership ended by the secretariat"),
                ],
                max_length=16,
                verbose_name="what happened",
            ),
        ),
        migrations.AlterField(
            model_name="membershiphistory",
            name="note",
            field=models.TextField(blank=True, verbose_name="note"),
        ),
        # Promoter history
        migrations.CreateModel(
            name="PromoterHistory",
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
                            ("nominated", "Nominated"),
                            ("approved", "Approved"),
                            ("rejected", "Rejected"),
                        ],
                        max_length=16,
                        verbose_name="what happened",
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
                    "promoter",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="history",
                        to="partnership.promoter",
                        verbose_name="promoter",
                    ),
                ),
            ],
            options={
                "verbose_name": "promoter history entry",
                "verbose_name_plural": "promoter history",
                "ordering": ["created_at", "pk"],
                "abstract": False,
            },
        ),
        # Event registrations: the decision fields of matchmaking.models.Decided
        migrations.RemoveConstraint("EventRegistration", "eventregistration_confirmed_has_a_date"),
        migrations.RenameField("EventRegistration", "confirmed_by", "decided_by"),
        migrations.RenameField("EventRegistration", "confirmed_at", "decided_at"),
        migrations.AlterField(
            model_name="eventregistration",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="decided by",
            ),
        ),
        migrations.AlterField(
            model_name="eventregistration",
            name="decided_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="decided at"),
        ),
        migrations.AddField(
            model_name="eventregistration",
            name="decision_note",
            field=models.TextField(
                blank=True,
                max_length=2000,
                validators=[django.core.validators.MaxLengthValidator(2000)],
                verbose_name="note to the organisation",
            ),
        ),
        migrations.AddConstraint(
            model_name="eventregistration",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status", "pending"), ("decided_at__isnull", False), _connector="OR"
                ),
                name="eventregistration_decided_has_a_date",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
