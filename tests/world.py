"""Borås's world, for the tests that walk every page or fuzz every form.

One of each object a page is about, all of one host organisation (Borås), with Vestland as the
organisation that applied to it, Barcelona standing outside and the EARLALL secretariat. The
tests build it once per module (``world_fixture``) inside a transaction that is rolled back at
the module's end; each test then runs in a savepoint of its own, so a POST that closes the offer
or removes a person leaves the next test the same world.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.utils import timezone

from exchanges.models import Application, CaseStudy
from exchanges.tokens import unsubscribe_token
from matchmaking.models import Invitation, Membership, Organisation, User
from partnership.events.models import Event, EventRegistration, Meeting
from tests.factories import (
    ApplicationFactory,
    CallRoundFactory,
    CaseStudyFactory,
    EventFactory,
    EventRegistrationFactory,
    ExchangeFactory,
    FollowUpFactory,
    InterestProfileFactory,
    MeetingFactory,
    MembershipApplicationFactory,
    MembershipFactory,
    OfferFactory,
    OrganisationFactory,
    PromoterFactory,
    UserFactory,
    round_entry,
)
from tests.second_factor import give_totp, with_second_factor

PERSONAS = ["anonymous", "outsider", "coordinator", "admin", "secretariat"]


@dataclass
class World:
    host_org: Organisation
    applicant_org: Organisation
    host_admin: User
    host_coordinator: User
    applicant_coordinator: User
    outsider: User
    secretariat: User
    offer: object
    application: Application
    exchange: object
    case_study: CaseStudy
    profile: object
    invitation: Invitation
    promoter: object
    event: Event
    host_registration: EventRegistration
    meeting: Meeting
    call_round: object

    @property
    def unsubscribe_token(self):
        return unsubscribe_token(self.profile)

    def persona(self, name):
        """The user of a persona of the tests; ``None`` for the anonymous visitor."""
        return {
            "anonymous": None,
            "outsider": self.outsider,
            "coordinator": self.host_coordinator,
            "admin": self.host_admin,
            "secretariat": self.secretariat,
        }[name]


def _member(organisation, role, email):
    user = UserFactory(email=email)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def build_world():
    today = timezone.localdate()
    # A member of the partnership for a year, so that leaving and nominating have a page; the
    # pending application next to it exists only so that withdrawing one has something to do.
    host_org = OrganisationFactory(
        name="Borås Stad",
        country="SE",
        city="Borås",
        nuts_code="SE232",
        rsp_member_since=today - datetime.timedelta(days=365),
    )
    applicant_org = OrganisationFactory(
        name="Vestland fylkeskommune", country="NO", region_name="Vestland", city="Bergen"
    )
    third = OrganisationFactory(name="Barcelona Activa", country="ES", city="Barcelona")
    host_admin = _member(host_org, Membership.Role.ADMIN, "admin@boras.example.org")
    host_coordinator = _member(
        host_org, Membership.Role.COORDINATOR, "coordinator@boras.example.org"
    )
    applicant_coordinator = _member(
        applicant_org, Membership.Role.COORDINATOR, "coordinator@vestland.example.org"
    )
    outsider = _member(third, Membership.Role.COORDINATOR, "outsider@barcelona.example.org")
    secretariat = UserFactory(email="secretariat@earlall.example.org", is_staff=True)
    secretariat.groups.add(Group.objects.get(name="Secretariat"))
    give_totp(secretariat)

    offer = OfferFactory(
        organisation=host_org,
        created_by=host_coordinator,
        title="Job shadowing of guidance counsellors in Borås",
    )
    application = ApplicationFactory(offer=offer, organisation=applicant_org)
    exchange = ExchangeFactory(
        application__offer=OfferFactory(organisation=host_org, created_by=host_coordinator),
        application__organisation=applicant_org,
    )
    FollowUpFactory(exchange=exchange)
    case_study = CaseStudyFactory(exchange=exchange, status=CaseStudy.Status.PUBLISHED)
    event = EventFactory(title="Matchmaking day", slug="matchmaking-day")
    host_registration = EventRegistrationFactory(
        event=event, organisation=host_org, registered_by=host_coordinator
    )
    MembershipApplicationFactory(organisation=host_org)
    # Borås's call round of its offer, in which Vestland ranked its application first.
    call_round = CallRoundFactory(organiser=host_org, offers=[offer], name="Spring job shadowing")
    round_entry(call_round, application)
    applicant_registration = EventRegistrationFactory(
        event=event, organisation=applicant_org, registered_by=applicant_coordinator
    )
    return World(
        host_org=host_org,
        applicant_org=applicant_org,
        host_admin=host_admin,
        host_coordinator=host_coordinator,
        applicant_coordinator=applicant_coordinator,
        outsider=outsider,
        secretariat=secretariat,
        offer=offer,
        application=application,
        exchange=exchange,
        case_study=case_study,
        profile=InterestProfileFactory(organisation=host_org),
        invitation=Invitation.objects.create(
            organisation=host_org,
            email="new.colleague@boras.example.org",
            role=Membership.Role.COORDINATOR,
            invited_by=host_admin,
        ),
        promoter=PromoterFactory(organisation=host_org),
        event=event,
        host_registration=host_registration,
        # Vestland asks Borås, so Borås is the side that decides.
        meeting=MeetingFactory(
            event=event, requester=applicant_registration, recipient=host_registration
        ),
        call_round=call_round,
    )


def world_fixture(scope="module"):
    """A fixture that builds the world once per ``scope`` and rolls it back afterwards."""

    @pytest.fixture(scope=scope)
    def world(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), transaction.atomic():
            yield build_world()
            transaction.set_rollback(True)

    return world


def clients_fixture(scope="module"):
    """One test client per persona (``clients["admin"]``), signed in once per ``scope``; their
    sessions live in the world's transaction, and a test's changes to them are rolled back
    with its savepoint."""

    @pytest.fixture(scope=scope)
    def clients(world, django_db_blocker):
        with django_db_blocker.unblock():
            clients = {"anonymous": Client()}
            for persona in PERSONAS[1:]:
                user = world.persona(persona)
                clients[persona] = Client()
                clients[persona].force_login(user)
                if user.is_staff:
                    with_second_factor(clients[persona], user)
        return clients

    return clients
