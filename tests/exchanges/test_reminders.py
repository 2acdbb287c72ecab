"""The daily reminders of an exchange, on the days they are due: a week before the start,
the follow-up on the last day, and a reminder 14 days later to a side that has not written
it. The clock is moved with time-machine and the beat's task is run as the beat runs it."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from exchanges import reminders, services, tasks
from exchanges.models import Exchange
from tests.factories import ApplicationFactory, OfferFactory

pytestmark = pytest.mark.django_db

NOTHING = {"week_before": 0, "follow_up_due": 0, "follow_up_reminder": 0}
TITLE = "Job shadowing of guidance counsellors in Borås"
IN_A_WEEK = f"In a week: “{TITLE}”"
FOLLOW_UP_DUE = f"What did you learn? The follow-up of “{TITLE}”"
FOLLOW_UP_REMINDER = f"Reminder: the follow-up of “{TITLE}”"


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def exchange(offer, applicant_org, host_coordinator, applicant_coordinator):
    """Planned for the 30th and 31st day from today; one coordinator on each side."""
    application = ApplicationFactory(offer=offer, organisation=applicant_org, participants=2)
    services.application_accept(application=application, acting_user=host_coordinator)
    return Exchange.objects.get(application=application)


@pytest.fixture
def run_on(mailoutbox, django_capture_on_commit_callbacks):
    """``run_on(day)``: the beat's task at 06:00 Brussels time on ``day``; returns what it
    sent, as (recipient, subject, body) sorted, and empties the outbox for the next run."""

    def run(day):
        moment = datetime.datetime.combine(day, datetime.time(6), ZoneInfo("Europe/Brussels"))
        with (
            time_machine.travel(moment, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            tasks.send_exchange_reminders()
        sent = sorted(
            (address, message.subject, message.body)
            for message in mailoutbox
            for address in message.to
        )
        mailoutbox.clear()
        return sent

    return run


def _who_and_what(sent):
    return [(address, subject) for address, subject, _body in sent]


def _follow_up(exchange, organisation, user):
    with time_machine.travel(
        datetime.datetime.combine(
            exchange.end_date, datetime.time(15), ZoneInfo("Europe/Brussels")
        ),
        tick=False,
    ):
        services.follow_up_submit(
            exchange=exchange,
            organisation=organisation,
            acting_user=user,
            quotes=[],
            account="We followed the team's meetings.",
            lessons="Shared challenges.",
        )


def test_a_week_before_the_start_both_sides_are_reminded_once(
    run_on, exchange, host_coordinator, applicant_coordinator
):
    assert run_on(_days(22)) == []  # 8 days before

    sent = run_on(_days(23))

    assert _who_and_what(sent) == sorted(
        [(applicant_coordinator.email, IN_A_WEEK), (host_coordinator.email, IN_A_WEEK)]
    )
    site = settings.SITE_URL
    for _address, _subject, body in sent:
        assert f"{site}/exchanges/{exchange.pk}/calendar.ics" in body
        assert f"{site}/exchanges/{exchange.pk}/" in body
        assert "starts in a week" in body
    assert run_on(_days(23)) == []  # the beat runs twice the same day
    assert run_on(_days(24)) == []  # 6 days before


@pytest.mark.parametrize("days_before", [6, 8, 0])
def test_no_week_reminder_on_other_days(exchange, days_before):
    assert reminders.send_exchange_reminders(today=_days(30 - days_before)) == NOTHING


def test_on_the_last_day_both_sides_are_asked_for_the_follow_up_once(
    run_on, exchange, host_coordinator, applicant_coordinator
):
    assert _who_and_what(run_on(_days(30))) == []  # the first day

    sent = run_on(_days(31))

    assert _who_and_what(sent) == sorted(
        [(applicant_coordinator.email, FOLLOW_UP_DUE), (host_coordinator.email, FOLLOW_UP_DUE)]
    )
    for _address, _subject, body in sent:
        assert f"{settings.SITE_URL}/exchanges/{exchange.pk}/follow-up/" in body
    assert run_on(_days(31)) == []
    assert run_on(_days(32)) == []


def test_a_completed_exchange_is_asked_for_its_follow_up_too(
    run_on, exchange, host_coordinator, applicant_coordinator
):
    with time_machine.travel(
        datetime.datetime.combine(_days(31), datetime.time(17), ZoneInfo("Europe/Brussels"))
    ):
        services.exchange_complete(exchange=exchange, acting_user=host_coordinator)

    assert _who_and_what(run_on(_days(31))) == sorted(
        [(applicant_coordinator.email, FOLLOW_UP_DUE), (host_coordinator.email, FOLLOW_UP_DUE)]
    )


def test_fourteen_days_after_the_end_only_the_side_without_a_follow_up_is_reminded(
    run_on, exchange, host_coordinator, applicant_coordinator
):
    run_on(_days(31))  # the last day: both sides are asked
    _follow_up(exchange, exchange.host, host_coordinator)

    assert run_on(_days(31 + 13)) == []
    sent = run_on(_days(31 + 14))

    assert _who_and_what(sent) == [(applicant_coordinator.email, FOLLOW_UP_REMINDER)]
    assert f"{settings.SITE_URL}/exchanges/{exchange.pk}/follow-up/" in sent[0][2]
    assert "your side’s follow-up is still missing" in sent[0][2]
    assert run_on(_days(31 + 14)) == []
    assert run_on(_days(31 + 15)) == []


def test_the_host_alone_is_reminded_when_only_the_sending_side_wrote(
    run_on, exchange, host_coordinator, applicant_coordinator
):
    run_on(_days(31))
    _follow_up(exchange, exchange.sender, applicant_coordinator)

    assert _who_and_what(run_on(_days(45))) == [(host_coordinator.email, FOLLOW_UP_REMINDER)]


def test_no_reminder_once_both_follow_ups_are_in(
    run_on, exchange, host_coordinator, applicant_coordinator
):
    run_on(_days(31))
    _follow_up(exchange, exchange.host, host_coordinator)
    _follow_up(exchange, exchange.sender, applicant_coordinator)

    assert run_on(_days(45)) == []
    assert run_on(_days(60)) == []


def test_a_cancelled_exchange_gets_no_reminders(run_on, exchange, host_coordinator):
    services.exchange_cancel(
        exchange=exchange, acting_user=host_coordinator, reason="Our funding was not confirmed."
    )

    for day in (_days(23), _days(31), _days(45)):
        assert run_on(day) == []


def test_an_exchange_recorded_after_it_ended_is_asked_for_its_follow_up_before_any_reminder(
    run_on, host_org, applicant_org, host_coordinator, applicant_coordinator
):
    # Accepted late: its days were 20 days ago, and no one has been asked yet.
    offer = OfferFactory(
        organisation=host_org,
        title=TITLE,
        available_from=_days(-20),
        available_until=_days(-19),
        application_deadline=_days(-30),
    )
    application = ApplicationFactory(
        offer=offer,
        organisation=applicant_org,
        preferred_start=_days(-20),
        preferred_end=_days(-19),
    )
    services.application_accept(application=application, acting_user=host_coordinator)

    assert _who_and_what(run_on(_days(0))) == sorted(
        [(applicant_coordinator.email, FOLLOW_UP_DUE), (host_coordinator.email, FOLLOW_UP_DUE)]
    )
    assert run_on(_days(13)) == []
    assert _who_and_what(run_on(_days(14))) == sorted(
        [
            (applicant_coordinator.email, FOLLOW_UP_REMINDER),
            (host_coordinator.email, FOLLOW_UP_REMINDER),
        ]
    )
