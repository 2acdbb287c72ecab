"""Real services for integration tests: an SMTP server and a Celery worker on Redis.

Both run inside the test process. A test that uses the worker must see committed data, so
the worker fixture brings ``transactional_db`` with it.
"""

import email
import email.policy
import os
import socket
import threading
import time
from dataclasses import dataclass

import pytest
import redis
from aiosmtpd.controller import Controller
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections

TEST_BROKER_URL = "redis://127.0.0.1:6379/15"
# A queue of this process's own, so that two test runs at once never take each other's tasks.
TEST_QUEUE = f"tests-{os.getpid()}"


@dataclass(frozen=True)
class ReceivedEmail:
    sender: str
    to: list
    subject: str
    text: str
    html: str


def _parse(envelope):
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return ReceivedEmail(
        sender=envelope.mail_from,
        to=list(envelope.rcpt_tos),
        subject=str(message["Subject"] or ""),
        text=text.get_content() if text else "",
        html=html.get_content() if html else "",
    )


class _KeepingHandler:
    def __init__(self):
        self.messages = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.messages.append(_parse(envelope))
        return "250 Message accepted for delivery"


class SMTPServer:
    def __init__(self, handler):
        self._handler = handler

    @property
    def messages(self):
        return list(self._handler.messages)

    def wait_for(self, predicate, timeout=10):
        """The first received email for which ``predicate(email)`` is true; fails on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.messages:
                if predicate(message):
                    return message
            time.sleep(0.05)
        received = [(m.to, m.subject) for m in self.messages]
        raise AssertionError(f"No matching email within {timeout} s; received: {received}")


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 that Django's SMTP backend delivers to."""
    handler = _KeepingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = controller.hostname
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    try:
        yield SMTPServer(handler)
    finally:
        controller.stop()


def _close_worker_db_connections(**kwargs):
    # The worker thread opens its own connections; close them so the test database can be
    # flushed and dropped.
    connections.close_all()


@pytest.fixture(scope="session", autouse=True)
def _celery_test_broker():
    """Point the Celery app at the test broker before anything opens a producer pool.

    Eager calls acquire a producer too, and the app keeps that pool for the rest of the
    process; configured later, the worker test would publish to the default broker.
    """
    from matchmaking.celery import app

    app.conf.update(broker_url=TEST_BROKER_URL, task_default_queue=TEST_QUEUE)


@pytest.fixture
def celery_worker_redis(transactional_db):
    """A Celery worker thread consuming from Redis database 15; tasks are not eager meanwhile."""
    from matchmaking.celery import app

    redis.Redis.from_url(TEST_BROKER_URL).delete(TEST_QUEUE)
    app.conf.task_always_eager = False
    task_postrun.connect(_close_worker_db_connections, weak=False)
    try:
        with start_worker(
            app, pool="solo", concurrency=1, perform_ping_check=False, loglevel="WARNING"
        ) as worker:
            # The worker's event loop sleeps until its next timer, up to 10 s with Redis, before
            # it notices that it should stop; a short timer keeps that wait short.
            worker.hub.call_repeatedly(0.2, lambda: None)
            yield worker
    finally:
        task_postrun.disconnect(_close_worker_db_connections)
        app.conf.task_always_eager = True
