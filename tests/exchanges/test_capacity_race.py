"""Coordinators accepting applications at the same moment never overfill an offer.

Each thread has its own database connection, so this needs real transactions and a
database with row locks: PostgreSQL (the suite runs on it with .ci/run).
"""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum

from exchanges import services
from exchanges.models import Application, ApplicationHistory
from tests.factories import ApplicationFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks; run .ci/run"
    ),
]


def _pause_before_writing(execute, sql, params, many, context):
    # Widens the race: every transaction has counted the places left before any of them
    # writes, so only a lock taken before counting keeps the offer from overfilling.
    if sql.lstrip().upper().startswith("UPDATE"):
        time.sleep(0.05)
    return execute(sql, params, many, context)


def _accept_all_at_once(applications, acting_user):
    """Accept every application from its own thread, all released together; the outcomes."""
    barrier = threading.Barrier(len(applications))
    outcomes = {}

    def accept(application):
        try:
            barrier.wait(timeout=30)
            with connection.execute_wrapper(_pause_before_writing):
                services.application_accept(application=application, acting_user=acting_user)
            outcomes[application.pk] = "accepted"
        except ValidationError as refusal:
            outcomes[application.pk] = refusal.code
        except Exception as error:  # reported by the assertions below
            outcomes[application.pk] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes.values())


def _accepted_participants(offer):
    return offer.applications.filter(status=Application.Status.ACCEPTED).aggregate(
        total=Sum("participants")
    )["total"]


def test_twenty_simultaneous_accepts_fill_three_places_and_no_more(offer, host_coordinator):
    assert offer.capacity == 3
    applications = [ApplicationFactory(offer=offer, participants=1) for _ in range(20)]

    outcomes = _accept_all_at_once(applications, host_coordinator)

    assert outcomes == ["accepted"] * 3 + ["capacity"] * 17
    assert _accepted_participants(offer) == 3
    assert ApplicationHistory.objects.filter(kind=Application.Status.ACCEPTED).count() == 3
    assert offer.applications.filter(status=Application.Status.SUBMITTED).count() == 17


def test_simultaneous_accepts_of_two_participants_fit_only_once_in_three_places(
    offer, host_coordinator
):
    applications = [ApplicationFactory(offer=offer, participants=2) for _ in range(10)]

    outcomes = _accept_all_at_once(applications, host_coordinator)

    assert outcomes == ["accepted"] + ["capacity"] * 9
    assert _accepted_participants(offer) == 2
    assert services.capacity_left(offer) == 1
