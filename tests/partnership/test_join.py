"""Joining, withdrawing and leaving, per persona."""

import pytest
from django.urls import reverse
from django.utils import timezone

from matchmaking.models import Membership
from partnership.models import Commitment, MembershipApplication, MembershipHistory
from tests.factories import (
    MembershipApplicationFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.pages import field_error, heading, login_url, text

pytestmark = pytest.mark.django_db

JOIN_URL = reverse("partnership:join")
LEAVE_URL = reverse("partnership:leave")


def _withdraw_url(organisation):
    return reverse("partnership:application_withdraw", args=[organisation.slug])


def _application_data(organisation, **overrides):
    return {
        "organisation": organisation.pk,
        "contact_name": "Karin Sjöberg",
        "contact_role": "Head of international affairs",
        "contact_email": "karin@boras.example.org",
        "motivation": "Borås hosts job shadowing on inclusion and wants partner regions.",
        "commitments": list(Commitment.values),
        "logo_consent": "on",
        **overrides,
    }


# join


def test_the_join_page_offers_an_admin_the_form_for_the_organisation(login, host_org, host_admin):
    response = login(host_admin).get(JOIN_URL)

    assert response.status_code == 200
    assert heading(response) == "Join the Regional Skills Partnership"
    assert "Borås Stad: not a member" in text(response)
    page = response.content.decode()
    assert f'<option value="{host_org.pk}" selected>Borås Stad</option>' in page
    for commitment in Commitment:
        assert f'value="{commitment.value}"' in page
    assert f'value="{host_admin.email}"' in page  # the contact defaults to the admin


def test_an_admin_applies_for_the_organisation(login, host_org, host_admin):
    response = login(host_admin).post(JOIN_URL, _application_data(host_org), follow=True)

    assert response.redirect_chain == [(JOIN_URL, 302)]
    assert (
        "The application of Borås Stad is sent. The EARLALL secretariat will tell your "
        "organisation's admins its decision by email." in text(response)
    )
    application = MembershipApplication.objects.get()
    assert (application.organisation, application.submitted_by) == (host_org, host_admin)
    assert application.contact_role == "Head of international affairs"
    assert application.logo_consent is True
    assert MembershipHistory.objects.get().kind == "applied"
    # The page now says where the application stands, and offers no second one.
    assert "Borås Stad: application pending since" in text(response)
    assert 'name="motivation"' not in response.content.decode()


def test_an_admin_of_several_organisations_chooses_which_applies(login, host_org, host_admin):
    second = OrganisationFactory(name="Sjuhärad Vocational College")
    MembershipFactory(user=host_admin, organisation=second, role=Membership.Role.ADMIN)

    login(host_admin).post(JOIN_URL, _application_data(second))

    assert MembershipApplication.objects.get().organisation == second


def test_a_missing_commitment_and_contact_are_shown_next_to_their_fields(
    login, host_org, host_admin
):
    data = _application_data(
        host_org, commitments=list(Commitment.values)[:2], contact_email="not an address"
    )
    del data["contact_name"]

    response = login(host_admin).post(JOIN_URL, data)

    assert response.status_code == 400
    assert field_error(response, "commitments") == (
        "Tick every commitment: a member agrees to all of them."
    )
    assert field_error(response, "contact_name") == "This field is required."
    assert field_error(response, "contact_email") == "Enter a valid email address."
    assert not MembershipApplication.objects.exists()


def test_a_second_open_application_is_refused_with_a_message(login, host_org, host_admin):
    MembershipApplicationFactory(organisation=host_org)

    response = login(host_admin).post(JOIN_URL, _application_data(host_org))

    assert response.status_code == 400
    assert "Borås Stad has already applied; the secretariat will decide soon." in text(response)
    assert MembershipApplication.objects.count() == 1


def test_a_member_is_refused_with_a_message(login, member_org, host_admin):
    page = login(host_admin).get(JOIN_URL)
    response = login(host_admin).post(JOIN_URL, _application_data(member_org))

    assert "Borås Stad: member since 1 March 2025" in text(page)
    assert 'name="motivation"' not in page.content.decode()
    assert "Borås Stad is already a member of the partnership." in text(response)
    assert not MembershipApplication.objects.exists()


def test_a_suspended_organisation_is_refused_with_a_message(login, host_org, host_admin):
    host_org.is_suspended = True
    host_org.save()

    page = login(host_admin).get(JOIN_URL)
    response = login(host_admin).post(JOIN_URL, _application_data(host_org))

    assert "Borås Stad: suspended; it cannot apply" in text(page)
    assert response.status_code == 400
    assert "Borås Stad is suspended and cannot take part in the partnership." in text(response)
    assert not MembershipApplication.objects.exists()


def test_a_coordinator_may_not_apply_and_is_told_who_can(login, host_org, host_coordinator):
    client = login(host_coordinator)

    page = client.get(JOIN_URL)
    response = client.post(JOIN_URL, _application_data(host_org))

    assert (page.status_code, response.status_code) == (403, 403)
    assert (
        "Only an admin of an organisation can apply for it to join the partnership or take it "
        "out. You are a coordinator of Borås Stad: ask one of its admins." in text(response)
    )
    assert not MembershipApplication.objects.exists()


def test_an_outsider_may_not_apply_for_another_organisation(login, host_org, outsider):
    response = login(outsider).post(JOIN_URL, _application_data(host_org))

    assert response.status_code == 403
    assert not MembershipApplication.objects.exists()


def test_an_admin_cannot_apply_for_an_organisation_they_do_not_administer(
    login, host_admin, applicant_org
):
    response = login(host_admin).post(JOIN_URL, _application_data(applicant_org))

    assert response.status_code == 400
    assert field_error(response, "organisation") == (
        "Select a valid choice. That choice is not one of the available choices."
    )
    assert not MembershipApplication.objects.exists()


def test_someone_without_an_organisation_is_asked_to_create_one(login):
    response = login(UserFactory()).get(JOIN_URL, follow=True)

    assert response.redirect_chain == [(reverse("matchmaking:organisation_create"), 302)]
    assert "Create your organisation first: organisations join the partnership." in text(response)


def test_the_join_page_sends_anonymous_visitors_to_sign_in(client, host_org):
    response = client.post(JOIN_URL, _application_data(host_org))

    assert response.status_code == 302
    assert response["Location"] == login_url(JOIN_URL)
    assert not MembershipApplication.objects.exists()


def test_the_join_page_refuses_other_methods(login, host_admin):
    assert login(host_admin).put(JOIN_URL).status_code == 405


# withdraw


def test_an_admin_withdraws_the_application(login, host_org, host_admin):
    MembershipApplicationFactory(organisation=host_org)

    response = login(host_admin).post(_withdraw_url(host_org), follow=True)

    assert "The application of Borås Stad is withdrawn." in text(response)
    assert MembershipApplication.objects.get().status == MembershipApplication.Status.WITHDRAWN
    assert 'name="motivation"' in response.content.decode()  # it can apply again


def test_withdrawing_is_for_admins_of_the_organisation_only(
    login, host_org, host_coordinator, outsider
):
    MembershipApplicationFactory(organisation=host_org)

    assert login(host_coordinator).post(_withdraw_url(host_org)).status_code == 403
    assert login(outsider).post(_withdraw_url(host_org)).status_code == 404
    assert MembershipApplication.objects.get().status == MembershipApplication.Status.PENDING


def test_withdrawing_needs_an_open_application_and_a_post(login, host_org, host_admin):
    client = login(host_admin)

    assert client.post(_withdraw_url(host_org)).status_code == 404
    assert client.get(_withdraw_url(host_org)).status_code == 405


def test_withdrawing_sends_anonymous_visitors_to_sign_in(client, host_org):
    response = client.post(_withdraw_url(host_org))

    assert response["Location"] == login_url(_withdraw_url(host_org))


# leave


def test_the_leave_page_asks_for_confirmation(login, member_org, host_admin):
    response = login(host_admin).get(LEAVE_URL, {"organisation": member_org.pk})

    assert heading(response) == "Leave the partnership"
    assert f'<option value="{member_org.pk}" selected>Borås Stad</option>' in (
        response.content.decode()
    )
    assert member_org.is_rsp_member


def test_an_admin_takes_the_organisation_out_of_the_partnership(
    login, member_org, host_admin, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(host_admin).post(
            LEAVE_URL, {"organisation": member_org.pk, "confirm": "on"}, follow=True
        )

    assert response.redirect_chain == [(reverse("partnership:about"), 302)]
    assert "Borås Stad has left the partnership." in text(response)
    member_org.refresh_from_db()
    assert member_org.rsp_member_since is None
    assert MembershipHistory.objects.get().kind == "left"
    assert [message.to for message in mailoutbox] == [[host_admin.email]]


def test_leaving_without_confirming_is_refused_next_to_the_box(login, member_org, host_admin):
    response = login(host_admin).post(LEAVE_URL, {"organisation": member_org.pk})

    assert response.status_code == 400
    assert field_error(response, "confirm") == "Tick the box to confirm that you leave."
    member_org.refresh_from_db()
    assert member_org.is_rsp_member


def test_a_coordinator_cannot_take_the_organisation_out(login, member_org, host_coordinator):
    response = login(host_coordinator).post(
        LEAVE_URL, {"organisation": member_org.pk, "confirm": "on"}
    )

    assert response.status_code == 403
    assert "ask one of its admins" in text(response)
    member_org.refresh_from_db()
    assert member_org.is_rsp_member


def test_an_admin_cannot_take_another_organisation_out(login, member_org, applicant_org):
    applicant_org.rsp_member_since = timezone.localdate()
    applicant_org.save()
    admin = UserFactory()
    MembershipFactory(user=admin, organisation=applicant_org, role=Membership.Role.ADMIN)

    response = login(admin).post(LEAVE_URL, {"organisation": member_org.pk, "confirm": "on"})

    assert response.status_code == 400
    assert "Select a valid choice." in field_error(response, "organisation")
    member_org.refresh_from_db()
    assert member_org.is_rsp_member


def test_the_leave_page_says_when_there_is_nothing_to_leave(login, host_org, host_admin):
    response = login(host_admin).get(LEAVE_URL, follow=True)

    assert response.redirect_chain == [(reverse("partnership:about"), 302)]
    assert "None of the organisations you administer is a member." in text(response)


def test_the_leave_page_sends_anonymous_visitors_to_sign_in(client):
    assert client.post(LEAVE_URL)["Location"] == login_url(LEAVE_URL)


def test_the_leave_page_refuses_other_methods(login, member_org, host_admin):
    assert login(host_admin).delete(LEAVE_URL).status_code == 405
