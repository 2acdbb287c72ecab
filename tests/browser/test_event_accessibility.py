"""The matchmaking events' pages pass axe-core in Chromium, with one <h1> and one <main>."""

import os

import pytest

from partnership.models import Meeting
from tests.browser.helpers import force_sign_in
from tests.browser.test_accessibility import _assert_accessible
from tests.factories import (
    EventFactory,
    EventRegistrationFactory,
    InterestProfileFactory,
    MeetingFactory,
    OfferFactory,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser


@pytest.fixture
def matchmaking_day(host_org, applicant_org):
    event = EventFactory(title="Matchmaking day: inclusive job shadowing", slug="matchmaking-day")
    borås = EventRegistrationFactory(event=event, organisation=host_org)
    vestland = EventRegistrationFactory(event=event, organisation=applicant_org)
    OfferFactory(organisation=host_org, title="The Multicompetent Team")
    InterestProfileFactory(organisation=applicant_org)
    slots = event.slots()
    MeetingFactory(
        event=event,
        requester=vestland,
        recipient=borås,
        slot_start=slots[1].start,
        status=Meeting.Status.ACCEPTED,
    )
    MeetingFactory(
        event=event,
        requester=borås,
        recipient=vestland,
        slot_start=slots[3].start,
        status=Meeting.Status.DECLINED,
    )
    return event


def test_event_pages_have_no_serious_accessibility_violations(
    live_server, page, matchmaking_day, host_coordinator, applicant_org
):
    event = f"/events/{matchmaking_day.slug}"
    accepted = matchmaking_day.meetings.get(status=Meeting.Status.ACCEPTED)
    _assert_accessible(page, live_server.url, ["/events/", f"{event}/"])
    force_sign_in(page.context, live_server.url, host_coordinator)
    _assert_accessible(
        page,
        live_server.url,
        [
            f"{event}/",
            f"{event}/meetings/",
            f"{event}/schedule/",
            f"{event}/meetings/request/{applicant_org.slug}/",
            f"{event}/withdraw/",
            f"{event}/meetings/{accepted.pk}/cancel/",
        ],
    )


def test_the_grid_has_no_serious_accessibility_violations(
    live_server, page, matchmaking_day, secretariat
):
    force_sign_in(page.context, live_server.url, secretariat)
    _assert_accessible(page, live_server.url, [f"/events/{matchmaking_day.slug}/grid/"])
