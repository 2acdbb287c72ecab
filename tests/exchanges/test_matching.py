"""exchanges.matching: loading the engine's arrays, explaining and storing the matches."""

import datetime

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from exchanges import explanations, matching, selectors, services
from exchanges.matching import loaders, storage
from exchanges.matching.breakdowns import breakdowns
from exchanges.matching.loaders import (
    Vocabularies,
    load_applications,
    load_offers,
    load_past_partners,
    load_profiles,
    load_profiles_and_alerts,
)
from exchanges.matching.scoring import weights
from exchanges.models import Application, Offer, OfferProfileMatch
from matchmaking.models import InterestProfile
from matchmaking.scoring import COMPONENTS, Breakdown, explain, score, weighted_total
from tests.factories import (
    ApplicationFactory,
    InterestProfileFactory,
    OfferFactory,
    OfferProfileMatchFactory,
    OrganisationFactory,
    exchange_type,
    language,
    theme,
)

pytestmark = pytest.mark.django_db


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _columns(matrix, row):
    return sorted(matrix[row].indices.tolist())


def _stored(offer=None, profile=None):
    matches = OfferProfileMatch.objects.all()
    if offer is not None:
        matches = matches.filter(offer=offer)
    if profile is not None:
        matches = matches.filter(profile=profile)
    return {(m.offer_id, m.profile_id): round(m.score, 6) for m in matches}


# Loaders


def test_it_loads_offers_as_the_engines_arrays(host_org, applicant_org):
    vocabularies = Vocabularies.load()
    offer = OfferFactory(
        organisation=host_org,
        title="Job shadowing in Borås",
        capacity=4,
        exchange_type=exchange_type("study-visit"),
        themes=[theme("inclusion"), theme("neet-re-engagement")],
        languages=[language("sv"), language("en")],
        supports_fewer_opportunities=True,
        fewer_opportunities_support="A mentor.",
    )
    ApplicationFactory(offer=offer, participants=3, status=Application.Status.ACCEPTED)
    ApplicationFactory(offer=offer, participants=2, status=Application.Status.SUBMITTED)
    # What the host looks for itself (reciprocity).
    InterestProfileFactory(organisation=host_org, exchange_types=[exchange_type("job-shadowing")])

    offers = load_offers(Offer.objects.filter(pk=offer.pk), vocabularies)

    assert offers.ids.tolist() == [offer.pk]
    assert offers.organisation_ids.tolist() == [host_org.pk]
    assert (
        offers.exchange_type[0]
        == vocabularies.exchange_types.index[exchange_type("study-visit").pk]
    )
    assert _columns(offers.themes, 0) == sorted(
        vocabularies.themes.index[theme(s).pk] for s in ("inclusion", "neet-re-engagement")
    )
    assert _columns(offers.languages, 0) == sorted(
        vocabularies.languages.index[language(c).pk] for c in ("sv", "en")
    )
    assert offers.country[0] == vocabularies.countries.index["SE"]
    assert (offers.start[0], offers.end[0]) == (
        offer.available_from.toordinal(),
        offer.available_until.toordinal(),
    )
    assert offers.places_left.tolist() == [1]  # only accepted participants take places
    assert offers.supports_fewer_opportunities.tolist() == [True]
    assert offers.texts[0].startswith("Job shadowing in Borås\nFollow our counsellors")
    assert _columns(offers.host_seeks_types, 0) == [
        vocabularies.exchange_types.index[exchange_type("job-shadowing").pk]
    ]


def test_it_loads_interest_profiles_as_seekers(applicant_org):
    vocabularies = Vocabularies.load()
    anywhere = InterestProfileFactory(organisation=applicant_org, name="Anywhere, any time")
    nordic = InterestProfileFactory(
        organisation=applicant_org,
        name="Nordic",
        countries_wanted=["SE", "DK"],
        available_from=_days(10),
        available_until=_days(20),
        participants=3,
        fewer_opportunity_participants=1,
        exchange_types=[exchange_type("job-shadowing"), exchange_type("study-visit")],
    )
    # The organisation hosts study visits itself.
    OfferFactory(organisation=applicant_org, exchange_type=exchange_type("study-visit"))

    seekers = load_profiles(InterestProfile.objects.all(), vocabularies)

    assert seekers.ids.tolist() == [anywhere.pk, nordic.pk]
    assert seekers.countries_wanted[0].nnz == 0
    assert _columns(seekers.countries_wanted, 1) == sorted(
        vocabularies.countries.index[code] for code in ("SE", "DK")
    )
    assert seekers.has_window.tolist() == [False, True]
    assert seekers.start[1] == _days(10).toordinal() and seekers.end[1] == _days(20).toordinal()
    assert seekers.participants.tolist() == [2, 3]
    assert seekers.fewer_opportunity_participants.tolist() == [0, 1]
    assert len(_columns(seekers.exchange_types, 1)) == 2
    assert seekers.country.tolist() == [vocabularies.countries.index["NO"]] * 2
    assert seekers.texts[1].startswith("Nordic\n")
    study_visit = vocabularies.exchange_types.index[exchange_type("study-visit").pk]
    assert _columns(seekers.hosts_types, 0) == _columns(seekers.hosts_types, 1) == [study_visit]


