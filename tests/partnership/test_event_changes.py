"""Plans change at an event: the secretariat rejects a registration, an organisation withdraws
or cancels a meeting, a request nobody answers expires; the other side is told each time."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from partnership import tasks
from partnership.events import selectors, services
from partnership.models import EventRegistration, Meeting
from tests.factories import EventRegistrationFactory, MeetingFactory
from tests.pages import field_error, login_url, text
from tests.partnership.event_fixtures import (  # noqa: F401 (fixtures)
    applicant_registration,
    event,
    host_registration,
    slot,
)

pytestmark = pytest.mark.django_db


def _url(name, event, *args, organisation=None):
    url = reverse(f"events:{name}", args=[event.slug, *args])
    return f"{url}?organisation={organisation.slug}" if organisation else url


@pytest.fixture
def accepted(event, host_registration, applicant_registration, host_coordinator):
    """Vestland asked Borås for the third slot and Borås accepted."""
    return MeetingFactory(
        event=event,
        requester=applicant_registration,
        recipient=host_registration,
        slot_start=slot(event, 2),
        status=Meeting.Status.ACCEPTED,
        decided_by=host_coordinator,
    )


@pytest.fixture
def sent(mailoutbox, django_capture_on_commit_callbacks):
    """Run a change with its on-commit delivery and return the emails it sent."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            result = change()
        return result, list(mailoutbox)

    return run


# The secretariat rejects a registration ---------------------------------------------------


def test_the_secretariat_rejects_a_pending_registration_and_the_organisation_is_told_why(
    event, host_org, host_coordinator, secretariat, sent
):
    registration = EventRegistrationFactory(
        event=event, organisation=host_org, status=EventRegistration.Status.PENDING
    )

    _result, [email] = sent(
        lambda: services.event_registration_reject(
            registration=registration,
            acting_user=secretariat,
            note="The day is for regional authorities.",
        )
    )

    registration.refresh_from_db()
    assert (registration.status, registration.decided_by) == ("rejected", secretariat)
    assert email.to == ["coordinator@boras.example.org"]
    assert email.subject == f"The registration of Borås Stad for {event.title} was not accepted"
    assert "The day is for regional authorities." in email.body
    assert registration not in event.registrations.holding_a_place()


def test_only_the_secretariat_rejects_and_only_a_pending_registration(
    event, host_registration, host_coordinator, secretariat
):
    with pytest.raises(PermissionDenied):
        services.event_registration_reject(
            registration=host_registration, acting_user=host_coordinator, note="No."
        )
    with pytest.raises(ValidationError, match="no longer waiting for a decision"):
        services.event_registration_reject(
            registration=host_registration, acting_user=secretariat, note="No."
        )


def test_the_rejection_is_also_an_action_of_the_registrations_list(
    event, host_org, host_coordinator, login, secretariat, sent
):
    registration = EventRegistrationFactory(
        event=event, organisation=host_org, status=EventRegistration.Status.PENDING
    )
    url = reverse("admin:partnership_eventregistration_changelist")
    client = login(secretariat)

    response, [email] = sent(
        lambda: client.post(
            url,
            {
                "action": "reject",
                "_selected_action": [registration.pk],
                "apply": "1",
                "note": "Full of regional authorities already.",
            },
            follow=True,
        )
    )

    assert "1 registration rejected; the organisation is told why." in text(response)
    assert "Full of regional authorities already." in email.body


def test_a_rejected_organisation_reads_so_on_the_event_pages(
    event, host_org, host_coordinator, secretariat, login
):
    EventRegistrationFactory(
        event=event,
        organisation=host_org,
        status=EventRegistration.Status.REJECTED,
        decided_by=secretariat,
    )
    client = login(host_coordinator)

    assert "The secretariat did not accept the registration of Borås Stad." in text(
        client.get(_url("detail", event))
    )
    page = client.get(_url("meetings", event))
    assert "The secretariat did not accept the registration of Borås Stad." in text(page)
    assert "Withdraw" not in text(page)


# An organisation withdraws ----------------------------------------------------------------


