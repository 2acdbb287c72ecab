"""A hand-counted world for the monitoring: three regions, five exchanges (one cancelled).

| # | sender → host       | type          | start      | status    | people | fewer (by category)  |
|---|---------------------|---------------|------------|-----------|--------|----------------------|
| 1 | Vestland → Borås    | job shadowing | 2025-05-12 | completed | 3      | 1 (economic, geogr.) |
| 2 | Borås → Vestland    | VET learner   | 2025-09-01 | planned   | 4      | 2 (social 2)         |
| 3 | Borås → Valencia    | VET learner   | 2024-04-01 | completed | 6      | 0                    |
| 4 | Valencia → Borås    | study visit   | 2025-02-01 | cancelled | 5      | 5 (disabilities 5)   |
| 5 | Valencia → Vestland | job shadowing | 2024-10-01 | completed | 2      | 1 (social 1)         |

Counted (cancelled excluded): 4 exchanges, 15 participants, 4 with fewer opportunities (the
participant of #1 with two categories counts once). VET learners: SE23 6 in 2024 (no
baseline) and 4 in 2025 (baseline 200: 2 %); NO0A has a 2025 baseline of 1,000 and none.
Regions: Borås SE232 → SE23, Vestland NO0A2 → NO0A, Valencia ES523 → ES52. Borås and
Vestland are members; Valencia is not.
"""

import datetime
from dataclasses import dataclass

from exchanges.models import Application, Exchange, FewerOpportunityCount
from matchmaking.models import FewerOpportunityCategory
from partnership.models import VetLearnerBaseline
from tests.factories import (
    ApplicationFactory,
    ExchangeFactory,
    OfferFactory,
    OrganisationFactory,
    exchange_type,
)


@dataclass
class MonitoringWorld:
    boras: object
    vestland: object
    valencia: object
    exchanges: list


def _exchange(sender, host, type_slug, start, status, participants, fewer, counts=None):
    offer = OfferFactory(
        organisation=host,
        exchange_type=exchange_type(type_slug),
        available_from=start,
        available_until=start + datetime.timedelta(days=30),
        application_deadline=start,
        capacity=participants,
        published_at=datetime.datetime(start.year, 1, 15, tzinfo=datetime.UTC),
    )
    application = ApplicationFactory(
        offer=offer,
        organisation=sender,
        status=Application.Status.ACCEPTED,
        participants=participants,
        fewer_opportunity_participants=fewer,
        preferred_start=start,
        preferred_end=start + datetime.timedelta(days=1),
    )
    exchange = ExchangeFactory(
        application=application,
        status=status,
        cancellation_reason="Flights cancelled." if status == "cancelled" else "",
    )
    for slug, count in (counts or {}).items():
        FewerOpportunityCount.objects.create(
            exchange=exchange,
            category=FewerOpportunityCategory.objects.get(slug=slug),
            count=count,
        )
    return exchange


def build_monitoring_world():
    boras = OrganisationFactory(
        name="Borås Stad",
        country="SE",
        nuts_code="SE232",
        rsp_member_since=datetime.date(2024, 3, 1),
    )
    vestland = OrganisationFactory(
        name="Vestland fylkeskommune",
        country="NO",
        nuts_code="NO0A2",
        rsp_member_since=datetime.date(2025, 1, 10),
    )
    valencia = OrganisationFactory(name="Valencia VET Centre", country="ES", nuts_code="ES523")
    d = datetime.date
    done, planned, cancelled = (
        Exchange.Status.COMPLETED,
        Exchange.Status.PLANNED,
        Exchange.Status.CANCELLED,
    )
    exchanges = [
        _exchange(
            vestland,
            boras,
            "job-shadowing",
            d(2025, 5, 12),
            done,
            3,
            1,
            {"economic-barriers": 1, "geographical-barriers": 1},
        ),
        _exchange(
            boras, vestland, "vet-learner", d(2025, 9, 1), planned, 4, 2, {"social-barriers": 2}
        ),
        _exchange(boras, valencia, "vet-learner", d(2024, 4, 1), done, 6, 0),
        _exchange(
            valencia, boras, "study-visit", d(2025, 2, 1), cancelled, 5, 5, {"disabilities": 5}
        ),
        _exchange(
            valencia, vestland, "job-shadowing", d(2024, 10, 1), done, 2, 1, {"social-barriers": 1}
        ),
    ]
    VetLearnerBaseline.objects.create(region="SE23", year=2025, vet_learners=200)
    VetLearnerBaseline.objects.create(region="NO0A", year=2025, vet_learners=1000)
    return MonitoringWorld(boras=boras, vestland=vestland, valencia=valencia, exchanges=exchanges)
