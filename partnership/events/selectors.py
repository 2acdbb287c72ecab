"""Reads for the matchmaking events' pages: lists, organisations to meet, schedules, the grid."""

import datetime
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from exchanges import explanations
from exchanges.matching import weights
from exchanges.matching.breakdowns import breakdowns
from exchanges.matching.loaders import (
    Vocabularies,
    load_offers,
    load_past_partners,
    load_profiles,
)
from exchanges.models import Offer
from matchmaking.models import InterestProfile
from matchmaking.scoring import Exclusion, score

from .models import Event, EventRegistration, Meeting

PLACE_HOLDING = [EventRegistration.Status.PENDING, EventRegistration.Status.CONFIRMED]


def events_listed() -> QuerySet[Event]:
    """Every event with ``places_taken`` (pending and confirmed registrations): one query."""
    return Event.objects.annotate(
        places_taken=Count("registrations", filter=Q(registrations__status__in=PLACE_HOLDING))
    ).order_by("starts_at", "pk")


def upcoming_and_past(now: datetime.datetime | None = None) -> tuple[list[Event], list[Event]]:
    """(upcoming events, soonest first; past events, latest first), from one query."""
    now = now or timezone.now()
    events = list(events_listed())
    upcoming = [event for event in events if event.ends_at > now]
    past = [event for event in reversed(events) if event.ends_at <= now]
    return upcoming, past


