"""A stored breakdown said in words: exchanges.explanations."""

import datetime

import pytest

from exchanges.explanations import reasons, sentence
from tests.factories import InterestProfileFactory, language, theme


def _breakdown(**overrides):
    """A breakdown in the stored format (the engine's as_dict() plus the shared names)."""
    return {
        "total": 0.8,
        "components": {"themes": 0.5, "text": 0.0},
        "exclusion": "NONE",
        "shared_theme_indices": [0, 1],
        "shared_language_indices": [2, 5],
        "date_overlap_days": 2,
        "seeker_window_days": 2,
        "cross_border": True,
        "past_partners": False,
        "host_seeks_what_seeker_hosts": False,
        "fewer_opportunities": [False, 0],
        "capacity": [3, 4],
        "version": 1,
        "shared_themes": ["Inclusion", "NEET re-engagement"],
        "shared_languages": ["English", "Swedish"],
        **overrides,
    }


def test_it_says_the_shared_themes_dates_and_languages():
    assert sentence(_breakdown()) == (
        "Shared themes: Inclusion, NEET re-engagement · dates overlap fully · "
        "languages: English, Swedish"
    )


def test_it_says_everything_a_pair_has_in_its_favour_in_a_fixed_order():
    breakdown = _breakdown(
        fewer_opportunities=[True, 1],
        past_partners=True,
        host_seeks_what_seeker_hosts=True,
        components={"themes": 0.5, "text": 0.35},
    )

    assert reasons(breakdown) == [
        "Shared themes: Inclusion, NEET re-engagement",
        "dates overlap fully",
        "languages: English, Swedish",
        "supports participants with fewer opportunities",
        "you have worked together before",
        "the host looks for exchanges of a kind you host",
        "similar wording in the descriptions",
    ]


def test_it_speaks_to_the_host_about_reciprocity_from_its_side():
    breakdown = _breakdown(host_seeks_what_seeker_hosts=True)

    assert "they host exchanges of a kind you look for" in reasons(breakdown, viewer="host")
    assert "the host looks for exchanges of a kind you host" not in reasons(
        breakdown, viewer="host"
    )


def test_it_uses_the_singular_for_one_theme_or_language():
    breakdown = _breakdown(shared_themes=["Inclusion"], shared_languages=["English"])

    assert reasons(breakdown)[0] == "Shared theme: Inclusion"
    assert "language: English" in reasons(breakdown)


def test_it_counts_the_days_of_a_partial_overlap():
    assert "dates overlap for 3 days" in reasons(
        _breakdown(date_overlap_days=3, seeker_window_days=10)
    )
    assert "dates overlap for 1 day" in reasons(
        _breakdown(date_overlap_days=1, seeker_window_days=10)
    )


def test_it_says_nothing_about_dates_when_the_seeker_takes_any():
    said = sentence(_breakdown(seeker_window_days=None, date_overlap_days=30))

    assert "dates" not in said


def test_it_does_not_praise_a_fewer_opportunities_offer_to_a_seeker_bringing_none():
    assert "supports participants with fewer opportunities" not in reasons(
        _breakdown(fewer_opportunities=[True, 0])
    )


def test_it_keeps_quiet_about_a_chance_overlap_of_words():
    assert "similar wording in the descriptions" not in reasons(
        _breakdown(components={"themes": 0.5, "text": 0.1})
    )


@pytest.mark.parametrize(
    ("exclusion", "said"),
    [
        ("EXCHANGE_TYPE", "not an exchange type sought"),
        ("DATES", "no dates in common"),
        ("LANGUAGE", "no working language in common"),
        ("CAPACITY", "more participants than places left (3 for 2 places)"),
        ("COUNTRY", "not in a country wanted"),
        ("SAME_ORGANISATION", "the same organisation"),
    ],
)
def test_an_excluded_pair_has_one_reason_its_exclusion(exclusion, said):
    breakdown = _breakdown(exclusion=exclusion, capacity=[3, 2], total=0.0)

    assert reasons(breakdown) == [said]


def test_no_breakdown_gives_no_reasons():
    assert reasons(None) == []
    assert reasons({}) == []


# A stored match's slim breakdown, completed from its offer and profile


def _slim(**overrides):
    return {
        "version": 2,
        "components": [0.5, 0.0, 1.0, 1.0, 1.0, 0.5, 1.0, 0.0],
        "past_partners": False,
        "host_seeks_what_seeker_hosts": False,
        **overrides,
    }


@pytest.mark.django_db
def test_a_slim_breakdown_is_said_from_the_offer_and_profile_as_they_are(offer):
    offer.themes.set([theme("neet-re-engagement"), theme("inclusion"), theme("green-skills")])
    offer.languages.set([language("sv"), language("en")])
    profile = InterestProfileFactory(
        themes=[theme("inclusion"), theme("neet-re-engagement")],
        languages=[language("en"), language("sv"), language("de")],
        available_from=offer.available_from - datetime.timedelta(days=7),
        available_until=offer.available_from + datetime.timedelta(days=2),
        participants=2,
        fewer_opportunity_participants=1,
    )
    offer.supports_fewer_opportunities = True
    breakdown = _slim(past_partners=True, components=[0.5, 0.3, 0.3, 1, 1, 1, 1, 1])

    assert reasons(breakdown, offer=offer, profile=profile) == [
        "Shared themes: Inclusion, NEET re-engagement",  # in the vocabulary's order
        "dates overlap for 3 days",
        "languages: English, Swedish",
        "supports participants with fewer opportunities",
        "you have worked together before",
        "similar wording in the descriptions",
    ]
    profile.themes.set([theme("green-skills")])  # as it is now, not as it was scored
    assert reasons(breakdown, offer=offer, profile=profile)[0] == "Shared theme: Green skills"


def test_a_slim_breakdown_without_its_offer_and_profile_says_what_it_holds():
    breakdown = _slim(host_seeks_what_seeker_hosts=True, components=[0, 0.5, 1, 1, 1, 0.5, 1, 1])

    assert reasons(breakdown, viewer="host") == [
        "they host exchanges of a kind you look for",
        "similar wording in the descriptions",
    ]
