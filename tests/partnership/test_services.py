"""The membership services: joining, the secretariat's decisions, leaving and ending."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation

from matchmaking.models import OutboxEmail
from partnership import services
from partnership.models import Commitment, MembershipApplication, MembershipHistory
from tests.factories import MembershipApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

EVERY_COMMITMENT = list(Commitment.values)


def _submit(organisation, user, **overrides):
    fields = {
        "contact_name": "Nicholas Waller",
        "contact_role": "International coordinator",
        "contact_email": "nicholas.waller@boras.example.org",
        "motivation": "We host job shadowing on inclusion and want partners for it.",
        "commitments": EVERY_COMMITMENT,
        "logo_consent": True,
    }
    return services.membership_application_submit(
        organisation=organisation, acting_user=user, **{**fields, **overrides}
    )


def _history(organisation):
    return [
        (event.kind, event.actor.email if event.actor else None, event.note)
        for event in MembershipHistory.objects.filter(organisation=organisation)
    ]


def _recipients(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


def _in_language(code, value, format_string="j F Y"):
    with translation.override(code):
        return formats.date_format(value, format_string)


# membership_application_submit


def test_an_admin_applies_and_the_application_waits_for_the_secretariat(host_org, host_admin):
    application = _submit(host_org, host_admin)

    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.PENDING
    assert application.submitted_by == host_admin
    assert sorted(application.commitments) == sorted(EVERY_COMMITMENT)
    assert application.logo_consent is True
    assert _history(host_org) == [("applied", host_admin.email, "")]
    host_org.refresh_from_db()
    assert host_org.rsp_member_since is None


def test_a_second_open_application_is_refused(host_org, host_admin):
    _submit(host_org, host_admin)

    with pytest.raises(ValidationError) as refusal:
        _submit(host_org, host_admin)

    assert refusal.value.code == "already_pending"
    assert "Borås Stad has already applied" in refusal.value.messages[0]
    assert MembershipApplication.objects.count() == 1


def test_the_database_keeps_one_open_application_per_organisation(host_org):
    MembershipApplicationFactory(organisation=host_org)

    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipApplication.objects.create(
            organisation=host_org,
            contact_name="X",
            contact_role="Y",
            contact_email="x@example.org",
            motivation="Again",
            commitments=EVERY_COMMITMENT,
        )


def test_a_closed_application_does_not_block_a_new_one(host_org, host_admin):
    MembershipApplicationFactory(
        organisation=host_org,
        status=MembershipApplication.Status.REJECTED,
        decided_at=timezone.now(),
    )

    application = _submit(host_org, host_admin)

    assert application.status == MembershipApplication.Status.PENDING


def test_a_coordinator_cannot_apply_for_the_organisation(host_org, host_coordinator):
    with pytest.raises(ValidationError) as refusal:
        _submit(host_org, host_coordinator)

    assert refusal.value.code == "not_admin"
    assert not MembershipApplication.objects.exists()


def test_a_suspended_organisation_cannot_apply(host_org, host_admin):
    host_org.is_suspended = True
    host_org.save()

    with pytest.raises(ValidationError) as refusal:
        _submit(host_org, host_admin)

    assert refusal.value.code == "suspended"
    assert not MembershipApplication.objects.exists()


def test_a_member_cannot_apply_again(member_org, host_admin):
    with pytest.raises(ValidationError) as refusal:
        _submit(member_org, host_admin)

    assert refusal.value.code == "already_member"
    assert refusal.value.messages == ["Borås Stad is already a member of the partnership."]


def test_every_commitment_must_be_agreed_to(host_org, host_admin):
    with pytest.raises(ValidationError) as refusal:
        _submit(host_org, host_admin, commitments=EVERY_COMMITMENT[:-1])

    assert list(refusal.value.message_dict) == ["commitments"]
    assert not MembershipApplication.objects.exists()
    assert not MembershipHistory.objects.exists()


# membership_application_approve / _reject


def test_the_secretariat_approves_and_the_organisation_is_a_member_from_today(
    host_org,
    host_admin,
    swedish_admin,
    host_coordinator,
    secretariat,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    application = MembershipApplicationFactory(organisation=host_org, submitted_by=host_admin)

    with django_capture_on_commit_callbacks(execute=True):
        services.membership_application_approve(
            application=application, acting_user=secretariat, note="Welcome aboard!"
        )

    application.refresh_from_db()
    host_org.refresh_from_db()
    today = timezone.localdate()
    assert application.status == MembershipApplication.Status.APPROVED
    assert (application.decided_by, application.decision_note) == (secretariat, "Welcome aboard!")
    assert host_org.rsp_member_since == today
    assert host_org.is_rsp_member
    assert _history(host_org) == [("approved", secretariat.email, "Welcome aboard!")]
    # The admins only, each in their own language.
    assert _recipients(mailoutbox) == sorted([host_admin.email, swedish_admin.email])
    by_recipient = {message.to[0]: message for message in mailoutbox}
    english, swedish = by_recipient[host_admin.email], by_recipient[swedish_admin.email]
    assert english.subject == "Borås Stad is a member of the Regional Skills Partnership"
    assert (
        "Borås Stad: it is a member of the Regional Skills Partnership for Lifelong Learning "
        f"Mobility from today, {_in_language('en', today)}." in " ".join(english.body.split())
    )
    assert "Welcome aboard!" in english.body
    assert "http://127.0.0.1:8000/partnership/members/" in english.body
    assert "You receive this because you are an admin of the organisation" in english.body
    assert _in_language("sv", today) in swedish.body
    assert '<html lang="sv">' in swedish.alternatives[0][0]
    assert set(OutboxEmail.objects.values_list("language", flat=True)) == {"en", "sv"}


def test_only_the_secretariat_can_approve(host_org, host_admin, other_staff):
    application = MembershipApplicationFactory(organisation=host_org)

    for user in (host_admin, other_staff):
        with pytest.raises(PermissionDenied):
            services.membership_application_approve(application=application, acting_user=user)

    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.PENDING
    assert not MembershipHistory.objects.exists()
    assert not OutboxEmail.objects.exists()


def test_a_superuser_can_decide_without_the_group(host_org, host_admin):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    application = MembershipApplicationFactory(organisation=host_org)

    services.membership_application_approve(application=application, acting_user=superuser)

    host_org.refresh_from_db()
    assert host_org.is_rsp_member


def test_an_application_is_decided_once(host_org, host_admin, secretariat):
    application = MembershipApplicationFactory(organisation=host_org)
    services.membership_application_approve(application=application, acting_user=secretariat)

    with pytest.raises(ValidationError) as refusal:
        services.membership_application_reject(
            application=application, acting_user=secretariat, note="Changed our mind"
        )

    assert refusal.value.code == "not_pending"
    assert refusal.value.messages == ["The application of Borås Stad is already Approved."]
    assert [kind for kind, *_rest in _history(host_org)] == ["approved"]


def test_a_suspended_organisation_is_not_approved(host_org, host_admin, secretariat):
    application = MembershipApplicationFactory(organisation=host_org)
    host_org.is_suspended = True
    host_org.save()

    with pytest.raises(ValidationError) as refusal:
        services.membership_application_approve(application=application, acting_user=secretariat)

    assert refusal.value.code == "suspended"
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.PENDING


def test_the_secretariat_rejects_with_a_note_that_the_admins_receive(
    host_org,
    host_admin,
    host_coordinator,
    secretariat,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    application = MembershipApplicationFactory(organisation=host_org)

    with django_capture_on_commit_callbacks(execute=True):
        services.membership_application_reject(
            application=application,
            acting_user=secretariat,
            note="The partnership is for public bodies and their VET partners.",
        )

    application.refresh_from_db()
    host_org.refresh_from_db()
    assert application.status == MembershipApplication.Status.REJECTED
    assert host_org.rsp_member_since is None
    assert _history(host_org) == [
        (
            "rejected",
            secretariat.email,
            "The partnership is for public bodies and their VET partners.",
        ),
    ]
    assert _recipients(mailoutbox) == [host_admin.email]
    (message,) = mailoutbox
    assert message.subject == "The application of Borås Stad to the Regional Skills Partnership"
    assert "The partnership is for public bodies and their VET partners." in message.body
    assert "http://127.0.0.1:8000/partnership/join/" in message.body


@pytest.mark.parametrize("note", ["", "   "])
def test_a_rejection_needs_a_note(host_org, secretariat, note):
    application = MembershipApplicationFactory(organisation=host_org)

    with pytest.raises(ValidationError) as refusal:
        services.membership_application_reject(
            application=application, acting_user=secretariat, note=note
        )

    assert list(refusal.value.message_dict) == ["note"]
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.PENDING


# membership_application_withdraw


def test_an_admin_withdraws_the_open_application(host_org, host_admin, host_coordinator):
    application = MembershipApplicationFactory(organisation=host_org)

    with pytest.raises(ValidationError):
        services.membership_application_withdraw(
            application=application, acting_user=host_coordinator
        )
    services.membership_application_withdraw(application=application, acting_user=host_admin)

    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.WITHDRAWN
    assert _history(host_org) == [("withdrawn", host_admin.email, "")]


# partnership_leave / partnership_end


def test_an_admin_takes_the_organisation_out_and_the_admins_are_told(
    member_org,
    host_admin,
    swedish_admin,
    host_coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    approved = MembershipApplicationFactory(
        organisation=member_org,
        status=MembershipApplication.Status.APPROVED,
        decided_at=timezone.now(),
    )

    with django_capture_on_commit_callbacks(execute=True):
        event = services.partnership_leave(organisation=member_org, acting_user=host_admin)

    member_org.refresh_from_db()
    assert member_org.rsp_member_since is None
    assert (event.kind, event.actor, event.application) == ("left", host_admin, approved)
    assert _recipients(mailoutbox) == sorted([host_admin.email, swedish_admin.email])
    english = next(m for m in mailoutbox if m.to == [host_admin.email])
    assert english.subject == "Borås Stad is no longer a member of the Regional Skills Partnership"
    assert f"{host_admin} took Borås Stad out of the Regional Skills Partnership" in english.body


def test_a_coordinator_cannot_take_the_organisation_out(member_org, host_coordinator):
    with pytest.raises(ValidationError) as refusal:
        services.partnership_leave(organisation=member_org, acting_user=host_coordinator)

    assert refusal.value.code == "not_admin"
    member_org.refresh_from_db()
    assert member_org.is_rsp_member


def test_an_organisation_that_is_not_a_member_cannot_leave(host_org, host_admin):
    with pytest.raises(ValidationError) as refusal:
        services.partnership_leave(organisation=host_org, acting_user=host_admin)

    assert refusal.value.code == "not_member"
    assert not MembershipHistory.objects.exists()


def test_the_secretariat_ends_a_membership_with_a_reason(
    member_org, host_admin, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_end(
            organisation=member_org,
            acting_user=secretariat,
            reason="No activity in the partnership for two years.",
        )

    member_org.refresh_from_db()
    assert member_org.rsp_member_since is None
    assert _history(member_org) == [
        ("ended", secretariat.email, "No activity in the partnership for two years.")
    ]
    (message,) = mailoutbox
    assert "The EARLALL secretariat ended the membership of Borås Stad" in message.body
    assert "No activity in the partnership for two years." in message.body


def test_ending_a_membership_needs_a_reason_and_the_secretariat(
    member_org, host_admin, other_staff, secretariat
):
    with pytest.raises(ValidationError) as refusal:
        services.partnership_end(organisation=member_org, acting_user=secretariat, reason=" ")
    assert list(refusal.value.message_dict) == ["reason"]

    with pytest.raises(PermissionDenied):
        services.partnership_end(organisation=member_org, acting_user=other_staff, reason="Why")

    member_org.refresh_from_db()
    assert member_org.is_rsp_member
    assert not MembershipHistory.objects.exists()
