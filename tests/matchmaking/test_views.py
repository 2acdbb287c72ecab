import io
import os

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from matchmaking.models import Invitation, Membership, Organisation
from tests.factories import MembershipFactory, UserFactory, language
from tests.pages import field_error, heading, login_url, text

pytestmark = pytest.mark.django_db

CREATE_URL = reverse("matchmaking:organisation_create")


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    # Uploaded logos land in a throwaway folder, never in the project's media/.
    settings.MEDIA_ROOT = tmp_path


def _png(size=(40, 20)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def _png_over_2_mb():
    # Noise does not compress, so 1000 × 1000 RGB pixels give a PNG of about 3 MB.
    buffer = io.BytesIO()
    Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000)).save(buffer, format="PNG")
    assert buffer.tell() > 2 * 1024 * 1024
    return SimpleUploadedFile("big.png", buffer.getvalue(), content_type="image/png")


def _organisation_data(**overrides):
    return {
        "name": "Lappia Vocational College",
        "kind": Organisation.Kind.VET,
        "country": "FI",
        "region_name": "Lapland",
        "nuts_code": "FI1D7",
        "city": "Tornio",
        "website": "https://lappia.example.org",
        "contact_email": "info@lappia.example.org",
        "languages": [language("fi").pk, language("en").pk],
        "description": "VET for the north of Finland.",
        **overrides,
    }


def _edit_url(organisation):
    return reverse("matchmaking:organisation_edit", args=[organisation.slug])


def _people_url(organisation):
    return reverse("matchmaking:organisation_people", args=[organisation.slug])


def _remove_url(membership):
    return reverse(
        "matchmaking:membership_remove", args=[membership.organisation.slug, membership.pk]
    )


def _membership(user, organisation):
    return Membership.objects.get(user=user, organisation=organisation)


# organisation_create


def test_it_sends_an_anonymous_visitor_to_the_login_page_before_creating_an_organisation(
    client,
):
    response = client.get(CREATE_URL)

    assert response.status_code == 302
    assert response.url == login_url(CREATE_URL)


def test_it_shows_an_empty_organisation_form(login):
    response = login(UserFactory()).get(CREATE_URL)

    assert response.status_code == 200
    assert heading(response) == "Create your organisation"
    assert 'name="nuts_code"' in response.content.decode()


def test_it_creates_the_organisation_and_makes_its_creator_admin(login):
    user = UserFactory()

    response = login(user).post(CREATE_URL, _organisation_data(logo=_png()), follow=True)

    organisation = Organisation.objects.get(name="Lappia Vocational College")
    assert response.redirect_chain == [(reverse("desk"), 302)]
    assert heading(response) == "Lappia Vocational College"
    assert "Your organisation is created; you are its admin." in text(response)
    assert (organisation.slug, organisation.nuts_code, organisation.country.code) == (
        "lappia-vocational-college",
        "FI1D7",
        "FI",
    )
    assert set(organisation.languages.values_list("code", flat=True)) == {"fi", "en"}
    assert _membership(user, organisation).role == Membership.Role.ADMIN
    assert organisation.logo.name.startswith("logos/")


def test_it_upper_cases_a_nuts_code_typed_in_lower_case(login):
    login(UserFactory()).post(CREATE_URL, _organisation_data(nuts_code=" fi1d7 "))

    assert Organisation.objects.get(name="Lappia Vocational College").nuts_code == "FI1D7"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"nuts_code": "SE 23x"},
            "nuts_code",
            "Ensure this value has at most 5 characters (it has 6).",
        ),
        (
            {"nuts_code": "5E23"},
            "nuts_code",
            "A NUTS code is two capital letters followed by up to three letters or digits, "
            "e.g. SE232.",
        ),
        ({"contact_email": "info at lappia"}, "contact_email", "Enter a valid email address."),
        ({"name": ""}, "name", "This field is required."),
        (
            {"kind": "castle"},
            "kind",
            "Select a valid choice. castle is not one of the available choices.",
        ),
    ],
)
def test_it_shows_bad_organisation_input_next_to_its_field_and_creates_nothing(
    login, overrides, field, message
):
    response = login(UserFactory()).post(CREATE_URL, _organisation_data(**overrides))

    assert response.status_code == 200
    assert field_error(response, field) == message
    assert not Organisation.objects.exists()


def test_it_refuses_a_text_file_uploaded_as_a_logo(login):
    not_an_image = SimpleUploadedFile("logo.png", b"Hello, I am text.", content_type="image/png")

    response = login(UserFactory()).post(CREATE_URL, _organisation_data(logo=not_an_image))

    assert response.status_code == 200
    assert field_error(response, "logo") == (
        "The logo is not an image we can read; upload a PNG or JPEG file."
    )
    assert not Organisation.objects.exists()


