"""An offer with no places left: "Fully booked" on its page and its catalogue card instead of
Apply, and the application refused by the service with a reason (issue 12, point 3)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from exchanges import services
from exchanges.models import Application, Exchange
from tests.factories import ApplicationFactory, ExchangeFactory, OrganisationFactory, language
from tests.pages import field_error, text

pytestmark = pytest.mark.django_db

FULLY_BOOKED = "This offer is fully booked: all its places are taken."


def _url(name, obj):
    return reverse(f"exchanges:{name}", args=[obj.pk])


def _book(offer, participants):
    """Another organisation's accepted application holds ``participants`` places."""
    return ExchangeFactory(
        application__offer=offer,
        application__organisation=OrganisationFactory(country="ES"),
        application__participants=participants,
    )


def _submit(offer, organisation, user, participants=1):
    return services.application_submit(
        offer=offer,
        organisation=organisation,
        acting_user=user,
        languages=[language("en")],
        motivation="We re-engage young people who left school early.",
        participants=participants,
        fewer_opportunity_participants=0,
        participant_roles="An advisor in education.",
        preferred_start=offer.available_from,
        preferred_end=offer.available_from + datetime.timedelta(days=1),
    )


def test_the_places_left_count_only_accepted_applications_whose_exchange_goes_ahead(offer):
    assert (offer.capacity, offer.places_left, offer.is_fully_booked) == (3, 3, False)
    _book(offer, 2)
    ApplicationFactory(offer=offer, participants=1)  # undecided: holds nothing
    cancelled = _book(offer, 1)
    Exchange.objects.filter(pk=cancelled.pk).update(status=Exchange.Status.CANCELLED)

    assert (offer.places_left, offer.is_fully_booked) == (1, False)
    _book(offer, 1)
    assert (offer.places_left, offer.is_fully_booked) == (0, True)


def test_the_service_refuses_an_application_to_a_fully_booked_offer(
    offer, applicant_org, applicant_coordinator
):
    _book(offer, 3)

    with pytest.raises(ValidationError) as refusal:
        _submit(offer, applicant_org, applicant_coordinator)

    assert refusal.value.code == "fully_booked"
    assert refusal.value.messages == [FULLY_BOOKED]
    assert not Application.objects.filter(organisation=applicant_org).exists()


def test_the_service_refuses_more_participants_than_places_left(
    offer, applicant_org, applicant_coordinator
):
    _book(offer, 2)

    with pytest.raises(ValidationError) as refusal:
        _submit(offer, applicant_org, applicant_coordinator, participants=2)

    assert refusal.value.message_dict == {
        "participants": ["Only 1 place is left; apply for at most 1 participant."]
    }
    assert _submit(offer, applicant_org, applicant_coordinator, participants=1).pk


def test_the_offer_page_says_fully_booked_instead_of_apply(login, offer, applicant_coordinator):
    _book(offer, 3)

    response = login(applicant_coordinator).get(offer.get_absolute_url())

    page = text(response)
    assert "0 of 3 free" in page
    assert "Fully booked All places are taken; it takes no more applications." in page
    assert _url("application_create", offer) not in response.content.decode()


def test_an_offer_with_places_left_still_shows_apply(login, offer, applicant_coordinator):
    _book(offer, 2)

    response = login(applicant_coordinator).get(offer.get_absolute_url())

    assert "1 of 3 free" in text(response)
    assert "Fully booked" not in text(response)
    assert _url("application_create", offer) in response.content.decode()


def test_the_catalogue_card_of_a_full_offer_says_so(client, offer):
    _book(offer, 3)

    response = client.get(reverse("exchanges:offer_list"))

    assert "Job shadowing of guidance counsellors in Borås" in text(response)
    assert text(response).count("Fully booked") == 1


def test_the_application_form_of_a_full_offer_sends_back_to_the_offer_with_the_reason(
    login, offer, applicant_coordinator
):
    _book(offer, 3)

    response = login(applicant_coordinator).get(_url("application_create", offer), follow=True)

    assert response.redirect_chain == [(offer.get_absolute_url(), 302)]
    assert FULLY_BOOKED in text(response)


def test_an_application_for_more_than_the_places_left_gets_the_reason_next_to_the_field(
    login, offer, applicant_org, applicant_coordinator
):
    _book(offer, 2)

    response = login(applicant_coordinator).post(
        _url("application_create", offer),
        {
            "organisation": applicant_org.pk,
            "motivation": "We want to learn how you reach young people.",
            "participants": "2",
            "fewer_opportunity_participants": "0",
            "participant_roles": "Two advisors.",
            "preferred_start": offer.available_from.isoformat(),
            "preferred_end": offer.available_from.isoformat(),
            "languages": [language("en").pk],
        },
    )

    assert response.status_code == 200
    assert field_error(response, "participants") == (
        "Only 1 place is left; apply for at most 1 participant."
    )
    assert not Application.objects.filter(organisation=applicant_org).exists()
