"""A second "Borås Stad": warned about at creation, confirmed, flagged to the secretariat
(issue 9, finding 10)."""

import re
import threading
import time

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse

from matchmaking import outbox, selectors, services
from matchmaking.models import Organisation, OutboxEmail
from matchmaking.selectors import name_key
from tests.factories import OrganisationFactory, UserFactory, language
from tests.pages import field_error, heading, text

pytestmark = pytest.mark.django_db

CREATE_URL = reverse("matchmaking:organisation_create")
ADMIN_LIST = "/admin/matchmaking/organisation/"
WARNING = (
    "An organisation with this name is already on the site: “Borås Stad” (Sweden, Borås). If "
    "yours is a different organisation, tick the box; if it is the same one, ask its admins to "
    "add you instead."
)


def _data(**overrides):
    return {
        "name": "Borås Stad",
        "kind": Organisation.Kind.AUTHORITY,
        "country": "SE",
        "region_name": "Västra Götaland",
        "city": "Borås",
        "contact_email": "someone@example.org",
        "languages": [language("sv").pk],
        **overrides,
    }


@pytest.mark.parametrize(
    ("name", "other"),
    [
        ("Borås Stad", "borås stad"),
        ("Borås Stad", "BORAS  STAD"),
        ("  Borås\tStad ", "Boras Stad"),
        ("Ålesund kommune", "Alesund Kommune"),
    ],
)
def test_names_that_read_the_same_share_a_key(name, other):
    assert name_key(name) == name_key(other)


def test_letters_of_their_own_are_not_accents():
    assert name_key("Tromsø") == name_key("Tromso")  # ø is an o to a reader who types Tromso
    assert name_key("Borås Stad") != name_key("Borås Stadsdel")


def test_a_new_organisation_with_a_taken_name_is_warned_about_and_not_saved(login, host_org):
    response = login(UserFactory()).post(CREATE_URL, _data(name="BORAS  stad", country="NO"))

    assert response.status_code == 200
    assert heading(response) == "Create your organisation"
    assert field_error(response, "confirm_different") == WARNING
    assert "Yes, this is a different organisation" in text(response)
    assert Organisation.objects.count() == 1
    assert not OutboxEmail.objects.exists()


def test_a_new_name_asks_for_no_tick(login, host_org):
    response = login(UserFactory()).get(CREATE_URL)

    assert "Yes, this is a different organisation" not in text(response)


def test_with_the_tick_it_is_saved_and_the_secretariat_told_in_its_language(
    login, host_org, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    swedish = UserFactory(
        email="sekretariat@earlall.example.org", is_staff=True, preferred_language="sv"
    )
    swedish.groups.add(Group.objects.get(name="Secretariat"))
    UserFactory(email="staff-not-secretariat@example.org", is_staff=True)
    creator = UserFactory(email="creator@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = login(creator).post(
            CREATE_URL, _data(confirm_different="on", city="Göteborg"), follow=True
        )

    assert response.redirect_chain == [(reverse("desk"), 302)]
    assert "Your organisation is created; you are its admin." in text(response)
    new = Organisation.objects.exclude(pk=host_org.pk).get()
    assert new.slug == "boras-stad-2"
    emails = OutboxEmail.objects.filter(template="organisation_name_shared").order_by("recipient")
    assert [(e.recipient, e.language) for e in emails] == [
        ("secretariat@earlall.example.org", "en"),
        ("sekretariat@earlall.example.org", "sv"),
    ]
    subject, body, _html = outbox.render(emails[0])
    assert subject == "A new organisation shares its name: Borås Stad"
    assert "creator@example.org created Borås Stad (Sweden, Göteborg)" in body
    assert "- Borås Stad (Sweden, Borås)" in body
    assert f"/admin/matchmaking/organisation/{new.pk}/change/" in body
    assert sorted(message.to[0] for message in mailoutbox) == [
        "secretariat@earlall.example.org",
        "sekretariat@earlall.example.org",
    ]


def _listed_names(response):
    rows = re.findall(
        r'<th class="field-name"><a href="[^"]*">([^<]*)</a>', response.content.decode()
    )
    return sorted(rows)


def test_the_admin_flags_and_filters_organisations_that_share_a_name(login, secretariat):
    OrganisationFactory(name="Borås Stad", country="SE")
    OrganisationFactory(name="Boras stad", slug="boras-stad-no", country="NO")
    OrganisationFactory(name="Vestland fylkeskommune", country="NO")
    client = login(secretariat)

    everything = client.get(ADMIN_LIST)
    shared = client.get(ADMIN_LIST, {"shares_name": "yes"})
    unique = client.get(ADMIN_LIST, {"shares_name": "no"})

    assert "shares its name with another organisation" in text(everything)
    assert _listed_names(shared) == ["Boras stad", "Borås Stad"]
    assert _listed_names(unique) == ["Vestland fylkeskommune"]
    flags = re.findall(
        r'<td class="field-shares_name"><img src="[^"]*icon-(yes|no)', everything.content.decode()
    )
    assert sorted(flags) == ["no", "yes", "yes"]


def _slow_organisation_insert(execute, sql, params, many, context):
    if sql.startswith('INSERT INTO "matchmaking_organisation"'):
        time.sleep(0.3)  # both have picked the same free slug by now
    return execute(sql, params, many, context)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL; run .ci/run")
def test_two_people_creating_one_name_at_the_same_moment_both_succeed_and_are_flagged():
    creators = [UserFactory(), UserFactory()]
    barrier = threading.Barrier(2)
    outcomes = []

    def create(user):
        try:
            barrier.wait(timeout=30)
            with connection.execute_wrapper(_slow_organisation_insert):
                services.organisation_create(
                    acting_user=user,
                    languages=[],
                    name="Borås Stad",
                    kind=Organisation.Kind.AUTHORITY,
                    country="SE",
                    region_name="Västra Götaland",
                    city="Borås",
                    contact_email="someone@example.org",
                )
            outcomes.append("created")
        except Exception as error:  # reported by the assertion
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(user,)) for user in creators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # Neither saw the other, so neither was warned; the admin's flag shows them both.
    assert outcomes == ["created", "created"]
    assert sorted(Organisation.objects.values_list("slug", flat=True)) == [
        "boras-stad",
        "boras-stad-2",
    ]
    assert selectors.organisation_ids_sharing_a_name() == set(
        Organisation.objects.values_list("pk", flat=True)
    )
