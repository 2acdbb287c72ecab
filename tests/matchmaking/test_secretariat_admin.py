"""What the secretariat may not do in the admin (issue 9, finding 2 and the rights review).

A secretariat member moved Borås's admin membership to itself and saw Borås's drafts and
people; memberships are now read-only in the admin, and the users' security data hidden.
"""

import pytest

from matchmaking.models import Membership

pytestmark = pytest.mark.django_db


def _membership(user):
    return Membership.objects.get(user=user)


def test_the_secretariat_cannot_move_a_membership_to_itself(login, secretariat, host_admin):
    membership = _membership(host_admin)
    client = login(secretariat)
    url = f"/admin/matchmaking/membership/{membership.pk}/change/"

    page = client.get(url)
    response = client.post(
        url, {"user": secretariat.pk, "organisation": membership.organisation_id, "role": "admin"}
    )

    assert page.status_code == 200  # it may look
    assert 'name="user"' not in page.content.decode()
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.user == host_admin
    assert not Membership.objects.filter(user=secretariat).exists()


def test_the_secretariat_cannot_add_or_delete_memberships(login, secretariat, host_admin):
    client = login(secretariat)
    membership = _membership(host_admin)

    assert client.get("/admin/matchmaking/membership/add/").status_code == 403
    assert (
        client.post(
            f"/admin/matchmaking/membership/{membership.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_the_organisation_page_lists_its_people_without_letting_anyone_change_them(
    login, secretariat, host_admin, host_org
):
    page = login(secretariat).get(f"/admin/matchmaking/organisation/{host_org.pk}/change/")

    content = page.content.decode()
    assert host_admin.email in content or str(host_admin) in content
    assert 'name="memberships-0-role"' not in content
    assert 'name="memberships-0-user"' not in content


def test_the_secretariat_does_not_see_password_hashes(login, secretariat, host_admin):
    page = login(secretariat).get(f"/admin/matchmaking/user/{host_admin.pk}/change/")

    content = page.content.decode()
    assert page.status_code == 200
    assert host_admin.email in content
    assert "pbkdf2" not in content and "algorithm" not in content
