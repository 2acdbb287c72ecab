"""The secretariat's decisions, made through the admin's own views as a person would."""

import pytest
from django.urls import reverse
from django.utils import timezone

from partnership.models import MembershipApplication, MembershipHistory, Promoter
from tests.factories import (
    MembershipApplicationFactory,
    OrganisationFactory,
    PromoterFactory,
    UserFactory,
)
from tests.pages import text

pytestmark = pytest.mark.django_db

APPLICATIONS_URL = reverse("admin:partnership_membershipapplication_changelist")
MEMBERS_URL = reverse("admin:partnership_partnershipmember_changelist")
PROMOTERS_URL = reverse("admin:partnership_promoter_changelist")


def _select(action, *objects):
    return {"action": action, "_selected_action": [obj.pk for obj in objects]}


def _confirm(action, *objects, **fields):
    return {**_select(action, *objects), "apply": "Confirm", **fields}


@pytest.fixture
def application(host_org, host_admin):
    return MembershipApplicationFactory(
        organisation=host_org, submitted_by=host_admin, contact_name="Karin Sjöberg"
    )


# Applications: approve


def test_the_secretariat_approves_an_application_with_a_note(
    login,
    application,
    host_org,
    host_admin,
    secretariat,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client = login(secretariat)

    form_page = client.post(APPLICATIONS_URL, _select("approve", application))

    assert form_page.status_code == 200
    assert "Approve membership applications" in text(form_page)
    assert "These organisations become members of the partnership today." in text(form_page)
    assert "Borås Stad (Pending)" in text(form_page)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            APPLICATIONS_URL,
            _confirm("approve", application, note="Welcome to the partnership!"),
            follow=True,
        )

    assert "1 application approved; the organisation is a member." in text(response)
    application.refresh_from_db()
    host_org.refresh_from_db()
    assert application.status == MembershipApplication.Status.APPROVED
    assert application.decided_by == secretariat
    assert host_org.rsp_member_since == timezone.localdate()
    event = MembershipHistory.objects.get()
    assert (event.kind, event.actor, event.note, event.application) == (
        "approved",
        secretariat,
        "Welcome to the partnership!",
        application,
    )
    (message,) = mailoutbox
    assert message.to == [host_admin.email]
    assert message.subject == "Borås Stad is a member of the Regional Skills Partnership"
    assert "Welcome to the partnership!" in message.body
    assert "from today" in message.body


def test_the_secretariat_approves_several_applications_at_once(login, secretariat):
    applications = [MembershipApplicationFactory() for _ in range(3)]

    response = login(secretariat).post(
        APPLICATIONS_URL, _confirm("approve", *applications, note=""), follow=True
    )

    assert "3 applications approved" in text(response)
    assert set(MembershipApplication.objects.values_list("status", flat=True)) == {"approved"}
    assert MembershipHistory.objects.filter(kind="approved").count() == 3


def test_the_approval_skips_what_is_already_decided(login, secretariat, application):
    application.status = MembershipApplication.Status.REJECTED
    application.decided_at = timezone.now()
    application.save()

    response = login(secretariat).post(
        APPLICATIONS_URL, _select("approve", application), follow=True
    )

    assert "None of the selected applications is pending." in text(response)
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.REJECTED


def test_a_refused_approval_says_why_and_leaves_the_others_decided(login, secretariat):
    suspended = OrganisationFactory(name="Spam Ltd", is_suspended=True)
    refused = MembershipApplicationFactory(organisation=suspended)
    accepted = MembershipApplicationFactory()

    response = login(secretariat).post(
        APPLICATIONS_URL, _confirm("approve", refused, accepted, note=""), follow=True
    )

    assert "Spam Ltd is suspended and cannot take part in the partnership." in text(response)
    assert "1 application approved" in text(response)
    refused.refresh_from_db()
    accepted.refresh_from_db()
    assert (refused.status, accepted.status) == ("pending", "approved")


# Applications: reject


def test_the_secretariat_rejects_an_application_and_the_note_is_required(
    login,
    application,
    host_org,
    host_admin,
    secretariat,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client = login(secretariat)

    without_note = client.post(APPLICATIONS_URL, _confirm("reject", application, note=""))

    assert without_note.status_code == 200
    assert "This field is required." in text(without_note)
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            APPLICATIONS_URL,
            _confirm("reject", application, note="Only regional bodies and their partners."),
        )

    application.refresh_from_db()
    host_org.refresh_from_db()
    assert application.status == MembershipApplication.Status.REJECTED
    assert host_org.rsp_member_since is None
    assert MembershipHistory.objects.get().kind == "rejected"
    (message,) = mailoutbox
    assert "Only regional bodies and their partners." in message.body


# Applications: who may decide


def test_other_staff_see_the_applications_but_are_not_offered_the_decisions(
    login, application, other_staff
):
    response = login(other_staff).get(APPLICATIONS_URL)

    assert response.status_code == 200
    assert "Borås Stad" in text(response)
    assert 'value="approve"' not in response.content.decode()
    assert 'value="reject"' not in response.content.decode()


def test_other_staff_cannot_decide_by_posting_the_action(login, application, other_staff, host_org):
    client = login(other_staff)

    client.post(APPLICATIONS_URL, _select("approve", application))
    response = client.post(APPLICATIONS_URL, _confirm("approve", application, note="Sneaky"))

    assert response.status_code in (200, 302)
    application.refresh_from_db()
    host_org.refresh_from_db()
    assert application.status == MembershipApplication.Status.PENDING
    assert host_org.rsp_member_since is None
    assert not MembershipHistory.objects.exists()


