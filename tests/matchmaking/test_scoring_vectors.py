"""The text component from sentence vectors (``embedding``), and the lexical fallback per pair."""

import dataclasses

import numpy as np
import pytest

from matchmaking.scoring import (
    COMPONENTS,
    Weights,
    embed,
    embedding,
    explain,
    score,
    score_pairs,
    top_matches,
)
from tests.matchmaking.test_scoring import build, offer, random_rows, seeker

TEXT = COMPONENTS.index("text")

NEET_EN = (
    "Job shadowing for youth guidance counsellors: how to reach young people not in "
    "education, employment or training through outreach work."
)
NEET_SV = (
    "Jobbskuggning för studie- och yrkesvägledare: hur man når unga som varken arbetar "
    "eller studerar genom uppsökande arbete."
)
LOGISTICS_EN = (
    "VET learner placements in logistics companies: warehouse management, forklift "
    "certificates and the supply chain."
)


@pytest.fixture(scope="module")
def model_vectors():
    """The real model on a handful of texts (about a second)."""
    return embed([NEET_EN, NEET_SV, LOGISTICS_EN], kind=embedding.MATCHING_KIND)


def test_the_model_gives_unit_vectors_of_its_dimension(model_vectors):
    assert model_vectors.shape == (3, embedding.DIMENSIONS)
    assert model_vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(model_vectors, axis=1), 1.0, atol=1e-5)
    assert not embed([""], kind="query").any()  # an empty text: no vector
    with pytest.raises(ValueError):
        embed(["x"], kind="document")


def test_a_swedish_and_an_english_text_on_one_subject_beat_an_unrelated_english_one(
    model_vectors,
):
    offers, seekers = build(
        [offer(id=1, text=NEET_EN, text_language="en")],
        [
            seeker(id=1, text=NEET_SV, text_language="sv"),
            seeker(id=2, text=LOGISTICS_EN, text_language="en"),
        ],
    )
    offers = dataclasses.replace(offers, vectors=model_vectors[:1])
    seekers = dataclasses.replace(seekers, vectors=model_vectors[1:])

    text = score(offers, seekers, Weights()).components[0, :, TEXT]

    assert text[0] > text[1]
    assert text[0] > 0.3  # the same subject across languages says so
    # Words alone see nothing in common between Swedish and English.
    lexical = score(
        dataclasses.replace(offers, vectors=None),
        dataclasses.replace(seekers, vectors=None),
        Weights(),
    ).components[0, 0, TEXT]
    assert lexical == 0


def test_the_explanation_knows_the_vectors_compared_texts_in_two_languages(model_vectors):
    offers, seekers = build(
        [offer(text=NEET_EN, text_language="en")], [seeker(text=NEET_SV, text_language="sv")]
    )
    offers = dataclasses.replace(offers, vectors=model_vectors[:1])
    seekers = dataclasses.replace(seekers, vectors=model_vectors[1:2])

    breakdown = explain(offers, 0, seekers, 0, score(offers, seekers, Weights()))

    assert breakdown.text_by_vectors
    assert breakdown.text_languages == ("en", "sv")
    assert breakdown.as_dict()["text_languages"] == ["en", "sv"]


def _random_vectors(rng, n, missing=()):
    vectors = rng.standard_normal((n, embedding.DIMENSIONS)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors[list(missing)] = 0.0  # no vector yet
    return vectors


def _related(rng, vectors, strength=0.9):
    """Vectors near ``vectors``: cosines about ``strength``, within the mapped range."""
    noise = _random_vectors(rng, len(vectors))
    mixed = strength * vectors + np.sqrt(1 - strength**2) * noise
    return mixed / np.linalg.norm(mixed, axis=1, keepdims=True)


@pytest.fixture
def mixed():
    """Offers and seekers with vectors, some rows without one yet."""
    rng = np.random.default_rng(11)
    offer_rows, seeker_rows, _partners = random_rows(rng, 7, 40)
    offers, seekers = build(offer_rows, seeker_rows)
    offer_vectors = _random_vectors(rng, len(offers), missing=[2])
    seeker_vectors = _related(rng, offer_vectors[rng.integers(0, len(offers), len(seekers))])
    seeker_vectors[[0, 5, 17]] = 0.0
    return (
        dataclasses.replace(offers, vectors=offer_vectors),
        dataclasses.replace(seekers, vectors=seeker_vectors),
    )


def test_a_pair_without_a_vector_on_either_side_falls_back_to_the_lexical_similarity(mixed):
    offers, seekers = mixed
    with_vectors = score(offers, seekers, Weights()).components[:, :, TEXT]
    lexical = score(
        dataclasses.replace(offers, vectors=None),
        dataclasses.replace(seekers, vectors=None),
        Weights(),
    ).components[:, :, TEXT]

    fallback = ~(offers.has_vector[:, np.newaxis] & seekers.has_vector[np.newaxis, :])
    assert fallback[2].all() and fallback[:, 5].all() and fallback.sum() < fallback.size
    assert with_vectors[fallback].tobytes() == lexical[fallback].tobytes()
    # Only the pairs that fit have a text component (the costliest is not spent on others).
    fit = score(offers, seekers, Weights()).exclusion == 0
    assert (with_vectors[~fit] == 0).all() and fit.sum() > 10
    fallback &= fit
    codes_o, codes_s = offers.codes, seekers.codes
    cosine = (codes_o @ codes_s.T) * offers.vector_scales[:, None] * seekers.vector_scales
    expected = np.clip((cosine - embedding.FLOOR) / (embedding.CEILING - embedding.FLOOR), 0, 1)
    by_vectors = fit & ~fallback
    np.testing.assert_allclose(with_vectors[by_vectors], expected[by_vectors], atol=1e-6)
    assert (with_vectors[by_vectors] > 0).any() and fallback.any()


def test_vector_similarities_are_the_same_bits_in_blocks_pairs_and_rankings(mixed):
    offers, seekers = mixed
    matrix = score(offers, seekers, Weights())
    rows, columns = np.nonzero(np.ones(matrix.total.shape, dtype=bool))

    pairs = score_pairs(offers, seekers, rows, columns, Weights())

    assert pairs.components.tobytes() == matrix.components[rows, columns].tobytes()
    assert pairs.total.tobytes() == matrix.total[rows, columns].tobytes()
    for chunk in (1, 3, 7):
        best = top_matches(offers, seekers, Weights(), k=5, chunk_size=chunk)
        for i, ranking in enumerate(best.per_offer):
            assert ranking.totals.tobytes() == matrix.total[i, ranking.indices].tobytes()


def test_codes_keep_the_cosine_within_a_few_thousandths():
    rng = np.random.default_rng(3)
    vectors = _random_vectors(rng, 50)
    related = _related(rng, vectors)
    codes_a, codes_b = embedding.quantise(vectors), embedding.quantise(related)
    assert codes_a.dtype == np.int8 and np.abs(codes_a).max() == embedding.LEVELS

    dots = np.einsum("ij,ij->i", codes_a.astype(np.float32), codes_b.astype(np.float32))
    cosine = dots * embedding.scales(codes_a) * embedding.scales(codes_b)

    np.testing.assert_allclose(cosine, np.einsum("ij,ij->i", vectors, related), atol=4e-3)
    # Stored and read back unchanged; a malformed row reads as no vector.
    stored = [embedding.to_bytes(row) for row in codes_a[:2]] + [b"short", None]
    read = embedding.from_bytes(stored)
    assert (read[:2] == codes_a[:2]).all() and not read[2:].any()
