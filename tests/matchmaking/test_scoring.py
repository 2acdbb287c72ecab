"""The matching engine on its own: hard constraints, components, weights, explanations.

Plain tests (no database): the engine takes arrays and returns arrays. The helpers at the top
(``offer``, ``seeker``, ``build``, ``random_rows``) are shared by the other test_scoring_*
modules.
"""

import dataclasses
import datetime
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from matchmaking.scoring import (
    COMPONENTS,
    Breakdown,
    Exclusion,
    Offers,
    ScoreMatrix,
    Seekers,
    Weights,
    explain,
    score,
    weighted_total,
)

pytestmark = []

DIMENSIONS = {"n_types": 4, "n_themes": 6, "n_languages": 5, "n_countries": 5}
MAY_1 = datetime.date(2026, 5, 1)
ORDINAL = MAY_1.toordinal()


def offer(**fields):
    """An offer row: May 2026, 10 places, exchange type 0, themes 0 and 1, language 0."""
    row = {
        "id": 1,
        "organisation_id": 100,
        "exchange_type": 0,
        "country": 0,
        "start": MAY_1,
        "end": datetime.date(2026, 5, 31),
        "places_left": 10,
        "themes": [0, 1],
        "languages": [0],
    }
    return {**row, **fields}


def seeker(**fields):
    """A seeker row from another organisation and country, fitting ``offer()``."""
    row = {
        "id": 1,
        "organisation_id": 200,
        "exchange_types": [0],
        "country": 1,
        "participants": 2,
        "themes": [0],
        "languages": [0],
    }
    return {**row, **fields}


def build(offer_rows, seeker_rows):
    return (
        Offers.from_rows(offer_rows, **DIMENSIONS),
        Seekers.from_rows(seeker_rows, **DIMENSIONS),
    )


def pair(offer_row, seeker_row, weights=None, **kwargs):
    """Score one pair: (total, exclusion, components by name)."""
    offers, seekers = build([offer_row], [seeker_row])
    matrix = score(offers, seekers, weights or Weights(), **kwargs)
    components = dict(zip(COMPONENTS, matrix.components[0, 0].tolist(), strict=True))
    return float(matrix.total[0, 0]), Exclusion(int(matrix.exclusion[0, 0])), components


WORDS = "inclusion youth guidance apprentices green digital welding nursing tourism".split()


