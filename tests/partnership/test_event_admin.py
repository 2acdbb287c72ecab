"""The secretariat creates events and confirms registrations through the admin's own views."""

import datetime
import zoneinfo

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from partnership.models import Event, EventRegistration
from tests.factories import EventFactory, EventRegistrationFactory, UserFactory
from tests.pages import text

pytestmark = pytest.mark.django_db

EVENTS_URL = reverse("admin:partnership_event_changelist")
ADD_EVENT_URL = reverse("admin:partnership_event_add")
REGISTRATIONS_URL = reverse("admin:partnership_eventregistration_changelist")


def _event_form(**overrides):
    return {
        "title": "Matchmaking day in Lisbon",
        "slug": "matchmaking-day-in-lisbon",
        "description": "1:1 meetings on VET learner mobility.",
        "time_zone": "Europe/Lisbon",
        "starts_at_0": "2027-03-10",
        "starts_at_1": "09:00",
        "ends_at_0": "2027-03-10",
        "ends_at_1": "17:00",
        "place": "Lisbon",
        "online_url": "",
        "registration_deadline_0": "2027-03-01",
        "registration_deadline_1": "12:00",
        "capacity": "20",
        "slot_minutes": "30",
        "meeting_cap": "8",
        **overrides,
    }


def test_the_secretariat_creates_an_event_in_its_own_time_zone(login, secretariat):
    client = login(secretariat)
    assert 'list="time-zones"' in client.get(ADD_EVENT_URL).content.decode()

    response = client.post(ADD_EVENT_URL, _event_form(), follow=True)

    assert response.status_code == 200, text(response)
    event = Event.objects.get()
    lisbon = zoneinfo.ZoneInfo("Europe/Lisbon")
    # 09:00 in Lisbon (UTC+0 in March), not in the site's Brussels.
    assert event.starts_at == datetime.datetime(2027, 3, 10, 9, tzinfo=lisbon)
    assert event.ends_at == datetime.datetime(2027, 3, 10, 17, tzinfo=lisbon)
    assert event.meeting_cap == 8 and len(event.slots()) == 16
    # And the form shows the times again as they were typed.
    edit = client.get(reverse("admin:partnership_event_change", args=[event.pk]))
    assert 'name="starts_at_1" value="09:00:00"' in edit.content.decode()


@pytest.mark.parametrize(
    "overrides, error",
    [
        ({"time_zone": "Mars/Olympus"}, "Mars/Olympus is not a time zone name"),
        ({"ends_at_1": "08:00"}, "The event must end after it starts."),
        ({"place": ""}, "Give the place, the online link, or both."),
        (
            {"registration_deadline_0": "2027-03-11"},
            "Registrations must close before the event ends.",
        ),
        ({"slot_minutes": "600"}, "Ensure this value is less than or equal to 240."),
        ({"capacity": "2147483648"}, "Ensure this value is less than or equal to 1000."),
        ({"meeting_cap": "101"}, "Ensure this value is less than or equal to 100."),
        ({"ends_at_0": "2027-03-25"}, "An event lasts at most 14 days."),
    ],
)
def test_an_event_the_admin_refuses(login, secretariat, overrides, error):
    response = login(secretariat).post(ADD_EVENT_URL, _event_form(**overrides))

    assert response.status_code == 200
    assert error in text(response)
    assert not Event.objects.exists()


def test_the_meeting_cap_defaults_to_the_setting(settings):
    settings.EVENT_MEETING_CAP = 5

    assert Event().meeting_cap == 5


def test_the_secretariat_confirms_pending_registrations_with_an_action(
    login,
    secretariat,
    host_org,
    host_coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    event = EventFactory(registrations_need_approval=True)
    registration = EventRegistrationFactory(
        event=event,
        organisation=host_org,
        status=EventRegistration.Status.PENDING,
        attendees=[{"name": "Nicholas Waller", "role": "Coordinator"}],
    )
    client = login(secretariat)
    listing = client.get(REGISTRATIONS_URL)
    assert "Nicholas Waller (Coordinator)" in text(listing)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            REGISTRATIONS_URL,
            {"action": "confirm", "_selected_action": [registration.pk]},
            follow=True,
        )

    assert "1 registration confirmed; the organisation is told." in text(response)
    registration.refresh_from_db()
    assert (registration.status, registration.decided_by) == ("confirmed", secretariat)
    [email] = mailoutbox
    assert email.to == ["coordinator@boras.example.org"]
    assert email.subject == f"Borås Stad is registered for {event.title}"


def test_staff_without_the_permission_are_not_offered_the_action(login, host_org):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_eventregistration"))
    registration = EventRegistrationFactory(
        organisation=host_org, status=EventRegistration.Status.PENDING
    )
    client = login(staff)

    assert 'value="confirm"' not in client.get(REGISTRATIONS_URL).content.decode()
    client.post(REGISTRATIONS_URL, {"action": "confirm", "_selected_action": [registration.pk]})
    registration.refresh_from_db()
    assert registration.status == EventRegistration.Status.PENDING


def test_the_events_list_links_to_the_grid(login, secretariat):
    event = EventFactory(title="Matchmaking day")

    response = login(secretariat).get(EVENTS_URL)

    assert f'href="/events/{event.slug}/grid/"' in response.content.decode()
    assert "(Europe/Brussels)" in text(response)
