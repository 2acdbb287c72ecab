"""A person deletes their account (issue 12, point 12): after a warning and their password,
the account is emptied of their name and address and they are signed out; what they did
stays as a "former user"'s and their organisation loses nothing; the last admin of an
organisation is refused until someone else is admin; the address may sign up again."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from exchanges import services as exchange_services
from exchanges.models import Offer
from matchmaking import services
from matchmaking.models import Membership, OrganisationHistory, OutboxEmail, User
from tests.factories import PASSWORD, MembershipFactory, OfferFactory
from tests.pages import field_error, login_url, text

pytestmark = pytest.mark.django_db

URL = reverse("matchmaking:account_delete")


@pytest.fixture
def closed_offer(host_org, host_coordinator):
    offer = OfferFactory(organisation=host_org, created_by=host_coordinator, title="Job shadowing")
    exchange_services.offer_close(offer=offer, acting_user=host_coordinator)
    return offer


def test_the_page_warns_what_deletion_does(login, host_coordinator):
    page = text(login(host_coordinator).get(URL))

    assert "This cannot be undone." in page
    assert "it reads “former user”" in page
    assert "Borås Stad (Coordinator)" in page  # the organisation they will leave
    assert "Download your data (JSON)" in page


def test_deleting_signs_the_person_out_and_forgets_their_name_and_address(
    login, host_coordinator, host_admin
):
    client = login(host_coordinator)

    response = client.post(URL, {"password": PASSWORD}, follow=True)

    assert "Your account is deleted." in text(response)
    assert not response.wsgi_request.user.is_authenticated
    user = User.objects.get(pk=host_coordinator.pk)
    assert user.display_name == "former user"
    assert (user.first_name, user.last_name, user.is_active) == ("", "", False)
    assert user.email == f"former-user-{user.pk}@deleted.invalid"
    assert not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    # The session is gone: the next page asks to sign in.
    assert client.get(reverse("desk"))["Location"] == login_url(reverse("desk"))


def test_the_history_shows_a_former_user_and_the_organisations_offers_remain(
    login, host_coordinator, host_admin, closed_offer
):
    login(host_coordinator).post(URL, {"password": PASSWORD})

    assert Offer.objects.filter(pk=closed_offer.pk, organisation__name="Borås Stad").exists()
    page = text(login(host_admin).get(closed_offer.get_absolute_url()))
    history = page.split("History", 1)[1]
    assert "Closed" in history and "former user" in history
    assert "coordinator@boras.example.org" not in page


def test_the_organisation_keeps_a_trace_of_the_membership(host_coordinator, host_admin, host_org):
    services.account_delete(user=host_coordinator)

    assert not Membership.objects.filter(user=host_coordinator).exists()
    entry = OrganisationHistory.objects.get(organisation=host_org)
    assert entry.kind == OrganisationHistory.Kind.MEMBER_LEFT
    assert (str(entry.actor), entry.note) == ("former user", "Coordinator")


def test_emails_not_yet_sent_to_the_person_are_dropped_and_sent_ones_forget_the_address(
    host_coordinator, host_admin
):
    OutboxEmail.objects.create(
        recipient=host_coordinator.email, template="x", idempotency_key="pending"
    )
    sent = OutboxEmail.objects.create(
        recipient=host_coordinator.email,
        recipient_name="Anna",
        template="x",
        idempotency_key="sent",
        status=OutboxEmail.Status.SENT,
    )

    user = services.account_delete(user=host_coordinator)

    assert list(OutboxEmail.objects.values_list("pk", flat=True)) == [sent.pk]
    sent.refresh_from_db()
    assert (sent.recipient, sent.recipient_name) == (user.email, "")


def test_a_wrong_password_is_refused_next_to_the_field(login, host_coordinator, host_admin):
    response = login(host_coordinator).post(URL, {"password": "not-my-password"})

    assert response.status_code == 200
    assert field_error(response, "password") == (
        "This is not your password; your account is not deleted."
    )
    assert User.objects.get(pk=host_coordinator.pk).is_active


def test_an_empty_password_is_refused_next_to_the_field(login, host_coordinator):
    response = login(host_coordinator).post(URL, {"password": ""})

    assert field_error(response, "password") == "This field is required."


def test_the_last_admin_of_an_organisation_is_refused(login, host_admin, host_coordinator):
    client = login(host_admin)

    page = text(client.get(URL))
    assert "You are the only admin of these organisations." in page
    response = client.post(URL, {"password": PASSWORD})

    assert response.status_code == 200
    assert "You are the only admin of Borås Stad. Make someone else admin there first" in text(
        response
    )
    assert User.objects.get(pk=host_admin.pk).is_active
    assert Membership.objects.filter(user=host_admin).exists()


def test_an_admin_may_delete_once_someone_else_is_admin(login, host_admin, host_org):
    MembershipFactory(organisation=host_org, role=Membership.Role.ADMIN)

    response = login(host_admin).post(URL, {"password": PASSWORD})

    assert response.status_code == 302
    assert User.objects.get(pk=host_admin.pk).is_former


def test_the_address_can_sign_up_again(
    client, host_coordinator, host_admin, django_capture_on_commit_callbacks
):
    services.account_delete(user=host_coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {
                "first_name": "Anna",
                "last_name": "Berg",
                "email": "coordinator@boras.example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "privacy_consent": "on",
            },
        )

    assert response.status_code == 302
    again = User.objects.get(email="coordinator@boras.example.org")
    assert again.pk != host_coordinator.pk
    assert not again.is_former


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for method in (client.get, client.post):
        response = method(URL)
        assert response["Location"] == login_url(URL)


def test_the_page_takes_only_get_and_post(login, host_coordinator):
    assert login(host_coordinator).put(URL).status_code == 405
