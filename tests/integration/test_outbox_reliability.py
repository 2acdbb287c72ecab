"""The outbox keeps its promise when the world misbehaves: exactly one copy of every email.

Real Redis (this run's own), real Celery workers, a real SMTP server and committed data. Each
test breaks one thing — the SMTP server refuses, the worker is SIGKILLed mid-send, Redis is
down when the change commits — and checks what the recipients get.
"""

import asyncio
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import OperationalError, transaction

from exchanges import services
from exchanges.models import Application
from matchmaking import outbox
from matchmaking.models import Membership, OutboxEmail
from tests.factories import MembershipFactory, UserFactory, language
from tests.integration_fixtures import celery_worker_thread

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

TRY_AGAIN_LATER = "451 4.3.0 Try again later"


def _apply(offer, organisation, coordinator):
    """Vestland applies to Borås's offer: the host's coordinators are to be told by email."""
    with transaction.atomic():
        return services.application_submit(
            offer=offer,
            organisation=organisation,
            acting_user=coordinator,
            languages=[language("en")],
            motivation="We re-engage young people who left school and want to see your method.",
            participants=2,
            participant_roles="Two advisors in education.",
            preferred_start=offer.available_from,
            preferred_end=offer.available_from + timedelta(days=1),
        )


def _wait_until(condition, *, timeout=15, message="the condition"):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{message} did not happen within {timeout} s")
        time.sleep(0.05)


def _arrivals(smtp_server):
    """How many copies of the email each recipient received."""
    return Counter(to for message in smtp_server.messages for to in message.to)


def _outcomes(recipients):
    return sorted(
        OutboxEmail.objects.filter(recipient__in=recipients).values_list("status", "attempts")
    )


def test_an_email_the_smtp_server_refuses_at_first_arrives_once_it_accepts(
    settings,
    offer,
    host_coordinator,
    applicant_org,
    applicant_coordinator,
    smtp_server,
    celery_worker_redis,
):
    settings.OUTBOX_RETRY_BASE_SECONDS = 0.2

    async def refuse_the_first_two(number, envelope):
        return TRY_AGAIN_LATER if number <= 2 else None

    smtp_server.refuse_with(refuse_the_first_two)

    _apply(offer, applicant_org, applicant_coordinator)

    received = smtp_server.wait_for(lambda m: m.to == [host_coordinator.email])
    assert offer.title in received.subject
    email = OutboxEmail.objects.get(recipient=host_coordinator.email)
    _wait_until(lambda: OutboxEmail.objects.get(pk=email.pk).status == "sent", message="sent")
    time.sleep(0.5)  # room for a stray retry to show up
    assert _arrivals(smtp_server) == {host_coordinator.email: 1}
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == ("sent", 3, "")


def _wait_until_unlocked(pk):
    """The dead worker's transaction is gone once its row lock is."""

    def unlocked():
        try:
            with transaction.atomic():
                OutboxEmail.objects.select_for_update(nowait=True).get(pk=pk)
        except OperationalError:
            return False
        return True

    _wait_until(unlocked, message="the release of the killed worker's row lock")


def test_a_worker_killed_while_sending_loses_no_email_and_sends_none_twice(
    offer,
    host_org,
    host_coordinator,
    host_admin,
    applicant_org,
    applicant_coordinator,
    smtp_server,
    worker_processes,
):
    third = UserFactory(email="international@boras.example.org")
    MembershipFactory(user=third, organisation=host_org, role=Membership.Role.COORDINATOR)
    hosts = {host_coordinator.email, host_admin.email, third.email}
    held = threading.Event()
    held_for = []

    async def hold_the_first_then_refuse_it(number, envelope):
        # A real server has not taken a message until it answers 250: the worker dies first.
        if number == 1:
            held_for.extend(envelope.rcpt_tos)
            held.set()
            await asyncio.sleep(3)
            return TRY_AGAIN_LATER
        return None

    smtp_server.refuse_with(hold_the_first_then_refuse_it)
    first_worker = worker_processes.start()

    _apply(offer, applicant_org, applicant_coordinator)
    assert OutboxEmail.objects.filter(recipient__in=hosts).count() == 3

    assert held.wait(timeout=30), "The worker never started sending."
    worker_processes.kill(first_worker)
    [interrupted] = held_for
    email = OutboxEmail.objects.get(recipient=interrupted)
    _wait_until_unlocked(email.pk)
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("pending", 0)  # rolled back with the worker

    # Its task stays unacknowledged in Redis for an hour; the sweeper asks again — for the two
    # emails still queued as well, so that each of those has two tasks.
    assert outbox.sweep(grace=timedelta(0)) == 3
    worker_processes.start()

    _wait_until(lambda: set(_arrivals(smtp_server)) == hosts, message="every email's arrival")
    time.sleep(1)  # room for a second copy to show up
    assert _arrivals(smtp_server) == dict.fromkeys(hosts, 1)
    assert all(offer.title in message.subject for message in smtp_server.messages)
    # The killed attempt left no trace: each row was sent at its first recorded attempt.
    _wait_until(lambda: _outcomes(hosts) == [("sent", 1)] * 3, message="every row sent")


def test_a_change_committed_while_redis_is_down_is_kept_and_its_email_sent_once_it_is_back(
    offer,
    host_coordinator,
    applicant_org,
    applicant_coordinator,
    smtp_server,
    celery_on_redis,
    transactional_db,
    caplog,
):
    redis_server = celery_on_redis
    redis_server.stop()
    try:
        application = _apply(offer, applicant_org, applicant_coordinator)  # raises nothing
    finally:
        redis_server.start()

    assert Application.objects.filter(pk=application.pk).exists()
    email = OutboxEmail.objects.get(recipient=host_coordinator.email)
    assert (email.status, email.attempts) == ("pending", 0)
    assert f"Could not queue delivery of outbox email {email.pk}" in caplog.text
    assert smtp_server.messages == []

    with celery_worker_thread():
        assert outbox.sweep(grace=timedelta(0)) == 1
        received = smtp_server.wait_for(lambda m: m.to == [host_coordinator.email])
        time.sleep(1)  # room for a second copy to show up

    assert offer.title in received.subject
    assert _arrivals(smtp_server) == {host_coordinator.email: 1}
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 1)
