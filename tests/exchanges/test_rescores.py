"""Full re-scores in chunks (exchanges.matching.rescores) and the scoring owed (requests)."""

import datetime
import random

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.utils import timezone

from exchanges import matching, services, tasks
from exchanges.matching import rescores, storage
from exchanges.models import (
    Offer,
    OfferProfileMatch,
    RescoreCandidate,
    RescoreChunk,
    RescoreRun,
    ScoringRequest,
)
from matchmaking.models import ExchangeType, InterestProfile, Language, Theme
from tests.factories import InterestProfileFactory, OfferFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _rows():
    """Every stored match as the pages read it: pair, score, breakdown, and when told."""
    return sorted(
        OfferProfileMatch.objects.values_list(
            "offer_id", "profile_id", "score", "breakdown", "alerted_at"
        )
    )


@pytest.fixture
def world(settings):
    """Some dozens of offers and profiles drawn at random (a fixed seed): more that fit than
    a top 3 holds, texts compared by their words, a few weekly digests."""
    settings.MATCHING_TOP_K = 3
    settings.MATCHING_ALERT_THRESHOLD = 0.6
    draw = random.Random(20261204)
    types = list(ExchangeType.objects.order_by("pk")[:3])
    themes = list(Theme.objects.order_by("pk")[:6])
    languages = list(Language.objects.filter(code__in=["en", "sv", "es", "de"]))
    countries = ["SE", "NO", "ES", "DE", "FR"]
    words = "inclusion guidance apprentices digital green youth adults teachers".split()
    organisations = [OrganisationFactory(country=draw.choice(countries)) for _ in range(12)]
    today = timezone.localdate()

    def text():
        return " ".join(draw.choices(words, k=draw.randint(4, 9)))

    for _ in range(36):
        start = today + datetime.timedelta(days=draw.randint(25, 60))
        OfferFactory(
            organisation=draw.choice(organisations),
            exchange_type=draw.choice(types),
            description=text(),
            capacity=draw.randint(1, 6),
            available_from=start,
            available_until=start + datetime.timedelta(days=draw.randint(2, 30)),
            supports_fewer_opportunities=draw.random() < 0.5,
            themes=draw.sample(themes, draw.randint(1, 3)),
            languages=draw.sample(languages, draw.randint(1, 2)),
        )
    for _ in range(30):
        InterestProfileFactory(
            organisation=draw.choice(organisations),
            description=text(),
            participants=draw.randint(1, 4),
            fewer_opportunity_participants=draw.randint(0, 1),
            alert=draw.choice(list(InterestProfile.Alert)),
            exchange_types=draw.sample(types, draw.randint(1, 2)),
            themes=draw.sample(themes, draw.randint(1, 3)),
            languages=draw.sample(languages, draw.randint(1, 3)),
        )
    # Pairs organisations were told about, which stay while they fit.
    for match in OfferProfileMatch.objects.all():
        match.delete()
    matching.rescore_all()
    told = list(OfferProfileMatch.objects.order_by("pk")[::7])
    OfferProfileMatch.objects.filter(pk__in=[m.pk for m in told]).update(alerted_at=timezone.now())
    return draw


def _run_in_chunks(*, chunk_offers, order=None):
    run, numbers = rescores.start_run(chunk_offers=chunk_offers)
    for number in order(numbers) if order else numbers:
        if rescores.rescore_chunk(run.pk, number):
            rescores.rescore_finish(run.pk)
    run.refresh_from_db()
    return run


def test_a_run_in_chunks_stores_the_same_matches_as_the_single_run(world, settings):
    matching.rescore_all()
    single = _rows()
    assert len(single) > 3 * Offer.objects.count() / 2  # the top 3 both ways, and more
    assert any(alerted for *_pair, alerted in single)
    # Another world stored meanwhile: every row is written again by the run.
    settings.MATCHING_WEIGHTS = {**settings.MATCHING_WEIGHTS, "themes": 0.9}
    matching.rescore_all()
    assert _rows() != single
    settings.MATCHING_WEIGHTS = {**settings.MATCHING_WEIGHTS, "themes": 0.30}

    run = _run_in_chunks(chunk_offers=5, order=lambda numbers: world.sample(numbers, len(numbers)))

    assert run.chunks_total == 1 + 8  # the applications, and 36 offers in chunks of 5
    assert (run.chunks_done, run.matches) == (run.chunks_total, len(single))
    assert run.finished_at is not None and run.progress == "finished"
    assert [row[:4] for row in _rows()] == [row[:4] for row in single]
    assert _rows() == single  # the told pairs kept when they were told
    assert not RescoreCandidate.objects.exists()  # the staging rows go with the run


