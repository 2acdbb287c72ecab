"""Scoring that is owed: a ``ScoringRequest`` per change, until its scoring has run.

A change writes its request in its own transaction (``request``), so the request exists if
and only if the change does. The scoring task reads the subject's requests before it scores
(``pending``: committed, so their changes are what it reads) and deletes them after
(``answered``); a request written meanwhile stays for the next run. ``due`` hands the sweeper
the requests whose task seems lost (still there ``SCORING_RETRY_SECONDS`` after it was
queued), one per subject, and pushes their next turn back as far again.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import ScoringRequest


def _retry_after():
    return datetime.timedelta(seconds=settings.SCORING_RETRY_SECONDS)


def request(kind, object_id, *, alert=False):
    """Note, in the caller's transaction, that ``kind`` ``object_id`` needs scoring."""
    now = timezone.now()
    ScoringRequest.objects.create(
        kind=kind, object_id=object_id, alert=alert, requested_at=now, due_at=now + _retry_after()
    )


def pending(kind, object_id, *, alert=False):
    """The ids of the subject's requests that a run (alerting or not) answers: one that does
    not alert leaves the requests for alerts."""
    requests = ScoringRequest.objects.filter(kind=kind, object_id=object_id)
    if not alert:
        requests = requests.filter(alert=False)
    return list(requests.values_list("pk", flat=True))


def answered(ids):
    if ids:
        ScoringRequest.objects.filter(pk__in=ids).delete()


def due(*, now=None):
    """(kind, object id, alert) of each subject with a request due, its alert asked for by
    any of them; their next turn is pushed back. Claimed with ``skip_locked``, so two
    sweepers at once hand out each request once."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = list(
            ScoringRequest.objects.select_for_update(skip_locked=True)
            .filter(due_at__lte=now)
            .values_list("pk", "kind", "object_id", "alert")
        )
        ScoringRequest.objects.filter(pk__in=[row[0] for row in rows]).update(
            due_at=now + _retry_after()
        )
    subjects = {}
    for _pk, kind, object_id, alert in rows:
        subjects[(kind, object_id)] = subjects.get((kind, object_id), False) or alert
    return [(kind, object_id, alert) for (kind, object_id), alert in sorted(subjects.items())]