def test_it_refuses_a_logo_larger_than_2_mb(login):
    response = login(UserFactory()).post(CREATE_URL, _organisation_data(logo=_png_over_2_mb()))

    assert response.status_code == 200
    assert field_error(response, "logo") == "The logo is larger than 2 MB."
    assert not Organisation.objects.exists()


def test_it_refuses_to_create_an_organisation_with_put(login):
    response = login(UserFactory()).put(CREATE_URL)

    assert response.status_code == 405
    assert not Organisation.objects.exists()


# organisation_edit


def test_it_lets_an_admin_edit_the_organisation(login, host_org, host_admin):
    data = _organisation_data(
        name="Borås Stad – Arbetslivsförvaltningen", country="SE", nuts_code="SE232"
    )

    response = login(host_admin).post(_edit_url(host_org), data, follow=True)

    host_org.refresh_from_db()
    assert response.redirect_chain == [(host_org.get_absolute_url(), 302)]
    assert heading(response) == "Borås Stad – Arbetslivsförvaltningen"
    assert "The organisation's profile is saved." in text(response)
    assert host_org.city == "Tornio"
    assert host_org.slug == "boras-stad"  # links to the profile keep working


def test_it_shows_the_admin_the_current_profile_to_edit(login, host_org, host_admin):
    response = login(host_admin).get(_edit_url(host_org))

    assert heading(response) == "Edit Borås Stad"
    assert 'value="Borås Stad"' in response.content.decode()


def test_it_forbids_a_coordinator_to_edit_the_organisation(login, host_org, host_coordinator):
    response = login(host_coordinator).post(_edit_url(host_org), _organisation_data())

    assert response.status_code == 403
    host_org.refresh_from_db()
    assert host_org.name == "Borås Stad"


def test_it_hides_the_edit_page_from_an_outsider(login, host_org, outsider):
    response = login(outsider).post(_edit_url(host_org), _organisation_data())

    assert response.status_code == 404
    host_org.refresh_from_db()
    assert host_org.name == "Borås Stad"


def test_it_sends_an_anonymous_visitor_to_the_login_page_before_editing(client, host_org):
    response = client.get(_edit_url(host_org))

    assert response.url == login_url(_edit_url(host_org))


def test_it_shows_bad_input_on_the_edit_page_and_keeps_the_profile(login, host_org, host_admin):
    response = login(host_admin).post(
        _edit_url(host_org), _organisation_data(website="not a website")
    )

    assert response.status_code == 200
    assert field_error(response, "website") == "Enter a valid URL."
    host_org.refresh_from_db()
    assert (host_org.name, host_org.website) == ("Borås Stad", "")


# organisation_people


def test_it_lists_the_members_and_pending_invitations(
    login, host_org, host_admin, host_coordinator
):
    Invitation.objects.create(
        organisation=host_org, email="newcomer@boras.example.org", role="admin"
    )

    response = login(host_admin).get(_people_url(host_org))

    page = text(response)
    assert heading(response) == "People of Borås Stad"
    assert "coordinator@boras.example.org" in page
    assert "newcomer@boras.example.org — Admin" in page


def test_it_adds_a_person_who_has_an_account_at_once(
    login, host_org, host_admin, django_capture_on_commit_callbacks, mailoutbox
):
    person = UserFactory(email="mentor@boras.example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = login(host_admin).post(
            _people_url(host_org),
            {"email": "Mentor@boras.example.org", "role": "coordinator"},
            follow=True,
        )

    assert _membership(person, host_org).role == Membership.Role.COORDINATOR
    assert "Mentor@boras.example.org is added." in text(response)
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["mentor@boras.example.org"], "You now act for Borås Stad")
    ]
    assert not Invitation.objects.exists()


def test_it_invites_an_unknown_email_address(
    login, host_org, host_admin, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(host_admin).post(
            _people_url(host_org), {"email": "new@boras.example.org", "role": "admin"}, follow=True
        )

    invitation = Invitation.objects.get(organisation=host_org)
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "new@boras.example.org",
        "admin",
        host_admin,
    )
    assert "new@boras.example.org has no account yet; we sent an invitation." in text(response)
    assert "new@boras.example.org — Admin" in text(response)
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["new@boras.example.org"], f"{host_admin.display_name} invites you to act for Borås Stad")
    ]
    assert "Sign up with this email address" in mailoutbox[0].body


def test_it_refuses_to_add_an_existing_member_again(login, host_org, host_admin, host_coordinator):
    response = login(host_admin).post(
        _people_url(host_org), {"email": "coordinator@boras.example.org", "role": "admin"}
    )

    assert response.status_code == 400
    assert field_error(response, "email") == "coordinator@boras.example.org is already a member."
    assert _membership(host_coordinator, host_org).role == Membership.Role.COORDINATOR


