"""The promoters' services: nominated by members, decided by the secretariat, contacted."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from matchmaking.models import OutboxEmail
from partnership import services
from partnership.models import Promoter
from tests.factories import PromoterFactory, language
from tests.partnership.images import png

pytestmark = pytest.mark.django_db


def _recipients(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


def _nominate(organisation, user, **overrides):
    fields = {
        "name": "Ingrid Hillestad Bårgard",
        "role": "Advisor",
        "languages": [language("no"), language("en")],
        "bio": "Works with NAV on bringing young people back into education.",
        "contact_email": "ingrid@vestland.example.org",
    }
    return services.promoter_nominate(
        organisation=organisation, acting_user=user, **{**fields, **overrides}
    )


def test_a_members_coordinator_nominates_a_promoter(member_org, host_coordinator):
    promoter = _nominate(member_org, host_coordinator, photo=png("ingrid.png"), photo_consent=True)

    promoter.refresh_from_db()
    assert promoter.status == Promoter.Status.PENDING
    assert promoter.nominated_by == host_coordinator
    assert promoter.organisation == member_org
    assert promoter.photo.name.startswith("promoters/ingrid")
    assert sorted(promoter.languages.values_list("code", flat=True)) == ["en", "no"]


def test_a_photo_without_consent_is_refused(member_org, host_coordinator):
    with pytest.raises(ValidationError) as refusal:
        _nominate(member_org, host_coordinator, photo=png(), photo_consent=False)

    assert refusal.value.message_dict == {
        "photo": ["Add a photo only when the person agrees that it is shown."]
    }
    assert not Promoter.objects.exists()


def test_the_database_refuses_a_photo_without_consent(member_org):
    with pytest.raises(IntegrityError), transaction.atomic():
        Promoter.objects.create(
            organisation=member_org,
            name="X",
            role="Y",
            bio="Z",
            contact_email="x@example.org",
            photo="promoters/x.png",
            photo_consent=False,
        )


def test_an_organisation_outside_the_partnership_cannot_nominate(host_org, host_admin):
    with pytest.raises(ValidationError) as refusal:
        _nominate(host_org, host_admin)

    assert refusal.value.code == "not_member"


def test_only_the_organisations_people_nominate_for_it(member_org, outsider):
    with pytest.raises(ValidationError) as refusal:
        _nominate(member_org, outsider)

    assert refusal.value.code == "not_member_of_organisation"


def test_a_bio_is_at_most_a_thousand_characters(member_org, host_coordinator):
    with pytest.raises(ValidationError) as refusal:
        _nominate(member_org, host_coordinator, bio="x" * 1001)

    assert list(refusal.value.message_dict) == ["bio"]


def test_the_secretariat_approves_a_promoter_and_the_admins_are_told(
    member_org,
    host_admin,
    host_coordinator,
    secretariat,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    promoter = _nominate(member_org, host_coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        services.promoter_approve(promoter=promoter, acting_user=secretariat, note="Welcome!")

    promoter.refresh_from_db()
    assert (promoter.status, promoter.decided_by) == (Promoter.Status.APPROVED, secretariat)
    assert _recipients(mailoutbox) == [host_admin.email]
    (message,) = mailoutbox
    assert message.subject == (
        "Ingrid Hillestad Bårgard is a learning-mobility promoter of the partnership"
    )
    assert f"http://127.0.0.1:8000/partnership/promoters/#promoter-{promoter.pk}" in message.body


def test_only_the_secretariat_decides_on_promoters(member_org, host_admin, other_staff):
    promoter = PromoterFactory(organisation=member_org, status=Promoter.Status.PENDING)

    with pytest.raises(PermissionDenied):
        services.promoter_approve(promoter=promoter, acting_user=other_staff)
    with pytest.raises(PermissionDenied):
        services.promoter_reject(promoter=promoter, acting_user=host_admin, note="No")

    promoter.refresh_from_db()
    assert promoter.status == Promoter.Status.PENDING


def test_a_promoter_rejection_tells_the_admins_why(
    member_org, host_admin, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    promoter = PromoterFactory(organisation=member_org, status=Promoter.Status.PENDING)

    with django_capture_on_commit_callbacks(execute=True):
        services.promoter_reject(
            promoter=promoter, acting_user=secretariat, note="Please add a bio in English."
        )

    promoter.refresh_from_db()
    assert promoter.status == Promoter.Status.REJECTED
    (message,) = mailoutbox
    assert "Please add a bio in English." in message.body


def test_a_message_to_a_promoter_hides_their_address_and_replies_go_to_the_sender(
    mailoutbox, django_capture_on_commit_callbacks
):
    promoter = PromoterFactory(
        name="Nicholas Waller",
        contact_email="nicholas@boras.example.org",
        languages=[language("sv"), language("en")],
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.promoter_contact(
            promoter=promoter,
            sender_name="Jordi  Ferrer",
            sender_email="jordi@example.org",
            message="Could Montjuïc send two teachers in October?",
        )

    (message,) = mailoutbox
    assert message.to == ["nicholas@boras.example.org"]
    assert message.extra_headers["Reply-To"] == "Jordi Ferrer <jordi@example.org>"
    assert "Could Montjuïc send two teachers in October?" in message.body
    assert "Jordi Ferrer (jordi@example.org) wrote to you" in message.body
    # English is the first of the promoter's languages (by name) that the site speaks.
    assert OutboxEmail.objects.get().language == "en"


def test_a_promoter_who_is_not_public_cannot_be_contacted(mailoutbox):
    promoter = PromoterFactory(status=Promoter.Status.PENDING)

    with pytest.raises(ValidationError):
        services.promoter_contact(
            promoter=promoter, sender_name="A", sender_email="a@example.org", message="Hi"
        )

    assert not OutboxEmail.objects.exists()


def test_a_promoter_of_an_organisation_that_left_is_no_longer_public():
    promoter = PromoterFactory()
    organisation = promoter.organisation
    assert list(Promoter.objects.public()) == [promoter]

    organisation.rsp_member_since = None
    organisation.save()

    assert list(Promoter.objects.public()) == []