def random_rows(rng, n_offers, n_seekers, *, n_organisations=8):
    """Small random offers and seekers with coarse values, so that ties and every exclusion
    occur; ids are shuffled so that they do not follow the rows."""

    def some(n, low, high):
        return sorted(rng.choice(n, rng.integers(low, high + 1), replace=False).tolist())

    def text():
        return " ".join(rng.choice(WORDS, rng.integers(0, 4)).tolist())

    offers = []
    for offer_id in rng.permutation(n_offers) + 1:
        start = ORDINAL + int(rng.integers(0, 4)) * 30
        offers.append(
            {
                "id": int(offer_id),
                "organisation_id": int(rng.integers(0, n_organisations)),
                "exchange_type": int(rng.integers(0, 2)),
                "country": int(rng.integers(0, 3)),
                "start": start,
                "end": start + int(rng.integers(0, 3)) * 30,
                "places_left": int(rng.integers(0, 5)),
                "themes": some(4, 0, 2),
                "languages": some(3, 0, 2),
                "supports_fewer_opportunities": bool(rng.integers(0, 2)),
                "text": text(),
                "host_seeks_types": some(2, 0, 1),
            }
        )
    seekers = []
    for seeker_id in rng.permutation(n_seekers) + 1:
        windowed = rng.random() < 0.7
        start = ORDINAL + int(rng.integers(0, 4)) * 30
        seekers.append(
            {
                "id": int(seeker_id),
                "organisation_id": int(rng.integers(0, n_organisations)),
                "exchange_types": some(2, 1, 2),
                "country": int(rng.integers(0, 3)),
                "participants": int(rng.integers(1, 4)),
                "themes": some(4, 0, 2),
                "languages": some(3, 0, 2),
                "countries_wanted": some(3, 0, 1) if rng.random() < 0.3 else [],
                "start": start if windowed else None,
                "end": start + int(rng.integers(0, 3)) * 30 if windowed else None,
                "fewer_opportunity_participants": int(rng.integers(0, 2)),
                "text": text(),
                "hosts_types": some(2, 0, 1),
            }
        )
    partners = rng.integers(0, n_organisations, (n_organisations // 2, 2))
    return offers, seekers, partners


# Hard constraints


def test_a_fitting_pair_is_scored():
    total, exclusion, _ = pair(offer(), seeker())

    assert exclusion == Exclusion.NONE
    assert 0 < total <= 1


def test_a_seeker_not_looking_for_the_offers_exchange_type_is_excluded():
    assert pair(offer(exchange_type=0), seeker(exchange_types=[1, 2]))[1] == Exclusion.EXCHANGE_TYPE
    assert pair(offer(exchange_type=2), seeker(exchange_types=[1, 2]))[1] == Exclusion.NONE


def test_windows_without_a_common_day_are_excluded_and_one_common_day_is_enough():
    june = seeker(start=datetime.date(2026, 6, 1), end=datetime.date(2026, 6, 30))
    last_day = seeker(start=datetime.date(2026, 5, 31), end=datetime.date(2026, 6, 9))

    assert pair(offer(), june)[1] == Exclusion.DATES
    total, exclusion, components = pair(offer(), last_day)
    assert exclusion == Exclusion.NONE
    assert components["dates"] == pytest.approx(1 / 10)


def test_a_seeker_without_a_window_takes_any_dates():
    _, exclusion, components = pair(offer(), seeker(start=None, end=None))

    assert exclusion == Exclusion.NONE
    assert components["dates"] == 1.0


def test_no_common_language_excludes_when_both_list_languages():
    assert pair(offer(languages=[0, 1]), seeker(languages=[2, 3]))[1] == Exclusion.LANGUAGE


@pytest.mark.parametrize("offer_languages, seeker_languages", [([], [2]), ([0], []), ([], [])])
def test_a_side_listing_no_language_sets_no_language_constraint(offer_languages, seeker_languages):
    _, exclusion, components = pair(
        offer(languages=offer_languages), seeker(languages=seeker_languages)
    )

    assert exclusion == Exclusion.NONE
    assert components["languages"] == 1.0


def test_more_participants_than_places_left_is_excluded():
    assert pair(offer(places_left=3), seeker(participants=4))[1] == Exclusion.CAPACITY
    assert pair(offer(places_left=0), seeker(participants=1))[1] == Exclusion.CAPACITY


def test_an_offer_outside_the_countries_the_seeker_wants_is_excluded():
    assert pair(offer(country=0), seeker(countries_wanted=[2, 3]))[1] == Exclusion.COUNTRY
    assert pair(offer(country=3), seeker(countries_wanted=[2, 3]))[1] == Exclusion.NONE
    assert pair(offer(country=4), seeker(countries_wanted=[]))[1] == Exclusion.NONE


def test_an_organisations_own_offer_is_excluded():
    assert pair(offer(organisation_id=7), seeker(organisation_id=7))[1] == (
        Exclusion.SAME_ORGANISATION
    )


@pytest.mark.parametrize(
    "offer_fields, seeker_fields, reason",
    [
        ({"places_left": 0}, {"exchange_types": [1], "languages": [3]}, Exclusion.EXCHANGE_TYPE),
        ({"places_left": 0}, {"start": 1, "end": 2, "languages": [3]}, Exclusion.DATES),
        ({"places_left": 0}, {"languages": [3], "countries_wanted": [4]}, Exclusion.LANGUAGE),
        ({"places_left": 0}, {"countries_wanted": [4], "organisation_id": 100}, Exclusion.CAPACITY),
        ({}, {"countries_wanted": [4], "organisation_id": 100}, Exclusion.COUNTRY),
    ],
)
def test_when_several_constraints_fail_the_first_in_order_is_named(
    offer_fields, seeker_fields, reason
):
    total, exclusion, _ = pair(offer(**offer_fields), seeker(**seeker_fields))

    assert exclusion == reason
    assert total == 0.0


# Components


@pytest.mark.parametrize(
    "offer_themes, seeker_themes, expected",
    [([0, 1], [1, 2], 1 / 3), ([0, 1], [0, 1], 1.0), ([0], [], 0.0), ([], [], 0.0), ([], [3], 0.0)],
)
def test_themes_is_the_jaccard_index_of_the_two_sets(offer_themes, seeker_themes, expected):
    components = pair(offer(themes=offer_themes), seeker(themes=seeker_themes))[2]

    assert components["themes"] == pytest.approx(expected)


def test_text_is_the_cosine_of_the_tfidf_vectors():
    same = "Welding apprentices in the shipyard"
    rows = [offer(text=same)]
    seekers_rows = [
        seeker(id=1, text=same.upper()),
        seeker(id=2, text="Nursing students abroad"),
        seeker(id=3, text=""),
        seeker(id=4, text="Shipyard welding and nursing"),
    ]
    offers, seekers = build(rows, seekers_rows)

    text = score(offers, seekers, Weights()).component("text")[0]

    assert text[0] == pytest.approx(1.0)
    assert text[1] == 0.0 and text[2] == 0.0
    assert 0 < text[3] < 1


def test_dates_is_the_share_of_the_seekers_window_inside_the_offers():
    window = seeker(start=datetime.date(2026, 5, 22), end=datetime.date(2026, 6, 10))  # 20 days

    assert pair(offer(), window)[2]["dates"] == pytest.approx(10 / 20)
    inside = seeker(start=datetime.date(2026, 5, 2), end=datetime.date(2026, 5, 5))
    assert pair(offer(), inside)[2]["dates"] == 1.0


def test_languages_is_the_share_of_the_seekers_languages_the_offer_uses():
    components = pair(offer(languages=[0, 1, 4]), seeker(languages=[0, 1, 2]))[2]

    assert components["languages"] == pytest.approx(2 / 3)


@pytest.mark.parametrize("participants, expected", [(3, 1.0), (5, 0.8), (6, 0.0)])
def test_capacity_is_lower_when_the_group_takes_the_last_places(participants, expected):
    components = pair(offer(places_left=5), seeker(participants=participants))[2]

    assert components["capacity"] == pytest.approx(expected)


@pytest.mark.parametrize(
    "supports, brings, expected", [(True, 2, 1.0), (False, 2, 0.0), (True, 0, 0.5), (False, 0, 0.5)]
)
def test_fewer_opportunities_rewards_support_for_the_participants_who_need_it(
    supports, brings, expected
):
    components = pair(
        offer(supports_fewer_opportunities=supports),
        seeker(participants=3, fewer_opportunity_participants=brings),
    )[2]

    assert components["fewer_opportunities"] == expected


def test_cross_border_is_one_between_countries():
    assert pair(offer(country=0), seeker(country=1))[2]["cross_border"] == 1.0
    assert pair(offer(country=1), seeker(country=1))[2]["cross_border"] == 0.0


def test_reciprocity_counts_past_partners_in_either_direction():
    for partners in ([[100, 200]], [[200, 100]]):
        assert pair(offer(), seeker(), past_partners=partners)[2]["reciprocity"] == 1.0
    assert pair(offer(), seeker(), past_partners=[[100, 300]])[2]["reciprocity"] == 0.0
    assert pair(offer(), seeker(), past_partners=None)[2]["reciprocity"] == 0.0


def test_reciprocity_counts_a_seeker_hosting_what_the_host_seeks():
    assert pair(offer(host_seeks_types=[2]), seeker(hosts_types=[2, 3]))[2]["reciprocity"] == 1.0
    assert pair(offer(host_seeks_types=[2]), seeker(hosts_types=[3]))[2]["reciprocity"] == 0.0


def test_the_total_is_the_weighted_mean_of_the_components():
    weights = Weights(
        themes=3,
        text=0,
        dates=1,
        languages=1,
        capacity=1,
        fewer_opportunities=1,
        cross_border=2,
        reciprocity=1,
    )
    total, _, components = pair(
        offer(themes=[0, 1], languages=[0, 1]),
        seeker(themes=[1, 2], languages=[0, 2], participants=10),
        weights,
    )

    raw = [getattr(weights, name) for name in COMPONENTS]
    expected = sum(w * components[name] for w, name in zip(raw, COMPONENTS, strict=True))
    assert total == pytest.approx(expected / sum(raw), abs=1e-6)


# Weights


def test_weights_count_only_in_proportion():
    offers, seekers = build([offer()], [seeker(id=i, themes=[0, i % 3]) for i in range(1, 6)])

    base = score(
        offers,
        seekers,
        Weights(
            themes=1,
            text=1,
            dates=0,
            languages=0,
            capacity=0,
            fewer_opportunities=0,
            cross_border=0,
            reciprocity=0,
            fields=0,
        ),
    )
    scaled = score(
        offers,
        seekers,
        Weights(
            themes=10,
            text=10,
            dates=0,
            languages=0,
            capacity=0,
            fewer_opportunities=0,
            cross_border=0,
            reciprocity=0,
            fields=0,
        ),
    )
    themes_only = score(
        offers,
        seekers,
        Weights(
            themes=5,
            text=0,
            dates=0,
            languages=0,
            capacity=0,
            fewer_opportunities=0,
            cross_border=0,
            reciprocity=0,
            fields=0,
        ),
    )

    np.testing.assert_allclose(base.total, scaled.total, atol=1e-7)
    np.testing.assert_allclose(themes_only.total, themes_only.component("themes"), atol=1e-7)


@pytest.mark.parametrize(
    "fields", [{"themes": -0.1}, {"text": float("nan")}, {"dates": "0.2"}, {"capacity": True}]
)
def test_weights_must_be_non_negative_numbers(fields):
    with pytest.raises(ValueError):
        Weights(**fields)


def test_weights_must_not_all_be_zero():
    with pytest.raises(ValueError, match="at least one"):
        Weights(**dict.fromkeys(COMPONENTS, 0))


def test_weights_from_a_mapping_keep_defaults_and_refuse_unknown_names():
    assert Weights.from_mapping({"themes": 0.5}) == Weights(themes=0.5)
    with pytest.raises(ValueError, match="unknown weights"):
        Weights.from_mapping({"theme": 0.5})


def test_normalised_weights_sum_to_one():
    assert Weights().normalised().sum() == pytest.approx(1.0)


# Inputs


def test_rows_must_not_leave_out_or_misspell_keys():
    with pytest.raises(ValueError, match="missing keys"):
        build([{"id": 1}], [])
    with pytest.raises(ValueError, match="unknown keys"):
        build([offer(theme=[1])], [])


def test_columns_must_have_one_entry_per_row():
    offers, _ = build([offer()], [])

    with pytest.raises(ValueError, match="places_left"):
        dataclasses.replace(offers, places_left=np.array([1, 2]))


def test_a_window_must_not_end_before_it_starts():
    with pytest.raises(ValueError, match="ends before it starts"):
        build([offer(start=MAY_1, end=datetime.date(2026, 4, 1))], [])


def test_offers_and_seekers_must_share_vocabularies():
    offers = Offers.from_rows([offer()], **{**DIMENSIONS, "n_themes": 7})
    seekers = Seekers.from_rows([seeker()], **DIMENSIONS)

    with pytest.raises(ValueError, match="themes"):
        score(offers, seekers, Weights())


def test_take_keeps_the_chosen_rows_in_order():
    offers, seekers = build([offer()], [seeker(id=i, participants=i) for i in (1, 2, 3)])

    taken = seekers.take([2, 0])

    assert taken.ids.tolist() == [3, 1]
    assert taken.participants.tolist() == [3, 1]


def test_nothing_to_score_gives_empty_matrices():
    offers, seekers = build([offer()], [])

    matrix = score(offers, seekers, Weights())

    assert matrix.total.shape == (1, 0)
    assert matrix.components.shape == (1, 0, len(COMPONENTS))


# Determinism


def _score_random(seed):
    offers, seekers, partners = random_rows(np.random.default_rng(seed), 12, 30)
    return score(*build(offers, seekers), Weights(), past_partners=partners)


def test_the_same_input_gives_the_same_bits():
    first, second = _score_random(3), _score_random(3)

    assert first.total.tobytes() == second.total.tobytes()
    assert first.exclusion.tobytes() == second.exclusion.tobytes()
    assert first.components.tobytes() == second.components.tobytes()


def _digest(matrix):
    return hashlib.sha256(matrix.total.tobytes() + matrix.components.tobytes()).hexdigest()


def test_results_do_not_depend_on_the_process_hash_seed():
    # This process runs with a random hash seed (str hashes, set order); another with a fixed
    # one must find the same bits.
    program = (
        "import sys; sys.path.insert(0, '.');"
        "from tests.matchmaking.test_scoring import _digest, _score_random;"
        "print(_digest(_score_random(5)))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    result = subprocess.run(
        [sys.executable, "-c", program],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == _digest(_score_random(5))


# Explanations


def test_a_breakdown_gives_the_facts_behind_the_score():
    offers, seekers = build(
        [
            offer(
                themes=[0, 1, 3],
                languages=[0, 2],
                supports_fewer_opportunities=True,
                host_seeks_types=[1],
            )
        ],
        [
            seeker(
                themes=[1, 3, 4],
                languages=[2, 4],
                participants=4,
                fewer_opportunity_participants=2,
                hosts_types=[1],
                start=datetime.date(2026, 5, 22),
                end=datetime.date(2026, 6, 10),
            )
        ],
    )
    matrix = score(offers, seekers, Weights(), past_partners=[[100, 200]])

    breakdown = explain(offers, 0, seekers, 0, matrix, past_partners=[[100, 200]])

    assert breakdown.total == pytest.approx(float(matrix.total[0, 0]))
    assert list(breakdown.components) == list(COMPONENTS)
    assert breakdown.exclusion == Exclusion.NONE
    assert breakdown.shared_theme_indices == (1, 3)
    assert breakdown.shared_language_indices == (2,)
    assert (breakdown.date_overlap_days, breakdown.seeker_window_days) == (10, 20)
    assert breakdown.cross_border is True
    assert breakdown.past_partners is True
    assert breakdown.host_seeks_what_seeker_hosts is True
    assert breakdown.fewer_opportunities == (True, 2)
    assert breakdown.capacity == (4, 10)


def test_a_breakdown_names_the_exclusion():
    offers, seekers = build([offer(places_left=1)], [seeker(participants=3, start=None, end=None)])
    matrix = score(offers, seekers, Weights())

    breakdown = explain(offers, 0, seekers, 0, matrix)

    assert breakdown.exclusion == Exclusion.CAPACITY
    assert breakdown.total == 0.0
    assert breakdown.seeker_window_days is None
    assert breakdown.date_overlap_days == 31  # the offer's whole window


def test_a_breakdown_from_a_rankings_components_matches_the_matrix():
    rows, seeker_rows, partners = random_rows(np.random.default_rng(11), 4, 12)
    offers, seekers = build(rows, seeker_rows)
    matrix = score(offers, seekers, Weights(), past_partners=partners)

    for i in range(len(offers)):
        for j in range(len(seekers)):
            from_matrix = explain(offers, i, seekers, j, matrix, past_partners=partners)
            from_components = explain(
                offers,
                i,
                seekers,
                j,
                matrix.components[i, j],
                weights=Weights(),
                past_partners=partners,
            )
            assert from_components == from_matrix
            assert from_matrix.exclusion == matrix.exclusion[i, j]


def test_past_partners_are_inferred_when_not_given():
    offers, seekers = build([offer(host_seeks_types=[])], [seeker()])
    matrix = score(offers, seekers, Weights(), past_partners=[[100, 200]])

    assert explain(offers, 0, seekers, 0, matrix).past_partners is True


def test_a_breakdown_from_components_needs_the_weights():
    offers, seekers = build([offer()], [seeker()])

    with pytest.raises(TypeError, match="weights"):
        explain(offers, 0, seekers, 0, np.zeros(len(COMPONENTS)))


def test_a_breakdown_survives_a_trip_through_json():
    offers, seekers = build([offer()], [seeker(start=None, end=None)])
    breakdown = explain(offers, 0, seekers, 0, score(offers, seekers, Weights()))

    stored = json.loads(json.dumps(breakdown.as_dict()))

    assert Breakdown.from_dict(stored) == breakdown
    assert stored["exclusion"] == "NONE"


def test_a_stored_breakdown_of_another_format_is_refused():
    offers, seekers = build([offer()], [seeker()])
    stored = explain(offers, 0, seekers, 0, score(offers, seekers, Weights())).as_dict()

    with pytest.raises(ValueError, match="format"):
        Breakdown.from_dict({**stored, "version": 99})


def test_score_matrix_names_its_components():
    offers, seekers = build([offer()], [seeker()])
    matrix = score(offers, seekers, Weights())

    assert isinstance(matrix, ScoreMatrix)
    assert matrix.component("dates").shape == (1, 1)
    assert matrix.total.dtype == np.float32 and matrix.exclusion.dtype == np.int8


def test_weighted_total_gives_the_engines_bits_for_scored_pairs():
    rows, seeker_rows, partners = random_rows(np.random.default_rng(2), 8, 20)
    matrix = score(*build(rows, seeker_rows), Weights(), past_partners=partners)

    totals = weighted_total(matrix.components, Weights())

    scored = matrix.exclusion == Exclusion.NONE
    assert totals.shape == matrix.total.shape
    assert totals[scored].tobytes() == matrix.total[scored].tobytes()
    assert weighted_total(matrix.components[0, 0], Weights()) == totals[0, 0]


def test_scoring_offers_one_by_one_gives_the_same_as_together_but_for_text():
    # Many offers take other code paths (dense products, compact text columns) than one; only
    # the text may differ, as its idf counts the offers scored together.
    rows, seeker_rows, partners = random_rows(np.random.default_rng(9), 24, 30)
    offers, seekers = build(rows, seeker_rows)
    together = score(offers, seekers, Weights(), past_partners=partners)
    text = COMPONENTS.index("text")
    others = [k for k in range(len(COMPONENTS)) if k != text]

    for i in range(len(offers)):
        alone = score(offers.take([i]), seekers, Weights(), past_partners=partners)
        assert alone.exclusion[0].tobytes() == together.exclusion[i].tobytes()
        assert alone.components[0][:, others].tobytes() == (
            together.components[i][:, others].tobytes()
        )


def test_a_breakdown_stored_before_the_fields_component_reads_it_as_no_information():
    offers, seekers = build([offer()], [seeker()])
    data = explain(offers, 0, seekers, 0, score(offers, seekers, Weights())).as_dict()
    del data["components"]["fields"]
    for newer in ("text_by_vectors", "text_languages"):
        del data[newer]

    breakdown = Breakdown.from_dict(data)

    assert breakdown.components["fields"] == 0.5
    assert (breakdown.text_by_vectors, breakdown.text_languages) == (False, (None, None))