def test_it_refuses_to_invite_the_same_address_twice(login, host_org, host_admin, mailoutbox):
    Invitation.objects.create(organisation=host_org, email="new@boras.example.org", role="admin")

    response = login(host_admin).post(
        _people_url(host_org), {"email": "new@boras.example.org", "role": "coordinator"}
    )

    assert response.status_code == 400
    assert field_error(response, "email") == "new@boras.example.org has already been invited."
    assert Invitation.objects.get().role == "admin"
    assert mailoutbox == []


def test_it_shows_a_malformed_email_address_next_to_the_field(login, host_org, host_admin):
    response = login(host_admin).post(
        _people_url(host_org), {"email": "mentor at boras", "role": "coordinator"}
    )

    assert response.status_code == 400
    assert field_error(response, "email") == "Enter a valid email address."
    assert not Invitation.objects.exists()


def test_it_forbids_a_coordinator_to_add_people(login, host_org, host_coordinator):
    response = login(host_coordinator).post(
        _people_url(host_org), {"email": "new@boras.example.org", "role": "admin"}
    )

    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_it_hides_the_people_page_from_an_outsider(login, host_org, host_admin, outsider):
    response = login(outsider).post(
        _people_url(host_org), {"email": "outsider@barcelona.example.org", "role": "admin"}
    )

    assert response.status_code == 404
    assert not Membership.objects.filter(user=outsider, organisation=host_org).exists()


def test_it_sends_an_anonymous_visitor_to_the_login_page_before_the_people_page(client, host_org):
    assert client.get(_people_url(host_org)).url == login_url(_people_url(host_org))


# membership_remove


def test_it_removes_another_member(login, host_org, host_admin, host_coordinator):
    membership = _membership(host_coordinator, host_org)

    response = login(host_admin).post(_remove_url(membership), follow=True)

    assert response.redirect_chain == [(_people_url(host_org), 302)]
    assert "coordinator@boras.example.org is removed." in text(response)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_it_keeps_the_last_admin_of_an_organisation(login, host_org, host_admin):
    membership = _membership(host_admin, host_org)

    response = login(host_admin).post(_remove_url(membership), follow=True)

    assert "An organisation needs at least one admin; make someone else admin first." in text(
        response
    )
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_it_lets_an_admin_leave_when_another_admin_remains(login, host_org, host_admin):
    MembershipFactory(organisation=host_org, role=Membership.Role.ADMIN)
    membership = _membership(host_admin, host_org)

    response = login(host_admin).post(_remove_url(membership), follow=True)

    assert response.redirect_chain == [(reverse("desk"), 302)]
    assert "admin@boras.example.org is removed." in text(response)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_it_refuses_to_remove_a_member_with_get(login, host_org, host_admin, host_coordinator):
    membership = _membership(host_coordinator, host_org)

    response = login(host_admin).get(_remove_url(membership))

    assert response.status_code == 405
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_it_forbids_a_coordinator_to_remove_a_member(login, host_org, host_admin, host_coordinator):
    membership = _membership(host_admin, host_org)

    response = login(host_coordinator).post(_remove_url(membership))

    assert response.status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_it_does_not_remove_a_member_of_another_organisation_through_ones_own(
    login, host_org, host_admin, applicant_org, applicant_coordinator
):
    foreign = _membership(applicant_coordinator, applicant_org)
    url = reverse("matchmaking:membership_remove", args=[host_org.slug, foreign.pk])

    response = login(host_admin).post(url)

    assert response.status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


# invitation_cancel


def _cancel_url(invitation):
    return reverse(
        "matchmaking:invitation_cancel", args=[invitation.organisation.slug, invitation.pk]
    )


@pytest.fixture
def invitation(host_org, host_admin):
    return Invitation.objects.create(
        organisation=host_org,
        email="new@boras.example.org",
        role="coordinator",
        invited_by=host_admin,
    )


def test_it_cancels_an_invitation(login, host_admin, invitation):
    response = login(host_admin).post(_cancel_url(invitation), follow=True)

    assert "The invitation to new@boras.example.org is cancelled." in text(response)
    assert "Invited, no account yet" not in text(response)
    assert not Invitation.objects.exists()


def test_it_refuses_to_cancel_an_invitation_with_get(login, host_admin, invitation):
    assert login(host_admin).get(_cancel_url(invitation)).status_code == 405
    assert Invitation.objects.exists()


def test_it_forbids_a_coordinator_to_cancel_an_invitation(login, host_coordinator, invitation):
    assert login(host_coordinator).post(_cancel_url(invitation)).status_code == 403
    assert Invitation.objects.exists()


