"""Allocating a call round's places: plain Python (and scipy for the optimum), no Django.

Definitions
-----------
An *applicant* is one sending organisation in a round. It ranks up to N offers (its
*choices*, best first); for each choice it brings ``size`` participants, and it is of the
*reserved category* at that offer when its application there brings participants with fewer
opportunities. It is placed at most once.

An *offer* has a ``capacity`` in participants and a *reserve* of ``reserve`` participants
(``reserve_places(capacity, share)``: the share of its places, rounded half up, so 20 % of
1–2 places is 0, of 3–7 is 1, of 8–10 is 2). Its host *ranks* the applicants who chose it;
an applicant missing from the ranking is not acceptable to it.

How an offer chooses among applicants (``choose``)
--------------------------------------------------
In two passes over the host's ranking: first the reserved-category applicants, each taken
if it fits in the reserve's places left; then every applicant not yet taken, each taken if it
fits in the places left of the whole capacity. So the reserve's places are *held* for
reserved-category applicants against anyone the host ranks higher, and whatever of the reserve
they do not fill is *released* to everyone in the second pass. An applicant that does not fit
is skipped and a smaller one further down may still be taken: hosts would not understand an
offer left half empty because its second group was too large.

The stable rule (``allocate_stable``)
-------------------------------------
Deferred acceptance proposed by the senders (Gale–Shapley with the reserve of Hafalir, Yenmez
and Yildirim, 2013): each unplaced applicant proposes to its next choice; the offer keeps
``choose`` of what it holds plus the newcomer and rejects the rest, who propose further. When
every application brings one participant, this is the *sender-optimal stable* matching: no
applicant and offer would both rather be together (no *blocking pair*), every applicant is
placed at least as well as in any other stable matching, and no sender gains by ranking
offers other than as it prefers (strategy-proof). The tests compare it with a brute-force
oracle on small instances.

With groups of several participants a stable matching need not exist and deciding whether one
does is NP-complete (McDermid and Manlove, 2010, "Keeping partners together"), so no fast rule
can promise one. Deferred acceptance then ends with a *fill* pass: an unplaced applicant is
placed at its best choice that would keep it without turning anyone away. Afterwards no
offer leaves places empty, nor lets an application without fewer-opportunity participants hold
a reserved place, while an acceptable applicant ranking it who would fit there is unplaced;
``blocking_pairs`` counts what is left (0 in the tests with one participant per application,
rare with groups), and the proposal page shows that count.

The best-total-fit rule (``allocate_best_fit``)
-----------------------------------------------
Maximise the sum of the fit scores of the placements under the same capacities (in
participants), each applicant placed at most once, at an offer it ranked and whose host finds
it acceptable, and the reserve: applications without fewer-opportunity participants hold at
most ``capacity - held`` places, where ``held`` is the reserve as far as the reserved-category
applicants ranking the offer could fill it (a reserve nobody could use is released at once).
Each placement also earns ``PLACEMENT_BONUS``, so that of two allocations with the same fit the
one placing more is chosen and a positive-fit applicant is never left out for nothing.

Why scipy's ``milp`` (HiGHS): because groups have sizes, this is a multiple-knapsack
assignment, not a flow problem: min-cost flow (``scipy.sparse.csgraph``) would split a group
across offers or need one participant per application, and the LP relaxation is not integral.
HiGHS solves the integer programme exactly at this scale, and scipy is already a dependency;
OR-Tools would be a second solver for the same job.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

import numpy as np

PLACEMENT_BONUS = 1e-3

# Why an applicant was not placed at one of its choices.
NOT_ACCEPTABLE = "not_acceptable"  # its host marked it not acceptable
FILLED = "filled"  # the host's higher-ranked applications took the places
RESERVE = "reserve"  # it would have fitted but for the places held for the reserve


def reserve_places(capacity: int, share: float) -> int:
    """The places of an offer held for the reserved category: ``share`` of them, half up."""
    return min(capacity, math.floor(share * capacity + 0.5))


@dataclass(frozen=True)
class Choice:
    offer: int
    size: int
    reserved: bool = False
    fit: float = 0.0


@dataclass(frozen=True)
class Applicant:
    id: int
    choices: tuple[Choice, ...]  # best first

    def choice_at(self, offer: int) -> Choice | None:
        for choice in self.choices:
            if choice.offer == offer:
                return choice
        return None


@dataclass(frozen=True)
class Place:
    """An offer of the round: its capacity, its reserve and its host's ranking (best first)."""

    id: int
    capacity: int
    reserve: int
    ranking: tuple[int, ...]  # applicant ids; those left out are not acceptable


