"""Fixtures of the event tests: the matchmaking day, Borås and Vestland registered for it.

Imported by name into the test modules that use them (``from ... import event, ...``).
"""

import pytest

from tests.factories import EventFactory, EventRegistrationFactory


@pytest.fixture
def event(db):
    """In Brussels in 30 days, 09:00–12:00 (six slots of 30 minutes), 3 meetings each."""
    return EventFactory(
        title="Matchmaking day: inclusive job shadowing",
        slug="matchmaking-day",
        place="EARLALL, Rue du Luxembourg 47-51, Brussels",
    )


@pytest.fixture
def host_registration(event, host_org, host_coordinator):
    return EventRegistrationFactory(
        event=event,
        organisation=host_org,
        registered_by=host_coordinator,
        attendees=[{"name": "Nicholas Waller", "role": "International coordinator"}],
    )


@pytest.fixture
def applicant_registration(event, applicant_org, applicant_coordinator):
    return EventRegistrationFactory(
        event=event,
        organisation=applicant_org,
        registered_by=applicant_coordinator,
        attendees=[{"name": "Ingrid Hillestad Bårgard", "role": "Advisor"}],
    )


def slot(event, number):
    """The start of the event's slot ``number`` (0 is the first)."""
    return event.slots()[number].start