def test_it_hides_an_invitation_from_an_outsider(login, outsider, invitation):
    assert login(outsider).post(_cancel_url(invitation)).status_code == 404
    assert Invitation.objects.exists()


# organisation_switch

SWITCH_URL = reverse("matchmaking:organisation_switch")


@pytest.fixture
def member_of_two(host_org, applicant_org):
    user = UserFactory(email="both@example.org")
    MembershipFactory(user=user, organisation=host_org)
    MembershipFactory(user=user, organisation=applicant_org)
    return user


def test_the_desk_starts_with_the_first_organisation_by_name(login, member_of_two):
    assert heading(login(member_of_two).get(reverse("desk"))) == "Borås Stad"


def test_it_switches_the_organisation_the_user_acts_for(login, member_of_two, applicant_org):
    client = login(member_of_two)

    response = client.post(SWITCH_URL, {"organisation": applicant_org.pk}, follow=True)

    assert response.redirect_chain == [(reverse("desk"), 302)]
    assert heading(response) == "Vestland fylkeskommune"
    assert "You now act for Vestland fylkeskommune." in text(response)
    assert heading(client.get(reverse("desk"))) == "Vestland fylkeskommune"


def test_it_refuses_to_switch_to_an_organisation_the_user_does_not_belong_to(
    login, member_of_two, outsider
):
    barcelona = Organisation.objects.get(name="Barcelona Activa")

    response = login(member_of_two).post(SWITCH_URL, {"organisation": barcelona.pk}, follow=True)

    assert "Choose one of your organisations." in text(response)
    assert heading(response) == "Borås Stad"


def test_it_returns_to_the_page_the_user_switched_from(login, member_of_two, applicant_org):
    response = login(member_of_two).post(
        SWITCH_URL, {"organisation": applicant_org.pk, "next": "/offers/"}
    )

    assert response.url == "/offers/"


def test_it_never_redirects_to_another_site_after_switching(login, member_of_two, applicant_org):
    response = login(member_of_two).post(
        SWITCH_URL, {"organisation": applicant_org.pk, "next": "https://evil.example.com/"}
    )

    assert response.url == reverse("desk")


def test_it_refuses_to_switch_with_get(login, member_of_two):
    assert login(member_of_two).get(SWITCH_URL).status_code == 405


# profile

PROFILE_URL = reverse("matchmaking:profile")


def test_it_shows_the_users_profile(login):
    user = UserFactory(first_name="Ingrid", preferred_language="nb")

    response = login(user).get(PROFILE_URL)

    assert heading(response) == "Profilen din"  # shown in the user's preferred language
    assert 'value="Ingrid"' in response.content.decode()
    assert '<option value="nb" selected>' in response.content.decode()


def test_it_saves_the_preferred_language_and_shows_pages_in_it(login):
    user = UserFactory(preferred_language="en")
    client = login(user)

    response = client.post(
        PROFILE_URL,
        {"first_name": "Ingrid", "last_name": "Berg", "preferred_language": "sv"},
        follow=True,
    )

    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.preferred_language) == ("Ingrid", "Berg", "sv")
    assert client.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "sv"
    assert '<html lang="sv">' in response.content.decode()


def test_it_refuses_a_language_the_site_does_not_offer(login):
    user = UserFactory(preferred_language="en")

    response = login(user).post(
        PROFILE_URL, {"first_name": "Ingrid", "last_name": "Berg", "preferred_language": "xx"}
    )

    assert response.status_code == 200
    assert field_error(response, "preferred_language") == (
        "Select a valid choice. xx is not one of the available choices."
    )
    user.refresh_from_db()
    assert user.preferred_language == "en"


def test_it_sends_an_anonymous_visitor_to_the_login_page_before_the_profile(client):
    assert client.get(PROFILE_URL).url == login_url(PROFILE_URL)


def test_it_refuses_a_nuts_code_outside_nuts_2024_next_to_the_field(login):
    response = login(UserFactory()).post(CREATE_URL, _organisation_data(nuts_code="FI197"))

    assert "FI197 is not a NUTS 2024 region of Finland" in response.content.decode()
    assert not Organisation.objects.filter(name="Lappia Vocational College").exists()


def test_it_refuses_a_nuts_code_of_another_country(login):
    response = login(UserFactory()).post(CREATE_URL, _organisation_data(nuts_code="SE232"))

    assert "SE232 is not a NUTS 2024 region of Finland" in response.content.decode()


def test_the_nuts_code_suggests_the_regions_of_nuts_2024(login):
    page = login(UserFactory()).get(CREATE_URL).content.decode()

    assert 'list="nuts-regions"' in page
    assert '<option value="FI1D7" data-country="FI">Lappi</option>' in page
