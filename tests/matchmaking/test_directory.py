"""The organisation directory at /organisations/ (issue 12, point 11): search by name that
forgives accents and case, country (only those listed), region, type and RSP membership;
public profile fields only; paginated; linked from every page."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from matchmaking import search
from matchmaking.models import Organisation
from tests.factories import OrganisationFactory
from tests.pages import field_error, heading, text

pytestmark = pytest.mark.django_db

URL = reverse("matchmaking:organisation_directory")


@pytest.fixture
def directory(db):
    return {
        "boras": OrganisationFactory(
            name="Borås Stad",
            kind=Organisation.Kind.AUTHORITY,
            country="SE",
            region_name="Västra Götaland",
            nuts_code="SE232",
            city="Borås",
            contact_email="secret-contact@boras.example.org",
            rsp_member_since=datetime.date(2024, 3, 1),
        ),
        "wroclaw": OrganisationFactory(
            name="Uniwersytet Wrocławski",
            kind=Organisation.Kind.HIGHER_EDUCATION,
            country="PL",
            region_name="Dolnośląskie",
            city="Wrocław",
        ),
        "vestland": OrganisationFactory(
            name="Vestland fylkeskommune",
            kind=Organisation.Kind.AUTHORITY,
            country="NO",
            region_name="Vestland",
            city="Bergen",
            rsp_member_since=datetime.date(2023, 1, 1),
        ),
        "suspended": OrganisationFactory(
            name="Suspended Academy", country="DE", is_suspended=True, suspension_reason="Spam"
        ),
    }


def _names(response):
    return re.findall(
        r'<h3 class="h5 card-title"><a href="[^"]*">(.*?)</a></h3>', response.content.decode()
    )


def test_it_lists_organisations_by_name_with_their_public_fields(client, directory):
    response = client.get(URL)

    assert response.status_code == 200
    assert heading(response) == "Organisations"
    assert _names(response) == ["Borås Stad", "Uniwersytet Wrocławski", "Vestland fylkeskommune"]
    page = text(response)
    assert "3 organisations" in page
    assert "Regional or local authority · Borås, Västra Götaland (SE232), Sweden" in page
    assert "RSP member" in page
    # Public profile fields only: never the contact address, nor a suspended organisation.
    assert "secret-contact@boras.example.org" not in response.content.decode()
    assert "Suspended Academy" not in page


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("Boras", "Borås Stad"),
        ("BORÅS stad", "Borås Stad"),
        ("wroclaw", "Uniwersytet Wrocławski"),
        ("Wrocławski", "Uniwersytet Wrocławski"),
        ("bergen", "Vestland fylkeskommune"),  # the city counts too
    ],
)
def test_the_name_search_forgives_accents_and_case(client, directory, typed, found):
    response = client.get(URL, {"q": typed})

    assert _names(response) == [found]
    assert "1 organisation" in text(response) and "1 organisations" not in text(response)


def test_it_filters_by_country_region_type_and_membership(client, directory):
    assert _names(client.get(URL, {"country": "PL"})) == ["Uniwersytet Wrocławski"]
    assert _names(client.get(URL, {"region": "vastra gotaland"})) == ["Borås Stad"]
    assert _names(client.get(URL, {"region": "se23"})) == ["Borås Stad"]
    assert _names(client.get(URL, {"kind": "authority"})) == [
        "Borås Stad",
        "Vestland fylkeskommune",
    ]
    assert _names(client.get(URL, {"rsp_members": "on"})) == [
        "Borås Stad",
        "Vestland fylkeskommune",
    ]
    assert _names(client.get(URL, {"rsp_members": "on", "country": "NO"})) == [
        "Vestland fylkeskommune"
    ]


def test_the_country_filter_offers_only_countries_listed(client, directory):
    page = client.get(URL).content.decode()
    select = re.search(r'<select name="country".*?</select>', page, re.DOTALL).group(0)
    assert re.findall(r'<option value="(\w*)"', select) == ["", "NO", "PL", "SE"]


def test_a_country_that_is_not_listed_says_so_next_to_the_field(client, directory):
    response = client.get(URL, {"country": "DE"})

    assert response.status_code == 200
    assert "Select a valid choice" in field_error(response, "country")


def test_nothing_found_says_what_to_try(client, directory):
    response = client.get(URL, {"q": "Atlantis"})
    assert "No organisation matches these filters." in text(response)
    assert "0 organisations" in text(response)


def test_it_is_paginated(client, db):
    for number in range(30):
        OrganisationFactory(name=f"Organisation {number:02}")

    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert len(_names(first)) == 24
    assert _names(second)[-1] == "Organisation 29"
    assert "Page 2 of 2" in text(second)


def test_every_page_links_to_the_directory(client, db):
    page = client.get(reverse("home")).content.decode()
    assert page.count(f'href="{URL}"') == 2  # the header's menu and the footer


def test_the_directory_reads_the_database_a_fixed_number_of_times(
    client, directory, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        Client().get(URL, {"q": "Boras"})


def test_fold_compares_spellings_without_accents_or_case():
    assert search.fold("  Borås  STAD ") == "boras stad"
    assert search.fold("Wrocław") == "wroclaw"
    assert search.fold("Tromsø Æbeltoft Straße") == "tromso aebeltoft strasse"