@dataclass
class Allocation:
    placements: dict[int, int] = field(default_factory=dict)  # applicant -> offer
    held: dict[int, list[int]] = field(default_factory=dict)  # offer -> applicants

    def offer_of(self, applicant: int) -> int | None:
        return self.placements.get(applicant)


class Instance:
    """Applicants and offers, with the lookups every rule needs."""

    def __init__(self, applicants, offers):
        self.applicants = {applicant.id: applicant for applicant in applicants}
        self.offers = {offer.id: offer for offer in offers}
        self.position = {
            offer.id: {applicant: index for index, applicant in enumerate(offer.ranking)}
            for offer in offers
        }
        # (applicant, offer) -> (participants, reserved category), for the inner loops.
        self.demand = {
            (applicant.id, choice.offer): (choice.size, choice.reserved)
            for applicant in applicants
            for choice in applicant.choices
        }
        # (applicant, offer) -> where the applicant ranks the offer, 0 for its first choice.
        self.preference = {
            (applicant.id, choice.offer): index
            for applicant in applicants
            for index, choice in enumerate(applicant.choices)
        }
        self.choosers = {offer.id: [] for offer in offers}  # offer -> applicants ranking it
        for applicant in applicants:
            for choice in applicant.choices:
                if choice.offer in self.choosers:
                    self.choosers[choice.offer].append(applicant.id)

    def acceptable(self, applicant: int, offer: int) -> bool:
        return applicant in self.position[offer]

    def choose(self, offer: int, candidates, *, reserve: int | None = None) -> list[int]:
        """The applicants the offer keeps of ``candidates`` (see the module's docstring)."""
        place = self.offers[offer]
        position = self.position[offer]
        demand = self.demand
        held_for_reserve = place.reserve if reserve is None else reserve
        ordered = sorted((a for a in candidates if a in position), key=position.__getitem__)
        taken, skipped, used = [], [], 0
        for applicant in ordered:
            size, reserved = demand[applicant, offer]
            if reserved and used + size <= held_for_reserve:
                taken.append(applicant)
                used += size
            else:
                skipped.append(applicant)
        for applicant in skipped:
            size = demand[applicant, offer][0]
            if used + size <= place.capacity:
                taken.append(applicant)
                used += size
        if skipped and len(taken) > 1:
            taken.sort(key=position.__getitem__)
        return taken

    def keeps_all(self, offer: int, held, applicant: int) -> bool:
        return len(self.choose(offer, [*held, applicant])) == len(held) + 1

    def blocks(self, applicant: int, offer: int, held, placed: int | None) -> bool:
        """Whether the applicant prefers the offer to where it is placed and the offer, as it
        holds ``held``, would keep it."""
        rank = self.preference[applicant, offer]
        if placed is not None and self.preference[applicant, placed] <= rank:
            return False
        position = self.position[offer]
        if applicant not in position:
            return False
        size, reserved = self.demand[applicant, offer]
        free = self.offers[offer].capacity - sum(self.demand[a, offer][0] for a in held)
        if free >= size:
            return True  # everyone fits: the offer keeps them all
        if not reserved and all(position[a] < position[applicant] for a in held):
            return False  # the last one the offer would consider, and it does not fit
        return applicant in self.choose(offer, [*held, applicant])


def allocate_stable(instance: Instance) -> Allocation:
    """Sender-proposing deferred acceptance, then the fill pass (see the module docstring)."""
    held: dict[int, list[int]] = {offer: [] for offer in instance.offers}
    next_choice = dict.fromkeys(instance.applicants, 0)
    waiting = deque(sorted(instance.applicants))
    while waiting:
        applicant = waiting.popleft()
        choices = instance.applicants[applicant].choices
        while next_choice[applicant] < len(choices):
            offer = choices[next_choice[applicant]].offer
            next_choice[applicant] += 1
            if not instance.acceptable(applicant, offer):
                continue
            candidates = [*held[offer], applicant]
            kept = instance.choose(offer, candidates)
            held[offer] = kept
            kept_set = set(kept)
            waiting.extend(a for a in candidates if a not in kept_set and a != applicant)
            if applicant in kept_set:
                break
    placements = {a: offer for offer, kept in held.items() for a in kept}
    _fill(instance, held, placements)
    _repair(instance, held, placements)
    return Allocation(placements=placements, held=held)


