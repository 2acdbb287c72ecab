"""The partnership's members: the about and members pages, the badge, the catalogue filter."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from partnership.models import MembershipApplication
from tests.factories import MembershipApplicationFactory, OfferFactory, OrganisationFactory
from tests.pages import card_titles, field_error, heading, text
from tests.partnership.images import png

pytestmark = pytest.mark.django_db

ABOUT_URL = reverse("partnership:about")
MEMBERS_URL = reverse("partnership:members")
CATALOGUE_URL = reverse("exchanges:offer_list")
# The countries of the filter, then the members with their logo consent: however many.
MEMBERS_PAGE_QUERIES = 2


def _member(
    name, *, country="SE", since=datetime.date(2025, 3, 1), logo=True, consent=True, **fields
):
    organisation = OrganisationFactory(
        name=name,
        country=country,
        rsp_member_since=since,
        logo=png(f"{name.split()[0].lower()}.png") if logo else "",
        **fields,
    )
    MembershipApplicationFactory(
        organisation=organisation,
        logo_consent=consent,
        status=MembershipApplication.Status.APPROVED,
        decided_at=timezone.now(),
    )
    return organisation


def _logos(response):
    return re.findall(r'<img src="[^"]+" alt="([^"]+)"', response.content.decode())


def _rows(response):
    body = response.content.decode()
    return [text_of(row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL)[1:]]


def text_of(markup):
    return " ".join(re.sub(r"<[^>]+>", " ", markup).split())


# about


def test_the_partnership_page_counts_the_members_and_shows_consented_logos(client):
    _member("Borås Stad", region_name="Västra Götaland")
    _member("Vestland County Council", country="NO")
    _member("Camilla Winter AB", consent=False)
    _member("Generalitat de Catalunya", country="ES", logo=False)
    OrganisationFactory(name="Not a member", logo=png())
    _member("Spam Ltd", is_suspended=True)

    response = client.get(ABOUT_URL)

    assert "4 organisations are members of the partnership." in text(response)
    assert _logos(response) == ["Borås Stad", "Vestland County Council"]
    assert f'href="{reverse("partnership:join")}"' in response.content.decode()
    assert "Join the partnership" in text(response)


def test_the_partnership_page_counts_one_member_in_the_singular(client):
    _member("Borås Stad")

    assert "1 organisation is a member of the partnership." in text(client.get(ABOUT_URL))


# members


def test_the_members_page_lists_members_with_logos_only_where_consented(client):
    boras = _member("Borås Stad", kind="authority", region_name="Västra Götaland")
    _member(
        "Camilla Winter AB",
        consent=False,
        kind="employer",
        region_name="Skåne",
        since=datetime.date(2025, 9, 17),
    )
    OrganisationFactory(name="Not a member")
    former = _member("Former member")
    former.rsp_member_since = None
    former.save()

    response = client.get(MEMBERS_URL)

    assert heading(response) == "Members of the Regional Skills Partnership"
    assert _rows(response) == [
        "Borås Stad Sweden Västra Götaland Regional or local authority 1 March 2025",
        "Camilla Winter AB Sweden Skåne Employer 17 September 2025",
    ]
    assert _logos(response) == ["Logo of Borås Stad"]
    assert f'href="{boras.get_absolute_url()}"' in response.content.decode()


def test_the_latest_approved_application_decides_about_the_logo(client):
    organisation = _member("Borås Stad", consent=True)
    MembershipApplicationFactory(
        organisation=organisation,
        logo_consent=False,
        status=MembershipApplication.Status.APPROVED,
        decided_at=timezone.now() + datetime.timedelta(minutes=1),
    )

    assert _logos(client.get(MEMBERS_URL)) == []


def test_the_members_page_filters_by_country(client):
    _member("Borås Stad")
    _member("Vestland County Council", country="NO")

    response = client.get(MEMBERS_URL, {"country": "NO"})

    assert [row.split(" Norway")[0] for row in _rows(response)] == ["Vestland County Council"]
    # Only the members' countries are offered.
    select = re.search(r'<select name="country".*?</select>', response.content.decode(), re.S)
    options = re.findall(r'<option value="(\w*)"', select.group(0))
    assert options == ["", "NO", "SE"]


def test_an_unknown_country_is_shown_next_to_the_filter_and_all_members_listed(client):
    _member("Borås Stad")

    response = client.get(MEMBERS_URL, {"country": "XX"})

    assert "Select a valid choice." in field_error(response, "country")
    assert len(_rows(response)) == 1


def test_the_members_page_says_when_there_is_none(client):
    assert "No members to show." in text(client.get(MEMBERS_URL))


@pytest.mark.parametrize("count", [1, 12])
def test_the_members_page_takes_the_same_queries_for_any_number_of_members(
    client, django_assert_num_queries, count
):
    for n in range(count):
        _member(f"Member {n}", country=["SE", "NO", "ES"][n % 3], logo=False)

    with django_assert_num_queries(MEMBERS_PAGE_QUERIES):
        response = client.get(MEMBERS_URL)

    assert len(_rows(response)) == count


@pytest.mark.parametrize("url", [ABOUT_URL, MEMBERS_URL, reverse("partnership:promoters")])
def test_the_public_partnership_pages_refuse_post(client, url):
    response = client.post(url)

    assert response.status_code == 405
    assert response["Allow"] == "GET"


# the member badge


def test_a_members_profile_and_offers_carry_the_badge(client, member_org, host_coordinator):
    offer = OfferFactory(organisation=member_org, created_by=host_coordinator, title="Visit Borås")

    profile = client.get(reverse("organisation_detail", args=[member_org.slug]))
    offer_page = client.get(offer.get_absolute_url())
    catalogue = client.get(CATALOGUE_URL)

    def badges(response):
        return response.content.decode().count("RSP member</span>")

    assert heading(profile) == "Borås Stad"  # the badge sits beside the heading, not in it
    assert badges(profile) == 2  # the organisation's and its offer card's
    assert badges(offer_page) == 1
    assert badges(catalogue) == 1


def test_an_organisation_outside_the_partnership_has_no_badge(client, host_org, offer):
    for url in (
        reverse("organisation_detail", args=[host_org.slug]),
        offer.get_absolute_url(),
        CATALOGUE_URL,
    ):
        assert "RSP member</span>" not in client.get(url).content.decode()


# the catalogue filter


def test_the_catalogue_shows_only_members_offers_when_asked(client, member_org, applicant_org):
    OfferFactory(organisation=member_org, title="Job shadowing in Borås")
    OfferFactory(organisation=applicant_org, title="Study visit in Bergen")

    everything = client.get(CATALOGUE_URL)
    members_only = client.get(CATALOGUE_URL, {"rsp_members": "on"})

    assert sorted(card_titles(everything)) == ["Job shadowing in Borås", "Study visit in Bergen"]
    assert card_titles(members_only) == ["Job shadowing in Borås"]
    assert '<input type="checkbox" name="rsp_members"' in everything.content.decode()
    assert "RSP members only" in text(everything)
