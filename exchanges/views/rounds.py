"""Call rounds: the public pages, a sender's and a host's rankings, the organiser's proposal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matchmaking.forms import SUBMITTED_TWICE, apply_validation_error, create_once
from matchmaking.permissions import active_organisation

from .. import permissions, selectors, services
from ..forms import CallRoundForm, HostRankingForm, SenderRankingForm


@require_GET
def round_list(request):
    return render(
        request,
        "exchanges/rounds/round_list.html",
        {"rounds": selectors.public_rounds()},
    )


@require_GET
def round_detail(request, pk):
    call_round = permissions.round_for_viewer(pk)
    is_host, is_sender = permissions.round_sides(request.user, call_round)
    return render(
        request,
        "exchanges/rounds/round_detail.html",
        {
            "call_round": call_round,
            "offers": selectors.offers_of_round(call_round),
            "is_host": is_host,
            "is_sender": is_sender,
            "is_organiser": permissions.is_round_organiser(request.user, call_round),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    organisation = active_organisation(request)
    if organisation is None:
        messages.info(request, _("Create your organisation first; rounds are run by one."))
        return redirect("matchmaking:organisation_create")
    if not permissions.can_create_round_for(request.user, organisation):
        raise PermissionDenied(
            _("Only the admins of %(name)s can open a call round.") % {"name": organisation.name}
        )
    form = CallRoundForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        offers = fields.pop("offers")
        try:
            call_round, created = create_once(
                form,
                user=request.user,
                create=lambda: services.round_create(
                    organiser=organisation, acting_user=request.user, offers=offers, **fields
                ),
                earlier=organisation.call_rounds.all(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if created:
                messages.success(request, _("The round is open."))
            else:
                messages.info(request, SUBMITTED_TWICE)
            return redirect(call_round)
    return render(
        request,
        "exchanges/rounds/round_form.html",
        {"form": form, "organisation": organisation},
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_sender_ranking(request, pk):
    call_round, sender = permissions.round_for_sender(
        request.user, pk, prefer=active_organisation(request)
    )
    form = SenderRankingForm(
        request.POST or None,
        applications=selectors.sender_applications_in(call_round, sender),
        max_choices=call_round.max_choices,
        initial_ranks=selectors.sender_ranks_in(call_round, sender),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.round_rank_choices(
                call_round=call_round,
                organisation=sender,
                acting_user=request.user,
                applications=form.ranked_applications(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your choices are saved."))
            return redirect("exchanges:round_sender_ranking", pk=call_round.pk)
    return render(
        request,
        "exchanges/rounds/sender_ranking.html",
        {"call_round": call_round, "sender": sender, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_host_ranking(request, pk):
    call_round, host = permissions.round_for_host(
        request.user, pk, prefer=active_organisation(request)
    )
    form = HostRankingForm(request.POST or None, offers=selectors.host_entries_in(call_round, host))
    if request.method == "POST" and form.is_valid():
        try:
            services.round_rank_applicants(
                call_round=call_round, host=host, acting_user=request.user, rankings=form.rankings()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your ranking is saved."))
            return redirect("exchanges:round_host_ranking", pk=call_round.pk)
    return render(
        request,
        "exchanges/rounds/host_ranking.html",
        {"call_round": call_round, "host": host, "form": form},
    )


@login_required
@require_GET
def round_proposal(request, pk):
    call_round = permissions.round_for_organiser(request.user, pk)
    proposal = selectors.proposal_of(call_round)
    placements = list(proposal.placements.all()) if proposal else []
    return render(
        request,
        "exchanges/rounds/proposal.html",
        {
            "call_round": call_round,
            "proposal": proposal,
            "placed": [p for p in placements if p.is_placed],
            "unplaced": [p for p in placements if not p.is_placed],
            "offers": selectors.places_left_after(call_round, proposal),
            "figures": proposal.figures if proposal else None,
            "matched_percent": round(100 * proposal.figures.get("matched_share", 0))
            if proposal
            else None,
        },
    )


@login_required
@require_POST
def round_allocate(request, pk):
    call_round = permissions.round_for_organiser(request.user, pk)
    try:
        services.round_allocate(call_round=call_round, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The allocation is proposed. Review it, then confirm."))
    return redirect("exchanges:round_proposal", pk=call_round.pk)


@login_required
@require_POST
def round_confirm(request, pk):
    call_round = permissions.round_for_organiser(request.user, pk)
    try:
        services.round_confirm(call_round=call_round, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The allocation is confirmed; senders and hosts are told by email.")
        )
    return redirect("exchanges:round_proposal", pk=call_round.pk)
