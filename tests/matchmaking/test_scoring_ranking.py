"""top_matches: the k best both ways, in a fixed order, whatever the chunk size."""

import numpy as np
import pytest

from matchmaking.scoring import COMPONENTS, Exclusion, Weights, score, top_matches
from tests.matchmaking.test_scoring import build, offer, random_rows, seeker

pytestmark = []


def brute_force(matrix, offer_ids, seeker_ids, k):
    """The rankings from the full matrix, sorted with Python's sort."""
    per_offer = []
    for i in range(matrix.total.shape[0]):
        fits = [j for j in range(matrix.total.shape[1]) if matrix.exclusion[i, j] == 0]
        per_offer.append(sorted(fits, key=lambda j: (-matrix.total[i, j], seeker_ids[j]))[:k])
    per_seeker = []
    for j in range(matrix.total.shape[1]):
        fits = [i for i in range(matrix.total.shape[0]) if matrix.exclusion[i, j] == 0]
        per_seeker.append(sorted(fits, key=lambda i: (-matrix.total[i, j], offer_ids[i]))[:k])
    return per_offer, per_seeker


def assert_rankings_equal(first, second):
    assert len(first.per_offer) == len(second.per_offer)
    assert len(first.per_seeker) == len(second.per_seeker)
    for a, b in zip(first.per_offer + first.per_seeker, second.per_offer + second.per_seeker):
        assert a.indices.tolist() == b.indices.tolist()
        assert a.totals.tobytes() == b.totals.tobytes()
        assert a.components.tobytes() == b.components.tobytes()


@pytest.mark.parametrize("seed, k", [(0, 3), (1, 5), (2, 50)])
def test_top_matches_equal_a_brute_force_ranking_of_the_matrix(seed, k):
    rows, seeker_rows, partners = random_rows(np.random.default_rng(seed), 40, 70)
    offers, seekers = build(rows, seeker_rows)
    matrix = score(offers, seekers, Weights(), past_partners=partners)

    best = top_matches(offers, seekers, Weights(), k=k, past_partners=partners, chunk_size=7)

    per_offer, per_seeker = brute_force(matrix, offers.ids, seekers.ids, k)
    for i, ranking in enumerate(best.per_offer):
        assert ranking.indices.tolist() == per_offer[i]
        assert ranking.totals.tobytes() == matrix.total[i, per_offer[i]].tobytes()
        assert ranking.components.tobytes() == matrix.components[i, per_offer[i]].tobytes()
    for j, ranking in enumerate(best.per_seeker):
        assert ranking.indices.tolist() == per_seeker[j]
        assert ranking.totals.tobytes() == matrix.total[per_seeker[j], j].tobytes()
        assert ranking.components.tobytes() == matrix.components[per_seeker[j], j].tobytes()


def test_the_chunk_size_does_not_change_the_result():
    rows, seeker_rows, partners = random_rows(np.random.default_rng(7), 60, 50)
    offers, seekers = build(rows, seeker_rows)

    results = [
        top_matches(offers, seekers, Weights(), k=4, past_partners=partners, chunk_size=size)
        for size in (1, 13, None)
    ]

    assert_rankings_equal(results[0], results[1])
    assert_rankings_equal(results[0], results[2])


def test_top_matches_are_the_same_every_time():
    rows, seeker_rows, partners = random_rows(np.random.default_rng(8), 30, 30)

    first = top_matches(*build(rows, seeker_rows), Weights(), k=5, past_partners=partners)
    second = top_matches(*build(rows, seeker_rows), Weights(), k=5, past_partners=partners)

    assert_rankings_equal(first, second)


def test_equal_totals_are_ordered_by_id():
    # Five identical seekers (and offers) but for their ids, given out of order.
    offers, seekers = build(
        [offer(id=i) for i in (30, 10, 20)],
        [seeker(id=i) for i in (5, 3, 9, 1, 7)],
    )

    best = top_matches(offers, seekers, Weights(), k=4)

    assert [seekers.ids[j] for j in best.per_offer[0].indices] == [1, 3, 5, 7]
    assert [offers.ids[i] for i in best.per_seeker[0].indices] == [10, 20, 30]


def test_a_higher_total_comes_first_whatever_the_id():
    offers, seekers = build(
        [offer()], [seeker(id=1, themes=[3]), seeker(id=2, themes=[0, 1]), seeker(id=3)]
    )

    ranking = top_matches(offers, seekers, Weights(), k=3).per_offer[0]

    assert seekers.ids[ranking.indices].tolist() == [2, 3, 1]
    assert (np.diff(ranking.totals) <= 0).all()
    assert ranking.components.shape == (3, len(COMPONENTS))


