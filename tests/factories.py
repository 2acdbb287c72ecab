"""factory_boy factories for every model the tests build; the one place that knows defaults.

Vocabularies (exchange types, themes, languages) are seeded by data migrations, so the
factories look them up instead of creating them.
"""

import datetime
import functools
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.text import slugify

from exchanges.models import Application, CallRound, Offer, RoundEntry
from matchmaking.models import ExchangeType, Language, Membership, Organisation, Theme, User

PASSWORD = "pass-1234-word"


@functools.cache
def _password_hash():
    # Hashing is deliberately slow; one hash serves every user of the run.
    return make_password(PASSWORD)


def _set_many(manager, extracted, default):
    """Post-generation helper: the given objects, else the default vocabulary terms."""
    manager.set(extracted if extracted is not None else default())


def language(code):
    return Language.objects.get(code=code)


def theme(slug):
    return Theme.objects.get(slug=slug)


def exchange_type(slug):
    return ExchangeType.objects.get(slug=slug)


class UserFactory(factory.django.DjangoModelFactory):
    """A person with a verified primary email address, who can sign in with PASSWORD."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.LazyFunction(_password_hash)
    preferred_language = "en"

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Organisation.Kind.VET
    country = "SE"
    region_name = "Västra Götaland"
    city = "Borås"
    contact_email = factory.LazyAttribute(lambda o: f"contact@{o.slug}.example.org")

    @factory.post_generation
    def languages(obj, create, extracted, **kwargs):
        if create:
            _set_many(obj.languages, extracted, lambda: [language("en")])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.COORDINATOR


def _in_days(days):
    return lambda: timezone.localdate() + datetime.timedelta(days=days)


class OfferFactory(factory.django.DjangoModelFactory):
    """A published offer, open for applications: deadline in 20 days, window in 30–60 days."""

    class Meta:
        model = Offer
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Job shadowing of guidance counsellors {n}")
    exchange_type = factory.LazyFunction(lambda: exchange_type("job-shadowing"))
    target_group = Offer.TargetGroup.STAFF
    description = "Follow our counsellors for a day and a half and see how we work with NEETs."
    city = "Borås"
    region_name = "Västra Götaland"
    available_from = factory.LazyFunction(_in_days(30))
    available_until = factory.LazyFunction(_in_days(60))
    duration_days = Decimal("1.5")
    capacity = 3
    application_deadline = factory.LazyFunction(_in_days(20))
    status = Offer.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create:
            _set_many(obj.themes, extracted, lambda: [theme("inclusion")])

    @factory.post_generation
    def languages(obj, create, extracted, **kwargs):
        if create:
            _set_many(obj.languages, extracted, lambda: [language("en")])


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A submitted application for one participant on the first two days of the window."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    offer = factory.SubFactory(OfferFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    motivation = "We want to learn how you reach young people who left school early."
    participants = 1
    fewer_opportunity_participants = 0
    participant_roles = "One advisor in education."
    preferred_start = factory.LazyAttribute(lambda a: a.offer.available_from)
    preferred_end = factory.LazyAttribute(
        lambda a: a.offer.available_from + datetime.timedelta(days=1)
    )

    @factory.post_generation
    def languages(obj, create, extracted, **kwargs):
        if create:
            _set_many(obj.languages, extracted, lambda: [language("en")])


class CallRoundFactory(factory.django.DjangoModelFactory):
    """An open call round of an organisation: deadline in 10 days, allocation in 11."""

    class Meta:
        model = CallRound
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Spring 2027 VET job shadowing {n}")
    organiser = factory.SubFactory(OrganisationFactory)
    application_deadline = factory.LazyFunction(
        lambda: timezone.now() + datetime.timedelta(days=10)
    )
    allocation_date = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=11))

    @factory.post_generation
    def offers(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.offers.set(extracted)


def round_entry(call_round, application, rank=1, **fields):
    """An application taking part in a round at its sender's ``rank``."""
    return RoundEntry.objects.create(
        call_round=call_round,
        application=application,
        organisation=application.organisation,
        sender_rank=rank,
        **fields,
    )


# The Regional Skills Partnership (partnership app) -----------------------------------------

from partnership.models import Commitment, MembershipApplication, Promoter  # noqa: E402


