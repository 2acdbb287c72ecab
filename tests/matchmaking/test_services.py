import io
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from matchmaking import services
from matchmaking.models import Invitation, Membership, Organisation, nuts_code_validator
from matchmaking.validators import LOGO_MAX_BYTES, validate_logo
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, language

pytestmark = pytest.mark.django_db

BORAS = {
    "name": "Borås Stad",
    "kind": Organisation.Kind.AUTHORITY,
    "country": "SE",
    "region_name": "Västra Götaland",
    "nuts_code": "SE232",
    "city": "Borås",
    "contact_email": "international@boras.example.org",
}


def _recipients(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


# organisation_create


def test_it_makes_the_creator_admin_of_the_new_organisation():
    creator = UserFactory()

    organisation = services.organisation_create(
        acting_user=creator, languages=[language("en"), language("sv")], **BORAS
    )

    assert organisation.slug == "boras-stad"
    membership = Membership.objects.get(organisation=organisation)
    assert (membership.user, membership.role) == (creator, Membership.Role.ADMIN)
    assert set(organisation.languages.values_list("code", flat=True)) == {"en", "sv"}


def test_it_gives_a_second_organisation_of_the_same_name_its_own_slug():
    first = services.organisation_create(acting_user=UserFactory(), languages=[], **BORAS)
    second = services.organisation_create(
        acting_user=UserFactory(), languages=[], name_shared_confirmed=True, **BORAS
    )

    assert (first.slug, second.slug) == ("boras-stad", "boras-stad-2")


def test_it_keeps_page_names_out_of_organisation_slugs():
    organisation = services.organisation_create(
        acting_user=UserFactory(), languages=[], **{**BORAS, "name": "New"}
    )

    assert organisation.slug != "new"


def test_it_refuses_an_organisation_with_a_malformed_nuts_code():
    with pytest.raises(ValidationError) as refusal:
        services.organisation_create(
            acting_user=UserFactory(), languages=[], **{**BORAS, "nuts_code": "se-232"}
        )

    assert "nuts_code" in refusal.value.message_dict
    assert not Organisation.objects.exists()
    assert not Membership.objects.exists()


# membership_add


def test_it_adds_a_person_with_an_account_at_once_and_tells_them(
    host_org, host_admin, mailoutbox, django_capture_on_commit_callbacks
):
    person = UserFactory(email="advisor@boras.example.org")

    with django_capture_on_commit_callbacks(execute=True):
        membership = services.membership_add(
            organisation=host_org,
            email="Advisor@BORAS.example.org",
            role=Membership.Role.COORDINATOR,
            acting_user=host_admin,
        )

    assert isinstance(membership, Membership)
    assert (membership.user, membership.role) == (person, Membership.Role.COORDINATOR)
    assert not Invitation.objects.exists()
    assert _recipients(mailoutbox) == ["advisor@boras.example.org"]


def test_it_invites_an_unknown_address_by_email(
    host_org, host_admin, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.membership_add(
            organisation=host_org,
            email="New.Person@Example.org",
            role=Membership.Role.ADMIN,
            acting_user=host_admin,
        )

    assert isinstance(invitation, Invitation)
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "new.person@example.org",
        Membership.Role.ADMIN,
        host_admin,
    )
    assert host_org.memberships.count() == 1  # only the admin who invited
    assert _recipients(mailoutbox) == ["new.person@example.org"]


def test_it_refuses_to_add_an_existing_member_twice(
    host_org, host_admin, host_coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as refusal,
    ):
        services.membership_add(
            organisation=host_org,
            email=host_coordinator.email,
            role=Membership.Role.ADMIN,
            acting_user=host_admin,
        )

    assert "already a member" in refusal.value.message_dict["email"][0]
    assert host_org.memberships.get(user=host_coordinator).role == Membership.Role.COORDINATOR
    assert mailoutbox == []


def test_it_refuses_to_invite_the_same_address_twice(
    host_org, host_admin, mailoutbox, django_capture_on_commit_callbacks
):
    services.membership_add(
        organisation=host_org, email="new@example.org", role="coordinator", acting_user=host_admin
    )

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ValidationError) as refusal:
            services.membership_add(
                organisation=host_org,
                email="NEW@example.org",
                role="admin",
                acting_user=host_admin,
            )

    assert "already been invited" in refusal.value.message_dict["email"][0]
    assert Invitation.objects.get().role == "coordinator"
    assert callbacks == []


# membership_remove


def test_it_refuses_to_remove_the_last_admin(host_org, host_admin, host_coordinator):
    membership = host_org.memberships.get(user=host_admin)

    with pytest.raises(ValidationError) as refusal:
        services.membership_remove(membership=membership, acting_user=host_admin)

    assert refusal.value.code == "last_admin"
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_it_removes_an_admin_when_another_admin_remains(host_org, host_admin):
    other_admin = MembershipFactory(organisation=host_org, role=Membership.Role.ADMIN)
    membership = host_org.memberships.get(user=host_admin)

    services.membership_remove(membership=membership, acting_user=other_admin.user)

    assert list(host_org.memberships.values_list("user", flat=True)) == [other_admin.user.pk]


def test_it_removes_a_coordinator(host_org, host_admin, host_coordinator):
    membership = host_org.memberships.get(user=host_coordinator)

    services.membership_remove(membership=membership, acting_user=host_admin)

    assert list(host_org.memberships.values_list("user", flat=True)) == [host_admin.pk]


