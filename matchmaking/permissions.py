"""The one place that decides who may see and change what.

Objects are always loaded *through* the organisations a user belongs to, so an object of
another organisation is a 404, never a 403 that would confirm it exists. A member without
the right role gets 403; anonymous users are sent to the login page by the views'
``@login_required``.

Each app keeps its own rules in its ``permissions`` module (``exchanges.permissions``,
``partnership.permissions``, ``partnership.events.permissions``), built on the predicates here:
``is_member_of``, ``is_admin_of``, ``is_secretariat`` and the suspension refusal
``require_not_suspended``. Services and views ask them; they never compute a role themselves.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from .models import Membership, Organisation, User

ACTIVE_ORGANISATION_SESSION_KEY = "active_organisation_id"
# The group of the EARLALL secretariat's staff; its grants are partnership.permissions'.
SECRETARIAT_GROUP = "Secretariat"


def organisations_for(user):
    """The organisations the user belongs to."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user)


def is_member_of(user, organisation) -> bool:
    """Whether the user belongs to the organisation, in any role."""
    return (
        user.is_authenticated
        and Membership.objects.filter(user=user, organisation=organisation).exists()
    )


def is_admin_of(user, organisation) -> bool:
    """Whether the user is an admin of the organisation (who may edit it, add people, join
    or leave the partnership for it)."""
    return (
        user.is_authenticated
        and Membership.objects.filter(
            user=user, organisation=organisation, role=Membership.Role.ADMIN
        ).exists()
    )


def is_secretariat(user, permission: str) -> bool:
    """Whether the user acts as the EARLALL secretariat in what ``permission`` allows
    (``"app_label.codename"``): an active staff member who holds it, through the Secretariat
    group (``partnership.permissions.SECRETARIAT_PERMISSIONS``) or as a superuser. Staff who
    hold only some of the group's permissions are the secretariat only for those."""
    return user.is_active and user.is_staff and user.has_perm(permission)


def secretariat_staff():
    """The secretariat's people, whom its emails go to: active staff in the Secretariat group."""
    return User.objects.filter(
        is_active=True, is_staff=True, groups__name=SECRETARIAT_GROUP
    ).distinct()


def require_not_suspended(organisation, refusal=None):
    """Refuse (``ValidationError``, code ``"suspended"``) to let a suspended organisation act.

    ``refusal`` is the translated sentence shown, with ``%(name)s`` and optionally
    ``%(reason)s``; by default it names the secretariat's reason.
    """
    if organisation.is_suspended:
        refusal = refusal or _("%(name)s is suspended and cannot do this: %(reason)s")
        raise ValidationError(
            refusal % {"name": organisation.name, "reason": organisation.suspension_reason},
            code="suspended",
        )


def membership_for(user, organisation):
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, organisation=organisation).first()


def organisation_for_user(user, slug, *, admin=False):
    """Load an organisation the user belongs to; 404 for outsiders, 403 for non-admins."""
    organisation = get_object_or_404(organisations_for(user), slug=slug)
    if admin and not is_admin_of(user, organisation):
        raise PermissionDenied(admins_only_refusal(organisation))
    return organisation


def admins_only_refusal(organisation) -> str:
    """What a member who is no admin reads on the refusal page (403.html): who can do it."""
    admins = [
        membership.user.display_name
        for membership in organisation.memberships.filter(role=Membership.Role.ADMIN)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__email")
    ]
    return _(
        "Only the admins of %(name)s can edit its profile, add or remove its people and "
        "take it in or out of the partnership. Ask one of them: %(admins)s."
    ) % {"name": organisation.name, "admins": ", ".join(admins)}


def active_organisation(request):
    """The organisation the user acts for: the one chosen in the switcher, else their first."""
    if not request.user.is_authenticated:
        return None
    if hasattr(request, "_active_organisation"):
        return request._active_organisation
    organisations = organisations_for(request.user).order_by("name")
    chosen_id = request.session.get(ACTIVE_ORGANISATION_SESSION_KEY)
    organisation = None
    if chosen_id:
        organisation = organisations.filter(pk=chosen_id).first()
    if organisation is None:
        organisation = organisations.first()
    request._active_organisation = organisation
    return organisation


def require_active_organisation(request):
    """The active organisation, or 404 for a user who belongs to none."""
    organisation = active_organisation(request)
    if organisation is None:
        raise Http404("You do not belong to an organisation yet.")
    return organisation


def set_active_organisation(request, organisation):
    request.session[ACTIVE_ORGANISATION_SESSION_KEY] = organisation.pk
    request._active_organisation = organisation
