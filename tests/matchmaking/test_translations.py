"""The Swedish and Norwegian Bokmål catalogues are compiled and used, on pages and in emails."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from matchmaking import outbox
from matchmaking.outbox import Recipient
from tests.factories import MembershipFactory, OfferFactory
from tests.pages import heading

pytestmark = pytest.mark.django_db


def _nav_links(response):
    return re.findall(r'<a class="nav-link" href="[^"]*">([^<]*)</a>', response.content.decode())


@pytest.mark.parametrize(
    ("language", "title", "nav", "count"),
    [
        (
            "sv",
            "Utbyteserbjudanden",
            ["Erbjudanden", "Organisationer", "Partnerskapet", "Evenemang", "Logga in"],
            "1 erbjudande",
        ),
        (
            "nb",
            "Utvekslingstilbud",
            ["Tilbud", "Organisasjoner", "Partnerskapet", "Arrangementer", "Logg inn"],
            "1 tilbud",
        ),
    ],
)
def test_the_catalogue_is_shown_in_the_browsers_language(client, language, title, nav, count):
    OfferFactory()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language

    response = client.get(reverse("exchanges:offer_list"))

    assert response.status_code == 200
    assert response.headers["Content-Language"] == language
    assert heading(response) == title
    assert _nav_links(response) == nav
    assert count in response.content.decode()


def test_an_email_to_a_swedish_speaker_has_a_swedish_subject(
    mailoutbox, django_capture_on_commit_callbacks
):
    membership = MembershipFactory(user__preferred_language="sv", organisation__name="Borås Stad")

    with django_capture_on_commit_callbacks(execute=True):
        outbox.queue(
            "membership_added",
            [Recipient.for_user(membership.user)],
            {
                "membership": membership,
                "organisation": membership.organisation,
                "url": settings.SITE_URL + reverse("desk"),
            },
            key=f"membership_added:{membership.pk}",
        )

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [membership.user.email]
    assert mailoutbox[0].subject == "Du företräder nu Borås Stad"
    assert "Öppna din organisationssida" in mailoutbox[0].body