# invitations_claim


def test_it_turns_invitations_into_memberships_when_the_address_is_claimed(host_org, host_admin):
    other_org = OrganisationFactory()
    services.membership_add(
        organisation=host_org, email="lena@example.org", role="admin", acting_user=host_admin
    )
    services.membership_add(
        organisation=other_org, email="lena@example.org", role="coordinator", acting_user=None
    )
    lena = UserFactory(email="Lena@example.org")

    memberships = services.invitations_claim(user=lena)

    assert {(m.organisation, m.role) for m in memberships} == {
        (host_org, "admin"),
        (other_org, "coordinator"),
    }
    assert set(lena.memberships.values_list("organisation", "role")) == {
        (host_org.pk, "admin"),
        (other_org.pk, "coordinator"),
    }
    assert not Invitation.objects.exists()


def test_it_claims_nothing_for_an_address_without_invitations(host_org, host_admin):
    services.membership_add(
        organisation=host_org, email="someone@example.org", role="admin", acting_user=host_admin
    )
    stranger = UserFactory(email="stranger@example.org")

    assert services.invitations_claim(user=stranger) == []
    assert not stranger.memberships.exists()
    assert Invitation.objects.count() == 1


# organisation_suspend / organisation_unsuspend


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_it_refuses_to_suspend_without_a_reason(host_org, secretariat, reason):
    with pytest.raises(ValidationError) as refusal:
        services.organisation_suspend(organisation=host_org, reason=reason, acting_user=secretariat)

    assert "reason" in refusal.value.message_dict
    host_org.refresh_from_db()
    assert not host_org.is_suspended
    assert host_org.suspended_at is None


def test_it_suspends_an_organisation_and_tells_its_admins_only(
    host_org,
    host_admin,
    host_coordinator,
    secretariat,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_suspend(
            organisation=host_org, reason="  Spam offers.  ", acting_user=secretariat
        )

    host_org.refresh_from_db()
    assert host_org.is_suspended
    assert host_org.suspension_reason == "Spam offers."
    assert host_org.suspended_at is not None
    assert host_org.suspended_by == secretariat
    assert _recipients(mailoutbox) == [host_admin.email]


def test_it_lifts_a_suspension_and_tells_the_admins(
    host_org,
    host_admin,
    host_coordinator,
    secretariat,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    services.organisation_suspend(organisation=host_org, reason="Spam.", acting_user=secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_unsuspend(organisation=host_org, acting_user=secretariat)

    host_org.refresh_from_db()
    assert (host_org.is_suspended, host_org.suspension_reason, host_org.suspended_at) == (
        False,
        "",
        None,
    )
    assert _recipients(mailoutbox) == [host_admin.email]


def test_lifting_a_suspension_that_does_not_exist_emails_nobody(
    host_org, host_admin, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_unsuspend(organisation=host_org, acting_user=secretariat)

    assert mailoutbox == []


# user_update_profile


def test_it_refuses_a_preferred_language_the_site_does_not_offer():
    user = UserFactory(preferred_language="en")

    with pytest.raises(ValidationError) as refusal:
        services.user_update_profile(
            user=user, first_name="Lena", last_name="Berg", preferred_language="fi"
        )

    assert "preferred_language" in refusal.value.message_dict
    user.refresh_from_db()
    assert user.preferred_language == "en"


def test_it_updates_a_profile():
    user = UserFactory()

    services.user_update_profile(
        user=user, first_name="Lena", last_name="Berg", preferred_language="sv"
    )

    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.preferred_language) == ("Lena", "Berg", "sv")


# validators


def _image_file(name, image_format, size=(64, 64), noise=False):
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (0, 102, 204))
    buffer = io.BytesIO()
    image.save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.mark.parametrize("name, image_format", [("logo.png", "PNG"), ("logo.jpg", "JPEG")])
def test_it_accepts_a_png_or_jpeg_logo(name, image_format):
    logo = _image_file(name, image_format)

    validate_logo(logo)

    assert logo.tell() == 0  # left readable for the storage


def test_it_refuses_a_text_file_named_like_a_png():
    with pytest.raises(ValidationError) as refusal:
        validate_logo(SimpleUploadedFile("logo.png", b"Not an image at all.\n" * 10))

    assert refusal.value.code == "logo_not_image"


def test_it_refuses_an_image_in_another_format():
    with pytest.raises(ValidationError) as refusal:
        validate_logo(_image_file("logo.png", "GIF"))

    assert refusal.value.code == "logo_format"


def test_it_refuses_a_real_png_larger_than_two_megabytes():
    logo = _image_file("logo.png", "PNG", size=(1000, 1000), noise=True)
    assert logo.size > LOGO_MAX_BYTES

    with pytest.raises(ValidationError) as refusal:
        validate_logo(logo)

    assert refusal.value.code == "logo_too_large"


@pytest.mark.parametrize("code", ["SE", "SE2", "SE232", "NO0A3", "CH011"])
def test_it_accepts_nuts_codes(code):
    nuts_code_validator(code)


@pytest.mark.parametrize("code", ["S", "se232", "SE2321", "SE-23", "1E232", " SE232", "SE\n"])
def test_it_refuses_malformed_nuts_codes(code):
    with pytest.raises(ValidationError) as refusal:
        nuts_code_validator(code)

    assert refusal.value.code == "invalid_nuts"