def test_an_application_seeks_its_offers_type_and_its_organisations_themes(
    offer, applicant_org, outsider
):
    vocabularies = Vocabularies.load()
    InterestProfileFactory(organisation=applicant_org, themes=[theme("digital-skills")])
    with_profile = ApplicationFactory(offer=offer, organisation=applicant_org)
    without_profile = ApplicationFactory(offer=offer)  # falls back to the offer's themes

    seekers = load_applications(Application.objects.filter(offer=offer), vocabularies)

    assert seekers.ids.tolist() == [with_profile.pk, without_profile.pk]
    job_shadowing = vocabularies.exchange_types.index[exchange_type("job-shadowing").pk]
    assert (
        _columns(seekers.exchange_types, 0)
        == _columns(seekers.exchange_types, 1)
        == [job_shadowing]
    )
    assert _columns(seekers.themes, 0) == [vocabularies.themes.index[theme("digital-skills").pk]]
    assert _columns(seekers.themes, 1) == [vocabularies.themes.index[theme("inclusion").pk]]
    assert seekers.has_window.tolist() == [True, True]
    assert seekers.countries_wanted.nnz == 0


def test_past_partners_are_pairs_of_organisations_with_an_accepted_application(
    offer, applicant_org
):
    ApplicationFactory(offer=offer, organisation=applicant_org, status=Application.Status.ACCEPTED)
    ApplicationFactory(offer=offer, status=Application.Status.DECLINED)

    assert load_past_partners().tolist() == [[applicant_org.pk, offer.organisation_id]]


def test_profiles_come_with_their_alert_preferences(applicant_org):
    weekly = InterestProfileFactory(alert=InterestProfile.Alert.WEEKLY)
    at_once = InterestProfileFactory()

    seekers, alerts = load_profiles_and_alerts(InterestProfile.objects.all(), Vocabularies.load())

    assert seekers.ids.tolist() == [weekly.pk, at_once.pk]
    assert alerts.tolist() == [InterestProfile.Alert.WEEKLY, InterestProfile.Alert.IMMEDIATELY]


def test_pairs_read_as_one_string_or_row_by_row_load_the_same(monkeypatch):
    _world(4)
    InterestProfileFactory(themes=[], languages=[language("de"), language("en")])
    vocabularies = Vocabularies.load()
    one_string = load_profiles(InterestProfile.objects.all(), vocabularies)
    one_offer = load_offers(Offer.objects.filter(pk=Offer.objects.first().pk), vocabularies)
    monkeypatch.setattr(loaders, "_pairs_as_one_string", lambda connection: False)

    by_rows = load_profiles(InterestProfile.objects.all(), vocabularies)

    for name in ("exchange_types", "themes", "languages", "hosts_types"):
        assert (getattr(one_string, name) != getattr(by_rows, name)).nnz == 0, name
    assert one_string.themes[-1].nnz == 0 and one_string.languages[-1].nnz == 2
    again = load_offers(Offer.objects.filter(pk=one_offer.ids[0]), vocabularies)
    assert (again.themes != one_offer.themes).nnz == 0


# Query counts: the same whatever the number of rows (loaders read through tables in bulk).

VOCABULARY_QUERIES = 4  # with the fields of education
LOADER_QUERIES = 6  # with the fields of education (and the vectors, when any is stored)


def _world(size):
    for _ in range(size):
        organisation = OrganisationFactory(languages=[language("en"), language("sv")])
        offer = OfferFactory(
            organisation=organisation, themes=[theme("inclusion"), theme("green-skills")]
        )
        InterestProfileFactory(organisation=organisation, countries_wanted=["SE"])
        ApplicationFactory(offer=offer, status=Application.Status.ACCEPTED)


@pytest.mark.parametrize("size", [2, 9])
def test_the_loaders_run_a_fixed_number_of_queries(django_assert_num_queries, size):
    _world(size)

    with django_assert_num_queries(VOCABULARY_QUERIES):
        vocabularies = Vocabularies.load()
    with django_assert_num_queries(LOADER_QUERIES):
        assert len(load_offers(Offer.objects.all(), vocabularies)) == size
    with django_assert_num_queries(LOADER_QUERIES):
        assert len(load_profiles(InterestProfile.objects.all(), vocabularies)) == size
    with django_assert_num_queries(LOADER_QUERIES):
        assert len(load_applications(Application.objects.all(), vocabularies)) == size


