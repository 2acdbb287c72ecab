"""Celery tasks of the exchanges app: scoring matches, the alerts they cause, the reminders.

Each task takes ids, loads what it needs and calls ``exchanges.matching`` or
``exchanges.reminders``; running one twice stores the same scores and sends no email twice
(alerts and reminders are claimed on their rows and keyed in the outbox). A task whose object
was deleted meanwhile does nothing.

A change that needs scoring writes a ``ScoringRequest`` in its transaction and queues its
task once it commits (``score_on_commit``); the task deletes the request when it has scored.
If the task could not be queued (the broker was down) or was lost, the beat's sweeper
(``sweep_scoring``, every minute) queues it again, so the offer is scored and its alerts
sent all the same.

A full re-score (``start_rescore``) is a run of chunks, one task each, queued as a group:
any worker on any machine takes any chunk; the one that completes the run stores it.
"""

import datetime
import logging

from celery import group, shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from . import matching, proposals, reminders
from .matching import requests

logger = logging.getLogger(__name__)


def queue_on_commit(task, *args, **kwargs):
    """Ask the worker to run a task once the current transaction commits.

    A broker that is down only delays it: what needs scoring has a ``ScoringRequest``
    (``score_on_commit``), which the sweeper queues again.
    """

    def send():
        try:
            task.delay(*args, **kwargs)
        except OperationalError:
            logger.warning("Could not queue %s%r; the sweeper will.", task.name, args)

    transaction.on_commit(send)


def score_on_commit(kind, object_id, *, alert=False):
    """Score an offer (``alert``: and alert the organisations it fits), an interest profile
    or an application once the current transaction commits, whatever the broker does."""
    requests.request(kind, object_id, alert=alert)
    task, kwargs = _scoring_task(kind, alert)
    queue_on_commit(task, object_id, **kwargs)


def _scoring_task(kind, alert):
    if kind == "offer":
        return score_offer, {"alert": alert}
    return {"profile": score_profile, "application": score_application}[kind], {}


@shared_task(ignore_result=True)
def score_offer(offer_id, alert=True):
    """An offer against every interest profile and its own applications; alerts if asked."""
    asked = requests.pending("offer", offer_id, alert=alert)
    result = matching.score_offer(offer_id, alert=alert)
    requests.answered(asked)
    return result


@shared_task(ignore_result=True)
def score_profile(profile_id):
    """An interest profile against every open offer."""
    asked = requests.pending("profile", profile_id)
    result = matching.score_profile(profile_id)
    requests.answered(asked)
    return result


@shared_task(ignore_result=True)
def score_application(application_id):
    asked = requests.pending("application", application_id)
    result = matching.score_application(application_id)
    requests.answered(asked)
    return result


@shared_task(ignore_result=True)
def sweep_scoring():
    """Periodic (beat, every minute): queue again the scoring whose task seems lost — the
    requests still there a while after their task was queued, and the chunks and finishing
    steps of full re-scores not done long after theirs. Returns how many were queued."""
    queued = 0
    try:
        for kind, object_id, alert in requests.due():
            task, kwargs = _scoring_task(kind, alert)
            task.delay(object_id, **kwargs)
            queued += 1
        older_than = timezone.now() - datetime.timedelta(seconds=settings.RESCORE_RETRY_SECONDS)
        chunks, finishing = matching.lost_rescore_steps(older_than=older_than)
        for run_id, number in chunks:
            rescore_chunk.delay(run_id, number)
        for run_id in finishing:
            rescore_finish.delay(run_id)
        queued += len(chunks) + len(finishing)
    except OperationalError:
        logger.warning("The broker is down: scoring is swept again in a minute.")
    return queued


def start_rescore():
    """Start a full re-score on the workers: a run whose chunks are queued as a group once
    the run is committed (without a broker they run here and now). Returns the run."""
    with transaction.atomic():
        run, numbers = matching.start_rescore_run()
        transaction.on_commit(lambda: _queue_chunks(run.pk, numbers))
    run.refresh_from_db()
    return run


def _queue_chunks(run_id, numbers):
    try:
        group(rescore_chunk.si(run_id, number) for number in numbers).apply_async()
    except OperationalError:
        logger.warning("Could not queue re-score run %s; the sweeper will.", run_id)


@shared_task(ignore_result=True)
def rescore_chunk(run_id, number):
    """One chunk of a full re-score; the one that completes the run stores it, here (a
    chord would need a result backend: the run's row counts the chunks instead)."""
    if matching.rescore_chunk(run_id, number):
        return matching.rescore_finish(run_id)
    return None


@shared_task(ignore_result=True)
def rescore_finish(run_id):
    """The finishing step of a complete run whose own was lost (queued by the sweeper)."""
    return matching.rescore_finish(run_id)


@shared_task(ignore_result=True)
def rescore_all():
    """Every open offer against every profile, and every application, in one task (kept for
    tasks queued before runs of chunks existed)."""
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
