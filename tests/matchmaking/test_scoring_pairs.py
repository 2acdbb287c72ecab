"""score_pairs: chosen pairs with score's bits; top_matches(also_above=…): pairs besides."""

import dataclasses

import numpy as np
import pytest

from matchmaking.scoring import COMPONENTS, Exclusion, Weights, score, score_pairs, top_matches
from matchmaking.scoring.inputs import Offers
from tests.matchmaking.test_scoring import build, random_rows


def _world(seed, n_offers=30, n_seekers=45):
    rows, seeker_rows, partners = random_rows(np.random.default_rng(seed), n_offers, n_seekers)
    offers, seekers = build(rows, seeker_rows)
    return offers, seekers, partners


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_pairs_have_the_bits_of_the_whole_matrix(seed):
    offers, seekers, partners = _world(seed)
    matrix = score(offers, seekers, Weights(), past_partners=partners)
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, len(offers), 200)
    columns = rng.integers(0, len(seekers), 200)

    pairs = score_pairs(offers, seekers, rows, columns, Weights(), past_partners=partners)

    assert {int(e) for e in pairs.exclusion} > {Exclusion.NONE}  # exclusions among them
    assert pairs.total.tobytes() == matrix.total[rows, columns].tobytes()
    assert pairs.exclusion.tobytes() == matrix.exclusion[rows, columns].tobytes()
    assert pairs.components.tobytes() == matrix.components[rows, columns].tobytes()


@pytest.mark.parametrize("seed", [4, 5])
def test_each_corpus_scores_as_its_offer_against_its_seekers_alone(seed):
    """The applications' case: each offer's pairs form their own corpus and see their own
    places left; every pair has the bits of a score of that offer alone (with those places)
    against the seekers of its corpus alone."""
    offers, seekers, _partners = _world(seed, n_offers=6, n_seekers=40)
    rng = np.random.default_rng(seed)
    offer_of = rng.integers(0, len(offers), len(seekers))
    places = rng.integers(0, 5, len(seekers)).astype(np.int32)
    columns = np.arange(len(seekers))

    pairs = score_pairs(
        offers,
        seekers,
        offer_of,
        columns,
        Weights(),
        partners=np.zeros(len(seekers), bool),
        places_left=places,
        corpora=offer_of,
    )

    # Some text in common (the text of a pair is scored only where it fits).
    assert (pairs.components[:, 1] > 0).any() or (pairs.exclusion > 0).mean() >= 0.8
    for i in np.unique(offer_of):
        group = np.flatnonzero(offer_of == i)
        for value in np.unique(places[group]):
            alone = dataclasses.replace(
                offers.take([i]), places_left=np.array([value], dtype=np.int32)
            )
            matrix = score(alone, seekers.take(group), Weights())
            at = np.flatnonzero(places[group] == value)
            picked = group[at]
            assert pairs.components[picked].tobytes() == matrix.components[0, at].tobytes()
            assert pairs.total[picked].tobytes() == matrix.total[0, at].tobytes()
            assert pairs.exclusion[picked].tobytes() == matrix.exclusion[0, at].tobytes()


def test_partners_given_per_pair_make_the_reciprocity():
    offers, seekers, _partners = _world(9)
    rows, columns = np.zeros(len(seekers), dtype=np.int64), np.arange(len(seekers))
    flags = np.arange(len(seekers)) % 2 == 0

    pairs = score_pairs(offers, seekers, rows, columns, Weights(), partners=flags)

    at = COMPONENTS.index("reciprocity")
    reciprocity = pairs.components[:, at]
    assert (reciprocity[flags] == 1).all()
    plain = score_pairs(offers, seekers, rows, columns, Weights())
    assert (reciprocity[~flags] == plain.components[~flags, at]).all()


def test_one_corpus_of_everything_is_the_default():
    offers, seekers, partners = _world(6)
    rows, columns = np.divmod(np.arange(len(offers) * len(seekers)), len(seekers))

    default = score_pairs(offers, seekers, rows, columns, Weights(), past_partners=partners)
    labelled = score_pairs(
        offers,
        seekers,
        rows,
        columns,
        Weights(),
        past_partners=partners,
        corpora=np.zeros(len(rows)),
    )

    assert default.components.tobytes() == labelled.components.tobytes()


def test_no_pairs_and_bad_pairs():
    offers, seekers, _partners = _world(7)

    assert len(score_pairs(offers, seekers, [], [], Weights())) == 0
    with pytest.raises(ValueError, match="rows of the offers"):
        score_pairs(offers, seekers, [len(offers)], [0], Weights())
    with pytest.raises(ValueError, match="one value per pair"):
        score_pairs(offers, seekers, [0], [0], Weights(), places_left=[1, 2])
    assert isinstance(offers, Offers)


@pytest.mark.parametrize("chunk_size", [1, 7, None])
def test_top_matches_also_gives_every_pair_above_a_threshold_for_chosen_seekers(chunk_size):
    offers, seekers, partners = _world(8, n_offers=40, n_seekers=50)
    matrix = score(offers, seekers, Weights(), past_partners=partners)
    chosen = np.random.default_rng(8).random(len(seekers)) < 0.5
    threshold = float(np.median(matrix.total[matrix.exclusion == 0]))

    best = top_matches(
        offers,
        seekers,
        Weights(),
        k=2,
        past_partners=partners,
        chunk_size=chunk_size,
        also_above=threshold,
        also_seekers=chosen,
    )

    expected = np.argwhere(
        (matrix.total >= np.float32(threshold)) & (matrix.exclusion == 0) & chosen
    )
    found = np.stack([best.also.rows, best.also.columns], axis=1)
    assert found.tolist() == expected.tolist() and len(found)
    assert best.also.total.tobytes() == matrix.total[expected[:, 0], expected[:, 1]].tobytes()
    assert best.also.components.tobytes() == (
        matrix.components[expected[:, 0], expected[:, 1]].tobytes()
    )
    assert top_matches(offers, seekers, Weights(), k=2).also is None
