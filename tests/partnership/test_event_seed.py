"""The demo's matchmaking events, written by ``seed_demo`` (``partnership.demo.partnership``)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from partnership.models import Event, EventRegistration, Meeting


def _state():
    return {
        "events": sorted(Event.objects.values_list("pk", "slug", "starts_at", "ends_at")),
        "registrations": sorted(
            EventRegistration.objects.values_list("pk", "event_id", "organisation_id", "status")
        ),
        "meetings": sorted(
            Meeting.objects.values_list(
                "pk", "requester_id", "recipient_id", "slot_start", "status"
            )
        ),
    }


@pytest.fixture(scope="module")
def seeded_twice(django_db_setup, django_db_blocker, tmp_path_factory):
    """seed_demo twice, rolled back."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = StringIO()
            call_command("seed_demo", stdout=out)
            before = _state()
            call_command("seed_demo", stdout=StringIO())
            yield out.getvalue(), before, _state()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def seeded(seeded_twice, db):
    return seeded_twice


@pytest.mark.django_db
def test_the_demo_has_an_upcoming_matchmaking_day_and_a_past_webinar(seeded):
    output, before, after = seeded

    assert "Events: 2 events, 10 registrations, 5 meetings" in output
    assert after == before
    day = Event.objects.get(title="Matchmaking day: inclusive job shadowing")
    day.full_clean()
    local = day.local(day.starts_at)
    assert (local.weekday(), local.hour, day.local(day.ends_at).hour) == (1, 9, 17)
    assert timezone.now() < day.registration_deadline < day.starts_at
    assert day.slot_minutes == 30 and len(day.slots()) == 16
    webinar = Event.objects.get(slug="matchmaking-webinar-apprenticeship-mobility")
    assert webinar.is_over() and webinar.online_url


@pytest.mark.django_db
def test_borås_and_vestland_meet_and_others_wait_or_were_declined(seeded):
    day = Event.objects.get(slug="matchmaking-day-inclusive-job-shadowing")
    confirmed = day.registrations.confirmed().values_list("organisation__name", flat=True)

    assert {"Borås Stad", "Vestland County Council"} <= set(confirmed)
    assert len(confirmed) == 6
    assert day.registrations.filter(status="pending").get().organisation.name == (
        "Sjuhärad Vocational College"
    )
    meetings = {
        (m.requester.organisation.name, m.recipient.organisation.name): (
            m.status,
            day.local(m.slot_start).strftime("%H:%M"),
        )
        for m in day.meetings.select_related("requester__organisation", "recipient__organisation")
    }
    assert meetings[("Vestland County Council", "Borås Stad")] == ("accepted", "10:00")
    assert sorted(status for status, _time in meetings.values()) == [
        "accepted",
        "cancelled",
        "declined",
        "expired",
        "requested",
    ]
    cancelled = day.meetings.get(status="cancelled")
    assert cancelled.cancellation_reason.startswith("Our delegation has to leave at noon")
    rejected = day.registrations.get(status="rejected")
    assert rejected.organisation.name == "Rennes Youth Mobility Association"
    assert "webinars suit your projects better" in rejected.decision_note
    for registration in day.registrations.all():
        registration.full_clean()
        assert all("@" not in person["name"] for person in registration.attendees)
