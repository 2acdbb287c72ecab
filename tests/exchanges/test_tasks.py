"""The scoring tasks: queued on commit by the services, idempotent, and run by hand too."""

import datetime
import logging
from io import StringIO

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from kombu.exceptions import OperationalError

from exchanges import services, tasks
from exchanges.models import Application, Offer, OfferProfileMatch
from matchmaking.models import InterestProfile
from tests.factories import (
    ApplicationFactory,
    InterestProfileFactory,
    OfferFactory,
    exchange_type,
    language,
    theme,
)

pytestmark = pytest.mark.django_db


def _profile_fields(**overrides):
    return {
        "name": "Job shadowing on inclusion",
        "exchange_types": [exchange_type("job-shadowing")],
        "themes": [theme("inclusion")],
        "languages": [language("en")],
        "participants": 2,
        **overrides,
    }


# Queued on commit by the services


def test_publishing_an_offer_scores_it_once_the_change_commits(
    host_org, host_coordinator, applicant_org, django_capture_on_commit_callbacks
):
    profile = InterestProfileFactory(organisation=applicant_org)
    draft = OfferFactory(organisation=host_org, status=Offer.Status.DRAFT, published_at=None)

    with django_capture_on_commit_callbacks() as callbacks:
        services.offer_publish(offer=draft, acting_user=host_coordinator)
    assert not OfferProfileMatch.objects.exists()  # nothing before the commit
    for callback in callbacks:
        callback()

    assert OfferProfileMatch.objects.get().profile == profile


def test_editing_a_published_offer_scores_it_again_but_not_a_draft(
    offer, host_coordinator, django_capture_on_commit_callbacks
):
    InterestProfileFactory()
    draft = OfferFactory(organisation=offer.organisation, status=Offer.Status.DRAFT)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.offer_update(
            offer=draft,
            acting_user=host_coordinator,
            themes=[theme("inclusion")],
            languages=[language("en")],
            title="Still a draft",
        )
    assert callbacks == []

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.offer_update(
            offer=offer,
            acting_user=host_coordinator,
            themes=[theme("inclusion")],
            languages=[language("en")],
            title="Edited while published",
        )
    assert len(callbacks) == 2  # scoring, and the catalogue's cached figures forgotten
    assert OfferProfileMatch.objects.filter(offer=offer).count() == 1


