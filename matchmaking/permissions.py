"""The one place that decides who may see and change what.

Objects are always loaded *through* the organisations a user belongs to, so an object of
another organisation is a 404, never a 403 that would confirm it exists. A member without
the right role gets 403; anonymous users are sent to the login page by the views'
``@login_required``.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Membership, Organisation

ACTIVE_ORGANISATION_SESSION_KEY = "active_organisation_id"


def organisations_for(user):
    """The organisations the user belongs to."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user)


def membership_for(user, organisation):
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, organisation=organisation).first()


def organisation_for_user(user, slug, *, admin=False):
    """Load an organisation the user belongs to; 404 for outsiders, 403 for non-admins."""
    organisation = get_object_or_404(organisations_for(user), slug=slug)
    if (
        admin
        and not Membership.objects.filter(
            user=user, organisation=organisation, role=Membership.Role.ADMIN
        ).exists()
    ):
        raise PermissionDenied
    return organisation


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
