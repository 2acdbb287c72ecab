"""Proposing a call round's allocation: from the rows to exchanges.allocation and back.

Its own module below the services, like ``reminders``, because the beat task runs it too and
``tasks`` cannot import the services (they import ``tasks``); ``services.round_allocate`` is
this function for the views.

What goes in: each sender organisation's ranked entries whose applications are still
undecided (submitted or shortlisted), each bringing its ``participants``, in the reserved
category when ``fewer_opportunity_participants > 0``; each offer's *places left now*
(``Offer.places_left``: accepted applications outside the round keep theirs) and its reserve,
``reserve_places(places left, round.reserve_share)``; each host's ranking — the entries it
ranked in its order, then those it did not rank yet by fit, best first — without the entries
it marked as not acceptable.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import allocation
from .models import (
    Application,
    CallRound,
    RoundEntry,
    RoundHistory,
    RoundPlacement,
    RoundProposal,
    host_order,
)
from .selectors import with_places_taken


def round_entries(call_round):
    """The entries that take part in an allocation, with what the rules need."""
    return (
        RoundEntry.objects.filter(
            call_round=call_round,
            application__status__in=Application.UNDECIDED,
        )
        .select_related("application__offer", "organisation")
        .order_by("organisation_id", "sender_rank")
    )


def build_instance(call_round, entries):
    """The plain instance exchanges.allocation works on: applicants are organisations."""
    by_organisation, by_offer = {}, {}
    for entry in entries:
        by_organisation.setdefault(entry.organisation_id, []).append(entry)
        by_offer.setdefault(entry.application.offer_id, []).append(entry)
    applicants = [
        allocation.Applicant(
            id=organisation,
            choices=tuple(
                allocation.Choice(
                    offer=e.application.offer_id,
                    size=e.application.participants,
                    reserved=e.application.fewer_opportunity_participants > 0,
                    fit=max(e.application.score or 0.0, 0.0),
                )
                for e in own
            ),
        )
        for organisation, own in by_organisation.items()
    ]
    places = []
    for offer in with_places_taken(call_round.offers.all()):
        left = max(offer.places_left, 0)
        ranked = host_order(by_offer.get(offer.pk, []))
        places.append(
            allocation.Place(
                id=offer.pk,
                capacity=left,
                reserve=allocation.reserve_places(left, call_round.reserve_share),
                ranking=tuple(e.organisation_id for e in ranked if e.acceptable),
            )
        )
    return allocation.Instance(applicants, places)


@transaction.atomic
def round_propose(*, call_round, acting_user=None) -> RoundProposal:
    """Run the round's rule on locked rows and store the proposal, replacing an earlier one.

    The round's row is locked first: a second allocation started at the same moment waits
    for the first to commit and then replaces its proposal, so there is always one.
    """
    call_round = CallRound.objects.select_for_update().get(pk=call_round.pk)
    if call_round.is_confirmed:
        raise ValidationError(_("This round's allocation is already confirmed."), code="state")
    # The rankings change only under this same lock (services.rounds._lock_open).
    entries = list(round_entries(call_round))
    instance = build_instance(call_round, entries)
    result = allocation.RULES[call_round.rule](instance)
    RoundProposal.objects.filter(call_round=call_round).delete()
    figures = allocation.figures(instance, result)
    proposal = RoundProposal.objects.create(
        call_round=call_round,
        rule=call_round.rule,
        created_by=acting_user,
        figures={**figures.__dict__, "matched_share": figures.matched_share},
    )
    entry_at = {(e.organisation_id, e.application.offer_id): e for e in entries}
    placements = []
    for applicant in instance.applicants.values():
        offer = result.offer_of(applicant.id)
        if offer is None:
            reasons = allocation.reasons_unplaced(instance, result, applicant.id)
            placements.append(
                RoundPlacement(proposal=proposal, organisation_id=applicant.id, reasons=reasons)
            )
        else:
            entry = entry_at[applicant.id, offer]
            placements.append(
                RoundPlacement(
                    proposal=proposal,
                    organisation_id=applicant.id,
                    application=entry.application,
                    choice=entry.sender_rank,
                )
            )
    RoundPlacement.objects.bulk_create(placements)
    call_round.status = CallRound.Status.PROPOSED
    call_round.save(update_fields=["status"])
    RoundHistory.objects.create(
        call_round=call_round,
        kind=RoundHistory.Kind.ALLOCATED,
        actor=acting_user,
        note=_("%(placed)s of %(senders)s senders placed.")
        % {"placed": figures.placed, "senders": figures.applicants},
    )
    return proposal


def propose_due_rounds(now=None) -> list[int]:
    """Propose the allocation of every open round whose allocation date has come (beat)."""
    proposed = []
    for pk in CallRound.objects.due_for_allocation(now).values_list("pk", flat=True):
        with transaction.atomic():
            # Claimed under the lock: a run that started meanwhile has made the proposal.
            call_round = (
                CallRound.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=CallRound.Status.OPEN)
                .first()
            )
            if call_round is None or RoundProposal.objects.filter(call_round=call_round).exists():
                continue
            round_propose(call_round=call_round)
        proposed.append(pk)
    return proposed
