"""The organisations to meet: the other participants ranked by the engine, with reasons."""

import pytest

from partnership.events.selectors import organisations_to_meet
from partnership.models import EventRegistration
from tests.factories import (
    EventRegistrationFactory,
    InterestProfileFactory,
    OfferFactory,
    OrganisationFactory,
    exchange_type,
    language,
    theme,
)
from tests.partnership.event_fixtures import (  # noqa: F401 (fixtures)
    applicant_registration,
    event,
    host_registration,
)

pytestmark = pytest.mark.django_db

# The registration (1), vocabularies (4, with the fields of education), offers (6), profiles (6),
# past partners (1), the weights in use (1), the chosen offers' titles and profiles' names (3).
RANKING_QUERIES = 22


def _register(event, name, **organisation):
    return EventRegistrationFactory(
        event=event, organisation=OrganisationFactory(name=name, **organisation)
    )


def _names(ranked):
    return [entry.organisation.name for entry in ranked]


def test_their_offer_fitting_our_profile_ranks_them_first_with_the_reasons(
    event, host_registration, applicant_registration, applicant_org, host_org
):
    InterestProfileFactory(
        organisation=applicant_org,
        name="Job shadowing for our advisors",
        themes=[theme("inclusion"), theme("neet-re-engagement")],
    )
    OfferFactory(
        organisation=host_org,
        title="The Multicompetent Team",
        themes=[theme("inclusion"), theme("neet-re-engagement")],
    )
    # Another host whose offer shares one theme of the two.
    other = _register(event, "Aalborg Kommune", country="DK")
    OfferFactory(
        organisation=other.organisation,
        title="Guidance in Aalborg",
        themes=[theme("inclusion"), theme("digital-skills")],
    )

    ranked = organisations_to_meet(applicant_registration)

    assert _names(ranked) == ["Borås Stad", "Aalborg Kommune"]
    best = ranked[0]
    assert best.theirs_is_the_offer
    assert (best.offer_title, best.profile_name) == (
        "The Multicompetent Team",
        "Job shadowing for our advisors",
    )
    assert best.reasons[0] == "Shared themes: Inclusion, NEET re-engagement"
    assert "language: English" in best.reasons
    assert ranked[0].score > ranked[1].score > 0


def test_our_offer_fitting_their_profile_counts_too(
    event, host_registration, applicant_registration, applicant_org, host_org
):
    OfferFactory(organisation=host_org, title="The Multicompetent Team")
    InterestProfileFactory(organisation=applicant_org, name="Job shadowing for our advisors")

    [entry] = organisations_to_meet(host_registration)

    assert entry.organisation == applicant_org
    assert not entry.theirs_is_the_offer
    assert entry.reasons[0] == "Shared theme: Inclusion"


def test_those_with_nothing_to_compare_come_last_alphabetically(
    event, host_registration, applicant_registration, applicant_org, host_org
):
    OfferFactory(organisation=host_org)
    InterestProfileFactory(organisation=applicant_org)
    _register(event, "Zagreb Schools")
    _register(event, "Aalborg Kommune")
    # Compared, but wants study visits in Spanish only: nothing fits.
    picky = _register(event, "Barcelona Activa", country="ES")
    InterestProfileFactory(
        organisation=picky.organisation,
        exchange_types=[exchange_type("study-visit")],
        languages=[language("es")],
    )

    ranked = organisations_to_meet(host_registration)

    assert _names(ranked) == [
        "Vestland fylkeskommune",
        "Barcelona Activa",
        "Aalborg Kommune",
        "Zagreb Schools",
    ]
    assert [(e.score is not None, e.compared) for e in ranked] == [
        (True, True),
        (False, True),
        (False, False),
        (False, False),
    ]


def test_without_any_profile_or_offer_the_list_is_alphabetical(
    event, host_registration, applicant_registration
):
    _register(event, "Aalborg Kommune")

    ranked = organisations_to_meet(host_registration)

    assert _names(ranked) == ["Aalborg Kommune", "Vestland fylkeskommune"]
    assert not any(entry.compared for entry in ranked)


def test_pending_and_suspended_organisations_are_not_offered(
    event, host_registration, applicant_registration
):
    EventRegistrationFactory(event=event, status=EventRegistration.Status.PENDING)
    _register(event, "Suspended Org", is_suspended=True)

    assert _names(organisations_to_meet(host_registration)) == ["Vestland fylkeskommune"]


@pytest.mark.parametrize("others", [2, 10])
def test_the_ranking_takes_the_same_queries_for_any_number_of_participants(
    event, host_registration, host_org, django_assert_num_queries, others
):
    InterestProfileFactory(organisation=host_org)
    for number in range(others):
        registration = _register(event, f"Organisation to meet {number}")
        OfferFactory(organisation=registration.organisation)
        InterestProfileFactory(organisation=registration.organisation)

    with django_assert_num_queries(RANKING_QUERIES):
        ranked = organisations_to_meet(host_registration)

    assert len(ranked) == others and all(entry.score for entry in ranked)
