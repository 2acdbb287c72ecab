"""Renaming the history models loses no email waiting in the outbox
(``partnership/migrations/0009_history_and_decisions.py``)."""

import importlib

import pytest
from django.apps import apps

from matchmaking.models import OutboxEmail

pytestmark = pytest.mark.django_db

migration = importlib.import_module("partnership.migrations.0009_history_and_decisions")


def test_a_queued_email_about_an_old_event_row_names_the_history_row():
    email = OutboxEmail.objects.create(
        recipient="coordinator@vestland.example.org",
        language="en",
        template="application_decided",
        idempotency_key="application_status:7:coordinator@vestland.example.org",
        context={
            "event": {"__model__": "exchanges.applicationevent", "pk": 7},
            "offer": {"__model__": "exchanges.offer", "pk": 3},
        },
    )
    labels = {"exchanges.applicationevent": "exchanges.applicationhistory"}

    migration._rewrite_outbox(apps, labels=labels, keys=("event", "entry"))

    email.refresh_from_db()
    assert email.context == {
        "entry": {"__model__": "exchanges.applicationhistory", "pk": 7},
        "offer": {"__model__": "exchanges.offer", "pk": 3},
    }
