"""An application travels the real way: on_commit → Redis → Celery worker → SMTP."""

import datetime

import pytest
from django.db import transaction

from exchanges import services
from tests.factories import language

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_the_host_coordinator_receives_an_email_about_a_new_application(
    offer, host_coordinator, applicant_org, applicant_coordinator, smtp_server, celery_worker_redis
):
    with transaction.atomic():
        services.application_submit(
            offer=offer,
            organisation=applicant_org,
            acting_user=applicant_coordinator,
            languages=[language("en")],
            motivation="We re-engage young people who left school and want to see your method.",
            participants=2,
            participant_roles="Two advisors in education.",
            preferred_start=offer.available_from,
            preferred_end=offer.available_from + datetime.timedelta(days=1),
        )
        # Nothing leaves before the transaction commits.
        assert smtp_server.messages == []

    received = smtp_server.wait_for(lambda m: host_coordinator.email in m.to)

    assert offer.title in received.subject
    assert applicant_coordinator.email not in [to for m in smtp_server.messages for to in m.to]
