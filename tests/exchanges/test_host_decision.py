"""The host's decision and the exchange after it (issue 12, point 4): the fit and its reasons
where the host decides, a link to the exchange once accepted, dates within the offer's window
and not in the past, an offer that lasts no longer than its window, the week's reminder sent
again after the start moves, and a withdrawn application sent again."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from exchanges import explanations, services, tasks
from exchanges.models import Application, Exchange
from matchmaking.models import FewerOpportunityCategory
from tests.factories import ApplicationFactory, OfferFactory, language
from tests.pages import field_error, text

pytestmark = pytest.mark.django_db

IN_A_WEEK = "In a week: “Job shadowing of guidance counsellors in Borås”"


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _url(name, obj):
    return reverse(f"exchanges:{name}", args=[obj.pk])


def _long(day):
    return f"{day:%-d %B %Y}"


@pytest.fixture
def application(offer, applicant_org, applicant_coordinator):
    """Vestland's undecided application to Borås's offer, scored as the worker scores it."""
    application = ApplicationFactory(
        offer=offer, organisation=applicant_org, submitted_by=applicant_coordinator
    )
    tasks.score_application(application.pk)
    application.refresh_from_db()
    return application


@pytest.fixture
def exchange(application, host_coordinator):
    """Planned from the offer's first day (30 days from now) for two days."""
    services.application_accept(application=application, acting_user=host_coordinator)
    return Exchange.objects.get(application=application)


# The fit where the host decides


def test_the_host_sees_the_fit_and_its_reasons_where_it_decides(
    login, application, host_coordinator
):
    reasons = explanations.reasons(application.score_breakdown, viewer="host")
    assert reasons  # the worker gave it reasons

    response = login(host_coordinator).get(application.get_absolute_url())

    page = text(response)
    assert f"How well it fits your offer: {round(application.score * 100)} %" in page
    for reason in reasons:
        assert reason in page


def test_an_application_not_scored_yet_says_so(login, offer, applicant_org, host_coordinator):
    application = ApplicationFactory(offer=offer, organisation=applicant_org)

    response = login(host_coordinator).get(application.get_absolute_url())

    assert "Not scored yet: the fit and its reasons appear here in a minute." in text(response)


def test_the_applicant_does_not_see_the_hosts_reasons(login, application, applicant_coordinator):
    response = login(applicant_coordinator).get(application.get_absolute_url())

    assert "How well it fits your offer" not in text(response)


# After accepting


def test_accepting_says_so_with_a_link_to_the_exchange_just_created(
    login, application, host_coordinator
):
    response = login(host_coordinator).post(
        _url("application_decide", application), {"decision": "accept"}, follow=True
    )

    exchange = Exchange.objects.get(application=application)
    content = response.content.decode()
    assert "The application is accepted. The exchange is planned: open it" in text(response)
    assert f'<a href="{exchange.get_absolute_url()}">The exchange is planned: open it</a>' in (
        content
    )
    # …and the application page keeps the way to it.
    assert (
        "The exchange is planned: open the exchange to confirm its dates, programme and "
        "participants." in text(response)
    )
    assert content.count(f'href="{exchange.get_absolute_url()}"') == 2


def test_declining_links_to_no_exchange(login, application, host_coordinator):
    response = login(host_coordinator).post(
        _url("application_decide", application), {"decision": "decline"}, follow=True
    )

    assert "The application is declined." in text(response)
    assert "open the exchange" not in text(response)


# The exchange's dates


def _edit_data(exchange, **changes):
    data = {
        "start_date": exchange.start_date.isoformat(),
        "end_date": exchange.end_date.isoformat(),
        "duration_days": "1.5",
        "participants": "1",
        "fewer_opportunity_participants": "0",
        "programme": "",
        "practical_notes": "",
    }
    for term in FewerOpportunityCategory.objects.all():
        data["count_" + term.slug.replace("-", "_")] = "0"
    data.update({key: str(value) for key, value in changes.items()})
    return data


def test_dates_before_the_offers_window_are_refused_next_to_the_start(
    login, exchange, host_coordinator
):
    offer = exchange.offer
    response = login(host_coordinator).post(
        _url("exchange_edit", exchange),
        _edit_data(exchange, start_date=_days(25).isoformat(), end_date=_days(26).isoformat()),
    )

    assert response.status_code == 400
    assert field_error(response, "start_date") == (
        f"The offer's window is {_long(offer.available_from)} to "
        f"{_long(offer.available_until)}; the exchange cannot start earlier."
    )
    exchange.refresh_from_db()
    assert exchange.start_date == offer.available_from


def test_dates_after_the_offers_window_are_refused_next_to_the_end(
    login, exchange, host_coordinator
):
    offer = exchange.offer
    response = login(host_coordinator).post(
        _url("exchange_edit", exchange), _edit_data(exchange, end_date=_days(61).isoformat())
    )

    assert response.status_code == 400
    assert field_error(response, "end_date") == (
        f"The offer's window is {_long(offer.available_from)} to "
        f"{_long(offer.available_until)}; the exchange cannot end later."
    )


def test_a_start_in_the_past_is_refused(exchange, host_coordinator):
    with pytest.raises(ValidationError) as refusal:
        services.exchange_update(
            exchange=exchange,
            acting_user=host_coordinator,
            counts={},
            start_date=_days(-1),
            end_date=_days(1),
        )

    assert refusal.value.message_dict["start_date"] == [
        "The start is in the past; choose a date from today on."
    ]