class MembershipApplicationFactory(factory.django.DjangoModelFactory):
    """A pending application to join the partnership, every commitment ticked, logo consented."""

    class Meta:
        model = MembershipApplication

    organisation = factory.SubFactory(OrganisationFactory)
    contact_name = "Nicholas Waller"
    contact_role = "International coordinator"
    contact_email = "nicholas.waller@example.org"
    motivation = "We host job shadowing and want to reach more regions with it."
    commitments = factory.LazyFunction(lambda: list(Commitment.values))
    logo_consent = True


class PromoterFactory(factory.django.DjangoModelFactory):
    """An approved promoter without a photo; languages default to English."""

    class Meta:
        model = Promoter
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Promoter {n}")
    role = "International coordinator"
    organisation = factory.SubFactory(
        OrganisationFactory, rsp_member_since=factory.LazyFunction(timezone.localdate)
    )
    bio = "Helps colleagues in the region to prepare their first job shadowing abroad."
    contact_email = factory.Sequence(lambda n: f"promoter{n}@example.org")
    status = Promoter.Status.APPROVED
    decided_at = factory.LazyAttribute(
        lambda p: None if p.status == Promoter.Status.PENDING else timezone.now()
    )

    @factory.post_generation
    def languages(obj, create, extracted, **kwargs):
        if create:
            _set_many(obj.languages, extracted, lambda: [language("en")])


# Matching: interest profiles, matches, invitations (exchanges app) --------------------------

from exchanges.models import OfferProfileMatch  # noqa: E402
from matchmaking.models import InterestProfile  # noqa: E402


class InterestProfileFactory(factory.django.DjangoModelFactory):
    """A profile seeking job shadowing on inclusion in English, any time, anywhere; alerts at
    once. The defaults fit OfferFactory's offer."""

    class Meta:
        model = InterestProfile
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Job shadowing for our advisors {n}")
    participants = 2
    fewer_opportunity_participants = 0
    description = "We want to see how others re-engage young people who left school early."
    alert = InterestProfile.Alert.IMMEDIATELY

    @factory.post_generation
    def exchange_types(obj, create, extracted, **kwargs):
        if create:
            _set_many(obj.exchange_types, extracted, lambda: [exchange_type("job-shadowing")])

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create:
            _set_many(obj.themes, extracted, lambda: [theme("inclusion")])

    @factory.post_generation
    def languages(obj, create, extracted, **kwargs):
        if create:
            _set_many(obj.languages, extracted, lambda: [language("en")])


class OfferProfileMatchFactory(factory.django.DjangoModelFactory):
    """A stored match as the scoring task leaves it: a score and a slim breakdown (the pages
    work out the rest from the offer and the profile)."""

    class Meta:
        model = OfferProfileMatch

    offer = factory.SubFactory(OfferFactory)
    profile = factory.SubFactory(InterestProfileFactory)
    score = 0.7
    breakdown = factory.LazyFunction(
        lambda: {
            "version": 2,
            "components": [1.0, 0.0, 1.0, 1.0, 1.0, 0.5, 1.0, 0.0],
            "past_partners": False,
            "host_seeks_what_seeker_hosts": False,
        }
    )


# Matchmaking events (partnership app) -------------------------------------------------------

from zoneinfo import ZoneInfo  # noqa: E402

from partnership.models import Event, EventRegistration, Meeting  # noqa: E402


