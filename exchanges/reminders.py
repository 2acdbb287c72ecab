"""The daily exchange reminders: a week before the start, on the end date, and 14 days after.

A job of its own rather than a service because the Celery task that runs it sits above the
services, which queue the scoring tasks of the same module (``exchanges.tasks``).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from . import emails
from .models import Exchange, FollowUpSide


def send_exchange_reminders(*, today: datetime.date | None = None) -> dict[str, int]:
    """Daily (beat): a week before the start, on the end date, and 14 days after it.

    Each reminder is sent once per exchange (its timestamp is claimed with a conditional
    update), so running this twice a day sends nothing twice.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    sent = {"week_before": 0, "follow_up_due": 0, "follow_up_reminder": 0}
    planned = Exchange.objects.filter(status=Exchange.Status.PLANNED)
    for pk in planned.filter(
        start_date=today + datetime.timedelta(days=7), week_reminder_sent_at__isnull=True
    ).values_list("pk", flat=True):
        with transaction.atomic():
            if Exchange.objects.filter(pk=pk, week_reminder_sent_at__isnull=True).update(
                week_reminder_sent_at=now
            ):
                emails.exchange_in_a_week(Exchange.objects.get(pk=pk))
                sent["week_before"] += 1
    open_for_follow_up = Exchange.objects.exclude(status=Exchange.Status.CANCELLED)
    for pk in open_for_follow_up.filter(
        end_date__lte=today, follow_up_requested_at__isnull=True
    ).values_list("pk", flat=True):
        with transaction.atomic():
            if Exchange.objects.filter(pk=pk, follow_up_requested_at__isnull=True).update(
                follow_up_requested_at=now
            ):
                emails.follow_up_due(Exchange.objects.get(pk=pk))
                sent["follow_up_due"] += 1
    two_weeks_ago = today - datetime.timedelta(days=14)
    for exchange in open_for_follow_up.filter(
        end_date__lte=two_weeks_ago,
        follow_up_reminder_sent_at__isnull=True,
        # Two weeks after asking too: an exchange recorded after it ended was only asked
        # above, in this very run, and must not get the reminder with it.
        follow_up_requested_at__date__lte=two_weeks_ago,
    ).prefetch_related("follow_ups"):
        missing = {FollowUpSide.HOST, FollowUpSide.SENDING} - {
            follow_up.side for follow_up in exchange.follow_ups.all()
        }
        if not missing:
            continue
        with transaction.atomic():
            if Exchange.objects.filter(
                pk=exchange.pk, follow_up_reminder_sent_at__isnull=True
            ).update(follow_up_reminder_sent_at=now):
                emails.follow_up_reminder(exchange, missing_sides=sorted(missing))
                sent["follow_up_reminder"] += 1
    return sent
