"""Properties of the engine, over generated offers and seekers (hypothesis)."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaking.scoring import COMPONENTS, Exclusion, Weights, score, score_pairs
from matchmaking.scoring.inputs import N_FIELDS
from tests.matchmaking.test_scoring import DIMENSIONS, ORDINAL, build

pytestmark = []

# No example database: nothing is written into the repository.
SETTINGS = settings(
    max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
DATES = COMPONENTS.index("dates")
FIELDS = COMPONENTS.index("fields")
WORDS = ["youth", "guidance", "welding", "nursing", "green", "apprentices", "tourism"]


def subsets(n, min_size=0):
    return st.lists(st.integers(0, n - 1), min_size=min_size, max_size=n, unique=True)


texts = st.lists(st.sampled_from(WORDS), max_size=5).map(" ".join)


@st.composite
def offers(draw, offer_id=1):
    start = ORDINAL + draw(st.integers(0, 60))
    return {
        "id": offer_id,
        "organisation_id": draw(st.integers(1, 4)),
        "exchange_type": draw(st.integers(0, DIMENSIONS["n_types"] - 1)),
        "country": draw(st.integers(0, DIMENSIONS["n_countries"] - 1)),
        "start": start,
        "end": start + draw(st.integers(0, 60)),
        "places_left": draw(st.integers(0, 6)),
        "themes": draw(subsets(DIMENSIONS["n_themes"])),
        "languages": draw(subsets(DIMENSIONS["n_languages"])),
        "supports_fewer_opportunities": draw(st.booleans()),
        "text": draw(texts),
        "host_seeks_types": draw(subsets(DIMENSIONS["n_types"])),
        "fields_of_education": draw(subsets(N_FIELDS)),
    }


@st.composite
def seekers(draw, seeker_id=1):
    start = ORDINAL + draw(st.integers(0, 60)) if draw(st.booleans()) else None
    return {
        "id": seeker_id,
        "organisation_id": draw(st.integers(1, 4)),
        "exchange_types": draw(subsets(DIMENSIONS["n_types"], min_size=1)),
        "country": draw(st.integers(0, DIMENSIONS["n_countries"] - 1)),
        "participants": draw(st.integers(1, 6)),
        "themes": draw(subsets(DIMENSIONS["n_themes"])),
        "languages": draw(subsets(DIMENSIONS["n_languages"])),
        "countries_wanted": draw(subsets(DIMENSIONS["n_countries"])),
        "start": start,
        "end": None if start is None else start + draw(st.integers(0, 60)),
        "fewer_opportunity_participants": draw(st.integers(0, 2)),
        "text": draw(texts),
        "hosts_types": draw(subsets(DIMENSIONS["n_types"])),
        "fields_of_education": draw(subsets(N_FIELDS)),
    }


weights = (
    st.lists(st.floats(0, 1), min_size=len(COMPONENTS), max_size=len(COMPONENTS))
    .filter(lambda values: sum(values) > 0)
    .map(lambda values: Weights(**dict(zip(COMPONENTS, values, strict=True))))
)


@st.composite
def scenes(draw):
    """A few offers and seekers with distinct ids, and some past partners."""
    n_offers, n_seekers = draw(st.integers(1, 4)), draw(st.integers(1, 5))
    offer_rows = [draw(offers(i + 1)) for i in range(n_offers)]
    seeker_rows = [draw(seekers(j + 1)) for j in range(n_seekers)]
    partners = draw(st.lists(st.tuples(st.integers(1, 4), st.integers(1, 4)), max_size=3))
    return offer_rows, seeker_rows, partners


def _score(offer_rows, seeker_rows, partners=(), w=None):
    return score(*build(offer_rows, seeker_rows), w or Weights(), past_partners=list(partners))


@SETTINGS
@given(scenes(), weights)
def test_totals_and_components_stay_between_zero_and_one(scene, w):
    matrix = _score(*scene, w=w)

    assert ((matrix.total >= 0) & (matrix.total <= 1)).all()
    assert ((matrix.components >= 0) & (matrix.components <= 1)).all()
    assert (matrix.total[matrix.exclusion != Exclusion.NONE] == 0).all()


@SETTINGS
@given(scenes(), st.integers(0, DIMENSIONS["n_themes"] - 1), weights)
def test_adding_a_shared_theme_never_lowers_a_score(scene, theme, w):
    offer_rows, seeker_rows, partners = scene
    before = _score(offer_rows, seeker_rows, partners, w)

    offer_rows[0] = {**offer_rows[0], "themes": sorted({*offer_rows[0]["themes"], theme})}
    seeker_rows[0] = {**seeker_rows[0], "themes": sorted({*seeker_rows[0]["themes"], theme})}
    after = _score(offer_rows, seeker_rows, partners, w)

    assert after.total[0, 0] >= before.total[0, 0]
    assert after.exclusion[0, 0] == before.exclusion[0, 0]
    # The other pairs do not move.
    untouched = np.ones(after.total.shape, dtype=bool)
    untouched[0, :] = untouched[:, 0] = False
    assert (after.total[untouched] == before.total[untouched]).all()


@SETTINGS
@given(offers(), seekers(), st.data())
def test_removing_the_only_common_language_excludes_the_pair(offer_row, seeker_row, data):
    common = data.draw(st.integers(0, DIMENSIONS["n_languages"] - 1))
    others = [n for n in range(DIMENSIONS["n_languages"]) if n != common]
    offer_only = data.draw(st.lists(st.sampled_from(others), min_size=1, max_size=2, unique=True))
    seeker_only = data.draw(
        st.lists(
            st.sampled_from([n for n in others if n not in offer_only]), min_size=1, unique=True
        )
    )
    offer_row = {**offer_row, "languages": [common, *offer_only]}
    before = _score([offer_row], [{**seeker_row, "languages": [common, *seeker_only]}])

    after = _score([offer_row], [{**seeker_row, "languages": seeker_only}])

    reason = Exclusion(int(after.exclusion[0, 0]))
    assert after.total[0, 0] == 0
    # Language comes third: an exchange type or dates that did not fit still come first.
    assert Exclusion.EXCHANGE_TYPE <= reason <= Exclusion.LANGUAGE
    if before.exclusion[0, 0] not in (Exclusion.EXCHANGE_TYPE, Exclusion.DATES):
        assert reason == Exclusion.LANGUAGE


@SETTINGS
@given(offers(), seekers(), st.integers(0, 90), st.integers(0, 90))
def test_widening_the_offers_window_never_lowers_the_dates_component(
    offer_row, seeker_row, earlier, later
):
    before = _score([offer_row], [seeker_row])

    wider = {**offer_row, "start": offer_row["start"] - earlier, "end": offer_row["end"] + later}
    after = _score([wider], [seeker_row])

    assert after.components[0, 0, DATES] >= before.components[0, 0, DATES]
    if before.exclusion[0, 0] != Exclusion.DATES:
        assert after.exclusion[0, 0] != Exclusion.DATES


# Fields of education (ISCED-F)


def _fields(offer_row, seeker_row):
    return float(_score([offer_row], [seeker_row]).components[0, 0, FIELDS])


@SETTINGS
@given(offers(), seekers())
def test_fields_are_neutral_when_a_side_names_none(offer_row, seeker_row):
    value = _fields(offer_row, seeker_row)

    assert 0 <= value <= 1
    if not offer_row["fields_of_education"] or not seeker_row["fields_of_education"]:
        assert value == 0.5
    elif set(offer_row["fields_of_education"]) == set(seeker_row["fields_of_education"]):
        assert value == 1
    elif not set(offer_row["fields_of_education"]) & set(seeker_row["fields_of_education"]):
        assert value == 0


@SETTINGS
@given(offers(), seekers())
def test_fields_do_not_depend_on_which_side_names_which(offer_row, seeker_row):
    swapped_offer = {**offer_row, "fields_of_education": seeker_row["fields_of_education"]}
    swapped_seeker = {**seeker_row, "fields_of_education": offer_row["fields_of_education"]}

    assert _fields(offer_row, seeker_row) == _fields(swapped_offer, swapped_seeker)


@SETTINGS
@given(scenes(), st.integers(0, N_FIELDS - 1), weights)
def test_adding_a_shared_field_never_lowers_a_score(scene, field, w):
    offer_rows, seeker_rows, partners = scene
    before = _score(offer_rows, seeker_rows, partners, w)

    for rows in (offer_rows, seeker_rows):
        rows[0] = {
            **rows[0],
            "fields_of_education": sorted({*rows[0]["fields_of_education"], field}),
        }
    after = _score(offer_rows, seeker_rows, partners, w)

    assert after.components[0, 0, FIELDS] >= before.components[0, 0, FIELDS]
    assert after.total[0, 0] >= before.total[0, 0]
    assert after.exclusion[0, 0] == before.exclusion[0, 0]


@SETTINGS
@given(scenes())
def test_fields_of_chosen_pairs_are_those_of_the_matrix(scene):
    offer_rows, seeker_rows, partners = scene
    offers, seekers = build(offer_rows, seeker_rows)
    matrix = score(offers, seekers, Weights(), past_partners=list(partners))
    rows, columns = np.nonzero(np.ones(matrix.total.shape, dtype=bool))

    pairs = score_pairs(offers, seekers, rows, columns, Weights(), past_partners=list(partners))

    assert (
        pairs.components[:, FIELDS].tobytes() == matrix.components[rows, columns, FIELDS].tobytes()
    )
