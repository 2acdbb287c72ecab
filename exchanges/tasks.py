"""Celery tasks of the exchanges app: scoring matches, the alerts they cause, the reminders.

Each task takes ids, loads what it needs and calls ``exchanges.matching`` or
``exchanges.reminders``; running one twice stores the same scores and sends no email twice
(alerts and reminders are claimed on their rows and keyed in the outbox). A task whose object
was deleted meanwhile does nothing.
"""

import logging

from celery import shared_task
from django.db import transaction
from kombu.exceptions import OperationalError

from . import matching, proposals, reminders

logger = logging.getLogger(__name__)


def queue_on_commit(task, *args, **kwargs):
    """Ask the worker to run a scoring task once the current transaction commits.

    A broker that is down costs only a stale score, which ``manage.py rescore_matches``
    repairs; the change that asked for it is kept.
    """

    def send():
        try:
            task.delay(*args, **kwargs)
        except OperationalError:
            logger.warning("Could not queue %s%r; re-score later.", task.name, args)

    transaction.on_commit(send)


@shared_task(ignore_result=True)
def score_offer(offer_id, alert=True):
    """An offer against every interest profile and its own applications; alerts if asked."""
    return matching.score_offer(offer_id, alert=alert)


@shared_task(ignore_result=True)
def score_profile(profile_id):
    """An interest profile against every open offer."""
    return matching.score_profile(profile_id)


@shared_task(ignore_result=True)
def score_application(application_id):
    return matching.score_application(application_id)


@shared_task(ignore_result=True)
def rescore_all():
    """Every open offer against every profile, and every application (admin, command)."""
    return matching.rescore_all()


@shared_task(ignore_result=True)
def send_weekly_digests():
    """Periodic (beat, Monday 07:00): the week's new matches for weekly-digest profiles."""
    return matching.send_weekly_digests()


@shared_task(ignore_result=True)
def send_exchange_reminders():
    """Periodic (beat, daily): a week before, on the last day, and 14 days after exchanges."""
    return reminders.send_exchange_reminders()


@shared_task(ignore_result=True)
def propose_due_rounds():
    """Propose the allocation of the call rounds whose allocation date has come (beat)."""
    return proposals.propose_due_rounds()
