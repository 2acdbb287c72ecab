"""The demo's call rounds: one whose allocation is confirmed, one still open for rankings.

* "Autumn 2026 guidance job shadowing", the EARLALL secretariat's round of three offers of
  Rogaland's training centre and Catalonia: six senders ranked them, the deadline passed, the
  stable rule allocated and the secretariat confirmed (the placed applications have their
  exchanges).
* "Spring 2027 VET job shadowing", Sjuhärad Vocational College's round of three of its
  offers: Vestland and four other senders applied and ranked; open until its deadline in
  twelve days. admin@ (an admin of Sjuhärad) sees the allocation page and the host's ranking,
  applicant@ Vestland's choices. (Borås keeps the one open offer of the seed's story.)

Its offers and applications are its own (their titles name the round), so the rest of the
seed never touches them. Idempotent: a confirmed round is left as it is; the open round's
rows are brought back to the plan below.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from exchanges import matching, services
from exchanges.models import (
    Application,
    ApplicationHistory,
    CallRound,
    Exchange,
    Offer,
    RoundEntry,
    RoundProposal,
)
from matchmaking.models import ExchangeType, Language, Organisation, Theme, User

from .organisations import ORGANISATIONS
from .plan import organisation_slug, primary_email
from .rows import upsert

SECRETARIAT = "secretariat@demo.earlall.eu"

# (host, title, exchange type, capacity, themes)
CONFIRMED_OFFERS = [
    ("rogaland-training", "Shadowing VET guidance counsellors (autumn round)", "job-shadowing", 3),
    ("rogaland-training", "Study visit on adult career guidance (autumn round)", "study-visit", 2),
    ("catalonia", "Guidance for young people in Barcelona (autumn round)", "job-shadowing", 4),
]
OPEN_OFFERS = [
    ("sjuharad", "Work-based learning in our workshops (spring round)", "job-shadowing", 3),
    ("sjuharad", "Apprenticeship tutors at work (spring round)", "job-shadowing", 2),
    ("sjuharad", "Study visit on validation of prior learning (spring round)", "study-visit", 4),
]
# sender -> (participants, with fewer opportunities, offer numbers in the sender's order)
CONFIRMED_SENDERS = {
    "rogaland": (2, 1, [0, 2]),
    "bergen-adult": (1, 0, [0, 1]),
    "basque": (2, 0, [0]),
    "galicia": (1, 1, [1, 0]),
    "vdab-ghent": (2, 0, [2, 0, 1]),
    "lombardy": (3, 1, [2]),
}
OPEN_SENDERS = {
    "vestland": (2, 1, [0, 2, 1]),
    "rogaland": (1, 0, [0, 1]),
    "catalonia": (2, 0, [2, 0]),
    "tampere-region": (2, 1, [1, 0]),
    "brittany": (1, 0, [0]),
}
MOTIVATION = (
    "Our advisors follow young people who left education early; we want to see how your team "
    "works with schools, the employment service and families."
)


class RoundSeeder:
    def __init__(self, *, stdout):
        self.stdout = stdout
        self.today = timezone.localdate()
        self.now = timezone.now()

    def seed(self):
        with transaction.atomic():
            self.organisations = {
                data["key"]: Organisation.objects.get(slug=organisation_slug(data))
                for data in ORGANISATIONS
            }
            self.english = Language.objects.get(code="en")
            self.themes = list(
                Theme.objects.filter(slug__in=["work-based-learning", "validation-prior-learning"])
            )
            self.seed_confirmed()
            self.seed_open()
        self.stdout.write("Call rounds: one confirmed, one open.")

    def user(self, key):
        return User.objects.get(email=primary_email(key))

    def seed_offer(self, host, title, exchange_type, capacity):
        offer, _created = upsert(
            Offer,
            {"organisation": self.organisations[host], "title": title},
            {
                "exchange_type": ExchangeType.objects.get(slug=exchange_type),
                "target_group": Offer.TargetGroup.STAFF,
                "description": (
                    "Two days with our counsellors: case meetings, a school visit and a "
                    "session with the employment service."
                ),
                "city": self.organisations[host].city,
                "region_name": self.organisations[host].region_name,
                "available_from": self.today + datetime.timedelta(days=40),
                "available_until": self.today + datetime.timedelta(days=90),
                "duration_days": 2,
                "capacity": capacity,
                "application_deadline": self.today + datetime.timedelta(days=30),
                "status": Offer.Status.PUBLISHED,
                "published_at": offer_published(self.now),
                "created_by": self.user(host),
            },
        )
        offer.themes.set(self.themes)
        offer.languages.set([self.english])
        return offer

    def seed_application(self, offer, sender, participants, fewer):
        user = self.user(sender)
        start = offer.available_from + datetime.timedelta(days=5)
        application, created = upsert(
            Application,
            {"offer": offer, "organisation": self.organisations[sender]},
            {
                "motivation": MOTIVATION,
                "participants": min(participants, offer.capacity),
                "fewer_opportunity_participants": min(fewer, participants, offer.capacity),
                "participant_roles": "Guidance counsellors and a youth worker.",
                "preferred_start": start,
                "preferred_end": start + datetime.timedelta(days=1),
                "status": Application.Status.SUBMITTED,
                "submitted_by": user,
            },
        )
        application.languages.set([self.english])
        if created or not application.history.exists():
            application.history.all().delete()
            ApplicationHistory.objects.create(
                application=application, kind=Application.Status.SUBMITTED, actor=user
            )
        return application

    def seed_round(self, name, organiser, offers, senders, *, deadline, allocation, **values):
        call_round, _created = upsert(
            CallRound,
            {"name": name},
            {
                "organiser": organiser,
                "application_deadline": deadline,
                "allocation_date": allocation,
                "created_by": User.objects.get(email=SECRETARIAT)
                if organiser is None
                else self.user("sjuharad"),
                **values,
            },
        )
        call_round.offers.set(offers)
        RoundEntry.objects.filter(call_round=call_round).delete()
        for sender, (participants, fewer, choices) in senders.items():
            for rank, number in enumerate(choices, start=1):
                application = self.seed_application(offers[number], sender, participants, fewer)
                RoundEntry.objects.create(
                    call_round=call_round,
                    application=application,
                    organisation=application.organisation,
                    sender_rank=rank,
                )
        for offer in offers:  # the hosts see their applicants by fit
            matching.score_offer(offer.pk, alert=False)
        return call_round

    def seed_confirmed(self):
        if CallRound.objects.filter(
            name="Autumn 2026 guidance job shadowing", status=CallRound.Status.CONFIRMED
        ).exists():
            return
        offers = [self.seed_offer(*spec) for spec in CONFIRMED_OFFERS]
        call_round = self.seed_round(
            "Autumn 2026 guidance job shadowing",
            None,
            offers,
            CONFIRMED_SENDERS,
            deadline=self.now - datetime.timedelta(days=5),
            allocation=self.now - datetime.timedelta(days=4),
            description="Three guidance offers in Sweden and Catalonia, allocated at once.",
            status=CallRound.Status.OPEN,
        )
        secretariat = User.objects.get(email=SECRETARIAT)
        services.round_allocate(call_round=call_round, acting_user=secretariat)
        services.round_confirm(call_round=call_round, acting_user=secretariat)
        # What the worker does after each acceptance (on commit), done here in-process so that
        # the demo is the same whether or not the commit's callbacks run.
        for offer in offers:
            matching.score_offer(offer.pk, alert=False)

    def seed_open(self):
        offers = [self.seed_offer(*spec) for spec in OPEN_OFFERS]
        # Whatever was tried on the open round since the last seed is undone.
        RoundProposal.objects.filter(call_round__name="Spring 2027 VET job shadowing").delete()
        Exchange.objects.filter(application__offer__in=offers).delete()
        self.seed_round(
            "Spring 2027 VET job shadowing",
            self.organisations["sjuharad"],
            offers,
            OPEN_SENDERS,
            deadline=self.now + datetime.timedelta(days=12),
            allocation=self.now + datetime.timedelta(days=13),
            description=(
                "Sjuhärad Vocational College's spring offers for VET staff. Rank up to three; "
                "a fifth of the places are held for groups with participants with fewer "
                "opportunities."
            ),
            status=CallRound.Status.OPEN,
            max_choices=3,
        )


def offer_published(now):
    return (now - datetime.timedelta(days=20)).replace(microsecond=0)