REPAIR_ROUNDS = 50


def _repair(instance, held, placements):
    """Undo the blocking pairs left with groups of several participants (never with one each).

    Round after round, each applicant of a blocking pair moves to the best offer it blocks
    with; the applications that offer then turns away are unplaced, and the fill pass runs
    again. Only pairs whose offer or applicant changed are looked at again. With groups such
    moves may cycle, hence at most ``REPAIR_ROUNDS`` rounds; in practice a few suffice.
    """
    offers_changed, applicants_changed = set(instance.offers), set()
    for _ in range(REPAIR_ROUNDS):
        suspects = set(applicants_changed)
        for offer in offers_changed:
            suspects.update(instance.choosers[offer])
        offers_changed, applicants_changed = set(), set()
        moves = []
        for applicant in sorted(suspects):
            for choice in instance.applicants[applicant].choices:
                offer = choice.offer
                if offer == placements.get(applicant):
                    break
                if instance.blocks(applicant, offer, held[offer], placements.get(applicant)):
                    moves.append((applicant, offer))
                    break
        if not moves:
            return
        for applicant, offer in moves:
            placed = placements.get(applicant)
            if not instance.blocks(applicant, offer, held[offer], placed):
                continue  # an earlier move of this round changed the offer
            if placed is not None:
                held[placed].remove(applicant)
                offers_changed.add(placed)
            kept = instance.choose(offer, [*held[offer], applicant])
            kept_set = set(kept)
            for turned_away in held[offer]:
                if turned_away not in kept_set:
                    del placements[turned_away]
                    applicants_changed.add(turned_away)
            held[offer] = kept
            placements[applicant] = offer
            offers_changed.add(offer)
        before = dict(placements)
        _fill(instance, held, placements)
        for applicant, offer in placements.items():
            if before.get(applicant) != offer:
                offers_changed.add(offer)


def _fill(instance, held, placements):
    """Place unplaced applicants where they fit without turning anyone away, until none does."""
    used = {offer: sum(instance.demand[a, offer][0] for a in kept) for offer, kept in held.items()}
    changed = True
    while changed:
        changed = False
        for applicant in sorted(instance.applicants):
            if applicant in placements:
                continue
            for choice in instance.applicants[applicant].choices:
                offer = choice.offer
                if (
                    used[offer] + choice.size <= instance.offers[offer].capacity
                    and instance.acceptable(applicant, offer)
                    and instance.keeps_all(offer, held[offer], applicant)
                ):
                    held[offer] = instance.choose(offer, [*held[offer], applicant])
                    used[offer] += choice.size
                    placements[applicant] = offer
                    changed = True
                    break


def blocking_pairs(instance: Instance, allocation: Allocation) -> list[tuple[int, int]]:
    """The (applicant, offer) pairs that would both rather be together than as allocated: the
    applicant prefers the offer to its placement and the offer would keep it."""
    pairs = []
    for applicant in instance.applicants.values():
        placed = allocation.offer_of(applicant.id)
        for choice in applicant.choices:
            if choice.offer == placed:
                break
            held = allocation.held.get(choice.offer, [])
            if instance.acceptable(applicant.id, choice.offer) and applicant.id in instance.choose(
                choice.offer, [*held, applicant.id]
            ):
                pairs.append((applicant.id, choice.offer))
    return pairs


def released_reserve(instance: Instance, offer: int) -> int:
    """The reserve as far as the reserved-category applicants ranking the offer could fill it."""
    place = instance.offers[offer]
    demand = sum(
        instance.applicants[a].choice_at(offer).size
        for a in place.ranking
        if instance.applicants[a].choice_at(offer).reserved
    )
    return min(place.reserve, demand)