def _event_day(days):
    """09:00 in Brussels, ``days`` days from today."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(9), ZoneInfo("Europe/Brussels"))


class EventFactory(factory.django.DjangoModelFactory):
    """An event in Brussels in 30 days, 09:00–12:00 local time (six 30-minute slots),
    registrations open for 20 more days, 10 places, no approval needed, 3 meetings each."""

    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Matchmaking day {n}")
    slug = factory.LazyAttribute(lambda e: slugify(e.title))
    description = "1:1 meetings between the partnership's members."
    time_zone = "Europe/Brussels"
    starts_at = factory.LazyFunction(lambda: _event_day(30))
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + datetime.timedelta(hours=3))
    place = "Rue du Luxembourg 47-51, Brussels"
    registration_deadline = factory.LazyAttribute(
        lambda e: e.starts_at - datetime.timedelta(days=10)
    )
    capacity = 10
    slot_minutes = 30
    meeting_cap = 3


class EventRegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed registration with one person attending."""

    class Meta:
        model = EventRegistration

    event = factory.SubFactory(EventFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    attendees = factory.LazyFunction(lambda: [{"name": "Anna Berg", "role": "Advisor"}])
    status = EventRegistration.Status.CONFIRMED
    decided_at = factory.LazyAttribute(
        lambda r: None if r.status == EventRegistration.Status.PENDING else timezone.now()
    )


class MeetingFactory(factory.django.DjangoModelFactory):
    """A request for the event's first slot, waiting for an answer."""

    class Meta:
        model = Meeting

    event = factory.SubFactory(EventFactory)
    requester = factory.SubFactory(EventRegistrationFactory, event=factory.SelfAttribute("..event"))
    recipient = factory.SubFactory(EventRegistrationFactory, event=factory.SelfAttribute("..event"))
    slot_start = factory.LazyAttribute(lambda m: m.event.starts_at)
    message = "Could we talk about job shadowing for our advisors?"
    status = Meeting.Status.REQUESTED
    decided_at = factory.LazyAttribute(
        lambda m: None if m.status == Meeting.Status.REQUESTED else timezone.now()
    )


# The exchange after acceptance, follow-ups and case studies (exchanges app) ----------------

from exchanges.models import CaseStudy, Exchange, FollowUp, FollowUpSide, Quote  # noqa: E402


class ExchangeFactory(factory.django.DjangoModelFactory):
    """A planned exchange of an accepted application, on the application's dates.

    Built as a row; tests of the flow create exchanges with ``application_accept`` instead.
    """

    class Meta:
        model = Exchange

    application = factory.SubFactory(ApplicationFactory, status=Application.Status.ACCEPTED)
    host = factory.LazyAttribute(lambda e: e.application.offer.organisation)
    sender = factory.LazyAttribute(lambda e: e.application.organisation)
    start_date = factory.LazyAttribute(lambda e: e.application.preferred_start)
    end_date = factory.LazyAttribute(lambda e: e.application.preferred_end)
    duration_days = factory.LazyAttribute(lambda e: e.application.offer.duration_days)
    participants = factory.LazyAttribute(lambda e: e.application.participants)
    fewer_opportunity_participants = factory.LazyAttribute(
        lambda e: e.application.fewer_opportunity_participants
    )
    programme = "Day 1: welcome and the team's follow-up meetings.\nDay 2 (morning): ACT guidance."
    practical_notes = "Meet at the town hall at 09:00."


class FollowUpFactory(factory.django.DjangoModelFactory):
    """The host side's follow-up; pass ``side=FollowUpSide.SENDING`` for the other one."""

    class Meta:
        model = FollowUp

    exchange = factory.SubFactory(ExchangeFactory)
    side = FollowUpSide.HOST
    organisation = factory.LazyAttribute(
        lambda f: f.exchange.host if f.side == FollowUpSide.HOST else f.exchange.sender
    )
    account = "We showed how our multicompetent team supports people far from work."
    lessons = "Shared challenges in skills matching.\nInsight into the NAV system."
    next_steps = "Plan a reciprocal visit."
    wants_reciprocal_visit = False


class QuoteFactory(factory.django.DjangoModelFactory):
    """A consented quote shown in the case study."""

    class Meta:
        model = Quote

    follow_up = factory.SubFactory(FollowUpFactory)
    person_name = factory.Faker("name")
    role = "International Coordinator"
    organisation_name = factory.LazyAttribute(lambda q: q.follow_up.organisation.name)
    text = "We left full of ideas."
    consent = True
    public = True


class CaseStudyFactory(factory.django.DjangoModelFactory):
    """A draft case study; pass ``status=CaseStudy.Status.PUBLISHED`` for a published one."""

    class Meta:
        model = CaseStudy

    exchange = factory.SubFactory(ExchangeFactory)
    title = factory.Sequence(lambda n: f"Job shadowing: reintegrating people into work {n}")
    slug = factory.LazyAttribute(lambda c: slugify(c.title))
    theme = factory.LazyFunction(lambda: theme("inclusion"))
    summary = "The job shadowing focused on inclusive pathways.\n\nThe visit took place in May."
    host_lessons = "Identified shared challenges.\nGained insight into the NAV system."
    participant_lessons = (
        "Discovered person-centred methods.\nInspired to improve information flow."
    )
    next_steps = "Adapt the approach in our region."
    status = CaseStudy.Status.DRAFT
    published_at = factory.LazyAttribute(
        lambda c: timezone.now() if c.status == CaseStudy.Status.PUBLISHED else None
    )
