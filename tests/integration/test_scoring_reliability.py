"""Scoring keeps its promise when the broker is down at the commit: the offer is scored and
the organisations it fits are alerted once Redis is back and the sweeper has run.

Real Redis (this run's own), a real Celery worker, a real SMTP server and committed data.
"""

import pytest
from django.db import transaction

from exchanges import services, tasks
from exchanges.models import Offer, OfferProfileMatch, ScoringRequest
from tests.factories import InterestProfileFactory, OfferFactory, language, theme
from tests.integration_fixtures import celery_worker_thread

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_an_offer_published_while_redis_is_down_is_scored_and_alerts_once_it_is_back(
    settings,
    host_org,
    host_coordinator,
    applicant_org,
    applicant_coordinator,
    smtp_server,
    celery_on_redis,
    caplog,
):
    settings.SCORING_RETRY_SECONDS = 0  # the sweeper may queue it again at once
    InterestProfileFactory(
        organisation=applicant_org,
        name="NEET re-engagement visits",
        themes=[theme("inclusion"), theme("neet-re-engagement")],
        languages=[language("en")],
    )
    draft = OfferFactory(
        organisation=host_org,
        created_by=host_coordinator,
        status=Offer.Status.DRAFT,
        published_at=None,
        title="Job shadowing with the Multicompetent Team",
        themes=[theme("inclusion"), theme("neet-re-engagement")],
        languages=[language("en")],
    )
    redis_server = celery_on_redis
    redis_server.stop()
    try:
        with transaction.atomic():
            services.offer_publish(offer=draft, acting_user=host_coordinator)  # raises nothing
    finally:
        redis_server.start()

    assert Offer.objects.get(pk=draft.pk).status == Offer.Status.PUBLISHED
    assert "Could not queue exchanges.tasks.score_offer" in caplog.text
    assert not OfferProfileMatch.objects.exists()  # nobody scored it
    request = ScoringRequest.objects.get()
    assert (request.kind, request.object_id, request.alert) == ("offer", draft.pk, True)

    with celery_worker_thread():
        tasks.sweep_scoring.delay()  # as beat does every minute: the worker sweeps
        alert = smtp_server.wait_for(lambda m: applicant_coordinator.email in m.to, timeout=30)

    assert "Job shadowing with the Multicompetent Team" in alert.subject
    assert OfferProfileMatch.objects.get(
        offer=draft, profile__organisation=applicant_org
    ).alerted_at
    assert not ScoringRequest.objects.exists()