def test_withdrawing_cancels_the_meetings_and_tells_the_others(
    event, host_registration, applicant_registration, accepted, host_coordinator, login, sent
):
    other = EventRegistrationFactory(event=event)
    waiting = MeetingFactory(
        event=event, requester=host_registration, recipient=other, slot_start=slot(event, 4)
    )
    client = login(host_coordinator)
    form = client.get(_url("withdraw", event))
    assert "Withdraw Borås Stad from the event" in text(form)

    response, emails = sent(
        lambda: client.post(_url("withdraw", event), {"reason": "Our budget was cut."}, follow=True)
    )

    assert "Borås Stad no longer takes part in" in text(response)
    assert "Borås Stad withdrew from this event." in text(response)
    host_registration.refresh_from_db()
    assert host_registration.status == EventRegistration.Status.WITHDRAWN
    assert host_registration.withdrawn_by == host_coordinator
    for meeting in (accepted, waiting):
        meeting.refresh_from_db()
        assert meeting.status == Meeting.Status.CANCELLED
        assert meeting.cancellation_reason == "Our budget was cut."
    assert {email.subject for email in emails} == {
        f"Borås Stad cancelled your meeting at {event.title}"
    }
    vestland = next(e for e in emails if e.to == ["coordinator@vestland.example.org"])
    assert vestland.subject == f"Borås Stad cancelled your meeting at {event.title}"
    assert "Borås Stad withdrew from" in vestland.body
    assert "Our budget was cut." in vestland.body
    # Its place is free again.
    assert selectors.events_listed().get(pk=event.pk).places_taken == 2


def test_a_withdrawn_registration_cannot_withdraw_again_nor_ask_to_meet(
    event, host_registration, applicant_registration, applicant_org, host_coordinator, login
):
    services.event_registration_withdraw(
        registration=host_registration, acting_user=host_coordinator
    )
    client = login(host_coordinator)

    response = client.get(_url("withdraw", event), follow=True)
    assert "The registration of Borås Stad is already withdrawn." in text(response)
    with pytest.raises(ValidationError, match="not a confirmed participant"):
        services.meeting_request(
            event=event,
            organisation=host_registration.organisation,
            with_organisation=applicant_org,
            slot_start=slot(event, 1),
            message="Hello",
            acting_user=host_coordinator,
        )


def test_withdraw_refusals(event, host_registration, client, login, outsider):
    url = _url("withdraw", event)

    assert client.get(url)["Location"] == login_url(url)
    assert login(outsider).get(url).status_code == 404
    assert login(outsider).post(url, {"reason": ""}).status_code == 404
    host_registration.refresh_from_db()
    assert host_registration.status == EventRegistration.Status.CONFIRMED


def test_withdraw_takes_only_get_and_post(event, host_registration, host_coordinator, login):
    assert login(host_coordinator).put(_url("withdraw", event)).status_code == 405


def test_a_reason_too_long_is_shown_next_to_the_field(
    event, host_registration, host_coordinator, login
):
    response = login(host_coordinator).post(_url("withdraw", event), {"reason": "x" * 1001})

    assert response.status_code == 400
    assert "at most 1000 characters" in field_error(response, "reason")
    host_registration.refresh_from_db()
    assert host_registration.status == EventRegistration.Status.CONFIRMED


# An organisation cancels a meeting --------------------------------------------------------


def test_either_side_cancels_a_meeting_and_the_other_is_told_with_the_reason(
    event, accepted, applicant_coordinator, host_coordinator, login, sent
):
    client = login(applicant_coordinator)
    meetings = client.get(_url("meetings", event))
    cancel_url = _url("meeting_cancel", event, accepted.pk)
    assert cancel_url in meetings.content.decode()
    assert "Cancel the meeting with Borås Stad" in text(client.get(cancel_url))

    response, [email] = sent(
        lambda: client.post(cancel_url, {"reason": "Our flight was moved."}, follow=True)
    )

    assert "The meeting with Borås Stad is cancelled; they are told." in text(response)
    accepted.refresh_from_db()
    assert (accepted.status, accepted.cancelled_by) == ("cancelled", applicant_coordinator)
    assert email.to == ["coordinator@boras.example.org"]
    assert email.subject == f"Vestland fylkeskommune cancelled your meeting at {event.title}"
    assert "Our flight was moved." in email.body
    # Borås sees it, with the reason; its slot is free again.
    boras = login(host_coordinator).get(_url("meetings", event))
    assert "Cancelled" in text(boras) and "Our flight was moved." in text(boras)
    assert slot(event, 2) not in selectors.busy_slots(accepted.recipient)