# Scoring an offer without alerts: the offer (1), the vocabularies (4), its arrays (6); its
# applications (6 to load, their states, past partners, one UPDATE); the profiles with their
# alert preferences (6), past partners; the storage (savepoint, lock, pairs told about, a
# temporary table dropped if left, made and COPYed into; the pairs stored already marked in
# it, the changed ones updated, the new ones inserted, the others deleted; release).
# (34 as before: the storage, which writes only what changed, takes one statement more than
# the upsert of every row did, and the pairs kept before are no longer read.)
# (40 since: one more for the vocabulary and for each loader (the fields of education), the
# K-th rows of every profile that fits, for those whose K best the offer enters, and the
# profiles' texts, read apart since they are needed only where a side has no vector;
# and the weights in use, the active MatchingWeights version if any, read once per run.)
SCORE_OFFER_QUERIES = 41


@pytest.mark.parametrize("profiles", [2, 12])
def test_scoring_an_offer_runs_a_fixed_number_of_queries(
    offer, django_assert_num_queries, profiles
):
    for _ in range(profiles):
        InterestProfileFactory()
    ApplicationFactory(offer=offer)
    ApplicationFactory(offer=offer, status=Application.Status.ACCEPTED)

    with django_assert_num_queries(SCORE_OFFER_QUERIES):
        matching.score_offer(offer.pk, alert=False)

    assert OfferProfileMatch.objects.filter(offer=offer).count() == profiles


# Breakdowns


@pytest.fixture
def mixed_world(offer, host_org, applicant_org, outsider):
    """Offers and profiles with every kind of fact: exclusions, partners, reciprocity."""
    other = OfferFactory(
        organisation=applicant_org,
        exchange_type=exchange_type("study-visit"),
        capacity=1,
        themes=[theme("inclusion"), theme("digital-skills")],
        languages=[language("no"), language("en")],
        supports_fewer_opportunities=True,
        fewer_opportunities_support="A mentor.",
    )
    ApplicationFactory(offer=offer, organisation=applicant_org, status=Application.Status.ACCEPTED)
    InterestProfileFactory(organisation=applicant_org)
    InterestProfileFactory(organisation=host_org, exchange_types=[exchange_type("study-visit")])
    InterestProfileFactory(
        organisation=outsider.organisations.get(),
        participants=3,
        fewer_opportunity_participants=2,
        available_from=_days(35),
        available_until=_days(70),
        themes=[theme("inclusion"), theme("digital-skills")],
        exchange_types=[exchange_type("job-shadowing"), exchange_type("study-visit")],
    )
    InterestProfileFactory(languages=[language("de")], countries_wanted=["FR"])
    return [offer, other]