def test_submitting_an_application_scores_it(
    offer, applicant_org, applicant_coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_submit(
            offer=offer,
            organisation=applicant_org,
            acting_user=applicant_coordinator,
            languages=[language("en")],
            motivation="We re-engage young people.",
            participants=1,
            participant_roles="An advisor.",
            preferred_start=offer.available_from,
            preferred_end=offer.available_from + datetime.timedelta(days=1),
        )

    application.refresh_from_db()
    assert application.score > 0
    assert application.score_breakdown["shared_themes"] == ["Inclusion"]


def test_accepting_an_application_rescores_the_others_against_the_places_left(
    offer, host_coordinator, django_capture_on_commit_callbacks
):
    offer.capacity = 3
    offer.save()
    first = ApplicationFactory(offer=offer, participants=2)
    second = ApplicationFactory(offer=offer, participants=2)

    with django_capture_on_commit_callbacks(execute=True):
        services.application_accept(application=first, acting_user=host_coordinator)

    second.refresh_from_db()
    assert second.score_breakdown["exclusion"] == "CAPACITY"
    assert second.score == 0


def test_creating_and_editing_a_profile_scores_it(
    offer, applicant_org, applicant_coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        profile = services.interest_profile_create(
            organisation=applicant_org, acting_user=applicant_coordinator, **_profile_fields()
        )
    assert OfferProfileMatch.objects.get().profile == profile

    with django_capture_on_commit_callbacks(execute=True):
        services.interest_profile_update(
            profile=profile,
            acting_user=applicant_coordinator,
            **_profile_fields(exchange_types=[exchange_type("study-visit")]),
        )
    assert not OfferProfileMatch.objects.exists()


def test_changing_only_the_alerts_scores_nothing(applicant_org, django_capture_on_commit_callbacks):
    profile = InterestProfileFactory(organisation=applicant_org)

    with django_capture_on_commit_callbacks() as callbacks:
        services.interest_profile_set_alert(profile=profile, alert=InterestProfile.Alert.OFF)

    assert callbacks == []


def test_a_broker_that_is_down_keeps_the_change_and_says_so(
    host_org, host_coordinator, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.score_offer, "delay", down)
    draft = OfferFactory(organisation=host_org, status=Offer.Status.DRAFT, published_at=None)

    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        services.offer_publish(offer=draft, acting_user=host_coordinator)

    draft.refresh_from_db()
    assert draft.status == Offer.Status.PUBLISHED
    assert "Could not queue exchanges.tasks.score_offer" in caplog.text


def test_a_refused_change_queues_nothing(
    offer, host_coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError):
        services.offer_publish(offer=offer, acting_user=host_coordinator)  # already published

    assert callbacks == []


# The tasks themselves: ids in, idempotent


def test_running_a_task_twice_stores_the_same_and_alerts_once(
    offer, applicant_org, applicant_coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    InterestProfileFactory(organisation=applicant_org)
    application = ApplicationFactory(offer=offer)

    with django_capture_on_commit_callbacks(execute=True):
        tasks.score_offer.delay(offer.pk)
    first = list(OfferProfileMatch.objects.values_list("offer", "profile", "score", "alerted_at"))
    first_application = Application.objects.values_list("score", "score_breakdown").get(
        pk=application.pk
    )
    with django_capture_on_commit_callbacks(execute=True):
        tasks.score_offer.delay(offer.pk)

    assert (
        list(OfferProfileMatch.objects.values_list("offer", "profile", "score", "alerted_at"))
        == first
    )
    assert Application.objects.values_list("score", "score_breakdown").get(pk=application.pk) == (
        first_application
    )
    assert [m.to for m in mailoutbox] == [[applicant_coordinator.email]]


def test_the_profile_and_application_tasks_are_idempotent(offer, applicant_org):
    profile = InterestProfileFactory(organisation=applicant_org)
    application = ApplicationFactory(offer=offer, organisation=applicant_org)

    for _ in range(2):
        tasks.score_profile.delay(profile.pk)
        tasks.score_application.delay(application.pk)

    assert OfferProfileMatch.objects.count() == 1
    application.refresh_from_db()
    assert application.score_breakdown["exclusion"] == "NONE"


def test_a_task_for_a_deleted_object_does_nothing(offer):
    offer_id = offer.pk
    offer.delete()

    tasks.score_offer.delay(offer_id)
    tasks.score_profile.delay(424242)
    tasks.score_application.delay(424242)

    assert not OfferProfileMatch.objects.exists()


def test_the_weekly_digest_is_scheduled_on_monday_morning_next_to_the_outbox_sweeper():
    schedule = settings.CELERY_BEAT_SCHEDULE

    assert schedule["weekly-match-digests"]["task"] == "exchanges.tasks.send_weekly_digests"
    assert schedule["weekly-match-digests"]["schedule"] == crontab(
        minute=0, hour=7, day_of_week="mon"
    )
    assert schedule["sweep-outbox"]["task"] == "matchmaking.tasks.sweep_outbox"
    assert tasks.send_weekly_digests.name == "exchanges.tasks.send_weekly_digests"


# By hand: the command and the admin actions


def test_the_command_rescores_everything_here_and_says_what_it_did(offer):
    InterestProfileFactory()
    ApplicationFactory(offer=offer)
    out = StringIO()

    call_command("rescore_matches", "--here", stdout=out)

    assert "Scored 1 open offers against 1 profiles: 1 matches kept; 1 applications scored" in (
        out.getvalue()
    )
    assert OfferProfileMatch.objects.count() == 1


def test_the_secretariat_rescores_offers_and_profiles_from_the_admin(
    offer, secretariat, login, django_capture_on_commit_callbacks
):
    profile = InterestProfileFactory()
    client = login(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/exchanges/offer/",
            {"action": "rescore", "_selected_action": [offer.pk]},
            follow=True,
        )
    assert "1 offer is being scored again." in response.content.decode()
    assert OfferProfileMatch.objects.count() == 1

    OfferProfileMatch.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/matchmaking/interestprofile/",
            {"action": "rescore", "_selected_action": [profile.pk]},
            follow=True,
        )
    assert "1 profile is being scored again." in response.content.decode()
    assert OfferProfileMatch.objects.count() == 1