def test_staff_without_permissions_do_not_see_the_applications(login, application):
    staff = UserFactory(is_staff=True)

    assert login(staff).get(APPLICATIONS_URL).status_code == 403


def test_the_secretariat_is_offered_the_decisions(login, application, secretariat):
    response = login(secretariat).get(APPLICATIONS_URL)

    assert 'value="approve"' in response.content.decode()
    assert 'value="reject"' in response.content.decode()
    assert 'value="delete_selected"' not in response.content.decode()


# Applications: the list and one application


def test_the_list_filters_by_status_and_country_and_searches_contacts(login, secretariat):
    MembershipApplicationFactory(
        organisation=OrganisationFactory(name="Borås Stad", country="SE"),
        contact_name="Karin Sjöberg",
    )
    MembershipApplicationFactory(
        organisation=OrganisationFactory(name="Vestland fylkeskommune", country="NO"),
        contact_name="Ingrid Hillestad Bårgard",
        status="rejected",
        decided_at=timezone.now(),
    )
    client = login(secretariat)

    def organisations(query):
        page = text(client.get(APPLICATIONS_URL + query))
        return [name for name in ("Borås Stad", "Vestland fylkeskommune") if f"{name} " in page]

    assert organisations("?status__exact=pending") == ["Borås Stad"]
    assert organisations("?country=NO") == ["Vestland fylkeskommune"]
    assert organisations("?q=Hillestad") == ["Vestland fylkeskommune"]
    assert organisations("?organisation__kind__exact=vet") == [
        "Borås Stad",
        "Vestland fylkeskommune",
    ]


def test_one_application_shows_its_commitments_and_history(
    login, application, secretariat, host_admin
):
    MembershipHistory.objects.create(
        organisation=application.organisation,
        application=application,
        kind="applied",
        actor=host_admin,
    )

    response = login(secretariat).get(
        reverse("admin:partnership_membershipapplication_change", args=[application.pk])
    )

    assert response.status_code == 200
    page = text(response)
    assert "Karin Sjöberg" in page
    assert "Open our exchanges to people with fewer opportunities and support them." in page
    assert f"Applied {host_admin}" in page


# Members: ending a membership


def test_the_secretariat_ends_a_membership_with_a_reason(
    login, member_org, host_admin, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    client = login(secretariat)
    OrganisationFactory(name="Not a member")

    listing = client.get(MEMBERS_URL)
    form_page = client.post(MEMBERS_URL, _select("end_membership", member_org))
    missing_reason = client.post(MEMBERS_URL, _confirm("end_membership", member_org, reason=""))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            MEMBERS_URL, _confirm("end_membership", member_org, reason="Asked us to, by letter.")
        )

    assert "Borås Stad" in text(listing) and "Not a member" not in text(listing)
    assert "End memberships" in text(form_page)
    assert "This field is required." in text(missing_reason)
    member_org.refresh_from_db()
    assert member_org.rsp_member_since is None
    event = MembershipHistory.objects.get()
    assert (event.kind, event.actor, event.note) == (
        "ended",
        secretariat,
        "Asked us to, by letter.",
    )
    (message,) = mailoutbox
    assert "Asked us to, by letter." in message.body


def test_other_staff_cannot_end_a_membership(login, member_org, other_staff):
    client = login(other_staff)

    listing = client.get(MEMBERS_URL)
    client.post(MEMBERS_URL, _confirm("end_membership", member_org, reason="Because"))

    assert 'value="end_membership"' not in listing.content.decode()
    member_org.refresh_from_db()
    assert member_org.is_rsp_member


# Promoters


def test_the_secretariat_approves_a_promoter(
    login, member_org, host_admin, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    promoter = PromoterFactory(
        organisation=member_org, name="Nicholas Waller", status=Promoter.Status.PENDING
    )
    client = login(secretariat)

    form_page = client.post(PROMOTERS_URL, _select("approve", promoter))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PROMOTERS_URL, _confirm("approve", promoter, note=""), follow=True)

    assert "Approve promoters" in text(form_page)
    assert "1 promoter approved." in text(response)
    promoter.refresh_from_db()
    assert (promoter.status, promoter.decided_by) == ("approved", secretariat)
    (message,) = mailoutbox
    assert message.to == [host_admin.email]
    assert "Nicholas Waller" in message.subject


def test_the_secretariat_rejects_a_promoter_with_a_note(login, member_org, secretariat):
    promoter = PromoterFactory(organisation=member_org, status=Promoter.Status.PENDING)

    login(secretariat).post(PROMOTERS_URL, _confirm("reject", promoter, note="The bio is missing."))

    promoter.refresh_from_db()
    assert (promoter.status, promoter.decision_note) == ("rejected", "The bio is missing.")


def test_other_staff_cannot_approve_promoters(login, member_org, other_staff):
    promoter = PromoterFactory(organisation=member_org, status=Promoter.Status.PENDING)
    client = login(other_staff)

    listing = client.get(PROMOTERS_URL)
    client.post(PROMOTERS_URL, _confirm("approve", promoter, note=""))

    assert 'value="approve"' not in listing.content.decode()
    promoter.refresh_from_db()
    assert promoter.status == Promoter.Status.PENDING


def test_a_members_page_in_the_admin_shows_its_history(login, member_org, host_admin, secretariat):
    MembershipHistory.objects.create(
        organisation=member_org, kind="approved", actor=secretariat, note="Welcome!"
    )

    response = login(secretariat).get(
        reverse("admin:partnership_partnershipmember_change", args=[member_org.pk])
    )

    assert response.status_code == 200
    assert f"Approved {secretariat} Welcome!" in text(response)
