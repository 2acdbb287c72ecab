"""Call rounds: creating one, the senders' and hosts' rankings, allocating and confirming."""

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matchmaking.models import Organisation, User
from matchmaking.permissions import require_not_suspended

from .. import emails
from ..models import (
    Application,
    CallRound,
    Offer,
    RoundEntry,
    RoundHistory,
    RoundProposal,
)
from ..proposals import round_propose
from .applications import application_accept, application_decline, application_shortlist

# The allocation itself: see exchanges.proposals (the beat task runs it too).
round_allocate = round_propose


@transaction.atomic
def round_create(
    *,
    organiser: Organisation | None,
    acting_user: User,
    offers: Iterable[Offer],
    **fields,
) -> CallRound:
    """A round of ``organiser``'s offers (or, with ``organiser=None``, the secretariat's)."""
    offers = list(offers)
    if organiser is not None:
        require_not_suspended(organiser)
        if any(offer.organisation_id != organiser.pk for offer in offers):
            raise ValidationError(
                {"offers": _("A round of an organisation includes only its own offers.")},
                code="foreign_offer",
            )
    if not offers:
        raise ValidationError({"offers": _("Choose at least one offer.")}, code="no_offers")
    call_round = CallRound(organiser=organiser, created_by=acting_user, **fields)
    call_round.full_clean()
    call_round.save()
    call_round.offers.set(offers)
    round_record_created(call_round=call_round, acting_user=acting_user)
    return call_round


def round_record_created(*, call_round: CallRound, acting_user: User) -> RoundHistory:
    """The history's first line for a round made in the admin (the form saved the row)."""
    return RoundHistory.objects.create(
        call_round=call_round, kind=RoundHistory.Kind.CREATED, actor=acting_user
    )


def _lock_open(call_round):
    """The round, locked, if its rankings may still change. A proposal made before the
    deadline is dropped: it was made from the rankings about to change, and the round is
    open again (the beat allocates it at its date, or the organiser runs it again)."""
    call_round = CallRound.objects.select_for_update().get(pk=call_round.pk)
    if not call_round.accepts_rankings():
        raise ValidationError(
            _("The rankings of this round can no longer be changed."), code="closed"
        )
    if call_round.status == CallRound.Status.PROPOSED:
        RoundProposal.objects.filter(call_round=call_round).delete()
        call_round.status = CallRound.Status.OPEN
        call_round.save(update_fields=["status"])
    return call_round


@transaction.atomic
def round_rank_choices(
    *,
    call_round: CallRound,
    organisation: Organisation,
    acting_user: User,
    applications: Sequence[Application],
) -> list[RoundEntry]:
    """The sender's choices, best first, replacing its earlier ranking."""
    call_round = _lock_open(call_round)
    require_not_suspended(organisation)
    if len(applications) > call_round.max_choices:
        raise ValidationError(
            ngettext(
                "Rank at most %(count)s offer.",
                "Rank at most %(count)s offers.",
                call_round.max_choices,
            )
            % {"count": call_round.max_choices},
            code="too_many",
        )
    offers = set(call_round.offers.values_list("pk", flat=True))
    for application in applications:
        if (
            application.organisation_id != organisation.pk
            or application.offer_id not in offers
            or not application.is_undecided
        ):
            raise ValidationError(
                _("Only your undecided applications to this round's offers can be ranked."),
                code="foreign_application",
            )
    kept = {
        entry.application_id: entry
        for entry in RoundEntry.objects.filter(call_round=call_round, organisation=organisation)
    }
    RoundEntry.objects.filter(call_round=call_round, organisation=organisation).delete()
    entries = [
        RoundEntry(
            call_round=call_round,
            application=application,
            organisation=organisation,
            sender_rank=rank,
            # The host's view of an application stays as it was.
            host_rank=kept[application.pk].host_rank if application.pk in kept else None,
            acceptable=kept[application.pk].acceptable if application.pk in kept else True,
        )
        for rank, application in enumerate(applications, start=1)
    ]
    return RoundEntry.objects.bulk_create(entries)