def test_the_orm_path_of_other_databases_stores_the_same(world, monkeypatch):
    matching.rescore_all()
    single = _rows()
    OfferProfileMatch.objects.filter(alerted_at__isnull=True).delete()
    monkeypatch.setattr(rescores, "_copies", lambda: False)
    monkeypatch.setattr(storage, "_can_copy", lambda: False)

    run = _run_in_chunks(chunk_offers=7)

    assert run.matches == len(single)
    assert [row[:3] for row in _rows()] == [row[:3] for row in single]
    assert [row[4] for row in _rows()] == [row[4] for row in single]


def test_a_chunk_delivered_twice_changes_nothing(world):
    matching.rescore_all()
    single = _rows()
    run, numbers = rescores.start_run(chunk_offers=10)
    first = numbers[1]

    assert rescores.rescore_chunk(run.pk, first) is False
    staged = sorted(RescoreCandidate.objects.values_list("offer_id", "profile_id", "score"))
    assert rescores.rescore_chunk(run.pk, first) is None  # done already: nothing happens
    assert sorted(RescoreCandidate.objects.values_list("offer_id", "profile_id", "score")) == staged
    run.refresh_from_db()
    assert run.chunks_done == 1 and run.progress == "1 of 5 chunks"

    complete = [rescores.rescore_chunk(run.pk, number) for number in numbers[2:] + numbers[:1]]
    assert complete == [False, False, False, True]
    assert rescores.rescore_finish(run.pk) == {"matches": len(single), "applications": 0}
    # Delivered again after the end: the run is finished, the matches stay.
    assert rescores.rescore_chunk(run.pk, first) is None
    assert rescores.rescore_finish(run.pk) is None
    run.refresh_from_db()
    assert run.chunks_done == run.chunks_total == 5
    assert _rows() == single


def test_the_chunks_run_on_the_workers_as_a_group(world, django_capture_on_commit_callbacks):
    matching.rescore_all()
    single = _rows()
    OfferProfileMatch.objects.filter(alerted_at__isnull=True).delete()

    with django_capture_on_commit_callbacks(execute=True):
        run = tasks.start_rescore()  # without a broker, the group runs here

    run.refresh_from_db()
    assert run.finished_at is not None and run.matches == len(single)
    assert _rows() == single


def test_a_run_older_than_one_that_finished_stores_nothing(world):
    older, numbers = rescores.start_run()
    _run_in_chunks(chunk_offers=100)
    stored = _rows()
    OfferProfileMatch.objects.all().delete()
    for number in numbers:
        rescores.rescore_chunk(older.pk, number)
    rescores.rescore_finish(older.pk)

    older.refresh_from_db()
    assert older.superseded and older.finished_at is not None and older.matches is None
    assert stored and not OfferProfileMatch.objects.exists()


