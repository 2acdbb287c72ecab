"""The privacy notice and the help page (issue 12, point 12), and the consent to the notice
that sign-up asks for."""

import pytest
from django.urls import reverse

from matchmaking.models import User
from matchmaking.personal_data import NOTICE_VERSION
from tests.factories import PASSWORD
from tests.pages import field_error, heading, text

pytestmark = pytest.mark.django_db

ADDRESS = "ingrid@vestland.example.org"


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


def test_the_privacy_notice_says_what_is_stored_why_for_how_long_and_who_sees_it(client, settings):
    settings.PRIVACY_CONTACT_EMAIL = "privacy@earlall.example.eu"

    response = client.get(reverse("matchmaking:privacy"))

    page = text(response)
    assert heading(response) == "Privacy notice"
    for section in ("What is stored", "Why", "For how long", "Who sees it", "Your rights"):
        assert section in page
    assert "The participants of an exchange are never named" in page
    assert "any count under 5 people is shown as “fewer than 5”" in page
    assert "delete your account" in page and "download your data" in page
    assert 'href="mailto:privacy@earlall.example.eu"' in response.content.decode()
    assert f"Version {NOTICE_VERSION}." in page


def test_the_privacy_contact_is_the_senders_address_unless_set(settings):
    # The settings module's default: the address part of DEFAULT_FROM_EMAIL.
    assert "@" in settings.PRIVACY_CONTACT_EMAIL
    assert "<" not in settings.PRIVACY_CONTACT_EMAIL


def test_every_page_links_to_the_privacy_notice_and_the_help(client):
    page = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("matchmaking:privacy")}"' in page
    assert f'href="{reverse("matchmaking:help")}"' in page


def test_the_help_page_lists_the_steps_of_an_exchange_in_order(client):
    response = client.get(reverse("matchmaking:help"))

    page = text(response)
    steps = [
        "Your organisation's profile",
        "An interest profile",
        "An offer",
        "An application",
        "The decision",
        "The exchange",
        "The follow-up",
        "The case study",
    ]
    positions = [page.index(step) for step in steps]
    assert positions == sorted(positions)
    assert reverse("exchanges:profile_list") in response.content.decode()


@pytest.mark.parametrize("name", ["matchmaking:privacy", "matchmaking:help"])
def test_the_privacy_and_help_pages_take_no_post(client, name):
    assert client.post(reverse(name)).status_code == 405


def test_sign_up_asks_for_consent_with_a_link_to_the_notice(client):
    page = client.get("/accounts/signup/").content.decode()

    assert 'name="privacy_consent"' in page
    assert f'I have read the <a href="{reverse("matchmaking:privacy")}">privacy notice</a>' in page


def test_sign_up_stores_when_and_to_which_notice_the_person_agreed(
    client, django_capture_on_commit_callbacks
):
    response = _sign_up(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    user = User.objects.get(email=ADDRESS)
    assert user.privacy_consent_at is not None
    assert user.privacy_notice_version == NOTICE_VERSION


def test_sign_up_without_consent_is_refused_next_to_the_box(
    client, django_capture_on_commit_callbacks
):
    data = {"privacy_consent": ""}
    response = _sign_up(client, django_capture_on_commit_callbacks, **data)

    assert response.status_code == 200
    assert field_error(response, "privacy_consent") == (
        "Tick the box to say you have read the privacy notice: we cannot create an account "
        "without it."
    )
    assert not User.objects.filter(email=ADDRESS).exists()


def test_the_profile_page_says_when_the_person_agreed(
    login, client, django_capture_on_commit_callbacks
):
    _sign_up(client, django_capture_on_commit_callbacks)
    user = User.objects.get(email=ADDRESS)

    page = text(login(user).get(reverse("matchmaking:profile")))

    assert f"You agreed to the privacy notice (version {NOTICE_VERSION}) on" in page
    assert "Download your data (JSON)" in page
    assert "Delete your account" in page