@transaction.atomic
def round_rank_applicants(
    *,
    call_round: CallRound,
    host: Organisation,
    acting_user: User,
    rankings: Sequence[tuple[Offer, Sequence[tuple[RoundEntry, bool]]]],
) -> None:
    """The host's order of each of its offers' entries, best first, and which are acceptable:
    all of its offers together or none (one transaction, one UPDATE)."""
    call_round = _lock_open(call_round)
    require_not_suspended(host)
    entries = []
    for offer, ranking in rankings:
        expected = set(
            RoundEntry.objects.filter(
                call_round=call_round,
                application__offer=offer,
                application__offer__organisation=host,
            ).values_list("pk", flat=True)
        )
        if not {entry.pk for entry, _acceptable in ranking} <= expected:
            raise ValidationError(_("Rank only the applications to this offer."), code="foreign")
        for rank, (entry, acceptable) in enumerate(ranking, start=1):
            entry.host_rank, entry.acceptable = rank, acceptable
            entries.append(entry)
    RoundEntry.objects.bulk_update(entries, ["host_rank", "acceptable"])


@transaction.atomic
def round_confirm(*, call_round: CallRound, acting_user: User) -> RoundProposal:
    """Accept the placed applications (creating their exchanges), wait-list or decline the
    others, and tell every sender and host."""
    call_round = CallRound.objects.select_for_update().get(pk=call_round.pk)
    if call_round.status != CallRound.Status.PROPOSED:
        raise ValidationError(_("There is no proposed allocation to confirm."), code="state")
    proposal = RoundProposal.objects.select_for_update().get(call_round=call_round)
    placements = list(
        proposal.placements.select_related("organisation", "application__offer__organisation")
    )
    note = _("Allocated in the call round “%(name)s”.") % {"name": call_round.name}
    placed = {p.application_id for p in placements if p.is_placed}
    placed_senders = {p.organisation_id for p in placements if p.is_placed}
    for placement in placements:
        if placement.is_placed:
            try:
                application_accept(
                    application=placement.application, acting_user=acting_user, message=note
                )
            except ValidationError as error:
                raise ValidationError(
                    _(
                        "%(sender)s cannot be placed at “%(offer)s” any more (%(why)s) Run the "
                        "allocation again."
                    )
                    % {
                        "sender": placement.organisation.name,
                        "offer": placement.application.offer.title,
                        "why": " ".join(error.messages),
                    },
                    code="stale",
                ) from error
    entries = RoundEntry.objects.filter(call_round=call_round).select_related("application")
    for entry in entries:
        application = entry.application
        if application.pk in placed or not application.is_undecided:
            continue
        if entry.organisation_id in placed_senders or not entry.acceptable:
            application_decline(application=application, acting_user=acting_user, message=note)
        elif application.can_be_shortlisted:
            # Wait-listed: the host may still take it if a place comes free.
            application_shortlist(application=application, acting_user=acting_user, message=note)
    proposal.confirmed_by = acting_user
    proposal.confirmed_at = timezone.now()
    proposal.save(update_fields=["confirmed_by", "confirmed_at"])
    call_round.status = CallRound.Status.CONFIRMED
    call_round.save(update_fields=["status"])
    RoundHistory.objects.create(
        call_round=call_round, kind=RoundHistory.Kind.CONFIRMED, actor=acting_user
    )
    for placement in placements:
        emails.round_result(placement)
    hosts = {
        offer.organisation_id: (offer.organisation, [])
        for offer in call_round.offers.select_related("organisation")
    }
    for placement in placements:
        if placement.is_placed:
            hosts[placement.application.offer.organisation_id][1].append(placement)
    for host, hosted in hosts.values():
        emails.round_hosted(call_round=call_round, host=host, placements=hosted)
    return proposal
