"""Matches: offers recommended to an organisation, and a host inviting organisations to apply."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from matchmaking.permissions import active_organisation

from .. import permissions, selectors, services
from ..forms import InviteForm


@login_required
@require_GET
def recommendations(request):
    """Open offers that fit the active organisation's interest profiles, with the reasons."""
    organisation = active_organisation(request)
    context = {"organisation": organisation}
    if organisation is not None:
        context.update(
            matches=selectors.recommendations_for(organisation),
            has_profiles=organisation.interest_profiles.exists(),
        )
    return render(request, "exchanges/recommendations.html", context)


@login_required
@require_POST
def offer_invite(request, pk):
    offer = permissions.offer_for_host(request.user, pk)
    form = InviteForm(request.POST, organisations=selectors.invitable_organisations(offer))
    if not form.is_valid():
        messages.error(request, _("Choose one of the organisations that may be interested."))
        return redirect(offer)
    organisation = form.cleaned_data["organisation"]
    try:
        services.offer_invite(offer=offer, organisation=organisation, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s is invited to apply; its coordinators have been emailed.")
            % {"name": organisation.name},
        )
    return redirect(offer)
