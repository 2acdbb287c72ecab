"""Who may act for the partnership, decided here and nowhere else.

Builds on ``matchmaking.permissions``: organisations are always reached through the
user's memberships. Joining, withdrawing and leaving are for an organisation's admins
(``is_admin_of``); nominating promoters for any of a member organisation's people; deciding for
the secretariat (``is_secretariat`` with the custom permissions, which the Secretariat group
holds and superusers have anyway).

The Secretariat group's grants are declared once, in ``SECRETARIAT_PERMISSIONS``, and applied
after every ``migrate`` by ``grant_secretariat_permissions`` (``PartnershipConfig.ready``).
"""

from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q
from django.utils.translation import gettext as _

from matchmaking.models import Membership, Organisation
from matchmaking.permissions import SECRETARIAT_GROUP, is_secretariat, organisations_for

# What the EARLALL secretariat may do in the admin without being superusers: the whole set
# ("app_label.codename"). This constant is the source of truth; the post_migrate hook
# grant_secretariat_permissions gives the group exactly these after every migrate. (The data
# migrations partnership/0001–0003, 0005, 0007–0009 granted them step by step and stay as they
# are, since migrations are never rewritten.) Registrations, meetings, applications and
# history change only through the services, hence view permissions for most of them.
SECRETARIAT_PERMISSIONS = frozenset(
    {
        # Vocabularies the secretariat keeps
        *(
            f"matchmaking.{action}_{model}"
            for model in (
                "exchangetype",
                "theme",
                "feweropportunitycategory",
                "fieldofeducation",
                "language",
            )
            for action in ("view", "add", "change", "delete")
        ),
        # Organisations, people, the outbox, interest profiles
        "matchmaking.view_organisation",
        "matchmaking.change_organisation",
        "matchmaking.view_organisationhistory",
        "matchmaking.view_membership",
        "matchmaking.change_membership",
        "matchmaking.delete_membership",
        "matchmaking.view_invitation",
        "matchmaking.delete_invitation",
        "matchmaking.view_user",
        "matchmaking.view_outboxemail",
        "admin.view_logentry",  # the admin's log of who did what
        "matchmaking.change_outboxemail",  # resending what failed
        "matchmaking.view_interestprofile",
        "matchmaking.change_interestprofile",  # re-scoring (an admin action)
        # Offers, applications, matches and invitations
        "exchanges.view_offer",
        "exchanges.change_offer",
        "exchanges.view_offerhistory",
        "exchanges.view_application",
        "exchanges.view_applicationhistory",
        "exchanges.view_offerprofilematch",
        "exchanges.view_offerinvitation",
        # Matching weights: fitted by a command, compared and activated in the admin
        "exchanges.view_matchingweights",
        "exchanges.activate_matchingweights",
        # Call rounds: the secretariat opens its own and runs their allocation
        "exchanges.view_callround",
        "exchanges.add_callround",
        "exchanges.change_callround",
        "exchanges.view_roundentry",
        "exchanges.view_roundhistory",
        "exchanges.view_rescorerun",
        # Exchanges, follow-ups and case studies (publishing is an admin action)
        "exchanges.view_exchange",
        "exchanges.change_exchange",
        "exchanges.view_exchangehistory",
        "exchanges.view_feweropportunitycount",
        "exchanges.view_followup",
        "exchanges.change_followup",
        "exchanges.view_quote",
        "exchanges.change_quote",
        "exchanges.view_casestudy",
        "exchanges.change_casestudy",
        "exchanges.publish_casestudy",
        # Messages between the two sides: read-only, for complaints
        "exchanges.view_thread",
        "exchanges.view_message",
        # The partnership: applications, members, promoters and their decisions
        "partnership.view_membershipapplication",
        "partnership.decide_membershipapplication",
        "partnership.view_membershiphistory",
        "partnership.view_partnershipmember",
        "partnership.view_promoter",
        "partnership.decide_promoter",
        "partnership.view_promoterhistory",
        # Matchmaking events: created in the admin, registrations confirmed there
        "partnership.add_event",
        "partnership.change_event",
        "partnership.delete_event",
        "partnership.view_event",
        "partnership.view_event_grid",
        "partnership.view_eventregistration",
        "partnership.confirm_eventregistration",
        "partnership.view_meeting",
        # The monitoring: the dashboard and the VET-learner baselines
        "partnership.view_dashboard",
        *(
            f"partnership.{action}_vetlearnerbaseline"
            for action in ("view", "add", "change", "delete")
        ),
    }
)

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
    return is_secretariat(user, DECIDE_MEMBERSHIPS)


def can_decide_promoters(user):
    return is_secretariat(user, DECIDE_PROMOTERS)


def require_membership_decider(user):
    if not can_decide_memberships(user):
        raise PermissionDenied(_("Only the EARLALL secretariat decides on memberships."))


def require_promoter_decider(user):
    if not can_decide_promoters(user):
        raise PermissionDenied(_("Only the EARLALL secretariat decides on promoters."))


def grant_secretariat_permissions(*, apps, using=DEFAULT_DB_ALIAS, **kwargs):
    """Give the Secretariat group exactly ``SECRETARIAT_PERMISSIONS`` (a ``post_migrate``
    receiver, so idempotent: it adds what is missing and takes away what is not listed).

    Permissions not in the database yet (a partial or backward migrate) are left for the
    next run; the tests check that every listed one exists after a full migrate.
    """
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:  # auth is not migrated yet
        return
    by_app = {}
    for name in SECRETARIAT_PERMISSIONS:
        app_label, codename = name.split(".")
        by_app.setdefault(app_label, set()).add(codename)
    wanted = Q()
    for app_label, codenames in by_app.items():
        wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
    group, _created = Group.objects.using(using).get_or_create(name=SECRETARIAT_GROUP)
    group.permissions.set(Permission.objects.using(using).filter(wanted))


# The monitoring ------------------------------------------------------------------------------

VIEW_DASHBOARD = "partnership.view_dashboard"


def can_see_whole_dashboard(user) -> bool:
    """The secretariat sees every figure of the partnership."""
    return is_secretariat(user, VIEW_DASHBOARD)


def monitored_organisations_for(user):
    """The member organisations whose region's figures this user sees: those of which the
    user is an admin (a coordinator sees none)."""
    return member_organisations_for(user).filter(
        memberships__user=user, memberships__role=Membership.Role.ADMIN
    )


def require_dashboard_access(user):
    """The secretariat, or the admin of a member organisation; anyone else is refused (403)."""
    if not (can_see_whole_dashboard(user) or monitored_organisations_for(user).exists()):
        raise PermissionDenied("The dashboard is the secretariat's and member admins'.")
