"""The worker's cache of counted words (exchanges.matching.texts): counted once, recounted when
a text changes, however it changes."""

import numpy as np
import pytest

from exchanges import matching
from exchanges.matching import texts
from exchanges.models import OfferProfileMatch
from matchmaking.models import InterestProfile
from matchmaking.scoring import COMPONENTS, term_counts
from tests.factories import InterestProfileFactory

TEXT = COMPONENTS.index("text")


@pytest.fixture(autouse=True)
def empty_cache():
    texts.clear()
    yield
    texts.clear()


@pytest.fixture
def counted(monkeypatch):
    """How many texts each call of the cache had to count."""
    calls = []
    real = texts.count_terms

    def count(batch, **options):
        calls.append(len(batch))
        return real(batch, **options)

    monkeypatch.setattr(texts, "count_terms", count)
    return calls


def _same(a, b):
    return a.shape == b.shape and (a != b).nnz == 0


def test_it_gives_the_counts_of_the_texts_in_their_order_counting_only_new_ones(counted):
    first = ["Young people who left school", "Welding at a shipyard", "Green skills"]
    assert _same(texts.term_counts("profile", [5, 2, 9], first), term_counts(first))
    assert counted == [3]

    again = ["Green skills", "Young people who left school"]
    assert _same(texts.term_counts("profile", [9, 5], again), term_counts(again))
    assert counted == [3]  # nothing new
    assert texts.size("profile") == 3


def test_a_changed_text_is_counted_again_and_replaces_the_old_counts(counted):
    texts.term_counts("profile", [1, 2], ["Inclusion of NEETs", "Digital skills"])

    changed = ["Inclusion of NEETs", "Digital skills for teachers", "A new profile"]
    assert _same(texts.term_counts("profile", [1, 2, 3], changed), term_counts(changed))
    assert counted == [2, 2]
    assert texts.size("profile") == 3
    assert _same(texts.term_counts("profile", [2], [changed[1]]), term_counts([changed[1]]))
    assert counted == [2, 2]


def test_kinds_are_kept_apart():
    texts.term_counts("profile", [1], ["Inclusion"])

    offer = texts.term_counts("offer", [1], ["Welding apprentices"])

    assert _same(offer, term_counts(["Welding apprentices"]))


@pytest.mark.django_db
def test_scoring_again_counts_no_profile_text_until_one_changes(offer, counted):
    profiles = [InterestProfileFactory() for _ in range(3)]
    matching.score_offer(offer.pk, alert=False)
    assert sum(counted) == 4  # the offer and the three profiles

    matching.score_offer(offer.pk, alert=False)
    assert sum(counted) == 4

    profiles[0].description = "Welding apprentices at a shipyard."
    profiles[0].save()
    matching.score_offer(offer.pk, alert=False)
    assert counted[-1] == 1


def _text_component(offer, profile):
    match = OfferProfileMatch.objects.get(offer=offer, profile=profile)
    return match.breakdown["components"][TEXT]


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["save", "update"])
def test_a_changed_description_changes_the_text_component(offer, how):
    profile = InterestProfileFactory(description=offer.description)
    InterestProfileFactory(description="Green skills in construction.")
    matching.score_offer(offer.pk, alert=False)
    similar = _text_component(offer, profile)

    # Through the form (which saves), or an update() that touches no timestamp.
    unrelated = "Welding apprentices at a shipyard."
    if how == "save":
        profile.description = unrelated
        profile.save()
    else:
        InterestProfile.objects.filter(pk=profile.pk).update(description=unrelated)
    matching.score_offer(offer.pk, alert=False)

    assert similar > 0.5
    assert _text_component(offer, profile) < 0.2  # the name still shares a word or two


@pytest.mark.django_db
def test_cached_counts_score_exactly_as_fresh_ones(offer):
    for description in ("Young people who left school early.", "Green skills", "NEETs"):
        InterestProfileFactory(description=description)
    matching.score_offer(offer.pk, alert=False)
    warm = sorted(OfferProfileMatch.objects.values_list("profile_id", "score", "breakdown"))

    texts.clear()
    OfferProfileMatch.objects.all().delete()
    matching.score_offer(offer.pk, alert=False)

    assert sorted(OfferProfileMatch.objects.values_list("profile_id", "score", "breakdown")) == warm
    assert np.isfinite([score for _pk, score, _b in warm]).all()
