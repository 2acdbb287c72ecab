"""Services for interest profiles and invitations to apply, and the invariants behind them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from exchanges import services
from exchanges.models import Application, Offer, OfferInvitation
from matchmaking.models import InterestProfile
from tests.factories import (
    ApplicationFactory,
    InterestProfileFactory,
    OrganisationFactory,
    exchange_type,
    language,
    theme,
)

pytestmark = pytest.mark.django_db


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _fields(**overrides):
    return {
        "name": "Job shadowing on inclusion",
        "exchange_types": [exchange_type("job-shadowing")],
        "themes": [theme("inclusion")],
        "languages": [language("en")],
        "participants": 2,
        **overrides,
    }


def test_it_creates_a_profile_with_its_relations(applicant_org, applicant_coordinator):
    profile = services.interest_profile_create(
        organisation=applicant_org,
        acting_user=applicant_coordinator,
        **_fields(countries_wanted=["SE"], fields_of_education=[]),
    )

    assert profile.organisation == applicant_org
    assert list(profile.exchange_types.values_list("slug", flat=True)) == ["job-shadowing"]
    assert [c.code for c in profile.countries_wanted] == ["SE"]
    assert profile.alert == InterestProfile.Alert.IMMEDIATELY


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"available_from": _days(5)}, "available_until"),
        ({"available_from": _days(5), "available_until": _days(1)}, "available_until"),
        (
            {"participants": 2, "fewer_opportunity_participants": 3},
            "fewer_opportunity_participants",
        ),
        ({"participants": 0}, "participants"),
    ],
)
def test_it_refuses_an_inconsistent_profile(applicant_org, applicant_coordinator, overrides, field):
    with pytest.raises(ValidationError) as refusal:
        services.interest_profile_create(
            organisation=applicant_org, acting_user=applicant_coordinator, **_fields(**overrides)
        )

    assert field in refusal.value.error_dict
    assert not InterestProfile.objects.exists()


@pytest.mark.parametrize(
    "values",
    [
        {"available_from": _days(5), "available_until": None},
        {"available_from": _days(5), "available_until": _days(1)},
        {"participants": 1, "fewer_opportunity_participants": 2},
        {"participants": 0},
    ],
)
def test_the_database_holds_the_same_invariants(applicant_org, values):
    with pytest.raises(IntegrityError), transaction.atomic():
        InterestProfile.objects.create(organisation=applicant_org, name="Bypassing clean", **values)


def test_alerts_can_be_switched_off_and_on(applicant_org):
    profile = InterestProfileFactory(organisation=applicant_org)

    services.interest_profile_unsubscribe(profile=profile)
    profile.refresh_from_db()
    assert profile.alert == InterestProfile.Alert.OFF

    services.interest_profile_set_alert(profile=profile, alert=InterestProfile.Alert.WEEKLY)
    profile.refresh_from_db()
    assert profile.alert == InterestProfile.Alert.WEEKLY

    with pytest.raises(ValidationError):
        services.interest_profile_set_alert(profile=profile, alert="hourly")


# offer_invite


def _invite(offer, organisation, user):
    return services.offer_invite(offer=offer, organisation=organisation, acting_user=user)


def test_it_invites_an_organisation_and_tells_its_coordinators(
    offer,
    host_coordinator,
    applicant_org,
    applicant_coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(offer, applicant_org, host_coordinator)

    assert (invitation.offer, invitation.organisation, invitation.invited_by) == (
        offer,
        applicant_org,
        host_coordinator,
    )
    [email] = mailoutbox
    assert email.to == [applicant_coordinator.email]
    assert (
        "fits what Vestland fylkeskommune is looking for, and invites you to apply." in email.body
    )


def _refused(code, call, mailoutbox, capture):
    with capture(execute=True) as callbacks, pytest.raises(ValidationError) as refusal:
        call()
    assert refusal.value.code == code
    assert callbacks == [] and mailoutbox == []


def test_it_invites_an_organisation_once_per_offer(
    offer,
    host_coordinator,
    applicant_org,
    applicant_coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(offer, applicant_org, host_coordinator)
    mailoutbox.clear()

    _refused(
        "already_invited",
        lambda: _invite(offer, applicant_org, host_coordinator),
        mailoutbox,
        django_capture_on_commit_callbacks,
    )
    assert OfferInvitation.objects.count() == 1


def test_it_refuses_to_invite_the_host_itself(
    offer, host_org, host_coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    _refused(
        "own_offer",
        lambda: _invite(offer, host_org, host_coordinator),
        mailoutbox,
        django_capture_on_commit_callbacks,
    )


def test_it_refuses_to_invite_an_organisation_that_applied(
    offer, host_coordinator, applicant_org, mailoutbox, django_capture_on_commit_callbacks
):
    ApplicationFactory(offer=offer, organisation=applicant_org, status=Application.Status.DECLINED)

    _refused(
        "applied",
        lambda: _invite(offer, applicant_org, host_coordinator),
        mailoutbox,
        django_capture_on_commit_callbacks,
    )


def test_it_refuses_to_invite_to_a_closed_offer_or_a_suspended_organisation(
    offer, host_coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    suspended = OrganisationFactory(is_suspended=True, suspension_reason="Spam.")
    _refused(
        "suspended",
        lambda: _invite(offer, suspended, host_coordinator),
        mailoutbox,
        django_capture_on_commit_callbacks,
    )
    offer.status = Offer.Status.CLOSED
    offer.save()
    _refused(
        "closed",
        lambda: _invite(offer, OrganisationFactory(), host_coordinator),
        mailoutbox,
        django_capture_on_commit_callbacks,
    )


def test_the_database_allows_one_invitation_per_offer_and_organisation(offer, applicant_org):
    OfferInvitation.objects.create(offer=offer, organisation=applicant_org)

    with pytest.raises(IntegrityError), transaction.atomic():
        OfferInvitation.objects.create(offer=offer, organisation=applicant_org)
