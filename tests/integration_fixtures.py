"""Real services for integration tests: Redis, an SMTP server and Celery workers.

The Redis server is this test run's own (a redis-server subprocess on a free port), so a test
may stop it, and two runs at once never share a queue or touch the machine's Redis on 6379.
The SMTP server and the usual worker run inside the test process; a test that must kill a
worker starts one in a subprocess (``WorkerProcess``). A worker must see committed data, so
the worker fixture brings ``transactional_db`` with it.
"""

import ctypes
import email
import email.policy
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from aiosmtpd.controller import Controller
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connection, connections


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _die_with_the_tests():
    # Run in the child before it starts: if pytest is killed, the child gets SIGTERM (Linux)
    # instead of living on with a port and a connection to the test database.
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


# Chosen when the suite starts, so that the URL is a constant for every module that imports it.
TEST_REDIS_PORT = _free_port()
TEST_BROKER_URL = f"redis://127.0.0.1:{TEST_REDIS_PORT}/0"
# The broker is this run's own, so the app's default queue is ours alone.
TEST_QUEUE = "celery"
REPOSITORY = Path(__file__).resolve().parent.parent


class RedisServer:
    """A redis-server subprocess on a fixed port, which a test may stop and start again."""

    def __init__(self, port):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self._process = None

    @property
    def running(self):
        return self._process is not None and self._process.poll() is None

    def start(self):
        executable = shutil.which("redis-server")
        if executable is None:
            pytest.fail("redis-server is not installed (.ci/run installs it).", pytrace=False)
        self._process = subprocess.Popen(
            [
                executable,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_the_tests,
        )
        client = redis.Redis(host="127.0.0.1", port=self.port)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and self._process.poll() is None:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.02)
        self.stop()
        pytest.fail(f"redis-server did not start on 127.0.0.1:{self.port}.", pytrace=False)

    def stop(self):
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)
            self._process = None

    def flush(self):
        redis.Redis.from_url(self.url).flushdb()


@pytest.fixture(scope="session")
def redis_broker():
    """This run's Redis server, running from the first test to the last."""
    server = RedisServer(TEST_REDIS_PORT)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session", autouse=True)
def _celery_test_broker(redis_broker):
    """Start this run's Redis and point the Celery app at it before anything opens a pool.

    Eager calls acquire a producer too, and the app keeps that pool for the rest of the
    process; configured later, the worker test would publish to the default broker.
    """
    from matchmaking.celery import app

    app.conf.update(
        broker_url=redis_broker.url,
        task_default_queue=TEST_QUEUE,
        # When the broker is down, publishing gives up within a second instead of retrying
        # for longer (tests/integration/test_outbox_reliability.py stops it on purpose).
        broker_connection_timeout=1,
        task_publish_retry_policy={
            "max_retries": 2,
            "interval_start": 0,
            "interval_step": 0.1,
            "interval_max": 0.2,
        },
    )


# --- SMTP


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
    """Keeps every message it accepts; ``refusal`` may answer a DATA command otherwise."""

    def __init__(self):
        self.messages = []
        self.data_commands = 0
        # An async ``refusal(number, envelope)`` returning an SMTP reply refuses the message.
        self.refusal = None
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.data_commands += 1
            number = self.data_commands
        if self.refusal is not None:
            reply = await self.refusal(number, envelope)
            if reply:
                return reply
        with self._lock:
            self.messages.append(_parse(envelope))
        return "250 Message accepted for delivery"


class SMTPServer:
    def __init__(self, controller, handler):
        self.host = controller.hostname
        self.port = controller.port
        self._handler = handler

    @property
    def messages(self):
        """The messages accepted (answered 250), in order."""
        return list(self._handler.messages)

    def refuse_with(self, refusal):
        """Answer DATA commands with ``await refusal(number, envelope)`` when it is a reply."""
        self._handler.refusal = refusal

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
        yield SMTPServer(controller, handler)
    finally:
        controller.stop()


# --- Celery


@pytest.fixture
def celery_on_redis(redis_broker):
    """Tasks go to the (emptied) test broker instead of running eagerly, for this test."""
    from matchmaking.celery import app

    # Without it the tasks would go to whatever broker the settings name.
    assert app.conf.broker_url == redis_broker.url, "tests/conftest.py must use _celery_test_broker"
    if not redis_broker.running:
        redis_broker.start()
    redis_broker.flush()
    app.conf.task_always_eager = False
    try:
        yield redis_broker
    finally:
        app.conf.task_always_eager = True


def _close_worker_db_connections(**kwargs):
    # The worker thread opens its own connections; close them so the test database can be
    # flushed and dropped.
    connections.close_all()


@contextmanager
def celery_worker_thread():
    """A Celery worker in a thread of the test process, consuming from the test broker."""
    from matchmaking.celery import app

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


@pytest.fixture
def celery_worker_redis(transactional_db, celery_on_redis):
    """A Celery worker thread consuming from the test Redis; tasks are not eager meanwhile."""
    with celery_worker_thread() as worker:
        yield worker


def _test_database_environment():
    """DATABASE_URL (and libpq variables) for the test database pytest-django created."""
    db = connection.settings_dict
    environment = {}
    user = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        user += ":" + quote(db["PASSWORD"], safe="")
    host = str(db["HOST"] or "")
    if host.startswith("/"):  # a socket directory does not fit in the URL's host
        environment["PGHOST"] = host
        host = ""
    netloc = (f"{user}@" if user else "") + host + (f":{db['PORT']}" if db["PORT"] else "")
    environment["DATABASE_URL"] = f"postgres://{netloc}/{quote(db['NAME'], safe='')}"
    return environment


class WorkerProcess:
    """``celery worker`` in a subprocess of its own, so that a test can SIGKILL it.

    It uses the test database, the test broker and the given SMTP server; ``environment``
    adds or overrides settings (e.g. OUTBOX_RETRY_BASE_SECONDS).
    """

    def __init__(self, *, smtp_server, environment=None):
        self.environment = {
            **os.environ,
            **_test_database_environment(),
            "CELERY_BROKER_URL": TEST_BROKER_URL,
            "EMAIL_URL": f"smtp://{smtp_server.host}:{smtp_server.port}",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "test-worker-secret-key",
            **(environment or {}),
        }
        self._processes = []

    def start(self):
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "matchmaking",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "-Q",
                TEST_QUEUE,
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "WARNING",
            ],
            cwd=REPOSITORY,
            env=self.environment,
            stdout=subprocess.DEVNULL,  # the banner; warnings and errors still show
            preexec_fn=_die_with_the_tests,
        )
        self._processes.append(process)
        return process

    def kill(self, process):
        """SIGKILL: the worker gets no chance to finish, acknowledge or roll back."""
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self):
        for process in self._processes:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=10)


@pytest.fixture
def worker_processes(transactional_db, celery_on_redis, smtp_server):
    """Starts Celery workers in subprocesses (``.start()``); all are killed and reaped after."""
    workers = WorkerProcess(
        smtp_server=smtp_server, environment={"OUTBOX_RETRY_BASE_SECONDS": "0.2"}
    )
    try:
        yield workers
    finally:
        workers.stop_all()
