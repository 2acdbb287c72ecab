"""How a score adds up: at most five named factors, in the reader's voice, whose points add up
to the fit shown (exchanges.explanations.contributions), on the pages that show matches."""

import re

import numpy as np
import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from exchanges import explanations, matching
from exchanges.matching.breakdowns import SLIM_VERSION
from matchmaking.scoring import COMPONENTS, Weights, weighted_total
from tests.factories import (
    ApplicationFactory,
    InterestProfileFactory,
    language,
    theme,
)
from tests.pages import text

unit = st.floats(0, 1, allow_nan=False, width=32)
weights = (
    st.lists(st.floats(0, 1, allow_nan=False), min_size=len(COMPONENTS), max_size=len(COMPONENTS))
    .filter(lambda values: sum(values) > 0.01)
    .map(lambda values: Weights(**dict(zip(COMPONENTS, values))))
)


def _slim(components, *, seeks=False, partners=False):
    return {
        "version": SLIM_VERSION,
        "components": [round(float(c), 3) for c in components],
        "past_partners": partners,
        "host_seeks_what_seeker_hosts": seeks,
    }


@settings(max_examples=300, deadline=None)
@given(
    components=st.lists(unit, min_size=len(COMPONENTS), max_size=len(COMPONENTS)),
    weights=weights,
    viewer=st.sampled_from(["seeker", "host"]),
    stale=st.floats(-0.05, 0.05),
)
def test_the_shown_parts_add_up_to_the_shown_score(components, weights, viewer, stale):
    # The score as the engine gives it, or slightly off (weights changed since it was scored).
    score = float(np.clip(weighted_total(np.array(components), weights) + stale, 0, 1))

    parts = explanations.contributions(_slim(components), weights, score=score, viewer=viewer)

    assert sum(part.points for part in parts) == (explanations.percent(score) if parts else 0)
    assert len(parts) <= 5
    assert all(part.points > 0 for part in parts)
    named = [part.component for part in parts if part.component]
    assert len(named) == len(set(named))


def test_the_largest_parts_are_named_and_the_rest_are_other_factors():
    equal = Weights(**dict.fromkeys(COMPONENTS, 1.0))
    components = [1.0 - 0.1 * k for k in range(len(COMPONENTS))]
    score = float(weighted_total(np.array(components), equal))

    parts = explanations.contributions(_slim(components), equal, score=score)

    assert [part.component for part in parts] == [*COMPONENTS[:4], ""]
    assert parts[-1].label == "other factors"
    assert sum(part.points for part in parts) == explanations.percent(score)


def test_each_side_reads_the_reasons_in_its_own_voice():
    both = ("reciprocity", "cross_border")
    only = Weights(**{name: float(name in both) for name in COMPONENTS})
    breakdown = _slim([float(name in both) for name in COMPONENTS], seeks=True)

    seeker = explanations.contributions(breakdown, only, score=1.0, viewer="seeker")
    host = explanations.contributions(breakdown, only, score=1.0, viewer="host")

    # The sending side sees what it brings first when the parts are equal.
    assert [(p.label, p.points) for p in seeker] == [
        ("you host exchanges of a kind they look for", 50),
        ("you come from another country", 50),
    ]
    assert [p.label for p in host] == [
        "they host exchanges of a kind you look for",
        "from another country",
    ]


def test_an_excluded_pair_has_no_parts():
    breakdown = {"components": dict.fromkeys(COMPONENTS, 1.0), "exclusion": "DATES"}

    assert explanations.contributions(breakdown, Weights(), score=0.0) == []


# The pages


def _adds_up(page, lead):
    """The points and the fit after ``lead``: ([30, 15, …], 73)."""
    line = re.search(re.escape(lead) + r"(.*?)= (\d+) %", page).group(1)
    return [int(p) for p in re.findall(r"\+(\d+)", line)], int(
        re.search(re.escape(lead) + r".*?= (\d+) %", page).group(1)
    )


@pytest.fixture
def scored(db, offer, applicant_org):
    offer.themes.set([theme("inclusion"), theme("neet-re-engagement")])
    offer.languages.set([language("en"), language("sv")])
    offer.supports_fewer_opportunities = True
    offer.save()
    InterestProfileFactory(
        organisation=applicant_org,
        themes=[theme("inclusion")],
        fewer_opportunity_participants=1,
    )
    # Another organisation applied (those that applied are neither recommended nor suggested).
    ApplicationFactory(offer=offer, fewer_opportunity_participants=1)
    matching.rescore_all()
    return offer


def test_recommendations_say_why_the_host_may_want_you_adding_up_to_the_fit(
    login, scored, applicant_coordinator
):
    page = text(login(applicant_coordinator).get(reverse("exchanges:recommendations")))

    points, fit = _adds_up(page, "Why the host may want you:")
    shown = int(re.search(r"fit (\d+) %", page).group(1))
    assert sum(points) == fit == shown
    assert "you bring 1 participant with fewer opportunities, whom they support" in page


def test_the_hosts_applications_say_how_the_fit_adds_up(login, scored, host_coordinator):
    url = reverse("exchanges:offer_applications", args=[scored.pk])
    page = text(login(host_coordinator).get(url))

    points, fit = _adds_up(page, "How the fit adds up:")
    assert sum(points) == fit
    assert f"{fit} % " in page  # the Fit column shows the same figure
    assert "brings 1 participant with fewer opportunities, whom you support" in page


def test_the_organisations_that_may_be_interested_add_up_too(login, scored, host_coordinator):
    page = text(login(host_coordinator).get(scored.get_absolute_url()))

    points, fit = _adds_up(page, "How the fit adds up:")
    assert sum(points) == fit
    assert f"fit {fit} %" in page