def test_the_command_starts_a_run_or_scores_here(world, capsys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rescore_matches")
    # (The test's transaction holds the chunks back until the block ends: outside a
    # transaction they run before the command reports.)
    run = RescoreRun.objects.get()
    assert f"Re-score run {run.pk}" in capsys.readouterr().out
    run.refresh_from_db()
    assert (run.chunks_done, run.chunks_total, run.offers) == (2, 2, 36)
    assert run.finished_at is not None
    stored = _rows()

    call_command("rescore_matches", "--here")
    assert "Scored 36 open offers against 30 profiles" in capsys.readouterr().out
    assert RescoreRun.objects.count() == 1
    assert _rows() == stored


def test_the_sweeper_queues_again_a_chunk_whose_task_was_lost(world, settings):
    run, numbers = rescores.start_run(chunk_offers=20)
    later = timezone.now() + datetime.timedelta(seconds=settings.RESCORE_RETRY_SECONDS + 1)
    assert rescores.lost_steps(older_than=timezone.now() - datetime.timedelta(seconds=5)) == (
        [],
        [],
    )
    chunks, finishing = rescores.lost_steps(older_than=later)
    assert (chunks, finishing) == ([(run.pk, n) for n in numbers], [])

    assert tasks.sweep_scoring.delay().get() == 0  # queued just now: not yet again
    RescoreChunk.objects.update(queued_at=timezone.now() - datetime.timedelta(hours=1))
    assert tasks.sweep_scoring.delay().get() == len(numbers)  # eager: they run here
    run.refresh_from_db()
    assert run.finished_at is not None and run.matches


def test_the_admin_shows_a_runs_progress(world, login, secretariat):
    admin_client = login(secretariat)
    run, numbers = rescores.start_run(chunk_offers=10)
    rescores.rescore_chunk(run.pk, numbers[0])

    page = admin_client.get("/admin/exchanges/rescorerun/")

    assert page.status_code == 200
    assert "1 of 5 chunks" in page.text
    assert "Re-score every match again (a new run)" in page.text
    assert admin_client.get(f"/admin/exchanges/rescorerun/{run.pk}/change/").status_code == 200


def test_the_admin_action_starts_a_run(
    world, login, secretariat, django_capture_on_commit_callbacks
):
    admin_client = login(secretariat)
    run, _numbers = rescores.start_run()
    with django_capture_on_commit_callbacks(execute=True):
        page = admin_client.post(
            "/admin/exchanges/rescorerun/",
            {"action": "rescore_everything", "_selected_action": [run.pk]},
            follow=True,
        )
    assert "A full re-score has started in 2 chunks." in page.text
    newest = RescoreRun.objects.order_by("-pk").first()
    assert newest.pk != run.pk and newest.finished_at is not None
    assert LogEntry.objects.filter(object_id=str(run.pk), user=secretariat).exists()


def test_only_who_may_activate_weights_may_start_a_run(world, login, secretariat):
    secretariat.groups.clear()
    secretariat.user_permissions.add(*Permission.objects.filter(codename="view_rescorerun"))
    page = login(secretariat).get("/admin/exchanges/rescorerun/")
    assert page.status_code == 200
    assert "Re-score every match again" not in page.text


# Scoring owed ------------------------------------------------------------------------------


def test_publishing_an_offer_notes_that_it_needs_scoring_until_its_task_ran(
    offer, host_coordinator, django_capture_on_commit_callbacks
):
    draft = OfferFactory(organisation=offer.organisation, status=Offer.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        services.offer_publish(offer=draft, acting_user=host_coordinator)

    request = ScoringRequest.objects.get()
    assert (request.kind, request.object_id, request.alert) == ("offer", draft.pk, True)
    for send in queued:
        send()  # the commit: the task runs (eagerly)
    assert not ScoringRequest.objects.exists()


def test_a_run_that_does_not_alert_leaves_the_request_for_an_alert(offer):
    with_alert = ScoringRequest.objects.create(kind="offer", object_id=offer.pk, alert=True)
    without = ScoringRequest.objects.create(kind="offer", object_id=offer.pk, alert=False)

    tasks.score_offer(offer.pk, alert=False)

    assert list(ScoringRequest.objects.values_list("pk", flat=True)) == [with_alert.pk]
    assert not ScoringRequest.objects.filter(pk=without.pk).exists()


def test_the_sweeper_queues_the_scoring_whose_task_was_lost(offer, applicant_org, settings):
    InterestProfileFactory(organisation=applicant_org)
    now = timezone.now()
    ScoringRequest.objects.create(kind="offer", object_id=offer.pk, alert=False, due_at=now)
    ScoringRequest.objects.create(kind="offer", object_id=offer.pk, alert=True, due_at=now)
    waiting = ScoringRequest.objects.create(
        kind="profile", object_id=1, due_at=now + datetime.timedelta(minutes=1)
    )

    assert tasks.sweep_scoring.delay().get() == 1  # one offer, with its alert

    assert list(ScoringRequest.objects.all()) == [waiting]
    match = OfferProfileMatch.objects.get(offer=offer)
    assert match.alerted_at is not None  # the organisation was told
