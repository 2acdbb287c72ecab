"""An event's slots, validation and database invariants."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from partnership.models import Event, Meeting
from tests.factories import EventFactory, EventRegistrationFactory, MeetingFactory

pytestmark = pytest.mark.django_db

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def _at(hour, minute=0):
    return datetime.datetime(2027, 3, 10, hour, minute, tzinfo=BRUSSELS)


def test_the_slots_cut_the_event_into_meeting_lengths():
    event = Event(starts_at=_at(9), ends_at=_at(10, 45), slot_minutes=30)

    assert [(s.start, s.end) for s in event.slots()] == [
        (_at(9), _at(9, 30)),
        (_at(9, 30), _at(10)),
        (_at(10), _at(10, 30)),
    ]  # the 15 minutes left over make no slot
    assert event.slot_at(_at(9, 30)).end == _at(10)
    assert event.slot_at(_at(9, 15)) is None
    assert event.slot_at(_at(10, 30)) is None


def test_times_are_shown_in_the_events_zone():
    event = Event(time_zone="America/New_York")

    assert event.local(_at(15)).hour == 9


def test_an_event_shorter_than_one_meeting_is_refused():
    event = EventFactory.build(
        starts_at=_at(9), ends_at=_at(9, 20), slot_minutes=30, registration_deadline=_at(8)
    )

    with pytest.raises(ValidationError) as refusal:
        event.full_clean()

    assert refusal.value.message_dict["slot_minutes"] == ["The event is shorter than one meeting."]


def test_the_database_keeps_the_event_in_order():
    with pytest.raises(IntegrityError):
        EventFactory(starts_at=_at(9), ends_at=_at(8), registration_deadline=_at(7))


def test_the_database_keeps_an_organisation_from_meeting_itself():
    registration = EventRegistrationFactory()

    with pytest.raises(IntegrityError):
        MeetingFactory(event=registration.event, requester=registration, recipient=registration)


def test_the_database_books_the_same_side_once_per_slot():
    meeting = MeetingFactory(status=Meeting.Status.ACCEPTED)

    with pytest.raises(IntegrityError):
        MeetingFactory(
            event=meeting.event,
            recipient=meeting.recipient,
            slot_start=meeting.slot_start,
            status=Meeting.Status.ACCEPTED,
        )


def test_the_database_registers_an_organisation_once():
    registration = EventRegistrationFactory()

    with pytest.raises(IntegrityError):
        EventRegistrationFactory(event=registration.event, organisation=registration.organisation)
