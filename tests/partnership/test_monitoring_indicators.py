"""Every figure of the monitoring against the hand-counted world of monitoring_world.py."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from partnership.monitoring import selectors
from partnership.monitoring.selectors import Filters
from tests.factories import (
    ApplicationFactory,
    EventFactory,
    ExchangeFactory,
    InterestProfileFactory,
    MeetingFactory,
    OfferFactory,
    OfferProfileMatchFactory,
)
from tests.partnership.monitoring_world import build_monitoring_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_monitoring_world()


def _by_key(rows):
    return {row.key: (row.exchanges, row.participants, row.fewer) for row in rows}


def test_cancelled_exchanges_are_not_counted(world):
    total = selectors.mobilities(Filters())["total"]

    assert (total.exchanges, total.participants, total.fewer) == (4, 15, 4)


def test_a_participant_with_two_categories_counts_once_in_the_share(world):
    figures = selectors.mobilities(Filters())

    assert figures["total"].fewer_share == Decimal(4) / Decimal(15)
    by_category = {row.label: row.fewer for row in figures["by_category"]}
    assert by_category == {"Economic barriers": 1, "Geographical barriers": 1, "Social barriers": 3}


def test_mobilities_by_year_region_country_and_membership(world):
    figures = selectors.mobilities(Filters())

    assert _by_key(figures["by_year"]) == {2024: (2, 8, 1), 2025: (2, 7, 3)}
    assert _by_key(figures["by_region"]) == {
        "SE23": (2, 10, 2),
        "NO0A": (1, 3, 1),
        "ES52": (1, 2, 1),
    }
    assert _by_key(figures["by_country"]) == {"SE": (2, 10, 2), "NO": (1, 3, 1), "ES": (1, 2, 1)}
    assert _by_key(figures["by_membership"]) == {True: (3, 13, 3), False: (1, 2, 1)}
    assert _by_key(figures["by_mobility_of"]) == {"learners": (2, 10, 2), "staff": (2, 5, 2)}


def test_filters_narrow_every_figure(world):
    total = selectors.mobilities(Filters(year=2025, region="SE23"))["total"]

    assert (total.exchanges, total.participants, total.fewer) == (1, 4, 2)


def test_vet_learners_against_the_baseline_and_without_one(world):
    progress = {
        (p.region, p.year): (p.vet_learners, p.baseline) for p in selectors.vet_learners(Filters())
    }

    assert progress == {
        ("SE23", 2024): (6, None),
        ("SE23", 2025): (4, 200),
        ("NO0A", 2025): (0, 1000),
    }
    latest = {
        p.region: p.share for p in selectors.latest_vet_progress(selectors.vet_learners(Filters()))
    }
    assert latest == {"SE23": Decimal("0.02"), "NO0A": Decimal(0)}


def test_reciprocal_regions(world):
    pairs = selectors.reciprocal_pairs(Filters())

    assert [(p["regions"], p["there"], p["back"]) for p in pairs] == [(("NO0A", "SE23"), 1, 1)]


def test_opportunities(world):
    figures = selectors.opportunities(Filters())

    # Five offers published (the cancelled exchange's too), 20 places, 15 held by exchanges
    # that take place; five accepted applications, none with an answer in the history.
    assert (figures["published"], figures["places"], figures["filled"]) == (5, 20, 15)
    assert (figures["applications"], figures["answered"], figures["median_days"]) == (5, 0, None)
    assert figures["without_application"] == 0


def test_the_number_of_queries_does_not_grow_with_the_rows(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        selectors.indicators(Filters())


def _answered_after(application, days, kind="declined"):
    from exchanges.models import ApplicationHistory

    ApplicationHistory.objects.create(
        application=application,
        kind=kind,
        created_at=application.created_at + datetime.timedelta(days=days),
    )


def test_share_answered_and_median_days_to_the_first_answer(db):
    offer = OfferFactory()
    applications = [ApplicationFactory(offer=offer) for _ in range(4)]
    _answered_after(applications[0], 1, "shortlisted")
    _answered_after(applications[0], 9)  # a later answer: the first one counts
    _answered_after(applications[1], 2)
    _answered_after(applications[2], 10, "accepted")
    OfferFactory()  # no application

    figures = selectors.opportunities(Filters())

    assert (figures["applications"], figures["answered"]) == (4, 3)
    assert figures["answered_share"] == Decimal(3) / Decimal(4)
    assert figures["median_days"] == Decimal("2.0")
    assert (figures["published"], figures["without_application"]) == (2, 1)


def test_unmet_demand_by_exchange_type_and_theme(db):
    met, unmet = InterestProfileFactory(), InterestProfileFactory()
    OfferProfileMatchFactory(profile=met, score=0.7)
    OfferProfileMatchFactory(profile=unmet, score=0.3)

    figures = selectors.unmet_demand(Filters())

    assert (figures["profiles"], figures["unmet"]) == (2, 1)
    assert figures["by_type"] == [{"label": "Job shadowing", "unmet": 1}]


def test_meetings_and_the_applications_and_exchanges_that_followed(db):
    event = EventFactory(
        starts_at=timezone.now() - datetime.timedelta(days=40),
        ends_at=timezone.now() - datetime.timedelta(days=40, hours=-3),
        registration_deadline=timezone.now() - datetime.timedelta(days=50),
    )
    meeting = MeetingFactory(event=event, status="accepted")
    host, sender = meeting.requester.organisation, meeting.recipient.organisation
    followed = ExchangeFactory(
        application=ApplicationFactory(
            offer=OfferFactory(organisation=host), organisation=sender, status="accepted"
        )
    )
    ApplicationFactory(offer=OfferFactory(organisation=host))  # not after a meeting

    figures = selectors.network(Filters())

    assert (figures["events"], figures["meetings"]) == (1, 1)
    assert (figures["followed_applications"], figures["followed_exchanges"]) == (1, 1)
    assert followed.application.created_at > event.starts_at