def confirmed_participants() -> QuerySet[EventRegistration]:
    """The confirmed registrations of organisations in good standing, by name (every event's;
    a prefetch of many events' participants filters them by event)."""
    return (
        EventRegistration.objects.confirmed()
        .filter(organisation__is_suspended=False)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


def participants(event: Event) -> QuerySet[EventRegistration]:
    """The event's confirmed registrations of organisations in good standing, by name."""
    return confirmed_participants().filter(event=event)


# Organisations to meet ------------------------------------------------------------------------


@dataclass
class OrganisationToMeet:
    """Another participant, and why it fits the viewer's organisation (its best pair)."""

    registration: EventRegistration
    score: float | None = None  # None: nothing to compare, or nothing fits
    reasons: list = field(default_factory=list)
    # The best pair: whose offer fits whose interest profile.
    offer_title: str = ""
    profile_name: str = ""
    theirs_is_the_offer: bool = True
    compared: bool = False  # whether any of their offers and profiles met any of ours

    @property
    def organisation(self):
        return self.registration.organisation


def organisations_to_meet(registration: EventRegistration):
    """The other participants, ranked by the engine for ``registration``'s organisation.

    Every participant's interest profiles are scored against every participant's published
    offers, once; for each other organisation the best pair either way is kept (their offer
    against our profiles, our offers against their profiles) with its reasons in words. Those
    with a fitting pair come first, best first; then those whose offers and profiles were
    compared with ours but none fits; then, alphabetically, those with nothing to compare
    yet. A fixed number of queries, whatever the number of participants.
    """
    others = [r for r in participants(registration.event) if r.pk != registration.pk]
    if not others:
        return []
    viewer = registration.organisation_id
    organisation_ids = [viewer] + [r.organisation_id for r in others]
    vocabularies = Vocabularies.load()
    offers = load_offers(
        Offer.objects.filter(status=Offer.Status.PUBLISHED, organisation__in=organisation_ids),
        vocabularies,
    )
    profiles = load_profiles(
        InterestProfile.objects.filter(organisation__in=organisation_ids), vocabularies
    )
    ranked = {r.organisation_id: OrganisationToMeet(r) for r in others}
    if len(offers) and len(profiles):
        past_partners = load_past_partners()
        result = score(offers, profiles, weights(), past_partners=past_partners)
        best = _best_pairs(offers, profiles, result, viewer, ranked)
        _explain(best, offers, profiles, result, past_partners, vocabularies, viewer, ranked)
    return sorted(
        ranked.values(),
        key=lambda o: (
            o.score is None,
            not o.compared,
            -(o.score or 0),
            o.organisation.name.lower(),
        ),
    )


def _best_pairs(offers, profiles, result, viewer, ranked):
    """Per other organisation, its best (offer row, profile row) with ours, if one fits."""
    hosts, seekers = offers.organisation_ids, profiles.organisation_ids
    fits = result.exclusion == Exclusion.NONE
    best = {}
    for other, entry in ranked.items():
        # Their offers with our profiles, and our offers with their profiles.
        pairs = np.outer(hosts == other, seekers == viewer) | np.outer(
            hosts == viewer, seekers == other
        )
        if not pairs.any():
            continue
        entry.compared = True
        candidates = pairs & fits
        if not candidates.any():
            continue
        totals = np.where(candidates, result.total, -1.0)
        row, column = np.unravel_index(int(np.argmax(totals)), totals.shape)
        best[other] = (int(row), int(column))
    return best


def _explain(best, offers, profiles, result, past_partners, vocabularies, viewer, ranked):
    if not best:
        return
    others = list(best)
    rows = np.array([best[o][0] for o in others], dtype=np.int64)
    columns = np.array([best[o][1] for o in others], dtype=np.int64)
    explained = breakdowns(
        offers,
        profiles,
        rows,
        columns,
        totals=result.total[rows, columns],
        exclusions=result.exclusion[rows, columns],
        components=result.components[rows, columns],
        past_partners=past_partners,
        vocabularies=vocabularies,
    )
    titles = dict(Offer.objects.filter(pk__in=offers.ids[rows].tolist()).values_list("pk", "title"))
    names = dict(
        InterestProfile.objects.filter(pk__in=profiles.ids[columns].tolist()).values_list(
            "pk", "name"
        )
    )
    for other, row, column, breakdown in zip(others, rows, columns, explained):
        entry = ranked[other]
        entry.theirs_is_the_offer = int(offers.organisation_ids[row]) != viewer
        entry.score = breakdown["total"]
        # The viewer reads the reasons as the seeker when the offer is theirs.
        entry.reasons = explanations.reasons(
            breakdown, viewer="seeker" if entry.theirs_is_the_offer else "host"
        )
        entry.offer_title = titles.get(int(offers.ids[row]), "")
        entry.profile_name = names.get(int(profiles.ids[column]), "")


# Meetings ------------------------------------------------------------------------------------


def meetings_of(registration: EventRegistration) -> QuerySet[Meeting]:
    """The registration's meetings, either side, in slot order, with both organisations."""
    return (
        Meeting.objects.filter(Q(requester=registration) | Q(recipient=registration))
        .select_related("event", "requester__organisation", "recipient__organisation")
        .order_by("slot_start", "pk")
    )


def schedule_of(registration: EventRegistration) -> QuerySet[Meeting]:
    """The registration's accepted meetings in slot order."""
    return meetings_of(registration).filter(status=Meeting.Status.ACCEPTED)


def partners_of(registration: EventRegistration) -> set[int]:
    """The organisations ``registration``'s organisation already meets or has a request
    waiting with, either way: nobody asks them again (one query)."""
    pairs = (
        Meeting.objects.filter(status__in=Meeting.OPEN)
        .filter(Q(requester=registration) | Q(recipient=registration))
        .values_list("requester__organisation_id", "recipient__organisation_id")
    )
    return {other for pair in pairs for other in pair} - {registration.organisation_id}


def busy_slots(*registrations: EventRegistration):
    """The slot starts in which any of the registrations has an accepted meeting."""
    return set(
        Meeting.objects.filter(status=Meeting.Status.ACCEPTED)
        .filter(Q(requester__in=registrations) | Q(recipient__in=registrations))
        .values_list("slot_start", flat=True)
    )


@dataclass
class GridRow:
    slot: object
    cells: list  # one per organisation: the meetings it has in the slot


def meeting_grid(event: Event):
    """The whole event as slots × participants: (organisations, rows). Two queries."""
    registrations = list(
        event.registrations.confirmed()
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    column = {registration.pk: i for i, registration in enumerate(registrations)}
    meetings = grid_meetings(event).filter(status__in=Meeting.OPEN)
    by_slot = {}
    for meeting in meetings:
        cells = by_slot.setdefault(meeting.slot_start, [[] for _ in registrations])
        for side, other in [
            (meeting.requester, meeting.recipient),
            (meeting.recipient, meeting.requester),
        ]:
            if side.pk in column:
                cells[column[side.pk]].append((other.organisation, meeting))
    rows = [
        GridRow(slot, by_slot.get(slot.start) or [[] for _ in registrations])
        for slot in event.slots()
    ]
    return [r.organisation for r in registrations], rows


def grid_meetings(event: Event) -> QuerySet[Meeting]:
    """Every meeting of the event in slot order, with both organisations: one query."""
    return (
        Meeting.objects.filter(event=event)
        .select_related("requester__organisation", "recipient__organisation")
        .order_by("slot_start", "requester__organisation__name", "pk")
    )
