import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.models import Application, Offer
from tests.factories import ApplicationFactory, OfferFactory, OrganisationFactory
from tests.pages import card_titles, heading, text

pytestmark = pytest.mark.django_db

HOME_URL = reverse("home")
ABOUT_URL = reverse("partnership:about")


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _profile_url(organisation):
    return reverse("organisation_detail", args=[organisation.slug])


# home


def test_the_home_page_shows_the_partnership_in_figures(client, offer, applicant_org):
    OfferFactory(organisation=applicant_org, title="Apprentices at a shipyard")
    OfferFactory(organisation=offer.organisation, status=Offer.Status.DRAFT)
    OfferFactory(organisation=offer.organisation, status=Offer.Status.CLOSED)
    OfferFactory(organisation=offer.organisation, application_deadline=_days(-1))
    ApplicationFactory(offer=offer, organisation=applicant_org, status=Application.Status.ACCEPTED)
    suspended = OrganisationFactory(name="Spam Ltd", country="ES", is_suspended=True)
    OfferFactory(organisation=suspended)

    response = client.get(HOME_URL)

    assert response.status_code == 200
    assert "organisations 2 countries 2 offers open now 2 exchange agreed 1" in text(response)


def test_the_home_page_shows_the_six_newest_open_offers(client, host_org):
    now = timezone.now()
    for n in range(1, 8):
        OfferFactory(
            organisation=host_org,
            title=f"Offer {n}",
            published_at=now - datetime.timedelta(days=n),
        )
    OfferFactory(organisation=host_org, title="Deadline passed", application_deadline=_days(-1))
    OfferFactory(organisation=host_org, title="Not yet published", status=Offer.Status.DRAFT)

    response = client.get(HOME_URL)

    assert card_titles(response) == [f"Offer {n}" for n in range(1, 7)]


def test_the_home_page_shows_the_latest_published_case_studies(client):
    from exchanges.models import CaseStudy
    from tests.factories import CaseStudyFactory

    CaseStudyFactory(title="Job shadowing in Borås", status=CaseStudy.Status.PUBLISHED)
    CaseStudyFactory(title="Still in review")

    content = client.get(HOME_URL).content.decode()

    assert "Job shadowing in Borås" in content
    assert "Still in review" not in content


def test_the_home_page_says_when_no_offer_is_open(client):
    response = client.get(HOME_URL)

    assert heading(response) == "Find a partner region for your next learning-mobility exchange"
    assert "No open offers at the moment." in text(response)


def test_the_home_page_searches_the_catalogue(client):
    response = client.get(HOME_URL)

    assert f'action="{reverse("exchanges:offer_list")}"' in response.content.decode()
    assert 'name="q"' in response.content.decode()


# about


def test_the_partnership_page_explains_the_partnership_and_its_targets(client):
    response = client.get(ABOUT_URL)

    assert heading(response) == "The Regional Skills Partnership for Lifelong Learning Mobility"
    assert "20 % of VET learners on a mobility by 2030" in text(response)
    assert "communication@earlall.eu" in text(response)


# organisation_detail


def test_the_public_profile_lists_only_the_organisations_published_offers(client, offer, host_org):
    OfferFactory(organisation=host_org, title="Draft for next year", status=Offer.Status.DRAFT)
    OfferFactory(organisation=host_org, title="Last year's visit", status=Offer.Status.CLOSED)
    OfferFactory(title="Someone else's offer")

    response = client.get(_profile_url(host_org))

    assert heading(response) == "Borås Stad"
    assert "VET provider · Borås, Västra Götaland, Sweden" in text(response)
    assert card_titles(response) == ["Job shadowing of guidance counsellors in Borås"]


def test_the_public_profile_hides_the_contact_email_from_anonymous_visitors(client, host_org):
    response = client.get(_profile_url(host_org))

    assert "contact@boras-stad.example.org" not in response.content.decode()
    assert "No published offers at the moment." in text(response)


def test_the_public_profile_shows_the_contact_email_to_a_signed_in_user(login, host_org, outsider):
    response = login(outsider).get(_profile_url(host_org))

    assert "Contact contact@boras-stad.example.org" in text(response)
    assert "Edit profile" not in text(response)


def test_the_public_profile_offers_its_admin_a_link_to_edit_it(login, host_org, host_admin):
    response = login(host_admin).get(_profile_url(host_org))

    assert reverse("matchmaking:organisation_edit", args=[host_org.slug]) in (
        response.content.decode()
    )


def test_a_suspended_organisations_profile_shows_no_offers(client, offer, host_org):
    host_org.is_suspended = True
    host_org.save()

    response = client.get(_profile_url(host_org))

    assert "This organisation is suspended; its offers are not shown." in text(response)
    assert card_titles(response) == []


def test_an_unknown_organisation_is_not_found(client):
    assert client.get(reverse("organisation_detail", args=["atlantis"])).status_code == 404


@pytest.mark.parametrize("url", [HOME_URL, ABOUT_URL, "/organisations/boras-stad/"])
def test_the_public_pages_refuse_post(client, host_org, url):
    response = client.post(url)

    assert response.status_code == 405
    assert response["Allow"] == "GET"
