"""People and roles (issue 12, point 6): a person is added as a coordinator unless the admin
chooses otherwise, the emails say who added or invited them, and a coordinator who opens an
admin's page reads who can do it on the site's own page instead of a bare "403 Forbidden"."""

import re

import pytest
from django.urls import reverse

from matchmaking.models import Membership
from tests.factories import MembershipFactory, UserFactory
from tests.pages import heading, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def nicholas(host_org, host_admin):
    host_admin.first_name, host_admin.last_name = "Nicholas", "Waller"
    host_admin.save()
    return host_admin


def _people_url(organisation):
    return reverse("matchmaking:organisation_people", kwargs={"slug": organisation.slug})


def test_adding_a_person_offers_coordinator_first_and_chosen(login, host_org, nicholas):
    page = login(nicholas).get(_people_url(host_org)).content.decode()

    radios = [tag for tag in re.findall(r"<input[^>]*>", page) if 'name="role"' in tag]
    roles = [re.search(r'value="(\w+)"', tag).group(1) for tag in radios]
    assert roles == ["coordinator", "admin"]
    assert [" checked" in tag for tag in radios] == [True, False]
    assert "Admin: also edits the profile and adds or removes people" in page


def test_the_invitation_says_who_invited_them(
    login, host_org, nicholas, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        login(nicholas).post(
            _people_url(host_org), {"email": "new@boras.example.org", "role": "coordinator"}
        )

    [message] = mailoutbox
    assert message.subject == "Nicholas Waller invites you to act for Borås Stad"
    assert (
        "Nicholas Waller of Borås Stad invites you to join the organisation as Coordinator"
        in message.body
    )


def test_the_added_person_learns_who_added_them(
    login, host_org, nicholas, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = UserFactory(email="anna@boras.example.org")
    with django_capture_on_commit_callbacks(execute=True):
        login(nicholas).post(_people_url(host_org), {"email": colleague.email, "role": "admin"})

    assert Membership.objects.get(user=colleague).role == "admin"
    [message] = mailoutbox
    assert "Nicholas Waller added you to Borås Stad as Admin" in message.body


@pytest.mark.parametrize("page", ["organisation_edit", "organisation_people"])
def test_a_coordinator_on_an_admins_page_reads_who_can_do_it(
    login, host_org, nicholas, host_coordinator, page
):
    second_admin = UserFactory(first_name="Anna", last_name="Berg")
    MembershipFactory(user=second_admin, organisation=host_org, role=Membership.Role.ADMIN)

    response = login(host_coordinator).get(
        reverse(f"matchmaking:{page}", kwargs={"slug": host_org.slug})
    )

    assert response.status_code == 403
    assert heading(response) == "Not for your role"
    assert (
        "Only the admins of Borås Stad can edit its profile, add or remove its people and take "
        "it in or out of the partnership. Ask one of them: Anna Berg, Nicholas Waller."
    ) in text(response)
    page = response.content.decode()
    # The site's own page: its header, landmarks and a way back, not Django's bare refusal.
    assert "<main" in page and 'aria-label="Main"' in page
    assert "Back to your organisation's desk" in text(response)