def allocate_best_fit(instance: Instance) -> Allocation:
    """The allocation of the greatest total fit (see the module docstring), by scipy's milp."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    pairs = [
        (applicant.id, choice)
        for applicant in instance.applicants.values()
        for choice in applicant.choices
        if choice.offer in instance.offers and instance.acceptable(applicant.id, choice.offer)
    ]
    if not pairs:
        return Allocation(held={offer: [] for offer in instance.offers})
    applicant_row = {a: i for i, a in enumerate(instance.applicants)}
    offer_ids = list(instance.offers)
    offer_row = {o: i for i, o in enumerate(offer_ids)}
    n_a, n_o = len(applicant_row), len(offer_ids)
    rows, cols, values = [], [], []
    for column, (applicant, choice) in enumerate(pairs):
        rows.append(applicant_row[applicant])
        cols.append(column)
        values.append(1)
        rows.append(n_a + offer_row[choice.offer])
        cols.append(column)
        values.append(choice.size)
        if not choice.reserved:
            rows.append(n_a + n_o + offer_row[choice.offer])
            cols.append(column)
            values.append(choice.size)
    matrix = coo_matrix((values, (rows, cols)), shape=(n_a + 2 * n_o, len(pairs))).tocsr()
    upper = np.concatenate(
        [
            np.ones(n_a),
            [instance.offers[o].capacity for o in offer_ids],
            [instance.offers[o].capacity - released_reserve(instance, o) for o in offer_ids],
        ]
    )
    gain = np.array([choice.fit + PLACEMENT_BONUS for _, choice in pairs])
    result = milp(
        -gain,
        constraints=LinearConstraint(matrix, -np.inf, upper),
        integrality=np.ones(len(pairs)),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0},
    )
    if result.x is None:  # pragma: no cover - the empty allocation is always feasible
        raise RuntimeError(f"The solver found no allocation: {result.message}")
    held: dict[int, list[int]] = {offer: [] for offer in instance.offers}
    placements = {}
    for (applicant, choice), value in zip(pairs, result.x, strict=True):
        if value > 0.5:
            placements[applicant] = choice.offer
            held[choice.offer].append(applicant)
    for offer, kept in held.items():
        kept.sort(key=instance.position[offer].__getitem__)
    return Allocation(placements=placements, held=held)


def reasons_unplaced(instance: Instance, allocation: Allocation, applicant: int) -> list[str]:
    """For an unplaced applicant, why each of its choices did not take it, in its order."""
    reasons = []
    for choice in instance.applicants[applicant].choices:
        held = allocation.held.get(choice.offer, [])
        if not instance.acceptable(applicant, choice.offer):
            reasons.append(NOT_ACCEPTABLE)
        elif not choice.reserved and applicant in instance.choose(
            choice.offer, [*held, applicant], reserve=0
        ):
            reasons.append(RESERVE)
        else:
            reasons.append(FILLED)
    return reasons


@dataclass(frozen=True)
class Figures:
    applicants: int
    placed: int
    first_choices: int
    participants_placed: int
    places: int
    reserve_places: int
    reserve_filled: int
    total_fit: float
    blocking_pairs: int

    @property
    def matched_share(self) -> float:
        return self.placed / self.applicants if self.applicants else 0.0


def figures(instance: Instance, allocation: Allocation) -> Figures:
    """What the organiser reviews: matched share, first choices, reserve filled, blocking."""
    first = participants = 0
    fit = 0.0
    reserved_at = dict.fromkeys(instance.offers, 0)
    for applicant, offer in allocation.placements.items():
        choice = instance.applicants[applicant].choice_at(offer)
        first += instance.applicants[applicant].choices[0].offer == offer
        participants += choice.size
        reserved_at[offer] += choice.size if choice.reserved else 0
        fit += choice.fit
    reserve = sum(place.reserve for place in instance.offers.values())
    reserve_filled = sum(
        min(reserved_at[offer], place.reserve) for offer, place in instance.offers.items()
    )
    return Figures(
        applicants=len(instance.applicants),
        placed=len(allocation.placements),
        first_choices=first,
        participants_placed=participants,
        places=sum(place.capacity for place in instance.offers.values()),
        reserve_places=reserve,
        reserve_filled=reserve_filled,
        total_fit=round(fit, 6),
        blocking_pairs=len(blocking_pairs(instance, allocation)),
    )


RULES = {"stable": allocate_stable, "best_fit": allocate_best_fit}
