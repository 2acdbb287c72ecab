"""Two people acting on the same application at the same moment: no deadlock, no 500.

Each thread has its own database connection, so this needs real transactions and row locks:
PostgreSQL (as in test_capacity_race.py). A pause injected between a transaction's locks
widens the window in which the other transaction takes its own.
"""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from exchanges import services
from exchanges.models import Application, ApplicationHistory
from tests.factories import ApplicationFactory, language

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks; run .ci/run"
    ),
]


def _pause_after_locking_the_offer(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if "FOR UPDATE" in sql and sql.split("WHERE")[0].rstrip().endswith('FROM "exchanges_offer"'):
        time.sleep(0.4)  # holds the offer while the other transaction starts
    return result


def _pause_before_inserting_an_application(execute, sql, params, many, context):
    if sql.startswith('INSERT INTO "exchanges_application"'):
        time.sleep(0.3)  # both submits have checked for an earlier application by now
    return execute(sql, params, many, context)


def _run_together(*calls):
    """Run each ``(name, wrapper, delay, call)`` in its own thread; the outcomes by name."""
    barrier = threading.Barrier(len(calls))
    outcomes = {}

    def run(name, wrapper, delay, call):
        try:
            barrier.wait(timeout=30)
            time.sleep(delay)
            with connection.execute_wrapper(wrapper):
                call()
            outcomes[name] = "done"
        except ValidationError as refusal:
            outcomes[name] = refusal.code
        except Exception as error:  # a deadlock or an IntegrityError, reported by the asserts
            outcomes[name] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _no_pause(execute, sql, params, many, context):
    return execute(sql, params, many, context)


@pytest.mark.parametrize("other", [services.application_withdraw, services.application_decline])
def test_accepting_and_another_decision_at_the_same_moment_both_finish(
    offer, host_coordinator, applicant_coordinator, other
):
    application = ApplicationFactory(offer=offer)

    outcomes = _run_together(
        (
            "accept",
            _pause_after_locking_the_offer,
            0,
            lambda: services.application_accept(
                application=application, acting_user=host_coordinator
            ),
        ),
        (
            "other",
            _no_pause,
            0.1,  # starts while the accept holds the offer and waits to lock the application
            lambda: other(application=application, acting_user=applicant_coordinator),
        ),
    )

    # The accept locked first, so it wins; the other finds the application decided.
    assert outcomes == {"accept": "done", "other": "state"}
    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED
    assert list(ApplicationHistory.objects.values_list("kind", flat=True)) == [
        Application.Status.ACCEPTED
    ]


def test_a_double_clicked_application_is_saved_once_and_the_second_told_why(
    offer, applicant_org, applicant_coordinator
):
    def submit():
        services.application_submit(
            offer=offer,
            organisation=applicant_org,
            acting_user=applicant_coordinator,
            languages=[language("en")],
            motivation="We want to learn how you reach young people who left school early.",
            participants=1,
            fewer_opportunity_participants=0,
            participant_roles="One advisor in education.",
            preferred_start=offer.available_from,
            preferred_end=offer.available_from,
        )

    outcomes = _run_together(
        ("first", _pause_before_inserting_an_application, 0, submit),
        ("second", _pause_before_inserting_an_application, 0, submit),
    )

    assert sorted(outcomes.values()) == ["done", "duplicate"]
    assert Application.objects.filter(offer=offer, organisation=applicant_org).count() == 1
    assert ApplicationHistory.objects.count() == 1
