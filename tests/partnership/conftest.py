"""Fixtures of the partnership tests: uploads in a throwaway folder, a fresh rate limit."""

import datetime

import pytest
from django.contrib.auth.models import Permission

from matchmaking.models import Membership
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    # Uploaded logos and photos land in a throwaway folder, never in the project's media/.
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def member_org(host_org):
    """Borås Stad, a member of the partnership since 1 March 2025."""
    host_org.rsp_member_since = datetime.date(2025, 3, 1)
    host_org.save(update_fields=["rsp_member_since"])
    return host_org


@pytest.fixture
def swedish_admin(host_org):
    """A second admin of Borås Stad who reads in Swedish."""
    user = UserFactory(email="admin.sv@boras.example.org", preferred_language="sv")
    MembershipFactory(user=user, organisation=host_org, role=Membership.Role.ADMIN)
    return user


@pytest.fixture
def other_staff(db):
    """Staff who may look at the partnership's lists in the admin but are not the secretariat."""
    user = UserFactory(email="intern@earlall.example.org", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="partnership",
            codename__in=["view_membershipapplication", "view_partnershipmember", "view_promoter"],
        )
    )
    return user
