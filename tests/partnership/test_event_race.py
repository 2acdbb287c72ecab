"""Nobody is double-booked and no event overfills, also when everyone clicks at once.

Each thread has its own database connection, so this needs real transactions and a database
with row locks: PostgreSQL (the suite runs on it with .ci/run).
"""

import threading
import time
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q

from matchmaking.models import Membership
from partnership.events import services
from partnership.models import EventRegistration, Meeting
from tests.factories import (
    EventFactory,
    EventRegistrationFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks; run .ci/run"
    ),
]

PEOPLE = [{"name": "Anna Berg", "role": "Advisor"}]


def _pause_before_writing(execute, sql, params, many, context):
    # Widens the race: every transaction has read what it checks before any of them writes,
    # so only locks taken before checking keep the slot (or the last place) for one.
    if sql.lstrip().upper().startswith(("UPDATE", "INSERT")):
        time.sleep(0.05)
    return execute(sql, params, many, context)


def _all_at_once(calls):
    """Run every call in its own thread, all released together; their outcomes, sorted."""
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait(timeout=30)
            with connection.execute_wrapper(_pause_before_writing):
                call()
            outcomes.append("done")
        except ValidationError as refusal:
            outcomes.append(refusal.code)
        except Exception as error:  # reported by the assertions below
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return Counter(outcomes)


def _person_of(organisation):
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisation, role=Membership.Role.COORDINATOR)
    return user


def _accepted_in(registration, slot_start):
    return Meeting.objects.filter(status=Meeting.Status.ACCEPTED, slot_start=slot_start).filter(
        Q(requester=registration) | Q(recipient=registration)
    )


def test_ten_simultaneous_accepts_for_one_slot_book_it_once():
    event = EventFactory(meeting_cap=10)
    busy = EventRegistrationFactory(event=event)
    busy_person = _person_of(busy.organisation)
    meetings = [
        MeetingFactory(event=event, recipient=busy, slot_start=event.starts_at) for _ in range(10)
    ]

    outcomes = _all_at_once(
        [lambda m=m: services.meeting_accept(meeting=m, acting_user=busy_person) for m in meetings]
    )

    assert outcomes == Counter({"done": 1, "slot_taken": 9})
    assert _accepted_in(busy, event.starts_at).count() == 1


def test_accepts_from_both_sides_at_once_still_book_an_organisation_once():
    """Five organisations accept the busy one's requests while it accepts five others': it is
    requester in some meetings and recipient in the others, all in the same slot."""
    event = EventFactory(meeting_cap=10)
    busy = EventRegistrationFactory(event=event)
    busy_person = _person_of(busy.organisation)
    calls = []
    for _ in range(5):
        asked_by_busy = MeetingFactory(event=event, requester=busy, slot_start=event.starts_at)
        person = _person_of(asked_by_busy.recipient.organisation)
        calls.append(
            lambda m=asked_by_busy, p=person: services.meeting_accept(meeting=m, acting_user=p)
        )
        asking_busy = MeetingFactory(event=event, recipient=busy, slot_start=event.starts_at)
        calls.append(
            lambda m=asking_busy: services.meeting_accept(meeting=m, acting_user=busy_person)
        )

    outcomes = _all_at_once(calls)

    assert outcomes == Counter({"done": 1, "slot_taken": 9})
    assert _accepted_in(busy, event.starts_at).count() == 1


def test_two_organisations_for_the_last_place_one_gets_it():
    event = EventFactory(capacity=3)
    EventRegistrationFactory.create_batch(2, event=event)
    contenders = [OrganisationFactory() for _ in range(2)]
    people = [_person_of(organisation) for organisation in contenders]

    outcomes = _all_at_once(
        [
            lambda o=organisation, p=person: services.event_register(
                event=event, organisation=o, acting_user=p, attendees=PEOPLE
            )
            for organisation, person in zip(contenders, people)
        ]
    )

    assert outcomes == Counter({"done": 1, "event_full": 1})
    assert EventRegistration.objects.filter(event=event).count() == 3