def test_the_stored_breakdowns_are_the_engines_explanations(mixed_world):
    vocabularies = Vocabularies.load()
    offers = load_offers(Offer.objects.all(), vocabularies)
    profiles = load_profiles(InterestProfile.objects.all(), vocabularies)
    past_partners = load_past_partners()
    result = score(offers, profiles, weights(), past_partners=past_partners)
    rows, columns = np.divmod(np.arange(len(offers) * len(profiles)), len(profiles))

    stored = breakdowns(
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

    assert {b["exclusion"] for b in stored} > {"NONE"}  # excluded pairs are among them
    assert any(b["past_partners"] for b in stored)
    assert any(b["host_seeks_what_seeker_hosts"] for b in stored)
    for i, j, breakdown in zip(rows, columns, stored):
        expected = explain(offers, i, profiles, j, result, past_partners=past_partners)
        names = {key: breakdown[key] for key in ("shared_themes", "shared_languages")}
        engine_part = {k: v for k, v in breakdown.items() if k not in names}
        assert engine_part == expected.as_dict()
        assert Breakdown.from_dict(engine_part) == expected
        assert names["shared_themes"] == [
            vocabularies.themes.names[k] for k in expected.shared_theme_indices
        ]


# Storage


def test_scoring_an_offer_stores_its_fitting_profiles_with_a_slim_breakdown(offer, applicant_org):
    fitting = InterestProfileFactory(organisation=applicant_org)
    InterestProfileFactory(exchange_types=[exchange_type("study-visit")])  # excluded: type
    InterestProfileFactory(organisation=offer.organisation)  # excluded: its own

    matching.score_offer(offer.pk, alert=False)

    match = OfferProfileMatch.objects.get()
    assert match.profile == fitting
    assert 0 < match.score <= 1
    # The components (three decimals) and the facts only the organisations' history tells.
    assert match.breakdown == {
        "version": 2,
        "components": match.breakdown["components"],
        "past_partners": False,
        "host_seeks_what_seeker_hosts": False,
    }
    components = np.array(match.breakdown["components"])
    assert components.shape == (len(COMPONENTS),)
    assert (components * 1000 == np.round(components * 1000)).all()
    assert float(weighted_total(components, weights())) == pytest.approx(match.score, abs=1e-3)
    # The rest is worked out from the offer and the profile when it is shown.
    facts = explanations.of_match(match)
    assert facts["shared_themes"] == ["Inclusion"]
    assert facts["shared_languages"] == ["English"]


def _full_list(profile, *, k, score=0.99):
    """Give ``profile`` k stored matches with other offers, all better than ``score``."""
    for _ in range(k):
        OfferProfileMatchFactory(profile=profile, score=score)


def _kept_profiles(offer):
    return set(OfferProfileMatch.objects.filter(offer=offer).values_list("profile_id", flat=True))


def test_it_keeps_the_offers_top_k_and_the_profiles_whose_own_top_k_it_enters(offer, settings):
    settings.MATCHING_TOP_K = 2
    settings.MATCHING_ALERT_THRESHOLD = 1.0  # no alerts or digests in play
    strong = [
        InterestProfileFactory(
            themes=[theme("inclusion")],
            description=offer.description,
            available_from=offer.available_from,
            available_until=offer.available_until,
        )
        for _ in range(3)
    ]
    weak = [InterestProfileFactory(themes=[theme("green-skills")]) for _ in range(3)]
    # Two weak profiles have their top 2 already, better than this offer; one has room.
    _full_list(weak[0], k=2)
    _full_list(weak[1], k=2)
    _full_list(weak[2], k=1)

    matching.score_offer(offer.pk, alert=False)

    # Its top 2 are strong; the third strong profile and weak[2] have room for it.
    assert _kept_profiles(offer) == {p.pk for p in strong} | {weak[2].pk}

    # A profile whose list fills up with better offers no longer keeps it.
    _full_list(weak[2], k=1)
    matching.score_offer(offer.pk, alert=False)
    assert _kept_profiles(offer) == {p.pk for p in strong}


def test_an_offer_enters_a_full_list_when_it_beats_its_last_match(offer, settings):
    settings.MATCHING_TOP_K = 1
    settings.MATCHING_ALERT_THRESHOLD = 1.0
    best = InterestProfileFactory(themes=[theme("inclusion")], description=offer.description)
    profile = InterestProfileFactory(themes=[theme("green-skills")])
    _full_list(profile, k=1, score=0.01)  # its one match is worse than this offer

    matching.score_offer(offer.pk, alert=False)

    assert _kept_profiles(offer) == {best.pk, profile.pk}


def test_a_match_pushed_out_of_a_profiles_list_by_a_newer_offer_is_removed(offer, settings):
    settings.MATCHING_TOP_K = 1
    settings.MATCHING_ALERT_THRESHOLD = 1.0
    profile = InterestProfileFactory(themes=[theme("green-skills")])
    # The offer's own best profile is another one: the pair is kept for the profile only.
    rival = InterestProfileFactory(themes=[theme("inclusion")], description=offer.description)
    matching.score_offer(offer.pk, alert=False)
    assert set(_stored(profile=profile)) == {(offer.pk, profile.pk)}

    newer = OfferFactory(themes=[theme("green-skills")])  # fits the profile better
    matching.score_offer(newer.pk, alert=False)

    assert set(_stored(profile=profile)) == {(newer.pk, profile.pk)}
    assert (offer.pk, rival.pk) in _stored()


def test_a_pushed_out_match_that_is_among_its_offers_best_stays(offer, settings):
    settings.MATCHING_TOP_K = 1
    settings.MATCHING_ALERT_THRESHOLD = 1.0
    profile = InterestProfileFactory(themes=[theme("green-skills")])
    matching.score_offer(offer.pk, alert=False)  # the profile is the offer's best: its only one

    newer = OfferFactory(themes=[theme("green-skills")])
    matching.score_offer(newer.pk, alert=False)

    assert set(_stored(profile=profile)) == {(offer.pk, profile.pk), (newer.pk, profile.pk)}


def test_profiles_wanting_a_digest_keep_every_pair_above_the_threshold(offer, settings):
    settings.MATCHING_TOP_K = 1
    settings.MATCHING_ALERT_THRESHOLD = 0.0
    weekly = [InterestProfileFactory(alert=InterestProfile.Alert.WEEKLY) for _ in range(3)]
    at_once = [InterestProfileFactory() for _ in range(3)]
    for profile in weekly + at_once:
        _full_list(profile, k=1)

    matching.score_offer(offer.pk, alert=False)

    kept = _kept_profiles(offer)
    assert {p.pk for p in weekly} <= kept  # the digest reads them
    assert len(kept & {p.pk for p in at_once}) <= 1  # at most the offer's top 1


def test_rescoring_an_offer_replaces_its_matches_and_keeps_when_they_first_matched_and_alerts(
    offer, applicant_org
):
    stays = InterestProfileFactory(organisation=applicant_org)
    leaves = InterestProfileFactory()
    matching.score_offer(offer.pk, alert=False)
    earlier = timezone.now() - datetime.timedelta(days=3)
    OfferProfileMatch.objects.filter(profile=stays).update(created_at=earlier, alerted_at=earlier)
    leaves.languages.set([language("de")])  # no longer fits

    matching.score_offer(offer.pk, alert=False)

    match = OfferProfileMatch.objects.get()
    assert match.profile == stays
    assert (match.created_at, match.alerted_at) == (earlier, earlier)


def test_scoring_twice_stores_the_same(offer):
    for _ in range(3):
        InterestProfileFactory()

    matching.score_offer(offer.pk, alert=False)
    first = _stored()
    matching.score_offer(offer.pk, alert=False)

    assert _stored() == first and len(first) == 3


def test_a_closed_offer_keeps_no_profile_matches_but_its_applications_keep_their_scores(
    offer, host_coordinator
):
    InterestProfileFactory()
    application = ApplicationFactory(offer=offer)
    matching.score_offer(offer.pk, alert=False)
    offer.status = Offer.Status.CLOSED
    offer.save()

    matching.score_offer(offer.pk, alert=False)

    assert not OfferProfileMatch.objects.exists()
    application.refresh_from_db()
    assert application.score is not None and application.scored_at is not None


def test_scoring_a_profile_replaces_only_its_own_matches(offer, applicant_org):
    profile = InterestProfileFactory(organisation=applicant_org)
    other = InterestProfileFactory()
    second = OfferFactory()
    OfferFactory(exchange_type=exchange_type("study-visit"))  # does not fit
    OfferFactory(status=Offer.Status.DRAFT)  # not open
    matching.score_offer(offer.pk, alert=False)

    matching.score_profile(profile.pk)

    assert set(_stored(profile=profile)) == {(offer.pk, profile.pk), (second.pk, profile.pk)}
    assert set(_stored(profile=other)) == {(offer.pk, other.pk)}  # untouched


def test_a_profile_that_is_rescored_keeps_an_offer_it_was_matched_with(offer, settings):
    """An offer with better profiles elsewhere stays in the profile's list when re-scored."""
    profile = InterestProfileFactory()
    matching.score_profile(profile.pk)
    settings.MATCHING_TOP_K = 1
    settings.MATCHING_ALERT_THRESHOLD = 1.0
    InterestProfileFactory(description=offer.description, themes=[theme("inclusion")])

    matching.score_offer(offer.pk, alert=False)

    assert (offer.pk, profile.pk) in _stored()


def test_rescore_all_replaces_every_match_and_keeps_alerts(offer, applicant_org):
    profile = InterestProfileFactory(organisation=applicant_org)
    matching.score_offer(offer.pk, alert=False)
    alerted = timezone.now() - datetime.timedelta(days=1)
    OfferProfileMatch.objects.update(alerted_at=alerted)
    stale_offer = OfferFactory()
    OfferProfileMatch.objects.create(offer=stale_offer, profile=profile, score=0.9, breakdown={})
    stale_offer.status = Offer.Status.CLOSED
    stale_offer.save()
    newcomer = InterestProfileFactory()

    summary = matching.rescore_all()

    assert set(_stored()) == {(offer.pk, profile.pk), (offer.pk, newcomer.pk)}
    assert OfferProfileMatch.objects.get(profile=profile).alerted_at == alerted
    assert OfferProfileMatch.objects.get(profile=newcomer).alerted_at is None
    assert summary == {"offers": 1, "profiles": 2, "matches": 2, "applications": 0}


def test_rescore_all_stores_the_same_as_scoring_each_offer_when_everything_fits(offer):
    OfferFactory(themes=[theme("inclusion"), theme("green-skills")])
    for _ in range(3):
        InterestProfileFactory()

    matching.rescore_all()
    everything = set(_stored())
    OfferProfileMatch.objects.all().delete()
    for each in Offer.objects.all():
        matching.score_offer(each.pk, alert=False)

    assert set(_stored()) == everything and len(everything) == 6


@pytest.fixture
def crowded(offer, settings):
    """More offers and profiles that fit than a top 2 holds, with different scores.

    Without the text similarity: its corpus is the documents scored together (one offer and
    every profile, or everything), so it differs a little from one kind of run to the other.
    """
    settings.MATCHING_TOP_K = 2
    settings.MATCHING_ALERT_THRESHOLD = 1.0
    settings.MATCHING_WEIGHTS = {**settings.MATCHING_WEIGHTS, "text": 0.0}
    start = offer.available_from
    for i in range(4):
        OfferFactory(
            capacity=2 + i,
            themes=[theme("inclusion"), theme("green-skills")][: 1 + i % 2],
            languages=[language("en"), language("sv")][: 1 + i // 2],
        )
    for i in range(6):
        InterestProfileFactory(
            participants=1 + i % 3,
            fewer_opportunity_participants=i % 2,
            available_from=start - datetime.timedelta(days=i),
            available_until=start + datetime.timedelta(days=3 + 2 * i),
        )


def test_scoring_each_side_again_keeps_what_rescore_all_stored(crowded):
    """rescore_all stores exactly the top K both ways; scoring any offer or profile again
    (nothing having changed) finds the same pairs: its own top K, and the lists it is in."""
    matching.rescore_all()
    everything = _stored()
    assert len(everything) < Offer.objects.count() * InterestProfile.objects.count()

    for each in Offer.objects.all():
        matching.score_offer(each.pk, alert=False)
        assert _stored() == everything
    for each in InterestProfile.objects.all():
        matching.score_profile(each.pk)
        assert _stored() == everything


def test_scoring_each_offer_from_nothing_stores_what_rescore_all_does(crowded):
    matching.rescore_all()
    everything = _stored()
    OfferProfileMatch.objects.all().delete()

    for each in Offer.objects.order_by("pk"):
        matching.score_offer(each.pk, alert=False)
    for each in InterestProfile.objects.order_by("pk"):
        matching.score_profile(each.pk)

    # Every pair rescore_all keeps is kept; on the way, a profile's list may have held an
    # offer that a better one pushed out, which stays until either side is scored again.
    assert set(everything) <= set(_stored())
    for each in Offer.objects.all():
        matching.score_offer(each.pk, alert=False)
    assert _stored() == everything


def test_rescore_all_keeps_the_pairs_told_about_and_the_digests_beyond_the_top_k(crowded, settings):
    settings.MATCHING_TOP_K = 100
    matching.rescore_all()
    fitting = set(_stored())
    settings.MATCHING_TOP_K = 2
    matching.rescore_all()
    ranked = set(_stored())
    offers, profiles = list(Offer.objects.all()), list(InterestProfile.objects.all())
    missing = [(o, p) for o in offers for p in profiles if (o.pk, p.pk) in fitting - ranked]
    told_offer, told_profile = missing[0]
    told = OfferProfileMatchFactory(offer=told_offer, profile=told_profile, score=0.1)
    told.alerted_at = timezone.now()
    told.save()
    weekly = missing[-1][1]
    weekly.alert = InterestProfile.Alert.WEEKLY
    weekly.save()
    settings.MATCHING_ALERT_THRESHOLD = 0.0

    matching.rescore_all()

    stored = set(_stored())
    assert (told_offer.pk, told_profile.pk) in stored  # still fits: nobody is told twice
    assert OfferProfileMatch.objects.get(pk=told.pk).alerted_at == told.alerted_at
    assert {(o, p) for o, p in fitting if p == weekly.pk} <= stored  # what its digest lists


def test_the_facts_worked_out_for_a_stored_match_are_the_engines(offer, applicant_org, outsider):
    """What a page says of a stored (slim) match, from the offer and the profile as they are,
    is what the engine's full breakdown says, fact by fact and reason by reason."""
    offer.supports_fewer_opportunities = True
    offer.fewer_opportunities_support = "A mentor."
    offer.save()
    offer.themes.set([theme("inclusion"), theme("neet-re-engagement"), theme("green-skills")])
    offer.languages.set([language("en"), language("sv")])
    earlier = OfferFactory(organisation=offer.organisation, status=Offer.Status.CLOSED)
    ApplicationFactory(
        offer=earlier, organisation=applicant_org, status=Application.Status.ACCEPTED
    )
    # The host looks for study visits, which the outsider hosts.
    InterestProfileFactory(
        organisation=offer.organisation, exchange_types=[exchange_type("study-visit")]
    )
    OfferFactory(
        organisation=outsider.organisations.get(), exchange_type=exchange_type("study-visit")
    )
    start, end = offer.available_from, offer.available_until
    InterestProfileFactory(
        organisation=applicant_org,
        themes=[theme("neet-re-engagement"), theme("inclusion")],
        languages=[language("sv"), language("en"), language("de")],
        available_from=start - datetime.timedelta(days=5),
        available_until=start + datetime.timedelta(days=2),
    )
    InterestProfileFactory(
        organisation=outsider.organisations.get(),
        fewer_opportunity_participants=2,
        participants=3,
        themes=[theme("green-skills")],
        available_from=start,
        available_until=end,
    )
    InterestProfileFactory()  # any dates
    matching.score_offer(offer.pk, alert=False)
    vocabularies = Vocabularies.load()  # as the scoring of the offer saw it:
    offers = load_offers(Offer.objects.filter(pk=offer.pk), vocabularies)
    profiles = load_profiles(InterestProfile.objects.all(), vocabularies)
    past_partners = load_past_partners()
    result = score(offers, profiles, weights(), past_partners=past_partners)
    matches = list(OfferProfileMatch.objects.filter(offer=offer).select_related("offer", "profile"))
    assert len(matches) == 3

    said = set()
    for match in matches:
        i = int(np.searchsorted(offers.ids, match.offer_id))
        j = int(np.searchsorted(profiles.ids, match.profile_id))
        full = breakdowns(
            offers,
            profiles,
            [i],
            [j],
            totals=result.total[[i], [j]],
            exclusions=result.exclusion[[i], [j]],
            components=result.components[[i], [j]],
            past_partners=past_partners,
            vocabularies=vocabularies,
        )[0]
        facts = explanations.of_match(match)
        for key in (
            "shared_themes",
            "shared_languages",
            "date_overlap_days",
            "seeker_window_days",
            "past_partners",
            "host_seeks_what_seeker_hosts",
            "fewer_opportunities",
        ):
            assert facts[key] == full[key], key
        assert list(facts["components"].values()) == pytest.approx(
            list(full["components"].values()), abs=5e-4
        )
        for viewer in ("seeker", "host"):
            reasons = explanations.reasons(match, viewer=viewer)
            assert reasons == explanations.reasons(full, viewer=viewer)
            said.update(reasons)
    # Every kind of fact is among them.
    assert {
        "you have worked together before",
        "dates overlap for 3 days",
        "supports participants with fewer opportunities",
        "the host looks for exchanges of a kind you host",
    } <= said


def test_profiles_of_suspended_organisations_are_not_matched(offer, applicant_org):
    InterestProfileFactory(organisation=applicant_org)
    applicant_org.is_suspended = True
    applicant_org.save()

    matching.score_offer(offer.pk, alert=False)

    assert not OfferProfileMatch.objects.exists()


def test_scoring_something_deleted_meanwhile_does_nothing():
    assert matching.score_offer(999999) is None
    assert matching.score_profile(999999) is None
    assert matching.score_application(999999) is None


# Applications


def test_each_application_gets_its_score_and_why_even_when_excluded(offer, applicant_org):
    offer.capacity = 3
    offer.save()
    ApplicationFactory(offer=offer, participants=2, status=Application.Status.ACCEPTED)
    fits = ApplicationFactory(offer=offer, organisation=applicant_org, participants=1)
    too_many = ApplicationFactory(offer=offer, participants=2)
    wrong_language = ApplicationFactory(offer=offer, languages=[language("de")])

    matching.score_application(fits.pk)

    for application in (fits, too_many, wrong_language):
        application.refresh_from_db()
    assert fits.score > 0 and fits.score_breakdown["exclusion"] == "NONE"
    assert (too_many.score, too_many.score_breakdown["exclusion"]) == (0.0, "CAPACITY")
    assert too_many.score_breakdown["capacity"] == [2, 1]
    assert (wrong_language.score, wrong_language.score_breakdown["exclusion"]) == (0.0, "LANGUAGE")


def test_an_accepted_application_is_not_excluded_by_its_own_places_or_history(offer, applicant_org):
    offer.capacity = 2
    offer.save()
    accepted = ApplicationFactory(
        offer=offer,
        organisation=applicant_org,
        participants=2,
        status=Application.Status.ACCEPTED,
    )

    matching.score_offer(offer.pk, alert=False)

    accepted.refresh_from_db()
    assert accepted.score_breakdown["exclusion"] == "NONE"
    assert accepted.score_breakdown["capacity"] == [2, 2]
    assert accepted.score_breakdown["past_partners"] is False


def test_a_place_given_back_by_a_cancelled_exchange_is_recommended_again(
    offer, applicant_org, host_coordinator
):
    offer.capacity = 1
    offer.save()
    application = ApplicationFactory(offer=offer, participants=1)
    services.application_accept(application=application, acting_user=host_coordinator)
    application.refresh_from_db()
    services.exchange_cancel(
        exchange=application.exchange, acting_user=host_coordinator, reason="The school closed."
    )
    profile = InterestProfileFactory(organisation=applicant_org, participants=1)

    offers = load_offers(Offer.objects.filter(pk=offer.pk), Vocabularies.load())
    matching.score_offer(offer.pk, alert=False)

    # The engine sees the place the offer page shows as free, and recommends the offer.
    shown = selectors.with_places_taken(Offer.objects.filter(pk=offer.pk)).get()
    assert offers.places_left.tolist() == [shown.capacity - shown.places_taken] == [1]
    assert _stored(offer=offer).keys() == {(offer.pk, profile.pk)}
    # The cancelled application holds no place: it is not given its own place twice.
    application.refresh_from_db()
    assert application.score_breakdown["capacity"] == [1, 1]


def test_an_earlier_exchange_together_makes_them_past_partners(offer, applicant_org):
    earlier = OfferFactory(organisation=offer.organisation, status=Offer.Status.CLOSED)
    ApplicationFactory(
        offer=earlier, organisation=applicant_org, status=Application.Status.ACCEPTED
    )
    application = ApplicationFactory(offer=offer, organisation=applicant_org)

    matching.score_application(application.pk)

    application.refresh_from_db()
    assert application.score_breakdown["past_partners"] is True


def test_applications_are_scored_with_one_corpus_per_offer_whoever_asks(offer):
    first = ApplicationFactory(offer=offer, motivation="Young people who left school early.")
    ApplicationFactory(offer=offer, motivation="Welding apprentices at a shipyard.")

    matching.score_application(first.pk)
    by_application = dict(Application.objects.values_list("pk", "score"))
    matching.score_offer(offer.pk, alert=False)

    assert dict(Application.objects.values_list("pk", "score")) == by_application


def test_rescore_all_scores_every_application_with_a_fixed_number_of_queries(offer):
    closed = OfferFactory(status=Offer.Status.CLOSED)
    ApplicationFactory(offer=offer)
    ApplicationFactory(offer=closed, status=Application.Status.ACCEPTED)

    with CaptureQueriesContext(connection) as few:
        matching.rescore_all()
    for _ in range(4):
        ApplicationFactory(offer=OfferFactory())
    with CaptureQueriesContext(connection) as more:
        matching.rescore_all()

    assert len(more) == len(few)
    assert not Application.objects.filter(scored_at__isnull=True).exists()


def _snapshot():
    return {
        (m.offer_id, m.profile_id): (round(m.score, 6), m.breakdown, m.alerted_at)
        for m in OfferProfileMatch.objects.all()
    }


def test_the_orm_path_of_other_databases_stores_the_same(offer, applicant_org, monkeypatch):
    """PostgreSQL stores with COPY; SQLite (the demo) through the ORM: the same rows."""
    InterestProfileFactory(organisation=applicant_org)
    InterestProfileFactory(alert=InterestProfile.Alert.WEEKLY)
    ApplicationFactory(offer=offer, organisation=applicant_org)
    InterestProfileFactory(
        organisation=offer.organisation, exchange_types=[exchange_type("study-visit")]
    )
    matching.score_offer(offer.pk, alert=False)
    copied = _snapshot()
    OfferProfileMatch.objects.all().delete()
    monkeypatch.setattr(storage, "_can_copy", lambda: False)

    matching.score_offer(offer.pk, alert=False)
    assert _snapshot() == copied and len(copied) == 2

    alerted = timezone.now() - datetime.timedelta(days=1)
    OfferProfileMatch.objects.update(alerted_at=alerted)
    matching.score_offer(offer.pk, alert=False)
    matching.rescore_all()
    assert {pair: row[:2] for pair, row in _snapshot().items()} == {
        pair: row[:2] for pair, row in copied.items()
    }
    assert set(OfferProfileMatch.objects.values_list("alerted_at", flat=True)) == {alerted}


@pytest.mark.parametrize("copy", [True, False])
def test_a_run_writes_only_what_changed(offer, monkeypatch, copy):
    monkeypatch.setattr(storage, "_can_copy", lambda: copy)
    stays, changes, leaves = (InterestProfileFactory() for _ in range(3))
    joins = InterestProfileFactory(languages=[language("de")])  # does not fit yet
    matching.score_offer(offer.pk, alert=False)
    earlier = timezone.now() - datetime.timedelta(days=3)
    OfferProfileMatch.objects.update(created_at=earlier, scored_at=earlier)
    before = {m.profile_id: m for m in OfferProfileMatch.objects.all()}
    # (The texts stay as they are: a changed text changes every text similarity.)
    changes.fewer_opportunity_participants = 1  # the offer offers no support
    changes.save()
    leaves.languages.set([language("de")])  # no longer fits
    joins.languages.set([language("en")])

    matching.score_offer(offer.pk, alert=False)

    after = {m.profile_id: m for m in OfferProfileMatch.objects.all()}
    newcomer = joins
    assert set(after) == {stays.pk, changes.pk, newcomer.pk}
    # The same score and breakdown: the row is left alone.
    assert after[stays.pk].scored_at == earlier
    assert after[stays.pk].breakdown == before[stays.pk].breakdown
    # A changed one is updated, keeping when it first matched; a new one is inserted.
    assert after[changes.pk].score < before[changes.pk].score
    assert (after[changes.pk].created_at, after[changes.pk].scored_at > earlier) == (earlier, True)
    assert after[newcomer.pk].created_at > earlier


def test_many_applications_are_written_with_copy_the_same(offer, monkeypatch):
    for _ in range(3):
        ApplicationFactory(offer=offer)
    matching.score_application(Application.objects.first().pk)
    scored = sorted(Application.objects.values_list("pk", "score", "score_breakdown"))
    Application.objects.update(score=None, score_breakdown=None, scored_at=None)
    monkeypatch.setattr(storage, "BULK_UPDATE_ROWS", 0)

    matching.score_application(Application.objects.first().pk)

    assert sorted(Application.objects.values_list("pk", "score", "score_breakdown")) == scored
    assert not Application.objects.filter(scored_at__isnull=True).exists()
