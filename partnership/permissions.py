"""Who may act for the partnership, decided here and nowhere else.

Builds on ``matchmaking.permissions``: organisations are always reached through the
user's memberships. Joining, withdrawing and leaving are for an organisation's admins;
nominating promoters for any of a member organisation's people; deciding for the secretariat
(the custom permissions, which the Secretariat group holds and superusers have anyway).
"""

from django.core.exceptions import PermissionDenied

from matchmaking.models import Membership, Organisation
from matchmaking.permissions import organisations_for

DECIDE_MEMBERSHIPS = "partnership.decide_membershipapplication"
DECIDE_PROMOTERS = "partnership.decide_promoter"


def organisations_administered_by(user):
    """The organisations in which the user is an admin."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.ADMIN
    )


def member_organisations_for(user):
    """The user's organisations that are members of the partnership in good standing."""
    return organisations_for(user).filter(rsp_member_since__isnull=False, is_suspended=False)


def can_decide_memberships(user):
    return user.is_active and user.is_staff and user.has_perm(DECIDE_MEMBERSHIPS)


def can_decide_promoters(user):
    return user.is_active and user.is_staff and user.has_perm(DECIDE_PROMOTERS)


def require_membership_decider(user):
    if not can_decide_memberships(user):
        raise PermissionDenied("Only the EARLALL secretariat decides on memberships.")


def require_promoter_decider(user):
    if not can_decide_promoters(user):
        raise PermissionDenied("Only the EARLALL secretariat decides on promoters.")
