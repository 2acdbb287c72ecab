"""Registering for an event and booking 1:1 meetings: the services and their refusals."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from matchmaking.models import OutboxEmail
from partnership.events import services
from partnership.models import EventRegistration, Meeting
from tests.factories import (
    EventFactory,
    EventRegistrationFactory,
    MeetingFactory,
    OrganisationFactory,
)
from tests.partnership.event_fixtures import (  # noqa: F401 (fixtures)
    applicant_registration,
    event,
    host_registration,
    slot,
)

pytestmark = pytest.mark.django_db

PEOPLE = [{"name": "  Nicholas   Waller ", "role": "International coordinator"}]


def _refusal(call):
    with pytest.raises(ValidationError) as refusal:
        call()
    return refusal.value


def _emails(template):
    return sorted(OutboxEmail.objects.filter(template=template).values_list("recipient", flat=True))


# Registering


def test_an_organisations_coordinator_registers_it_and_it_is_confirmed_at_once(
    event, host_org, host_coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.event_register(
            event=event, organisation=host_org, acting_user=host_coordinator, attendees=PEOPLE
        )

    assert registration.status == EventRegistration.Status.CONFIRMED
    assert registration.registered_by == host_coordinator
    assert registration.decided_by is None and registration.decided_at is not None
    assert registration.attendees == [
        {"name": "Nicholas Waller", "role": "International coordinator"}
    ]
    assert _emails("event_registration_confirmed") == ["coordinator@boras.example.org"]
    [email] = mailoutbox
    assert email.subject == "Borås Stad is registered for Matchmaking day: inclusive job shadowing"
    assert "(Europe/Brussels)" in email.body
    assert "09:00–12:00" in email.body
    assert "/events/matchmaking-day/meetings/?organisation=boras-stad" in email.body


def test_with_approval_the_registration_waits_and_the_confirmation_emails_later(
    host_org, host_coordinator, secretariat
):
    event = EventFactory(registrations_need_approval=True)

    registration = services.event_register(
        event=event, organisation=host_org, acting_user=host_coordinator, attendees=PEOPLE
    )

    assert registration.status == EventRegistration.Status.PENDING
    assert not OutboxEmail.objects.exists()
    services.event_registration_confirm(registration=registration, acting_user=secretariat)
    registration.refresh_from_db()
    assert (registration.status, registration.decided_by) == ("confirmed", secretariat)
    assert _emails("event_registration_confirmed") == ["coordinator@boras.example.org"]


def test_only_the_secretariat_confirms(host_org, host_coordinator):
    event = EventFactory(registrations_need_approval=True)
    registration = EventRegistrationFactory(
        event=event, organisation=host_org, status=EventRegistration.Status.PENDING
    )
    staff = host_coordinator
    staff.is_staff = True
    staff.save()

    with pytest.raises(PermissionDenied):
        services.event_registration_confirm(registration=registration, acting_user=staff)


def test_a_registration_after_the_deadline_is_refused(host_org, host_coordinator):
    event = EventFactory(registration_deadline=timezone.now() - datetime.timedelta(minutes=1))

    refusal = _refusal(
        lambda: services.event_register(
            event=event, organisation=host_org, acting_user=host_coordinator, attendees=PEOPLE
        )
    )

    assert refusal.code == "registration_closed"
    assert "closed on" in refusal.messages[0] and "(Europe/Brussels)" in refusal.messages[0]


def test_a_registration_beyond_capacity_is_refused(host_org, host_coordinator):
    event = EventFactory(capacity=2)
    EventRegistrationFactory(event=event)
    EventRegistrationFactory(event=event, status=EventRegistration.Status.PENDING)

    refusal = _refusal(
        lambda: services.event_register(
            event=event, organisation=host_org, acting_user=host_coordinator, attendees=PEOPLE
        )
    )

    assert (refusal.code, refusal.messages) == (
        "event_full",
        ["The event is full: all 2 places are taken."],
    )


def test_an_organisation_registers_once(event, host_registration, host_org, host_coordinator):
    refusal = _refusal(
        lambda: services.event_register(
            event=event, organisation=host_org, acting_user=host_coordinator, attendees=PEOPLE
        )
    )

    assert refusal.code == "already_registered"
    assert EventRegistration.objects.count() == 1


def test_a_suspended_organisation_cannot_register(event, host_org, host_coordinator):
    host_org.is_suspended = True
    host_org.save()

    refusal = _refusal(
        lambda: services.event_register(
            event=event, organisation=host_org, acting_user=host_coordinator, attendees=PEOPLE
        )
    )

    assert refusal.code == "suspended"


def test_only_the_organisations_people_register_it(event, host_org, outsider):
    refusal = _refusal(
        lambda: services.event_register(
            event=event, organisation=host_org, acting_user=outsider, attendees=PEOPLE
        )
    )

    assert refusal.code == "not_member_of_organisation"


@pytest.mark.parametrize(
    "attendees",
    [
        [],
        [{"name": " ", "role": ""}],
        [{"name": "x" * 201, "role": ""}],
        [{"name": f"Person {n}", "role": ""} for n in range(7)],
    ],
)
def test_the_people_attending_are_between_one_and_six_named_people(
    event, host_org, host_coordinator, attendees
):
    refusal = _refusal(
        lambda: services.event_register(
            event=event, organisation=host_org, acting_user=host_coordinator, attendees=attendees
        )
    )

    assert "attendees" in refusal.message_dict


# Requesting a meeting


def _request(event, requester, recipient, user, *, slot_start=None, message="Shall we meet?"):
    return services.meeting_request(
        event=event,
        organisation=requester,
        with_organisation=recipient,
        slot_start=slot_start or slot(event, 0),
        message=message,
        acting_user=user,
    )


def test_a_participant_asks_another_for_a_meeting_and_they_are_told(
    event,
    host_registration,
    applicant_registration,
    host_org,
    applicant_org,
    applicant_coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _request(
            event,
            applicant_org,
            host_org,
            applicant_coordinator,
            slot_start=slot(event, 2),
            message="  Your visit to Vestland?  ",
        )

    assert (meeting.requester, meeting.recipient) == (applicant_registration, host_registration)
    assert (meeting.status, meeting.message) == ("requested", "Your visit to Vestland?")
    assert meeting.requested_by == applicant_coordinator
    [email] = mailoutbox
    assert email.to == ["coordinator@boras.example.org"]
    assert email.subject == (
        "Vestland fylkeskommune asks to meet you at Matchmaking day: inclusive job shadowing"
    )
    assert "10:00–10:30 (Europe/Brussels)" in email.body
    assert "Your visit to Vestland?" in email.body


def test_a_meeting_with_oneself_is_refused(event, host_registration, host_org, host_coordinator):
    refusal = _refusal(lambda: _request(event, host_org, host_org, host_coordinator))

    assert (refusal.code, refusal.messages) == (
        "meet_oneself",
        ["An organisation cannot ask itself for a meeting."],
    )


def test_a_request_to_an_unregistered_organisation_is_refused(
    event, host_registration, host_org, host_coordinator
):
    stranger = OrganisationFactory(name="Barcelona Activa")

    refusal = _refusal(lambda: _request(event, host_org, stranger, host_coordinator))

    assert (refusal.code, refusal.messages) == (
        "not_registered",
        ["Barcelona Activa is not a confirmed participant of this event."],
    )


def test_a_request_by_an_organisation_still_pending_is_refused(
    event, host_registration, applicant_org, applicant_coordinator, host_org
):
    EventRegistrationFactory(
        event=event, organisation=applicant_org, status=EventRegistration.Status.PENDING
    )

    refusal = _refusal(lambda: _request(event, applicant_org, host_org, applicant_coordinator))

    assert refusal.code == "not_registered"


def test_a_slot_outside_the_event_is_refused(
    event,
    host_registration,
    applicant_registration,
    host_org,
    applicant_org,
    applicant_coordinator,
):
    for outside in [
        event.ends_at,
        event.starts_at + datetime.timedelta(minutes=10),
        event.starts_at - datetime.timedelta(minutes=30),
    ]:
        refusal = _refusal(
            lambda outside=outside: _request(
                event, applicant_org, host_org, applicant_coordinator, slot_start=outside
            )
        )
        assert refusal.code == "slot_outside_event"
        assert refusal.messages[0].startswith("Choose one of the event's time slots")


def test_a_slot_taken_by_either_side_is_refused(
    event,
    host_registration,
    applicant_registration,
    host_org,
    applicant_org,
    applicant_coordinator,
):
    MeetingFactory(
        event=event,
        recipient=host_registration,
        status=Meeting.Status.ACCEPTED,
        slot_start=slot(event, 1),
    )

    refusal = _refusal(
        lambda: _request(
            event, applicant_org, host_org, applicant_coordinator, slot_start=slot(event, 1)
        )
    )

    assert refusal.code == "slot_taken"
    assert refusal.messages[0].startswith("Borås Stad already has a meeting at ")
    # Another slot is fine, and a pending request does not hold its slot.
    _request(event, applicant_org, host_org, applicant_coordinator, slot_start=slot(event, 2))


def test_a_request_beyond_the_meeting_cap_is_refused(
    event,
    host_registration,
    applicant_registration,
    host_org,
    applicant_org,
    applicant_coordinator,
):
    for number in range(event.meeting_cap):
        MeetingFactory(
            event=event,
            requester=host_registration,
            status=Meeting.Status.ACCEPTED,
            slot_start=slot(event, number),
        )

    refusal = _refusal(
        lambda: _request(
            event, applicant_org, host_org, applicant_coordinator, slot_start=slot(event, 5)
        )
    )

    assert (refusal.code, refusal.messages) == (
        "meeting_cap",
        ["Borås Stad already has 3 meetings, the most this event allows."],
    )


def test_one_open_request_between_two_organisations(
    event,
    host_registration,
    applicant_registration,
    host_org,
    applicant_org,
    applicant_coordinator,
    host_coordinator,
):
    _request(event, applicant_org, host_org, applicant_coordinator)

    refusal = _refusal(
        lambda: _request(
            event, host_org, applicant_org, host_coordinator, slot_start=slot(event, 3)
        )
    )

    assert refusal.code == "already_asked"


# Accepting and declining


@pytest.fixture
def meeting(event, host_registration, applicant_registration, applicant_coordinator):
    return MeetingFactory(
        event=event,
        requester=applicant_registration,
        recipient=host_registration,
        slot_start=slot(event, 2),
        requested_by=applicant_coordinator,
    )


def test_the_organisation_asked_accepts_and_both_are_told(
    meeting,
    host_coordinator,
    applicant_coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_accept(meeting=meeting, acting_user=host_coordinator)

    meeting.refresh_from_db()
    assert (meeting.status, meeting.decided_by) == ("accepted", host_coordinator)
    subjects = {email.to[0]: email.subject for email in mailoutbox}
    assert subjects == {
        "coordinator@vestland.example.org": "Meeting with Borås Stad on "
        f"{meeting.event.local(meeting.slot_start):%-d %B}, 10:00 confirmed",
        "coordinator@boras.example.org": "Meeting with Vestland fylkeskommune on "
        f"{meeting.event.local(meeting.slot_start):%-d %B}, 10:00 confirmed",
    }
    assert "/events/matchmaking-day/schedule/?organisation=vestland-fylkeskommune" in (
        next(e for e in mailoutbox if e.to == ["coordinator@vestland.example.org"]).body
    )


def test_the_organisation_that_asked_cannot_accept(meeting, applicant_coordinator):
    refusal = _refusal(
        lambda: services.meeting_accept(meeting=meeting, acting_user=applicant_coordinator)
    )

    assert refusal.code == "not_member_of_organisation"
    meeting.refresh_from_db()
    assert meeting.status == "requested"


def test_the_organisation_asked_declines_and_the_other_is_told(
    meeting, host_coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_decline(meeting=meeting, acting_user=host_coordinator)

    meeting.refresh_from_db()
    assert (meeting.status, meeting.decided_by) == ("declined", host_coordinator)
    [email] = mailoutbox
    assert email.to == ["coordinator@vestland.example.org"]
    assert email.subject == (
        "Borås Stad declined your meeting request at Matchmaking day: inclusive job shadowing"
    )


def test_a_decided_request_is_not_decided_again(meeting, host_coordinator):
    services.meeting_decline(meeting=meeting, acting_user=host_coordinator)

    refusal = _refusal(
        lambda: services.meeting_accept(meeting=meeting, acting_user=host_coordinator)
    )

    assert (refusal.code, refusal.messages) == ("not_open", ["This request is already declined."])


def test_accepting_a_slot_taken_since_the_request_is_refused(
    event, meeting, host_registration, host_coordinator
):
    MeetingFactory(
        event=event,
        requester=host_registration,
        slot_start=meeting.slot_start,
        status=Meeting.Status.ACCEPTED,
    )

    refusal = _refusal(
        lambda: services.meeting_accept(meeting=meeting, acting_user=host_coordinator)
    )

    assert refusal.code == "slot_taken"
    meeting.refresh_from_db()
    assert meeting.status == "requested"


def test_accepting_beyond_the_other_sides_cap_is_refused(
    event, meeting, applicant_registration, host_coordinator
):
    for number in [0, 1, 3]:
        MeetingFactory(
            event=event,
            recipient=applicant_registration,
            slot_start=slot(event, number),
            status=Meeting.Status.ACCEPTED,
        )

    refusal = _refusal(
        lambda: services.meeting_accept(meeting=meeting, acting_user=host_coordinator)
    )

    assert refusal.code == "meeting_cap"
    assert refusal.messages[0].startswith("Vestland fylkeskommune already has 3 meetings")
