"""Email backends for SMTP servers that misbehave, for the outbox's tests.

The messages that get through land in ``django.core.mail.outbox`` as with the locmem backend.
"""

import smtplib
import threading

from django.core.mail.backends.locmem import EmailBackend


class FlakyBackend(EmailBackend):
    """The connection drops for the first ``failures_left`` sends."""

    failures_left = 0

    def send_messages(self, messages):
        if FlakyBackend.failures_left > 0:
            FlakyBackend.failures_left -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


class SlowBackend(EmailBackend):
    """The first send waits until ``release`` is set; ``sending`` tells that it started."""

    sending = threading.Event()
    release = threading.Event()

    @classmethod
    def reset(cls):
        cls.sending, cls.release = threading.Event(), threading.Event()

    def send_messages(self, messages):
        if not SlowBackend.sending.is_set():
            SlowBackend.sending.set()
            SlowBackend.release.wait(timeout=10)
        return super().send_messages(messages)
