"""Signing up, confirming and the account emails as a new coordinator meets them (issue 12,
point 2): the site's name in every email, the person's name asked at sign-up and shown
instead of the address, and a confirmation that signs them in or says what to do next."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from matchmaking.models import User
from tests.factories import PASSWORD, UserFactory
from tests.pages import field_error, text

pytestmark = pytest.mark.django_db

CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)")
ADDRESS = "ingrid@vestland.example.org"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://matchmaking.example.eu"
    settings.SITE_NAME = "Mobility Matchmaking"


def _sign_up(client, capture, **fields):
    data = {
        "first_name": "Ingrid",
        "last_name": "Bårgard",
        "email": ADDRESS,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "privacy_consent": "on",
        **fields,
    }
    with capture(execute=True):
        return client.post("/accounts/signup/", data)


def test_the_verification_email_names_the_site_and_its_address(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    _sign_up(client, django_capture_on_commit_callbacks)

    [message] = mailoutbox
    assert message.subject.startswith("[Mobility Matchmaking] ")
    assert "Hello from Mobility Matchmaking!" in message.body
    assert "register an account on matchmaking.example.eu." in message.body
    # The person is greeted by name, not by the address they typed.
    assert "user Ingrid Bårgard has given your email address" in message.body


def test_the_password_reset_email_names_the_site(mailoutbox, django_capture_on_commit_callbacks):
    UserFactory(email=ADDRESS)
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/accounts/password/reset/", {"email": ADDRESS})

    [message] = mailoutbox
    assert "Hello from Mobility Matchmaking!" in message.body
    assert "Thank you for using Mobility Matchmaking!\nmatchmaking.example.eu" in message.body


def test_a_reset_for_an_unknown_address_names_the_site_and_the_address(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/accounts/password/reset/", {"email": "nobody@example.org"})

    [message] = mailoutbox
    assert "Hello from Mobility Matchmaking!" in message.body
    assert "an account with email nobody@example.org." in message.body
    assert "Hello from !" not in message.body


def test_sign_up_asks_for_the_persons_name(client, django_capture_on_commit_callbacks):
    page = client.get("/accounts/signup/").content.decode()
    assert 'name="first_name"' in page and 'name="last_name"' in page

    _sign_up(client, django_capture_on_commit_callbacks)

    user = User.objects.get(email=ADDRESS)
    assert (user.first_name, user.last_name) == ("Ingrid", "Bårgard")
    assert user.display_name == "Ingrid Bårgard"


def test_sign_up_without_a_name_is_refused_next_to_the_field(
    client, django_capture_on_commit_callbacks
):
    response = _sign_up(client, django_capture_on_commit_callbacks, first_name="", last_name=" ")

    assert response.status_code == 200
    assert field_error(response, "first_name") == "This field is required."
    assert field_error(response, "last_name") == "This field is required."
    assert not User.objects.filter(email=ADDRESS).exists()


def test_confirming_the_address_signs_the_person_in(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    _sign_up(client, django_capture_on_commit_callbacks)
    link = CONFIRM_LINK.search(mailoutbox[0].body).group(1)

    response = client.post(link, follow=True)

    assert EmailAddress.objects.get(email=ADDRESS).verified
    assert response.wsgi_request.user.is_authenticated
    assert f"You have confirmed {ADDRESS}." in text(response)
    # The header names the person, not the address.
    assert "Ingrid Bårgard" in text(response)


def test_confirming_in_another_browser_says_to_sign_in(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    _sign_up(client, django_capture_on_commit_callbacks)
    link = CONFIRM_LINK.search(mailoutbox[0].body).group(1)

    response = Client().post(link, follow=True)

    assert EmailAddress.objects.get(email=ADDRESS).verified
    assert not response.wsgi_request.user.is_authenticated
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert f"You have confirmed {ADDRESS}." in text(response)


def test_a_person_without_a_name_is_shown_by_address():
    assert UserFactory(first_name="", last_name="", email="x@example.org").display_name == (
        "x@example.org"
    )