def test_excluded_pairs_are_never_ranked():
    offers, seekers = build(
        [offer()],
        [seeker(id=1, exchange_types=[2]), seeker(id=2, organisation_id=100), seeker(id=3)],
    )

    best = top_matches(offers, seekers, Weights(), k=10)

    assert best.per_offer[0].indices.tolist() == [2]
    assert [len(r) for r in best.per_seeker] == [0, 0, 1]


def test_a_scored_pair_with_a_total_of_zero_is_still_ranked():
    only_themes = Weights(**dict.fromkeys(COMPONENTS, 0) | {"themes": 1})
    offers, seekers = build([offer(themes=[0])], [seeker(themes=[5])])

    ranking = top_matches(offers, seekers, only_themes, k=5).per_offer[0]

    assert ranking.indices.tolist() == [0]
    assert ranking.totals.tolist() == [0.0]


def test_k_zero_ranks_nothing_and_a_negative_k_is_refused():
    offers, seekers = build([offer()], [seeker()])

    best = top_matches(offers, seekers, Weights(), k=0)

    assert [len(r) for r in best.per_offer + best.per_seeker] == [0, 0]
    with pytest.raises(ValueError):
        top_matches(offers, seekers, Weights(), k=-1)


def test_no_seekers_gives_empty_rankings():
    offers, seekers = build([offer(), offer(id=2)], [])

    best = top_matches(offers, seekers, Weights())

    assert [len(r) for r in best.per_offer] == [0, 0]
    assert best.per_seeker == []


def test_rankings_name_exclusions_none():
    rows, seeker_rows, partners = random_rows(np.random.default_rng(4), 10, 10)
    offers, seekers = build(rows, seeker_rows)
    matrix = score(offers, seekers, Weights(), past_partners=partners)

    best = top_matches(offers, seekers, Weights(), past_partners=partners)

    for i, ranking in enumerate(best.per_offer):
        assert (matrix.exclusion[i, ranking.indices] == Exclusion.NONE).all()


def test_no_offers_gives_empty_rankings():
    offers, seekers = build([], [seeker(), seeker(id=2)])

    best = top_matches(offers, seekers, Weights())

    assert best.per_offer == []
    assert [len(r) for r in best.per_seeker] == [0, 0]


def test_parts_of_the_offers_give_the_whole_rankings_when_merged():
    """Several processes may each score a range of offers: each offer's ranking is the
    whole run's, and a seeker's k best of all are the k best of its parts' rankings."""
    rows, seeker_rows, partners = random_rows(np.random.default_rng(11), 45, 60)
    offers, seekers = build(rows, seeker_rows)
    k = 4
    whole = top_matches(offers, seekers, Weights(), k=k, past_partners=partners, also_above=0.3)

    parts = [
        top_matches(
            offers,
            seekers,
            Weights(),
            k=k,
            past_partners=partners,
            also_above=0.3,
            chunk_size=3,
            offer_rows=(lo, min(lo + 10, 45)),
        )
        for lo in range(0, 45, 10)
    ]

    per_offer = [ranking for part in parts for ranking in part.per_offer]
    assert len(per_offer) == 45
    for a, b in zip(per_offer, whole.per_offer):
        assert a.indices.tolist() == b.indices.tolist()
        assert a.totals.tobytes() == b.totals.tobytes()
    for j, ranking in enumerate(whole.per_seeker):
        candidates = [
            (-float(total), int(offers.ids[i]), int(i), total.tobytes())
            for part in parts
            for i, total in zip(part.per_seeker[j].indices, part.per_seeker[j].totals)
        ]
        merged = sorted(candidates)[:k]
        assert [c[2] for c in merged] == ranking.indices.tolist()
        assert b"".join(c[3] for c in merged) == ranking.totals.tobytes()
    also = sorted(
        (int(r), int(c)) for part in parts for r, c in zip(part.also.rows, part.also.columns)
    )
    assert also == sorted(zip(whole.also.rows.tolist(), whole.also.columns.tolist()))


def test_a_range_beyond_the_offers_is_refused():
    rows, seeker_rows, partners = random_rows(np.random.default_rng(3), 5, 5)
    offers, seekers = build(rows, seeker_rows)
    with pytest.raises(ValueError, match="offer_rows"):
        top_matches(offers, seekers, Weights(), offer_rows=(2, 6))
