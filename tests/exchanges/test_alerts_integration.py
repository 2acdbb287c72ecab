"""An offer is published the real way: on_commit → Redis → Celery worker scores it → the
alert goes through the outbox → the worker delivers it to a real SMTP server."""

import pytest
from django.db import transaction

from exchanges import services
from exchanges.models import Offer, OfferProfileMatch
from tests.factories import InterestProfileFactory, OfferFactory, language, theme

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_publishing_an_offer_makes_the_worker_score_it_and_alert_the_organisation_it_fits(
    host_org,
    host_coordinator,
    applicant_org,
    applicant_coordinator,
    outsider,
    smtp_server,
    celery_worker_redis,
):
    InterestProfileFactory(
        organisation=applicant_org,
        name="NEET re-engagement visits",
        themes=[theme("inclusion"), theme("neet-re-engagement")],
        languages=[language("en"), language("no")],
    )
    InterestProfileFactory(
        organisation=outsider.organisations.get(), languages=[language("es")]
    )  # no common language: no alert
    draft = OfferFactory(
        organisation=host_org,
        created_by=host_coordinator,
        status=Offer.Status.DRAFT,
        published_at=None,
        title="Job shadowing with the Multicompetent Team",
        themes=[theme("inclusion"), theme("neet-re-engagement")],
        languages=[language("en"), language("sv")],
    )

    with transaction.atomic():
        services.offer_publish(offer=draft, acting_user=host_coordinator)
        assert not OfferProfileMatch.objects.exists()  # the worker scores after the commit

    alert = smtp_server.wait_for(lambda m: applicant_coordinator.email in m.to, timeout=30)

    assert "Job shadowing with the Multicompetent Team" in alert.subject
    assert "Why it fits your interest profile “NEET re-engagement visits”:" in alert.text
    assert "- Shared themes: Inclusion, NEET re-engagement" in alert.text
    assert "- language: English" in alert.text
    assert "<li>Shared themes: Inclusion, NEET re-engagement</li>" in alert.html
    assert OfferProfileMatch.objects.get(profile__organisation=applicant_org).alerted_at
    assert [m for m in smtp_server.messages if outsider.email in m.to] == []
