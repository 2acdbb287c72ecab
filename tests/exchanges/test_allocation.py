"""The round allocation's rules on small random instances, against a brute-force oracle."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exchanges.allocation import (
    FILLED,
    NOT_ACCEPTABLE,
    PLACEMENT_BONUS,
    RESERVE,
    Allocation,
    Applicant,
    Choice,
    Instance,
    Place,
    allocate_best_fit,
    allocate_stable,
    blocking_pairs,
    figures,
    reasons_unplaced,
    released_reserve,
    reserve_places,
)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def instances(draw, *, max_size=1):
    n_offers = draw(st.integers(1, 3))
    capacities = [draw(st.integers(1, 3)) for _ in range(n_offers)]
    applicants = []
    for applicant in range(draw(st.integers(1, 5))):
        offers = draw(st.permutations(range(n_offers)))[: draw(st.integers(1, n_offers))]
        reserved = draw(st.booleans())
        choices = tuple(
            Choice(
                offer=offer,
                size=draw(st.integers(1, min(max_size, capacities[offer]))),
                reserved=reserved,
                fit=draw(st.integers(0, 5)) / 5,
            )
            for offer in offers
        )
        applicants.append(Applicant(id=applicant, choices=choices))
    places = []
    for offer, capacity in enumerate(capacities):
        choosers = [a.id for a in applicants if a.choice_at(offer)]
        ranking = draw(st.permutations(choosers))
        acceptable = [a for a in ranking if draw(st.integers(0, 5)) > 0]
        places.append(
            Place(
                id=offer,
                capacity=capacity,
                reserve=draw(st.integers(0, capacity)),
                ranking=tuple(acceptable),
            )
        )
    return Instance(applicants, places)


def all_allocations(instance):
    """Every way to place each applicant at most once, at an acceptable choice, in capacity."""
    options = [
        [None] + [c.offer for c in applicant.choices if instance.acceptable(applicant.id, c.offer)]
        for applicant in instance.applicants.values()
    ]
    ids = list(instance.applicants)
    for combination in itertools.product(*options):
        held = {offer: [] for offer in instance.offers}
        for applicant, offer in zip(ids, combination, strict=True):
            if offer is not None:
                held[offer].append(applicant)
        if all(
            sum(instance.demand[a, o][0] for a in kept) <= instance.offers[o].capacity
            for o, kept in held.items()
        ):
            placements = {a: o for a, o in zip(ids, combination, strict=True) if o is not None}
            yield Allocation(placements=placements, held=held)


def is_stable(instance, allocation):
    return all(
        sorted(instance.choose(o, kept)) == sorted(kept) for o, kept in allocation.held.items()
    ) and not blocking_pairs(instance, allocation)


def rank_of(instance, applicant, allocation):
    offer = allocation.offer_of(applicant)
    if offer is None:
        return len(instance.applicants[applicant].choices)
    return instance.preference[applicant, offer]


def sender_optimal_stable(instance):
    stable = [a for a in all_allocations(instance) if is_stable(instance, a)]
    for candidate in stable:
        if all(
            rank_of(instance, a, candidate) <= rank_of(instance, a, other)
            for other in stable
            for a in instance.applicants
        ):
            return candidate
    return None


def capacity_respected(instance, allocation):
    for offer, kept in allocation.held.items():
        assert sum(instance.demand[a, offer][0] for a in kept) <= instance.offers[offer].capacity
        for applicant in kept:
            assert instance.acceptable(applicant, offer)
            assert allocation.placements[applicant] == offer


def reserve_not_left_unused(instance, allocation):
    """No unplaced reserved-category applicant ranking an offer that would fit in the reserve's
    places the reserved-category applications its host ranks higher leave, nor in the free
    places."""
    for applicant in instance.applicants.values():
        if applicant.id in allocation.placements:
            continue
        for choice in applicant.choices:
            offer = instance.offers[choice.offer]
            if not instance.acceptable(applicant.id, offer.id):
                continue
            kept = allocation.held[offer.id]
            used = sum(instance.demand[a, offer.id][0] for a in kept)
            assert offer.capacity - used < choice.size, "places left empty"
            if choice.reserved:
                position = instance.position[offer.id]
                higher = sum(
                    instance.demand[a, offer.id][0]
                    for a in kept
                    if instance.demand[a, offer.id][1] and position[a] < position[applicant.id]
                )
                assert offer.reserve - higher < choice.size, "reserve left unused"


@SETTINGS
@given(instances(max_size=1))
def test_with_one_participant_each_the_stable_rule_is_the_sender_optimal_stable_matching(
    instance,
):
    allocation = allocate_stable(instance)
    assert blocking_pairs(instance, allocation) == []
    oracle = sender_optimal_stable(instance)
    assert oracle is not None
    assert allocation.placements == oracle.placements
    capacity_respected(instance, allocation)
    reserve_not_left_unused(instance, allocation)


@settings(max_examples=100, deadline=None)
@given(instances(max_size=1))
def test_with_one_participant_each_no_sender_gains_by_misreporting(instance):
    truthful = allocate_stable(instance)
    for applicant in instance.applicants.values():
        honest_rank = rank_of(instance, applicant.id, truthful)
        for length in range(1, len(applicant.choices) + 1):
            for reported in itertools.permutations(applicant.choices, length):
                lying = Instance(
                    [
                        Applicant(id=a.id, choices=tuple(reported)) if a.id == applicant.id else a
                        for a in instance.applicants.values()
                    ],
                    list(instance.offers.values()),
                )
                offer = allocate_stable(lying).offer_of(applicant.id)
                # What the applicant gets, by its true preferences.
                got = (
                    len(applicant.choices)
                    if offer is None
                    else instance.preference[applicant.id, offer]
                )
                assert got >= honest_rank


@SETTINGS
@given(instances(max_size=3))
def test_with_groups_the_stable_rule_leaves_no_blocking_pair_when_a_stable_matching_exists(
    instance,
):
    allocation = allocate_stable(instance)
    capacity_respected(instance, allocation)
    if blocking_pairs(instance, allocation):
        assert not any(is_stable(instance, a) for a in all_allocations(instance))
    else:
        reserve_not_left_unused(instance, allocation)


def best_fit_feasible(instance, allocation):
    for offer, kept in allocation.held.items():
        general = sum(
            instance.demand[a, offer][0] for a in kept if not instance.demand[a, offer][1]
        )
        if general > instance.offers[offer].capacity - released_reserve(instance, offer):
            return False
    return True


def gain(instance, allocation):
    return sum(
        instance.applicants[a].choice_at(o).fit + PLACEMENT_BONUS
        for a, o in allocation.placements.items()
    )


@SETTINGS
@given(instances(max_size=3))
def test_best_total_fit_equals_the_oracles_optimum(instance):
    allocation = allocate_best_fit(instance)
    capacity_respected(instance, allocation)
    assert best_fit_feasible(instance, allocation)
    best = max(
        gain(instance, a) for a in all_allocations(instance) if best_fit_feasible(instance, a)
    )
    assert gain(instance, allocation) == pytest.approx(best, abs=1e-9)
    # The reserve is released only as far as nobody of the reserved category could use it.
    for applicant in instance.applicants.values():
        if applicant.id in allocation.placements:
            continue
        for choice in applicant.choices:
            if instance.acceptable(applicant.id, choice.offer):
                kept = allocation.held[choice.offer]
                used = sum(instance.demand[a, choice.offer][0] for a in kept)
                held_back = 0 if choice.reserved else released_reserve(instance, choice.offer)
                general = sum(
                    instance.demand[a, choice.offer][0]
                    for a in kept
                    if not instance.demand[a, choice.offer][1]
                )
                room = instance.offers[choice.offer].capacity - used
                if not choice.reserved:
                    room = min(room, instance.offers[choice.offer].capacity - held_back - general)
                assert room < choice.size


def test_the_reserve_is_a_fifth_of_the_places_rounded_half_up():
    assert [reserve_places(c, 0.2) for c in range(1, 11)] == [0, 0, 1, 1, 1, 1, 1, 2, 2, 2]
    assert reserve_places(4, 1) == 4


def _two_offers():
    # Offer 0 takes 2 participants, 1 of them held for the reserve; offer 1 takes 1.
    applicants = [
        Applicant(id=1, choices=(Choice(0, 1, False, 0.9), Choice(1, 1, False, 0.5))),
        Applicant(id=2, choices=(Choice(0, 1, False, 0.8), Choice(1, 1, False, 0.4))),
        Applicant(id=3, choices=(Choice(0, 1, True, 0.1),)),
        Applicant(id=4, choices=(Choice(1, 1, False, 0.3),)),
    ]
    offers = [Place(0, 2, 1, (1, 2, 3)), Place(1, 1, 0, (1, 2))]
    return Instance(applicants, offers)


def test_the_reserve_holds_a_place_against_higher_ranked_applicants():
    instance = _two_offers()
    allocation = allocate_stable(instance)
    assert allocation.placements == {1: 0, 3: 0, 2: 1}
    assert reasons_unplaced(instance, allocation, 4) == [NOT_ACCEPTABLE]
    result = figures(instance, allocation)
    assert (result.placed, result.first_choices, result.reserve_filled) == (3, 2, 1)
    assert result.blocking_pairs == 0


def test_an_unplaced_applicant_learns_whether_the_reserve_or_the_ranking_kept_it_out():
    instance = Instance(
        [
            Applicant(id=1, choices=(Choice(0, 1, False, 0.9),)),
            Applicant(id=2, choices=(Choice(0, 1, True, 0.1),)),
            Applicant(id=3, choices=(Choice(0, 1, False, 0.5),)),
        ],
        [Place(0, 2, 1, (1, 3, 2))],
    )
    allocation = allocate_stable(instance)
    assert allocation.placements == {1: 0, 2: 0}
    assert reasons_unplaced(instance, allocation, 3) == [RESERVE]
    full = Instance(
        list(instance.applicants.values())[:1] + [Applicant(id=3, choices=(Choice(0, 1),))],
        [Place(0, 1, 0, (1, 3))],
    )
    assert reasons_unplaced(full, allocate_stable(full), 3) == [FILLED]


def test_best_total_fit_gives_up_a_first_choice_for_a_better_total():
    instance = Instance(
        [
            Applicant(id=1, choices=(Choice(0, 1, False, 0.6), Choice(1, 1, False, 0.5))),
            Applicant(id=2, choices=(Choice(0, 1, False, 0.9),)),
        ],
        [Place(0, 1, 0, (1, 2)), Place(1, 1, 0, (1,))],
    )
    assert allocate_stable(instance).placements == {1: 0}
    assert allocate_best_fit(instance).placements == {1: 1, 2: 0}


def test_nothing_to_allocate_gives_an_empty_allocation():
    instance = Instance([Applicant(id=1, choices=(Choice(0, 1),))], [Place(0, 1, 0, ())])
    assert allocate_stable(instance).placements == {}
    assert allocate_best_fit(instance).placements == {}
