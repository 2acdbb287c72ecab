"""Who may act at a matchmaking event, decided here and nowhere else.

Events are public. What an organisation does at an event (its meetings, its schedule) is
reached through the registrations of the user's organisations: someone else's is a 404. In a
meeting only the side that was asked decides (403 for the side that asked). The meeting grid
is a staff page for the secretariat (403 for anyone else signed in).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from matchmaking.permissions import active_organisation, is_secretariat, organisations_for

from .models import EventRegistration, Meeting

VIEW_EVENT_GRID = "partnership.view_event_grid"
CONFIRM_REGISTRATIONS = "partnership.confirm_eventregistration"
# The query parameter that says which of the user's registered organisations acts.
ACTING_ORGANISATION_PARAMETER = "organisation"


def can_see_event_grid(user):
    return is_secretariat(user, VIEW_EVENT_GRID)


def require_event_grid_viewer(user):
    if not can_see_event_grid(user):
        raise PermissionDenied(_("Only the EARLALL secretariat sees the meeting grid."))


def can_confirm_registrations(user):
    return is_secretariat(user, CONFIRM_REGISTRATIONS)


def require_registration_confirmer(user):
    if not can_confirm_registrations(user):
        raise PermissionDenied(_("Only the EARLALL secretariat confirms event registrations."))


def registrations_for(user, event):
    """The registrations at ``event`` of the organisations the user belongs to."""
    if not user.is_authenticated:
        return EventRegistration.objects.none()
    return EventRegistration.objects.filter(
        event=event, organisation__in=organisations_for(user)
    ).select_related("organisation", "event")


def unregistered_organisations_for(user, event):
    """The user's organisations not registered for ``event`` yet: those they may register."""
    return organisations_for(user).exclude(pk__in=event.registrations.values("organisation"))


def registration_for_user(request, event):
    """The registration the user acts for at ``event``: the organisation named by the
    ``?organisation=<slug>`` parameter, else the active organisation's, else their first
    (by name). 404 when none of the user's organisations is registered."""
    registrations = list(registrations_for(request.user, event).order_by("organisation__name"))
    chosen = request.GET.get(ACTING_ORGANISATION_PARAMETER)
    if chosen:
        registrations = [r for r in registrations if r.organisation.slug == chosen]
    if not registrations:
        raise Http404("None of your organisations is registered for this event.")
    active = active_organisation(request)
    return next((r for r in registrations if r.organisation == active), registrations[0])


def meeting_for_user(user, event, pk, *, deciding=False):
    """A meeting at ``event`` of one of the user's organisations (either side); 404 for other
    meetings. ``deciding``: only the side that was asked may accept or decline (else 403)."""
    own = registrations_for(user, event)
    meeting = get_object_or_404(
        Meeting.objects.filter(event=event)
        .filter(Q(requester__in=own) | Q(recipient__in=own))
        .select_related("event", "requester__organisation", "recipient__organisation"),
        pk=pk,
    )
    if deciding and not own.filter(pk=meeting.recipient_id).exists():
        raise PermissionDenied(_("Only the organisation asked to meet accepts or declines."))
    return meeting
