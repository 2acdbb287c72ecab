"""A person downloads what the site keeps about them (issue 12, point 12): a JSON file with
their account, memberships and their organisations' records, and no other person's data."""

import json

import pytest
from django.urls import reverse

from exchanges import services as exchange_services
from exchanges.models import Application
from matchmaking.personal_data import CORE_SECTIONS, register_exporter
from tests.factories import (
    ApplicationFactory,
    EventFactory,
    EventRegistrationFactory,
    ExchangeFactory,
    FollowUpFactory,
    InterestProfileFactory,
    OfferFactory,
    QuoteFactory,
)
from tests.pages import login_url

pytestmark = pytest.mark.django_db

URL = reverse("matchmaking:personal_data_download")


@pytest.fixture
def records(host_org, host_coordinator, host_admin, applicant_org, applicant_coordinator):
    """Borås's offers, an application to one from Vestland, their exchange and a follow-up
    quoting a participant; an offer of Vestland that Borås has nothing to do with."""
    offer = OfferFactory(
        organisation=host_org, created_by=host_admin, title="Job shadowing in Borås"
    )
    exchange_services.offer_close(offer=offer, acting_user=host_coordinator)
    application = ApplicationFactory(
        offer=offer,
        organisation=applicant_org,
        submitted_by=applicant_coordinator,
        motivation="We want to learn how you reach NEETs.",
        status=Application.Status.ACCEPTED,
    )
    exchange = ExchangeFactory(application=application)
    QuoteFactory(follow_up=FollowUpFactory(exchange=exchange), person_name="Anna Participant-Berg")
    InterestProfileFactory(organisation=host_org, name="Study visits on inclusion")
    OfferFactory(organisation=applicant_org, title="Study visit to Bergen")
    return {"offer": offer, "application": application, "exchange": exchange}


def _download(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="mobility-matchmaking-my-data-'
    )
    return json.loads(response.content)


def test_the_download_holds_the_persons_account_and_memberships(login, host_coordinator):
    data = _download(login(host_coordinator))

    account = data["account"]
    assert account["email"] == "coordinator@boras.example.org"
    assert (account["first_name"], account["last_name"]) == (
        host_coordinator.first_name,
        host_coordinator.last_name,
    )
    assert account["preferred_language"] == "en"
    assert account["email_addresses"] == [
        {"email": "coordinator@boras.example.org", "verified": True, "primary": True}
    ]
    [membership] = data["memberships"]
    assert (membership["organisation__name"], membership["role"]) == ("Borås Stad", "coordinator")


def test_the_download_holds_what_the_persons_organisation_holds(login, host_coordinator, records):
    data = _download(login(host_coordinator))

    exchanges = data["exchanges"]
    assert [offer["title"] for offer in exchanges["offers"]] == ["Job shadowing in Borås"]
    [application] = exchanges["applications"]
    assert application["motivation"] == "We want to learn how you reach NEETs."
    assert application["organisation__name"] == "Vestland fylkeskommune"
    assert [e["id"] for e in exchanges["exchanges"]] == [records["exchange"].pk]
    assert [f["organisation__name"] for f in exchanges["follow_ups"]] == ["Borås Stad"]
    assert [p["name"] for p in data["interest_profiles"]] == ["Study visits on inclusion"]
    # The history rows the person wrote, and only those.
    assert [(h["offer_id"], h["kind"]) for h in exchanges["history"]["offers"]] == [
        (records["offer"].pk, "closed")
    ]
    assert "partnership" in data


def test_the_download_holds_the_messages_the_person_wrote_and_no_one_else_s(
    login, host_org, host_coordinator, applicant_org, applicant_coordinator, records
):
    application = records["exchange"].application
    for organisation, person, body in (
        (host_org, host_coordinator, "Welcome! Which dates suit you?"),
        (applicant_org, applicant_coordinator, "The 12th and 13th of May."),
    ):
        exchange_services.message_post(
            application=application, organisation=organisation, acting_user=person, body=body
        )

    data = _download(login(host_coordinator))

    assert [m["body"] for m in data["exchanges"]["messages"]] == ["Welcome! Which dates suit you?"]


def test_the_download_holds_no_other_persons_data(
    login, host_coordinator, host_admin, applicant_coordinator, records
):
    raw = login(host_coordinator).get(URL).content.decode()

    for other in (host_admin, applicant_coordinator):
        assert other.email not in raw
        assert other.last_name not in raw
    # The quote names a participant; quotes are left out.
    assert "Anna Participant-Berg" not in raw
    # Vestland's own offer is not Borås's to see here.
    assert "Study visit to Bergen" not in raw


def test_each_person_downloads_only_their_own_data(login, applicant_coordinator, records):
    data = _download(login(applicant_coordinator))

    assert data["account"]["email"] == "coordinator@vestland.example.org"
    assert [offer["title"] for offer in data["exchanges"]["offers"]] == ["Study visit to Bergen"]
    assert data["exchanges"]["history"]["offers"] == []


def test_a_person_without_an_organisation_downloads_their_account(login, secretariat):
    data = _download(login(secretariat))

    assert data["memberships"] == []
    assert data["exchanges"]["offers"] == []


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == login_url(URL)


def test_the_download_takes_no_post(login, host_coordinator):
    assert login(host_coordinator).post(URL).status_code == 405


def test_an_app_cannot_take_a_core_section():
    with pytest.raises(ValueError):
        register_exporter(next(iter(CORE_SECTIONS)), lambda user: None)


def test_the_partnership_part_holds_the_persons_registrations_but_not_the_attendees(
    login, host_org, host_coordinator
):
    EventRegistrationFactory(
        event=EventFactory(title="Matchmaking day in Brussels"),
        organisation=host_org,
        registered_by=host_coordinator,
        attendees=[{"name": "Per Attendee-Lund", "role": "Advisor"}],
    )

    client = login(host_coordinator)
    data = _download(client)

    [registration] = data["partnership"]["event_registrations"]
    assert registration["event__title"] == "Matchmaking day in Brussels"
    assert "Per Attendee-Lund" not in client.get(URL).content.decode()