def test_a_past_exchange_keeps_its_dates_when_something_else_changes(
    host_org, applicant_org, host_coordinator
):
    offer = OfferFactory(
        organisation=host_org,
        available_from=_days(-10),
        available_until=_days(-5),
        application_deadline=_days(-20),
    )
    application = ApplicationFactory(
        offer=offer, organisation=applicant_org, preferred_start=_days(-10)
    )
    services.application_accept(application=application, acting_user=host_coordinator)
    exchange = Exchange.objects.get(application=application)

    services.exchange_update(
        exchange=exchange, acting_user=host_coordinator, counts={}, practical_notes="Bus 12."
    )

    exchange.refresh_from_db()
    assert exchange.practical_notes == "Bus 12."


# The offer's duration


def test_an_offer_cannot_last_longer_than_its_window(login, host_coordinator, offer):
    with pytest.raises(ValidationError) as refusal:
        services.offer_update(
            offer=offer,
            acting_user=host_coordinator,
            themes=list(offer.themes.all()),
            languages=list(offer.languages.all()),
            available_from=_days(30),
            available_until=_days(31),
            application_deadline=_days(20),
            duration_days=3,
        )

    assert refusal.value.message_dict["duration_days"] == [
        f"The exchange cannot last longer than its window: 2 days from {_long(_days(30))} "
        f"to {_long(_days(31))}."
    ]
    offer.refresh_from_db()
    assert offer.available_until == _days(60)


def test_an_offer_as_long_as_its_window_is_saved(host_coordinator, offer):
    services.offer_update(
        offer=offer,
        acting_user=host_coordinator,
        themes=list(offer.themes.all()),
        languages=list(offer.languages.all()),
        available_from=_days(30),
        available_until=_days(31),
        application_deadline=_days(20),
        duration_days=2,
    )

    offer.refresh_from_db()
    assert offer.duration_days == 2


# The week's reminder


def _run_reminders_on(day, mailoutbox, capture):
    moment = datetime.datetime.combine(day, datetime.time(6), ZoneInfo("Europe/Brussels"))
    with time_machine.travel(moment, tick=False), capture(execute=True):
        tasks.send_exchange_reminders()
    subjects = sorted(message.subject for message in mailoutbox)
    mailoutbox.clear()
    return subjects


def test_moving_the_start_after_the_weeks_reminder_sends_it_again_a_week_before_the_new_start(
    exchange, host_coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    assert _run_reminders_on(_days(23), mailoutbox, django_capture_on_commit_callbacks) == [
        IN_A_WEEK,
        IN_A_WEEK,
    ]
    services.exchange_update(
        exchange=exchange,
        acting_user=host_coordinator,
        counts={},
        start_date=_days(40),
        end_date=_days(41),
    )
    mailoutbox.clear()

    assert _run_reminders_on(_days(23), mailoutbox, django_capture_on_commit_callbacks) == []
    assert _run_reminders_on(_days(33), mailoutbox, django_capture_on_commit_callbacks) == [
        IN_A_WEEK,
        IN_A_WEEK,
    ]


def test_changing_something_else_does_not_send_the_weeks_reminder_again(
    exchange, host_coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    _run_reminders_on(_days(23), mailoutbox, django_capture_on_commit_callbacks)
    services.exchange_update(
        exchange=exchange, acting_user=host_coordinator, counts={}, end_date=_days(32)
    )

    exchange.refresh_from_db()
    assert exchange.week_reminder_sent_at is not None


# A withdrawn application sent again


def test_a_withdrawn_application_can_be_sent_again_as_the_same_application(
    login, application, applicant_org, applicant_coordinator
):
    services.application_withdraw(application=application, acting_user=applicant_coordinator)
    client = login(applicant_coordinator)
    offer_page = client.get(application.offer.get_absolute_url())
    assert "Apply again" in text(offer_page)

    response = client.post(
        _url("application_create", application.offer),
        {
            "organisation": applicant_org.pk,
            "motivation": "Our budget is back: we would like to come after all.",
            "participants": "2",
            "fewer_opportunity_participants": "1",
            "participant_roles": "Two advisors.",
            "preferred_start": _days(31).isoformat(),
            "preferred_end": _days(32).isoformat(),
            "languages": [language("en").pk],
        },
        follow=True,
    )

    assert "Your application is sent. The host has been told." in text(response)
    reopened = Application.objects.get(offer=application.offer, organisation=applicant_org)
    assert reopened.pk == application.pk
    assert (reopened.status, reopened.participants, reopened.motivation) == (
        Application.Status.SUBMITTED,
        2,
        "Our budget is back: we would like to come after all.",
    )
    assert list(reopened.history.order_by("pk").values_list("kind", "actor")) == [
        (Application.Status.WITHDRAWN, applicant_coordinator.pk),
        (Application.Status.SUBMITTED, applicant_coordinator.pk),
    ]


@pytest.mark.parametrize("status", ["submitted", "declined", "accepted"])
def test_an_application_that_was_not_withdrawn_cannot_be_sent_twice(
    offer, applicant_org, applicant_coordinator, status
):
    ApplicationFactory(offer=offer, organisation=applicant_org, status=status)

    with pytest.raises(ValidationError) as refusal:
        services.application_submit(
            offer=offer,
            organisation=applicant_org,
            acting_user=applicant_coordinator,
            languages=[language("en")],
            motivation="Again.",
            participants=1,
            fewer_opportunity_participants=0,
            participant_roles="An advisor.",
            preferred_start=offer.available_from,
            preferred_end=offer.available_from,
        )

    assert refusal.value.code == "duplicate"
    assert Application.objects.filter(offer=offer).count() == 1