def test_a_request_can_be_called_off_by_the_side_that_asked_without_a_reason(
    event, host_registration, applicant_registration, applicant_coordinator, login, sent
):
    request = MeetingFactory(
        event=event, requester=applicant_registration, recipient=host_registration
    )

    _response, [email] = sent(
        lambda: login(applicant_coordinator).post(
            _url("meeting_cancel", event, request.pk), {"reason": ""}
        )
    )

    request.refresh_from_db()
    assert request.status == Meeting.Status.CANCELLED and request.decided_at is None
    assert "Their reason" not in email.body


def test_cancel_refusals(event, accepted, client, login, outsider, applicant_coordinator):
    url = _url("meeting_cancel", event, accepted.pk)

    assert client.post(url, {"reason": ""})["Location"] == login_url(url)
    assert login(outsider).get(url).status_code == 404
    assert login(outsider).post(url, {"reason": ""}).status_code == 404
    assert login(applicant_coordinator).put(url).status_code == 405
    bad = login(applicant_coordinator).post(url, {"reason": "x" * 1001})
    assert bad.status_code == 400
    assert "at most 1000 characters" in field_error(bad, "reason")
    accepted.refresh_from_db()
    assert accepted.status == Meeting.Status.ACCEPTED


def test_a_declined_meeting_cannot_be_cancelled(
    event, host_registration, applicant_registration, applicant_coordinator, login
):
    declined = MeetingFactory(
        event=event,
        requester=applicant_registration,
        recipient=host_registration,
        status=Meeting.Status.DECLINED,
    )
    client = login(applicant_coordinator)

    response = client.get(_url("meeting_cancel", event, declined.pk), follow=True)

    assert "This meeting is already declined." in text(response)
    with pytest.raises(ValidationError, match="already declined"):
        services.meeting_cancel(meeting=declined, acting_user=applicant_coordinator)


# "Ask to meet" only once ------------------------------------------------------------------


def test_ask_to_meet_is_not_offered_for_an_organisation_you_already_meet(
    event, accepted, host_coordinator, login
):
    page = login(host_coordinator).get(_url("meetings", event))

    assert "Ask Vestland fylkeskommune to meet" not in text(page)
    assert "You already meet Vestland fylkeskommune or wait for their answer" in text(page)


def test_the_request_cannot_be_forced_by_post(
    event, accepted, applicant_org, host_coordinator, login
):
    url = _url("meeting_request", event, applicant_org.slug)
    data = {"slot": slot(event, 4).astimezone(datetime.UTC).isoformat(), "message": "Again?"}

    response = login(host_coordinator).post(url, data, follow=True)

    assert "Vestland fylkeskommune and you already have a meeting" in text(response)
    assert Meeting.objects.count() == 1


# Requests nobody answers expire -----------------------------------------------------------


def test_a_request_nobody_answers_expires_and_the_organisation_that_asked_is_told(
    event, host_registration, applicant_registration, sent
):
    now = timezone.now()
    old = MeetingFactory(
        event=event,
        requester=applicant_registration,
        recipient=host_registration,
        created_at=now - datetime.timedelta(days=settings.EVENT_MEETING_REQUEST_EXPIRY, hours=1),
    )
    young = MeetingFactory(
        event=event,
        requester=host_registration,
        recipient=EventRegistrationFactory(event=event),
        created_at=now - datetime.timedelta(days=1),
    )

    count, [email] = sent(lambda: tasks.expire_meeting_requests())
    again, more = sent(lambda: tasks.expire_meeting_requests())

    assert (count, again) == (1, 0)
    assert len(more) == 1  # the same email: nothing sent the second time
    old.refresh_from_db()
    young.refresh_from_db()
    assert (old.status, young.status) == ("expired", "requested")
    assert email.to == ["coordinator@vestland.example.org"]
    assert email.subject == f"Borås Stad did not answer your meeting request at {event.title}"
    # The pair is free: Vestland may ask again.
    assert selectors.partners_of(applicant_registration) == set()


def test_the_expiry_is_a_setting(event, host_registration, applicant_registration, settings):
    settings.EVENT_MEETING_REQUEST_EXPIRY = 10
    request = MeetingFactory(
        event=event,
        requester=applicant_registration,
        recipient=host_registration,
        created_at=timezone.now() - datetime.timedelta(days=5),
    )

    assert services.meeting_requests_expire() == 0
    request.refresh_from_db()
    assert request.status == Meeting.Status.REQUESTED


def test_beat_runs_the_expiry_every_hour():
    entry = settings.CELERY_BEAT_SCHEDULE["expire-meeting-requests"]

    assert entry["task"] == "partnership.tasks.expire_meeting_requests"
    assert entry["schedule"].minute == {15}
