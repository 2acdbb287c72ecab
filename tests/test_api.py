"""The open read-only API at /api/v1/: each endpoint's fields, filters, pages and refusals.

What a portal reading the API notices: the published records with the programme's codes,
never a draft, an applicant, a person or a contact address; the site's filters; pages that
say how many there are; JSON errors that say what was wrong.
"""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from exchanges.models import Offer
from matchmaking import api as core_api
from matchmaking.models import FieldOfEducation
from partnership.events.models import EventRegistration
from tests.factories import (
    ApplicationFactory,
    CaseStudyFactory,
    EventFactory,
    EventRegistrationFactory,
    ExchangeFactory,
    FollowUpFactory,
    OfferFactory,
    OrganisationFactory,
    QuoteFactory,
    UserFactory,
    exchange_type,
    language,
    theme,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"


def _get(client, path, **params):
    return client.get(f"{API}{path}", params, HTTP_ACCEPT_LANGUAGE="en")


def _titles(response):
    return [item["title"] for item in response.json()["items"]]


@pytest.fixture
def boras():
    return OrganisationFactory(
        name="Borås Stad",
        slug="boras-stad",
        country="SE",
        city="Borås",
        region_name="Västra Götaland",
        nuts_code="SE232",
        contact_email="international@boras.se",
    )


# Offers -------------------------------------------------------------------------------------


def test_an_offer_comes_with_the_programme_s_codes_and_no_contact_details(client, boras):
    offer = OfferFactory(
        organisation=boras,
        title="Job shadowing of guidance counsellors",
        exchange_type=exchange_type("job-shadowing"),
        themes=[theme("inclusion")],
        languages=[language("en"), language("sv")],
        capacity=4,
    )
    offer.fields_of_education.set([FieldOfEducation.objects.get(slug="04")])
    ApplicationFactory(offer=offer, participants=1, status="accepted")

    response = _get(client, f"/offers/{offer.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Job shadowing of guidance counsellors"
    assert body["url"].endswith(f"/offers/{offer.pk}/")
    assert body["host"] == {
        "slug": "boras-stad",
        "name": "Borås Stad",
        "country": {"code": "SE", "name": "Sweden"},
        "nuts_code": "SE232",
        "city": "Borås",
    }
    assert body["exchange_type"]["code"] == "job-shadowing"
    assert body["exchange_type"]["activity_code"] == offer.exchange_type.activity_code
    assert body["exchange_type"]["activity_code"]  # job shadowing has its Erasmus+ code
    assert body["fields_of_education"] == [
        {"isced": "04", "name": "Business, administration and law"}
    ]
    assert body["themes"] == [{"code": "inclusion", "name": theme("inclusion").name}]
    assert sorted(body["languages"]) == ["en", "sv"]
    assert body["capacity"] == 4
    assert body["places_left"] == 3
    assert "international@boras.se" not in response.content.decode()
    assert "contact_email" not in body["host"] and "created_by" not in body


@pytest.mark.parametrize("status", [Offer.Status.DRAFT, Offer.Status.CLOSED, Offer.Status.ARCHIVED])
def test_an_offer_not_published_is_a_404_in_json(client, status):
    offer = OfferFactory(status=status)

    response = _get(client, f"/offers/{offer.pk}")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
    assert offer.title not in _titles(_get(client, "/offers/"))


def test_an_offer_of_a_suspended_organisation_is_not_listed(client):
    offer = OfferFactory(organisation=OrganisationFactory(is_suspended=True))

    assert _get(client, f"/offers/{offer.pk}").status_code == 404
    assert _get(client, "/offers/").json()["count"] == 0


def test_the_list_takes_the_catalogue_s_filters(client, boras):
    OfferFactory(organisation=boras, title="Inclusion in Borås", themes=[theme("inclusion")])
    OfferFactory(
        organisation=OrganisationFactory(country="ES", city="Barcelona"),
        title="Apprentices in Barcelona",
        themes=[theme("inclusion")],
        target_group=Offer.TargetGroup.LEARNERS,
    )

    assert _titles(_get(client, "/offers/", country="SE")) == ["Inclusion in Borås"]
    assert _titles(_get(client, "/offers/", target_group="learners", theme="inclusion")) == [
        "Apprentices in Barcelona"
    ]
    assert _titles(_get(client, "/offers/", q="Barcelona")) == ["Apprentices in Barcelona"]


def test_a_filter_value_that_does_not_exist_is_a_422_naming_the_field(client):
    response = _get(client, "/offers/", theme="no-such-theme")

    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["query", "theme"]
    assert "valid choice" in error["msg"]


def test_a_bad_parameter_type_is_a_422(client):
    response = _get(client, "/offers/", dates_from="next tuesday", page_size=1000)

    assert response.status_code == 422
    fields = {tuple(error["loc"]) for error in response.json()["detail"]}
    assert ("query", "dates_from") in fields and ("query", "page_size") in fields


def test_pages_are_stable_and_say_how_many(client):
    now = timezone.now()
    for n in range(5):
        OfferFactory(title=f"Offer {n}", published_at=now - datetime.timedelta(hours=n))

    first = _get(client, "/offers/", page_size=2).json()
    last = _get(client, "/offers/", page_size=2, page=3).json()

    assert first["count"] == 5 and first["count_is_exact"] is True
    assert first["pages"] == 3 and first["next"] == 2 and first["previous"] is None
    assert [item["title"] for item in first["items"]] == ["Offer 0", "Offer 1"]
    assert [item["title"] for item in last["items"]] == ["Offer 4"]
    assert last["next"] is None and last["previous"] == 2
    beyond = _get(client, "/offers/", page_size=2, page=4)
    assert beyond.status_code == 404
    assert beyond.json() == {"detail": "There is no page 4."}


def test_past_the_count_limit_the_total_is_a_floor(client, monkeypatch):
    monkeypatch.setattr(core_api, "COUNT_LIMIT", 3)
    for _ in range(5):
        OfferFactory()

    body = _get(client, "/offers/", page_size=2, page=2).json()

    assert body["count"] == 3 and body["count_is_exact"] is False
    assert body["next"] == 3  # more than the counted rows may follow


def test_the_list_s_queries_do_not_grow_with_the_offers(client, django_assert_max_num_queries):
    OfferFactory.create_batch(3)
    with django_assert_max_num_queries(12) as few:
        _get(client, "/offers/")
    OfferFactory.create_batch(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        _get(client, "/offers/")


# Case studies ---------------------------------------------------------------------------------


def test_a_published_case_study_shows_only_the_quotes_made_public_with_consent(client, boras):
    exchange = ExchangeFactory(application__offer__organisation=boras)
    follow_up = FollowUpFactory(exchange=exchange)
    QuoteFactory(follow_up=follow_up, person_name="Anna Public", text="We left full of ideas.")
    QuoteFactory(follow_up=follow_up, person_name="Bo Private", public=False)
    QuoteFactory(follow_up=follow_up, person_name="Cai Unconsented", consent=False, public=False)
    case_study = CaseStudyFactory(exchange=exchange, status="published", title="Borås hosts")

    response = _get(client, f"/case-studies/{case_study.slug}")

    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Borås hosts"
    assert body["host"]["name"] == "Borås Stad"
    assert [quote["person_name"] for quote in body["quotes"]] == ["Anna Public"]
    assert body["host_lessons"] == [
        "Identified shared challenges.",
        "Gained insight into the NAV system.",
    ]
    listed = _get(client, "/case-studies/").json()
    assert [item["slug"] for item in listed["items"]] == [case_study.slug]


def test_a_draft_case_study_is_a_404(client):
    draft = CaseStudyFactory()

    assert _get(client, f"/case-studies/{draft.slug}").status_code == 404
    assert _get(client, "/case-studies/").json()["items"] == []


# Organisations --------------------------------------------------------------------------------


def test_organisations_show_their_public_profile_only(client, boras):
    boras.members.add(UserFactory(email="nicholas@boras.se"))

    response = _get(client, "/organisations/boras-stad")

    body = response.json()
    assert body["name"] == "Borås Stad" and body["nuts_code"] == "SE232"
    assert body["kind"]["code"] == boras.kind
    assert "international@boras.se" not in response.content.decode()
    assert "nicholas@boras.se" not in response.content.decode()
    assert set(body) == {
        "slug",
        "name",
        "kind",
        "country",
        "region_name",
        "nuts_code",
        "city",
        "website",
        "description",
        "languages",
        "rsp_member_since",
        "url",
    }


def test_the_organisation_list_searches_accents_aside_and_hides_suspended_ones(client, boras):
    OrganisationFactory(name="Suspended Borås AB", city="Borås", is_suspended=True)

    body = _get(client, "/organisations/", q="boras").json()

    assert [item["name"] for item in body["items"]] == ["Borås Stad"]
    assert _get(client, "/organisations/", country="XX").status_code == 422


# Events ---------------------------------------------------------------------------------------


def test_an_event_lists_its_confirmed_participants_never_its_attendees(client, boras):
    event = EventFactory(title="Matchmaking day", slug="matchmaking-day", capacity=10)
    EventRegistrationFactory(event=event, organisation=boras, attendees=["Nicholas Waller"])
    EventRegistrationFactory(
        event=event,
        organisation=OrganisationFactory(name="Pending Org"),
        status=EventRegistration.Status.PENDING,
    )

    response = _get(client, "/events/matchmaking-day")

    body = response.json()
    assert body["title"] == "Matchmaking day"
    assert [p["name"] for p in body["participants"]] == ["Borås Stad"]
    assert body["places_left"] == 8  # pending registrations hold a place too
    assert "Nicholas Waller" not in response.content.decode()
    assert _get(client, "/events/", upcoming=True).json()["count"] == 1


def test_the_event_list_s_queries_do_not_grow_with_the_events(client, django_assert_num_queries):
    for n in range(2):
        EventRegistrationFactory(event=EventFactory(slug=f"day-{n}"))
    with django_assert_num_queries(3) as few:  # count, page, participants
        assert _get(client, "/events/").json()["count"] == 2
    for n in range(2, 6):
        EventRegistrationFactory(event=EventFactory(slug=f"day-{n}"))
    with django_assert_num_queries(len(few.captured_queries)):
        assert _get(client, "/events/").json()["count"] == 6


# The API as a whole ---------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only(client, method):
    offer = OfferFactory()

    response = getattr(client, method)(f"{API}/offers/{offer.pk}")

    assert response.status_code == 405
    assert Offer.objects.filter(pk=offer.pk, title=offer.title).exists()


@pytest.mark.parametrize("path", ["/applications/", "/offers/12%0A34", "/offers/%C2%98%0AK"])
def test_an_unknown_address_under_the_api_is_a_json_404(client, path):
    response = client.get(f"{API}{path}")

    assert response.status_code == 404
    assert response.json() == {"detail": "There is no such endpoint."}


def test_the_schema_is_openapi_3_and_names_every_endpoint(client):
    schema = client.get(f"{API}/openapi.json").json()

    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        f"{API}/offers/",
        f"{API}/offers/{{offer_id}}",
        f"{API}/case-studies/",
        f"{API}/case-studies/{{slug}}",
        f"{API}/organisations/",
        f"{API}/organisations/{{slug}}",
        f"{API}/events/",
        f"{API}/events/{{slug}}",
    }
    assert all(set(path) == {"get"} for path in schema["paths"].values())


def test_the_docs_page_is_served_from_the_site_itself(client):
    response = client.get(reverse("api:openapi-view"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "https://" not in page
    assert '<html lang="en">' in page and "<main>" in page


@override_settings(API_RATE_LIMIT="3/min")
def test_the_rate_limit_refuses_in_json_with_a_retry_after(client):
    for _ in range(3):
        assert _get(client, "/events/").status_code == 200

    refused = _get(client, "/events/")

    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("Too many requests")
    assert int(refused["Retry-After"]) >= 1
    # Another client address has its own count.
    assert client.get(f"{API}/events/", REMOTE_ADDR="10.0.0.2").status_code == 200
