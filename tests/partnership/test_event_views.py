"""The event pages per persona: lists, registering, meetings, schedules, the grid and exports."""

import csv
import datetime
import io

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from matchmaking.models import Membership
from partnership.models import EventRegistration, Meeting
from tests.factories import (
    EventFactory,
    EventRegistrationFactory,
    InterestProfileFactory,
    MeetingFactory,
    MembershipFactory,
    OfferFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.pages import heading, login_url, text
from tests.partnership.event_fixtures import (  # noqa: F401 (fixtures)
    applicant_registration,
    event,
    host_registration,
    slot,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("events:list")
# The events with their places taken: one query, however many events.
LIST_QUERIES = 1
# Session, user, the user's permissions (user and group), the event, its confirmed
# registrations, its meetings, and the active organisation for the page's header: the same
# however many organisations and meetings.
GRID_QUERIES = 8


def _url(name, event, *args, organisation=None):
    url = reverse(f"events:{name}", args=[event.slug, *args])
    return f"{url}?organisation={organisation.slug}" if organisation else url


def _utc(moment):
    return moment.astimezone(datetime.UTC).isoformat()


def _registration_data(organisation, people=(("Nicholas Waller", "Coordinator"),), **extra):
    data = {
        "organisation": organisation.pk,
        "attendees-TOTAL_FORMS": 6,
        "attendees-INITIAL_FORMS": 0,
        "attendees-MIN_NUM_FORMS": 1,
        "attendees-MAX_NUM_FORMS": 6,
    }
    for number, (name, role) in enumerate(people):
        data[f"attendees-{number}-name"] = name
        data[f"attendees-{number}-role"] = role
    return {**data, **extra}


# The list


def test_the_list_shows_upcoming_and_past_events(client):
    EventFactory(title="Matchmaking day: inclusive job shadowing", capacity=20)
    last_year = timezone.now() - datetime.timedelta(days=365)
    EventFactory(
        title="Webinar: apprenticeship mobility",
        starts_at=last_year,
        ends_at=last_year + datetime.timedelta(hours=2),
        registration_deadline=last_year - datetime.timedelta(days=1),
    )

    response = client.get(LIST_URL)

    assert heading(response) == "Matchmaking events"
    page = text(response)
    upcoming, past = page.split("Past events")
    assert "Matchmaking day: inclusive job shadowing" in upcoming
    assert "0 of 20 places taken" in upcoming
    assert "Webinar: apprenticeship mobility" in past


@pytest.mark.parametrize("count", [1, 6])
def test_the_list_takes_the_same_queries_for_any_number_of_events(
    client, django_assert_num_queries, count
):
    for _ in range(count):
        EventRegistrationFactory(event=EventFactory())

    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(LIST_URL)

    assert response.content.decode().count('class="card mb-3 event-summary"') == count


def test_the_list_refuses_post(client):
    assert client.post(LIST_URL).status_code == 405


# An event


def test_the_event_page_shows_times_in_the_events_zone_and_who_takes_part(
    client, event, host_registration
):
    EventRegistrationFactory(
        event=event,
        organisation=OrganisationFactory(name="Pending Org"),
        status=EventRegistration.Status.PENDING,
    )

    response = client.get(event.get_absolute_url())

    assert heading(response) == "Matchmaking day: inclusive job shadowing"
    page = text(response)
    local = event.local(event.starts_at)
    assert f"{local:%A} {local.day} {local:%B %Y}, 09:00–12:00 (Europe/Brussels)" in page
    assert "2 of 10 places taken" in page
    assert "Borås Stad (Sweden)" in page
    assert "Pending Org" not in page  # listed once confirmed
    assert "Nicholas Waller" not in page  # the people attending are for the participants
    assert "Sign in to register" in page


def test_the_event_page_tells_a_registered_organisation_where_it_stands(
    login, event, host_registration, host_coordinator
):
    response = login(host_coordinator).get(event.get_absolute_url())

    page = text(response)
    assert "Borås Stad is registered." in page
    assert "Organisations to meet and meetings of Borås Stad" in page
    assert ">Register</a>" not in response.content.decode()


@pytest.mark.parametrize("name", ["detail", "meetings", "schedule", "schedule_ics", "grid_csv"])
def test_the_read_only_pages_refuse_post(login, event, host_registration, secretariat, name):
    MembershipFactory(user=secretariat, organisation=host_registration.organisation)

    assert login(secretariat).post(_url(name, event)).status_code == 405


def test_the_registration_form_is_not_offered_once_registrations_close(login, host_coordinator):
    event = EventFactory(registration_deadline=timezone.now() - datetime.timedelta(hours=1))

    response = login(host_coordinator).get(_url("register", event), follow=True)

    assert response.redirect_chain == [(event.get_absolute_url(), 302)]
    assert "Registrations for this event are closed." in text(response)


def test_an_unknown_event_is_404(client):
    assert client.get(reverse("events:detail", args=["nothing"])).status_code == 404


# Registering


def test_a_coordinator_registers_the_organisation_with_the_people_attending(
    login, event, host_org, host_coordinator
):
    client = login(host_coordinator)
    form = client.get(_url("register", event))
    assert heading(form) == "Register for Matchmaking day: inclusive job shadowing"
    assert f'<option value="{host_org.pk}" selected>Borås Stad</option>' in form.content.decode()

    response = client.post(
        _url("register", event),
        _registration_data(host_org, [("Nicholas Waller", "Coordinator"), ("Maria Lind", "")]),
        follow=True,
    )

    assert response.redirect_chain == [(_url("meetings", event, organisation=host_org), 302)]
    assert "Borås Stad is registered. Here are the organisations to meet." in text(response)
    registration = EventRegistration.objects.get()
    assert registration.attendees == [
        {"name": "Nicholas Waller", "role": "Coordinator"},
        {"name": "Maria Lind", "role": ""},
    ]


def test_registering_names_at_least_one_person(login, event, host_org, host_coordinator):
    response = login(host_coordinator).post(
        _url("register", event), _registration_data(host_org, [])
    )

    assert response.status_code == 400
    assert "Name at least 1 person who attends." in text(response)
    assert not EventRegistration.objects.exists()


def test_a_registration_that_claims_a_billion_people_is_refused_without_building_them(
    login, event, host_org, host_coordinator
):
    data = {**_registration_data(host_org), "attendees-TOTAL_FORMS": "999999999"}

    response = login(host_coordinator).post(_url("register", event), data)

    assert response.status_code == 400
    assert "Name at most 6 people." in text(response)
    assert response.content.decode().count('name="attendees-') <= 6 * 2 + 4
    assert not EventRegistration.objects.exists()


def test_a_registration_after_the_deadline_is_refused_with_a_message(
    login, host_org, host_coordinator
):
    event = EventFactory(registration_deadline=timezone.now() - datetime.timedelta(hours=1))

    response = login(host_coordinator).post(_url("register", event), _registration_data(host_org))

    assert response.status_code == 400
    assert f"Registrations for {event.title} closed on" in text(response)
    assert not EventRegistration.objects.exists()


def test_a_full_event_refuses_with_a_message(login, host_org, host_coordinator):
    event = EventFactory(capacity=1)
    EventRegistrationFactory(event=event)

    response = login(host_coordinator).post(_url("register", event), _registration_data(host_org))

    assert "The event is full: its 1 place is taken." in text(response)


def test_an_outsider_cannot_register_someone_elses_organisation(login, event, host_org, outsider):
    response = login(outsider).post(_url("register", event), _registration_data(host_org))

    assert response.status_code == 400
    assert "Select a valid choice." in text(response)
    assert not EventRegistration.objects.filter(organisation=host_org).exists()


def test_registering_needs_a_login(client, event):
    url = _url("register", event)

    assert client.get(url).url == login_url(url)


def test_registering_refuses_put(login, event, host_coordinator):
    assert login(host_coordinator).put(_url("register", event)).status_code == 405


# Meetings: organisations to meet and requests


def test_a_participant_sees_the_others_ranked_with_reasons(
    login,
    event,
    host_registration,
    applicant_registration,
    host_org,
    applicant_org,
    host_coordinator,
):
    OfferFactory(organisation=host_org, title="Job shadowing with the Multicompetent Team")
    InterestProfileFactory(organisation=applicant_org, name="Job shadowing for our advisors")
    EventRegistrationFactory(event=event, organisation=OrganisationFactory(name="Aalborg Kommune"))

    response = login(host_coordinator).get(_url("meetings", event))

    assert heading(response) == "Borås Stad: organisations to meet"
    page = text(response)
    assert page.index("Vestland fylkeskommune") < page.index("Aalborg Kommune")
    assert (
        "Your offer “Job shadowing with the Multicompetent Team” fits their interest "
        "profile “Job shadowing for our advisors”."
    ) in page
    assert "Shared theme: Inclusion" in page
    assert "Ingrid Hillestad Bårgard (Advisor)" in page
    assert "Aalborg Kommune Sweden No profile to compare yet." in page


def test_a_pending_registration_waits_for_the_secretariat(login, event, host_org, host_coordinator):
    EventRegistrationFactory(
        event=event, organisation=host_org, status=EventRegistration.Status.PENDING
    )

    response = login(host_coordinator).get(_url("meetings", event))

    assert "waits for the secretariat's confirmation" in text(response)
    assert "Organisations to meet" not in text(response).replace(
        "Borås Stad: organisations to meet", ""
    )


def test_the_meetings_page_is_404_for_an_outsider(login, event, host_registration, outsider):
    assert login(outsider).get(_url("meetings", event)).status_code == 404


def test_the_meetings_page_needs_a_login(client, event):
    url = _url("meetings", event)

    assert client.get(url).url == login_url(url)


def test_a_participant_asks_another_to_meet(
    login,
    event,
    host_registration,
    applicant_registration,
    host_org,
    applicant_coordinator,
):
    url = _url("meeting_request", event, host_org.slug)
    client = login(applicant_coordinator)
    form = client.get(url)
    assert heading(form) == "Ask Borås Stad to meet"
    assert f'<option value="{_utc(slot(event, 2))}">10:00–10:30</option>' in (form.content.decode())

    response = client.post(
        url,
        {"slot": slot(event, 2).isoformat(), "message": "Your visit to Vestland?"},
        follow=True,
    )

    assert "Your request is sent to Borås Stad" in text(response)
    meeting = Meeting.objects.get()
    assert (meeting.requester, meeting.recipient, meeting.slot_start) == (
        applicant_registration,
        host_registration,
        slot(event, 2),
    )


def test_a_taken_slot_is_marked_and_refused(
    login,
    event,
    host_registration,
    applicant_registration,
    host_org,
    applicant_coordinator,
):
    MeetingFactory(
        event=event,
        recipient=host_registration,
        slot_start=slot(event, 1),
        status=Meeting.Status.ACCEPTED,
    )
    url = _url("meeting_request", event, host_org.slug)
    client = login(applicant_coordinator)

    assert "09:30–10:00 (taken)" in text(client.get(url))
    response = client.post(url, {"slot": slot(event, 1).isoformat(), "message": "Hello"})

    assert response.status_code == 400
    assert "Borås Stad already has a meeting at" in text(response)


def test_a_slot_outside_the_event_is_refused(
    login,
    event,
    host_registration,
    applicant_registration,
    host_org,
    applicant_coordinator,
):
    response = login(applicant_coordinator).post(
        _url("meeting_request", event, host_org.slug),
        {"slot": event.ends_at.isoformat(), "message": "Hello"},
    )

    assert response.status_code == 400
    local_end = event.local(event.ends_at)
    assert (
        f"Choose one of the event's time slots: {local_end.day} {local_end:%B %Y}, 12:00 "
        "(Europe/Brussels) is not one of them."
    ) in text(response)


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+00:00"])
def test_a_slot_at_the_end_of_time_is_refused_with_a_message(
    login,
    event,
    host_registration,
    applicant_registration,
    host_org,
    applicant_coordinator,
    moment,
):
    # Issue 9, finding 5: 9999-12-31T23:59:59+00:00 was a 500 (no time zone can hold it).
    client = login(applicant_coordinator)
    response = client.post(
        _url("meeting_request", event, host_org.slug), {"slot": moment, "message": "Hello"}
    )

    assert response.status_code == 400
    assert "Choose one of the event's time slots." in text(response)
    assert not Meeting.objects.exists()
    assert client.get(_url("meetings", event)).status_code == 200


def test_asking_oneself_is_refused(login, event, host_registration, host_org, host_coordinator):
    response = login(host_coordinator).post(
        _url("meeting_request", event, host_org.slug),
        {"slot": slot(event, 0).isoformat(), "message": "Hello"},
    )

    assert "An organisation cannot ask itself for a meeting." in text(response)
    assert not Meeting.objects.exists()


def test_asking_an_unregistered_organisation_is_refused_with_a_message(
    login, event, host_registration, host_coordinator
):
    stranger = OrganisationFactory(name="Barcelona Activa")

    response = login(host_coordinator).get(
        _url("meeting_request", event, stranger.slug), follow=True
    )

    assert "Barcelona Activa is not a confirmed participant of this event." in text(response)


def test_an_outsider_cannot_ask_for_a_meeting(login, event, host_registration, host_org, outsider):
    assert login(outsider).get(_url("meeting_request", event, host_org.slug)).status_code == 404


@pytest.fixture
def meeting(event, host_registration, applicant_registration):
    return MeetingFactory(
        event=event,
        requester=applicant_registration,
        recipient=host_registration,
        slot_start=slot(event, 2),
    )


def test_the_organisation_asked_accepts(login, event, meeting, host_coordinator):
    response = login(host_coordinator).post(_url("meeting_accept", event, meeting.pk), follow=True)

    assert "The meeting with Vestland fylkeskommune is in your schedule" in text(response)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ACCEPTED


def test_the_organisation_asked_declines(login, event, meeting, host_coordinator):
    login(host_coordinator).post(_url("meeting_decline", event, meeting.pk))

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DECLINED


def test_the_side_that_asked_cannot_decide(login, event, meeting, applicant_coordinator):
    response = login(applicant_coordinator).post(_url("meeting_accept", event, meeting.pk))

    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.REQUESTED


def test_an_outsider_cannot_decide(login, event, meeting, outsider):
    assert login(outsider).post(_url("meeting_accept", event, meeting.pk)).status_code == 404


def test_deciding_needs_a_post(login, event, meeting, host_coordinator):
    assert login(host_coordinator).get(_url("meeting_accept", event, meeting.pk)).status_code == 405


def test_deciding_needs_a_login(client, event, meeting):
    url = _url("meeting_decline", event, meeting.pk)

    assert client.post(url).url == login_url(url)


def test_accepting_a_taken_slot_says_why(
    login, event, meeting, host_registration, host_coordinator
):
    MeetingFactory(
        event=event,
        requester=host_registration,
        slot_start=meeting.slot_start,
        status=Meeting.Status.ACCEPTED,
    )

    response = login(host_coordinator).post(_url("meeting_accept", event, meeting.pk), follow=True)

    assert "Borås Stad already has a meeting at" in text(response)


# Schedule and calendar


@pytest.fixture
def booked(event, host_registration, applicant_registration):
    """Borås meets Vestland at 10:00 and Aalborg at 09:00; a request at 11:00 waits."""
    aalborg = EventRegistrationFactory(
        event=event, organisation=OrganisationFactory(name="Aalborg Kommune")
    )
    return [
        MeetingFactory(
            event=event,
            requester=applicant_registration,
            recipient=host_registration,
            slot_start=slot(event, 2),
            status=Meeting.Status.ACCEPTED,
            message="Your visit to Vestland",
        ),
        MeetingFactory(
            event=event,
            requester=host_registration,
            recipient=aalborg,
            slot_start=slot(event, 0),
            status=Meeting.Status.ACCEPTED,
        ),
        MeetingFactory(
            event=event,
            requester=aalborg,
            recipient=applicant_registration,
            slot_start=slot(event, 4),
        ),
    ]


def test_the_schedule_lists_accepted_meetings_in_slot_order(login, event, booked, host_coordinator):
    response = login(host_coordinator).get(_url("schedule", event))

    assert heading(response) == "Schedule of Borås Stad"
    page = text(response)
    assert "09:00–09:30 Aalborg Kommune" in page
    assert "10:00–10:30 Vestland fylkeskommune Your visit to Vestland" in page
    assert page.index("Aalborg Kommune") < page.index("Vestland fylkeskommune")
    assert "EARLALL, Rue du Luxembourg 47-51, Brussels" in page


def test_the_schedule_is_404_for_an_outsider_and_needs_a_login(
    client, login, event, booked, outsider
):
    url = _url("schedule", event)

    assert login(outsider).get(url).status_code == 404
    assert client.get(url).url == login_url(url)


def test_the_ics_holds_the_event_and_the_accepted_meetings(login, event, booked, host_coordinator):
    response = login(host_coordinator).get(_url("schedule_ics", event))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    entries = [
        (str(e["summary"]), e.decoded("dtstart"), e.decoded("dtend"))
        for e in calendar.walk("VEVENT")
    ]
    assert entries == [
        ("Matchmaking day: inclusive job shadowing", event.starts_at, event.ends_at),
        ("Meeting with Aalborg Kommune", slot(event, 0), slot(event, 1)),
        ("Meeting with Vestland fylkeskommune", slot(event, 2), slot(event, 3)),
    ]
    start = calendar.walk("VEVENT")[1].decoded("dtstart")
    assert (str(start.tzinfo), start.hour, start.minute) == ("Europe/Brussels", 9, 0)
    assert [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Brussels"]


def test_the_ics_of_the_other_side_is_its_own(login, event, booked, applicant_coordinator):
    response = login(applicant_coordinator).get(_url("schedule_ics", event))

    calendar = icalendar.Calendar.from_ical(response.content)
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == [
        "Matchmaking day: inclusive job shadowing",
        "Meeting with Borås Stad",
    ]


def test_the_ics_is_404_for_an_outsider(login, event, booked, outsider):
    assert login(outsider).get(_url("schedule_ics", event)).status_code == 404


def test_someone_in_two_registered_organisations_chooses_which_acts(
    login, event, booked, host_coordinator, applicant_org
):
    MembershipFactory(
        user=host_coordinator, organisation=applicant_org, role=Membership.Role.COORDINATOR
    )

    response = login(host_coordinator).get(_url("schedule", event, organisation=applicant_org))

    assert heading(response) == "Schedule of Vestland fylkeskommune"


# The secretariat's grid and export


def test_the_secretariat_sees_the_grid(login, event, booked, secretariat):
    response = login(secretariat).get(_url("grid", event))

    assert heading(response) == "Meeting grid of Matchmaking day: inclusive job shadowing"
    page = text(response)
    assert "Slot Aalborg Kommune Borås Stad Vestland fylkeskommune" in page
    assert "09:00–09:30 Borås Stad Aalborg Kommune 09:30–10:00" in page
    assert "10:00–10:30 Vestland fylkeskommune Borås Stad 10:30–11:00" in page
    assert "11:00–11:30 Vestland fylkeskommune (requested) Aalborg Kommune (requested)" in page


@pytest.mark.parametrize("organisations", [2, 8])
def test_the_grid_takes_the_same_queries_for_any_size(
    login, django_assert_num_queries, secretariat, organisations
):
    event = EventFactory()
    registrations = EventRegistrationFactory.create_batch(organisations, event=event)
    for number, (a, b) in enumerate(zip(registrations, registrations[1:])):
        MeetingFactory(
            event=event,
            requester=a,
            recipient=b,
            slot_start=slot(event, number % 6),
            status=Meeting.Status.ACCEPTED if number % 2 else Meeting.Status.REQUESTED,
        )
    client = login(secretariat)

    with django_assert_num_queries(GRID_QUERIES):
        response = client.get(_url("grid", event))

    assert response.status_code == 200


def test_the_grid_is_refused_to_participants_and_other_staff(
    login, event, booked, host_coordinator
):
    staff = UserFactory(is_staff=True)

    assert login(host_coordinator).get(_url("grid", event)).status_code == 403
    assert login(staff).get(_url("grid", event)).status_code == 403
    assert login(staff).get(_url("grid_csv", event)).status_code == 403


def test_the_grid_needs_a_login(client, event):
    url = _url("grid", event)

    assert client.get(url).url == login_url(url)


def test_the_grid_refuses_post(login, event, secretariat):
    assert login(secretariat).post(_url("grid", event)).status_code == 405


def test_the_csv_export_lists_every_meeting(login, event, booked, secretariat):
    response = login(secretariat).get(_url("grid_csv", event))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="matchmaking-day-meetings-'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    day = event.local(event.starts_at).date().isoformat()
    offset = event.local(event.starts_at).strftime("%z")
    offset = f"{offset[:3]}:{offset[3:]}"
    assert rows == [
        ["slot start", "slot end", "organisation A", "organisation B", "status"],
        [
            f"{day}T09:00:00{offset}",
            f"{day}T09:30:00{offset}",
            "Borås Stad",
            "Aalborg Kommune",
            "accepted",
        ],
        [
            f"{day}T10:00:00{offset}",
            f"{day}T10:30:00{offset}",
            "Vestland fylkeskommune",
            "Borås Stad",
            "accepted",
        ],
        [
            f"{day}T11:00:00{offset}",
            f"{day}T11:30:00{offset}",
            "Aalborg Kommune",
            "Vestland fylkeskommune",
            "requested",
        ],
    ]
