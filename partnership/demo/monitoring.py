"""seed_demo's monitoring history: three past years of completed exchanges across the demo
regions, and VET-learner baselines for some of the regions, so that the dashboard shows
trends, a region without a baseline and, on the public page, counts under 5 shown as "fewer
than 5".

Each past year has a handful of closed offers, each hosting two or three organisations of
other regions (one accepted application and its completed exchange each). Everything is
derived from the demo's organisations and today's year, the same on every run, and written
only where it differs (``rows.upsert``), as in the rest of seed_demo.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from exchanges.models import (
    Application,
    ApplicationHistory,
    Exchange,
    ExchangeHistory,
    FewerOpportunityCount,
    Offer,
)
from matchmaking.models import (
    ExchangeType,
    FewerOpportunityCategory,
    Language,
    Organisation,
    Theme,
    User,
)
from partnership.models import VetLearnerBaseline

from .organisations import ORGANISATIONS
from .plan import organisation_slug, primary_email
from .rows import set_timestamps, upsert

YEARS = 3
# (exchange type, themes, duration in days, participants per sending organisation); offer i
# of a year is hosted by the (i * 5 + year)-th demo organisation and receives senders from
# the next ones. Mostly VET learner mobility, the partnership's first target.
OFFERS_PER_YEAR = [
    ("vet-learner", ["work-based-learning", "inclusion"], Decimal("14"), (4, 3, 2)),
    ("job-shadowing", ["guidance-counselling", "neet-re-engagement"], Decimal("2"), (2, 3)),
    ("apprenticeship", ["work-based-learning"], Decimal("90"), (2, 1)),
    ("study-visit", ["inter-agency-cooperation"], Decimal("3"), (5, 4)),
    ("teaching-training", ["teacher-trainer-development"], Decimal("5"), (1, 2)),
    ("vet-learner", ["green-skills", "digital-skills"], Decimal("21"), (6, 3, 4)),
]
# Fewer-opportunity participants of an exchange with n participants: about one in three, each
# with one barrier, two barriers for one of them where there are three or more.
BARRIERS = ["economic-barriers", "geographical-barriers", "education-barriers", "disabilities"]
# VET learners for the demo's baselines: small numbers (those of the partnership's own VET
# providers in the region, say) so that the demo's few exchanges show on the progress bars.
# Three years for Västsverige, two for Vestlandet, the last for País Vasco; the other regions
# have none ("no baseline").
BASELINES = {"SE23": (3, 160), "NO0A": (2, 120), "ES21": (1, 90)}
SECRETARIAT = "secretariat@demo.earlall.eu"


class MonitoringSeeder:
    def __init__(self, *, stdout):
        self.stdout = stdout

    def seed(self):
        today = timezone.localdate()
        with transaction.atomic():
            keys = [o["key"] for o in ORGANISATIONS if len(o["nuts"]) >= 4]
            by_slug = Organisation.objects.in_bulk(
                [organisation_slug(o) for o in ORGANISATIONS], field_name="slug"
            )
            self.organisations = {o["key"]: by_slug[organisation_slug(o)] for o in ORGANISATIONS}
            self.users = User.objects.in_bulk(
                [primary_email(key) for key in keys] + [SECRETARIAT], field_name="email"
            )
            self.types = ExchangeType.objects.in_bulk(field_name="slug")
            self.themes = Theme.objects.in_bulk(field_name="slug")
            self.categories = FewerOpportunityCategory.objects.in_bulk(field_name="slug")
            self.english = Language.objects.get(code="en")
            exchanges = 0
            for year in range(today.year - YEARS, today.year):
                for index, spec in enumerate(OFFERS_PER_YEAR):
                    exchanges += self.seed_offer(keys, year, index, spec)
            self.seed_baselines(today.year)
        self.stdout.write(
            f"Monitoring: {exchanges} past exchanges over {YEARS} years, "
            f"{sum(years for years, _n in BASELINES.values())} VET-learner baselines"
        )

    def seed_offer(self, keys, year, index, spec):
        type_slug, themes, duration, groups = spec
        host_key = keys[(index * 5 + year) % len(keys)]
        host = self.organisations[host_key]
        candidates = [keys[(index * 5 + year + 3 + 7 * n) % len(keys)] for n in range(8)]
        if self.types[type_slug].sector == ExchangeType.Sector.VET:
            # VET learners come first from the regions with a baseline, in turn.
            with_baseline = [
                key for key in keys if self.organisations[key].nuts_code[:4] in BASELINES
            ]
            turn = (year + index) % len(with_baseline)
            candidates = with_baseline[turn:] + with_baseline[:turn] + candidates
        senders = list(
            dict.fromkeys(
                key
                for key in candidates
                if self.organisations[key].nuts_code[:4] != host.nuts_code[:4]
            )
        )[: len(groups)]
        start = datetime.date(year, 2 + 2 * index, 6)
        published = timezone.make_aware(datetime.datetime(year, 1, 10 + index, 10))
        exchange_type = self.types[type_slug]
        capacity = sum(groups)
        offer, _created = upsert(
            Offer,
            {"organisation": host, "title": f"{exchange_type} in {host.city}, {year}"},
            {
                "exchange_type": exchange_type,
                "target_group": exchange_type.mobility_of or Offer.TargetGroup.STAFF,
                "description": (
                    f"{exchange_type} hosted by {host.name} in {year}: a past exchange of the "
                    "demo's monitoring history."
                ),
                "city": host.city,
                "region_name": host.region_name,
                "available_from": start,
                "available_until": start + datetime.timedelta(days=int(duration) + 30),
                "application_deadline": start - datetime.timedelta(days=20),
                "duration_days": duration,
                "capacity": capacity,
                "status": Offer.Status.CLOSED,
                "published_at": published,
                "created_by": self.users[primary_email(host_key)],
                "supports_fewer_opportunities": True,
                "fewer_opportunities_support": "A mentor for every participant who needs one.",
            },
        )
        offer.themes.set([self.themes[slug] for slug in themes])
        offer.languages.set([self.english])
        set_timestamps(offer, created_at=published, updated_at=published)
        for n, (sender_key, participants) in enumerate(zip(senders, groups, strict=False)):
            self.seed_exchange(offer, host_key, sender_key, participants, start, duration, n)
        # Senders an earlier version of this plan chose are taken out again.
        stale = offer.applications.exclude(
            organisation__in=[self.organisations[key] for key in senders]
        )
        Exchange.objects.filter(application__in=stale).delete()
        stale.delete()
        return len(senders)

    def seed_exchange(self, offer, host_key, sender_key, participants, start, duration, n):
        host_user, sender_user = (
            self.users[primary_email(host_key)],
            self.users[primary_email(sender_key)],
        )
        fewer = (participants + 1) // 3
        submitted = offer.published_at + datetime.timedelta(days=5 + n)
        accepted = submitted + datetime.timedelta(days=3 + 4 * n)
        end = start + datetime.timedelta(days=max(int(duration) - 1, 0))
        application, _created = upsert(
            Application,
            {"offer": offer, "organisation": self.organisations[sender_key]},
            {
                "motivation": "We send a group every year; this is our monitoring history.",
                "participants": participants,
                "fewer_opportunity_participants": fewer,
                "participant_roles": "Learners and their teacher."
                if offer.target_group == Offer.TargetGroup.LEARNERS
                else "Advisors and teachers.",
                "preferred_start": start,
                "preferred_end": end,
                "status": Application.Status.ACCEPTED,
                "submitted_by": sender_user,
            },
        )
        application.languages.set([self.english])
        set_timestamps(application, created_at=submitted, updated_at=accepted)
        self.seed_history(
            application.history,
            ApplicationHistory,
            {"application": application},
            [
                (Application.Status.SUBMITTED, sender_user, submitted),
                (Application.Status.ACCEPTED, host_user, accepted),
            ],
        )
        exchange, _created = upsert(
            Exchange,
            {"application": application},
            {
                "host_id": offer.organisation_id,
                "sender_id": application.organisation_id,
                "start_date": start,
                "end_date": end,
                "duration_days": duration,
                "participants": participants,
                "fewer_opportunity_participants": fewer,
                "programme": "",
                "practical_notes": "",
                "status": Exchange.Status.COMPLETED,
                "cancellation_reason": "",
                "week_reminder_sent_at": timezone.make_aware(
                    datetime.datetime.combine(start - datetime.timedelta(days=7), datetime.time(7))
                ),
                "follow_up_requested_at": timezone.make_aware(
                    datetime.datetime.combine(end, datetime.time(7))
                ),
                "follow_up_reminder_sent_at": timezone.make_aware(
                    datetime.datetime.combine(end + datetime.timedelta(days=14), datetime.time(7))
                ),
            },
        )
        exchange.fields_of_education.set([])
        completed = timezone.make_aware(datetime.datetime.combine(end, datetime.time(16)))
        self.seed_history(
            exchange.history,
            ExchangeHistory,
            {"exchange": exchange},
            [
                (ExchangeHistory.Kind.PLANNED, host_user, accepted),
                (ExchangeHistory.Kind.COMPLETED, host_user, completed),
            ],
        )
        self.seed_counts(exchange, participants, fewer)
        set_timestamps(exchange, created_at=accepted, updated_at=completed)

    def seed_counts(self, exchange, participants, fewer):
        wanted = {}
        for i in range(fewer):
            slug = BARRIERS[(exchange.host_id + exchange.sender_id + i) % len(BARRIERS)]
            wanted[slug] = wanted.get(slug, 0) + 1
        if fewer and participants >= 3:  # one participant faces a second barrier
            second = BARRIERS[(exchange.host_id + exchange.sender_id + fewer) % len(BARRIERS)]
            wanted[second] = min(wanted.get(second, 0) + 1, fewer)
        existing = dict(exchange.fewer_opportunity_counts.values_list("category__slug", "count"))
        if existing != wanted:
            exchange.fewer_opportunity_counts.all().delete()
            FewerOpportunityCount.objects.bulk_create(
                FewerOpportunityCount(exchange=exchange, category=self.categories[slug], count=n)
                for slug, n in wanted.items()
            )

    @staticmethod
    def seed_history(manager, model, subject, rows):
        existing = list(manager.order_by("created_at", "pk"))
        if [(e.kind, e.actor_id, e.created_at) for e in existing] != [
            (kind, actor.pk, at) for kind, actor, at in rows
        ]:
            manager.all().delete()
            model.objects.bulk_create(
                model(**subject, kind=kind, actor=actor, created_at=at) for kind, actor, at in rows
            )

    def seed_baselines(self, this_year):
        secretariat = self.users.get(SECRETARIAT)
        for region, (years, learners) in BASELINES.items():
            for back in range(1, years + 1):
                year = this_year - back
                upsert(
                    VetLearnerBaseline,
                    {"region": region, "year": year},
                    {
                        # A little growth every year, the same on every run.
                        "vet_learners": learners + 10 * (YEARS - back),
                        "source": "Demo figure (rounded)",
                        "entered_by": secretariat,
                    },
                )
