"""``manage.py seed_demo``: the demo site's data, with the seed's Borås–Vestland exchange."""

import datetime
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q, Sum
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from exchanges import explanations, matching, reminders, selectors
from exchanges.matching import vectors
from exchanges.models import (
    Application,
    ApplicationHistory,
    CaseStudy,
    Exchange,
    ExchangeHistory,
    FewerOpportunityCount,
    FollowUp,
    Message,
    Offer,
    OfferProfileMatch,
    Quote,
    Thread,
    ThreadReader,
)
from matchmaking.models import (
    InterestProfile,
    Membership,
    Organisation,
    OutboxEmail,
    User,
)
from matchmaking.vocabularies import EXCHANGE_TYPES
from partnership.demo import exchange_texts

DEMO_PASSWORD = "demo-pass-2026"
DEMO_LOGINS = [
    "host@demo.earlall.eu",
    "applicant@demo.earlall.eu",
    "admin@demo.earlall.eu",
    "secretariat@demo.earlall.eu",
    "superuser@demo.earlall.eu",
]


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Organisation,
            User,
            Membership,
            EmailAddress,
            Offer,
            Application,
            ApplicationHistory,
            InterestProfile,
            OfferProfileMatch,
            Exchange,
            ExchangeHistory,
            FewerOpportunityCount,
            FollowUp,
            Quote,
            CaseStudy,
            Thread,
            Message,
            ThreadReader,
        )
    } | {
        "messages": sorted(
            Message.objects.values_list("pk", "thread_id", "author_id", "body", "created_at")
        ),
        "read marks": sorted(ThreadReader.objects.values_list("thread_id", "user_id", "last_read")),
        "profiles": sorted(
            InterestProfile.objects.values_list("organisation__name", "name", "updated_at")
        ),
        "matches": sorted(
            OfferProfileMatch.objects.values_list("offer_id", "profile_id", "created_at")
        ),
        "offer statuses": sorted(Offer.objects.values_list("status", flat=True)),
        "application statuses": sorted(Application.objects.values_list("status", flat=True)),
        "exchanges": sorted(
            Exchange.objects.values_list(
                "pk",
                "application_id",
                "status",
                "start_date",
                "created_at",
                "updated_at",
                "week_reminder_sent_at",
                "follow_up_requested_at",
                "follow_up_reminder_sent_at",
            )
        ),
        "exchange history": sorted(
            ExchangeHistory.objects.values_list(
                "pk", "exchange_id", "kind", "actor_id", "note", "created_at"
            )
        ),
        "follow-ups": sorted(FollowUp.objects.values_list("pk", "side", "submitted_at")),
        "case studies": sorted(
            CaseStudy.objects.values_list("pk", "slug", "status", "published_at", "updated_at")
        ),
    }


@pytest.fixture(scope="module")
def seeded_twice(django_db_setup, django_db_blocker):
    """Seed once for the whole module, inside a transaction rolled back at its end.

    Each test still runs in its own savepoint (the ``db`` fixture), so the seeding, which
    takes seconds, is done once rather than per test.
    """
    # Set up before the tests' own settings: no sentence vectors here either (the one test
    # that wants them embeds the few texts it needs).
    with django_db_blocker.unblock(), override_settings(MATCHING_VECTORS=False):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            first = seed()
            before = counts(), application_history()
            second = seed()
            yield first, second, before, (counts(), application_history())
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def seeded(seeded_twice, db):
    return seeded_twice[0]


def application_history():
    return list(
        ApplicationHistory.objects.order_by("pk").values_list(
            "pk", "application_id", "kind", "actor_id", "note", "created_at"
        )
    )


@pytest.mark.django_db
def test_running_twice_changes_nothing(seeded_twice):
    _first, second, before, after = seeded_twice
    assert after == before
    assert "Organisations:" in second


@pytest.mark.django_db
def test_summary_names_the_counts_and_logins(seeded):
    assert "Organisations:" in seeded
    assert "Applications:" in seeded
    for email in DEMO_LOGINS:
        assert email in seeded


@pytest.mark.django_db
def test_organisations_span_countries_and_kinds(seeded):
    assert Organisation.objects.count() >= 30
    assert Organisation.objects.values("country").distinct().count() >= 8
    assert Organisation.objects.values("kind").distinct().count() >= 6
    for organisation in Organisation.objects.all():
        organisation.full_clean()
        assert organisation.languages.exists()
        assert organisation.contact_email.endswith((".example.org", ".example.eu"))
        # Every organisation has someone who can run it.
        assert organisation.memberships.filter(role=Membership.Role.ADMIN).exists()


@pytest.mark.django_db
def test_offers_cover_every_exchange_type_and_status(seeded):
    assert Offer.objects.count() >= 60
    assert set(Offer.objects.values_list("exchange_type__slug", flat=True)) == {
        slug for slug, _name in EXCHANGE_TYPES
    }
    assert set(Offer.objects.values_list("status", flat=True)) >= {
        Offer.Status.PUBLISHED,
        Offer.Status.CLOSED,
        Offer.Status.DRAFT,
    }
    today = timezone.localdate()
    published = Offer.objects.filter(status=Offer.Status.PUBLISHED)
    assert published.count() > Offer.objects.count() / 2
    assert not published.filter(application_deadline__lt=today).exists()
    assert (
        Offer.objects.filter(supports_fewer_opportunities=True)
        .exclude(fewer_opportunities_support="")
        .exists()
    )
    for offer in Offer.objects.all():
        offer.full_clean()
        assert offer.themes.exists() and offer.languages.exists()
        assert (offer.published_at is None) == (offer.status == Offer.Status.DRAFT)


@pytest.mark.django_db
def test_applications_in_every_state_with_a_consistent_history(seeded):
    assert set(Application.objects.values_list("status", flat=True)) == set(
        Application.Status.values
    )
    now = timezone.now()
    for application in Application.objects.select_related("offer"):
        application.full_clean()
        offer = application.offer
        assert application.organisation_id != offer.organisation_id
        assert application.fewer_opportunity_participants <= application.participants
        assert offer.available_from <= application.preferred_start
        assert application.preferred_start <= application.preferred_end
        assert application.preferred_end <= offer.available_until
        history = list(application.history.all())
        assert history[0].kind == Application.Status.SUBMITTED
        assert history[-1].kind == application.status
        assert all(e.actor is not None and e.created_at <= now for e in history)
        assert [e.created_at for e in history] == sorted(e.created_at for e in history)
        if offer.published_at:
            assert offer.published_at < history[0].created_at


@pytest.mark.django_db
def test_accepted_participants_never_exceed_capacity(seeded):
    offers = Offer.objects.annotate(
        accepted=Sum(
            "applications__participants", filter=Q(applications__status=Application.Status.ACCEPTED)
        )
    )
    assert offers.filter(accepted__isnull=False).exists()
    for offer in offers:
        assert (offer.accepted or 0) <= offer.capacity, offer


@pytest.mark.django_db
def test_the_seeds_exchange_borås_hosts_vestland(seeded):
    application = Application.objects.select_related("offer__organisation").get(
        organisation__name="Vestland County Council",
        offer__title="Job shadowing: inclusive pathways with the Multicompetent Team",
    )
    offer = application.offer
    assert offer.organisation.name == "Borås Stad"
    assert offer.organisation.nuts_code == "SE232"
    assert offer.status == Offer.Status.CLOSED
    assert offer.duration_days == pytest.approx(1.5)
    assert offer.capacity == 4 and offer.fixed_dates
    assert set(offer.themes.values_list("slug", flat=True)) >= {
        "inclusion",
        "neet-re-engagement",
        "inter-agency-cooperation",
        "motivational-interviewing",
        "guidance-counselling",
    }
    assert application.status == Application.Status.ACCEPTED
    assert application.preferred_start == datetime.date(2025, 5, 12)
    assert application.preferred_end == datetime.date(2025, 5, 13)
    assert "NAV" in application.motivation
    history = [(e.kind, e.actor.email) for e in application.history.all()]
    assert history == [
        (Application.Status.SUBMITTED, "applicant@demo.earlall.eu"),
        (Application.Status.ACCEPTED, "host@demo.earlall.eu"),
    ]


@pytest.mark.django_db
def test_the_catalogue_shows_an_open_borås_offer(seeded):
    assert Offer.objects.open_for_applications().filter(organisation__name="Borås Stad").exists()


@pytest.mark.django_db
def test_every_demo_login_works(seeded):
    for email in DEMO_LOGINS:
        assert authenticate(email=email, password=DEMO_PASSWORD) is not None, email
        assert EmailAddress.objects.filter(
            user__email=email, email=email, verified=True, primary=True
        ).exists()


@pytest.mark.django_db
def test_demo_roles(seeded):
    host = User.objects.get(email="host@demo.earlall.eu")
    assert (host.first_name, host.last_name) == ("Nicholas", "Waller")
    assert host.memberships.get().organisation.name == "Borås Stad"
    applicant = User.objects.get(email="applicant@demo.earlall.eu")
    assert applicant.memberships.get().organisation.name == "Vestland County Council"
    admin = User.objects.get(email="admin@demo.earlall.eu")
    assert admin.memberships.filter(role=Membership.Role.ADMIN).count() >= 2
    assert admin.memberships.filter(organisation__name="Borås Stad").exists()

    secretariat = User.objects.get(email="secretariat@demo.earlall.eu")
    assert secretariat.is_staff and not secretariat.is_superuser
    assert secretariat.groups.filter(name="Secretariat").exists()
    assert not secretariat.memberships.exists()
    superuser = User.objects.get(email="superuser@demo.earlall.eu")
    assert superuser.is_superuser and superuser.is_staff
    assert (
        not User.objects.filter(is_staff=True)
        .exclude(email__in=["secretariat@demo.earlall.eu", "superuser@demo.earlall.eu"])
        .exists()
    )


@pytest.mark.django_db
def test_vestland_keeps_an_interest_profile_like_the_seeds_story(seeded):
    profile = InterestProfile.objects.get(organisation__name="Vestland County Council")
    assert set(profile.exchange_types.values_list("slug", flat=True)) == {
        "job-shadowing",
        "study-visit",
    }
    assert set(profile.themes.values_list("slug", flat=True)) == {
        "inclusion",
        "neet-re-engagement",
        "inter-agency-cooperation",
        "motivational-interviewing",
        "guidance-counselling",
    }
    assert set(profile.languages.values_list("code", flat=True)) == {"en", "no", "sv"}
    assert (profile.participants, profile.fewer_opportunity_participants) == (3, 1)
    assert profile.alert == InterestProfile.Alert.IMMEDIATELY
    open_boras = Offer.objects.open_for_applications().get(organisation__name="Borås Stad")
    assert profile.available_from <= open_boras.available_from
    assert open_boras.available_until <= profile.available_until
    assert InterestProfile.objects.exclude(organisation=profile.organisation).count() >= 3


@pytest.mark.django_db
def test_vestland_is_recommended_borås_open_offer_first_with_reasons(seeded):
    vestland = Organisation.objects.get(name="Vestland County Council")

    recommended = selectors.recommendations_for(vestland)

    assert recommended[0].offer.organisation.name == "Borås Stad"
    assert recommended[0].offer.is_open_for_applications
    said = explanations.sentence(recommended[0])
    assert said.startswith("Shared themes: Inclusion, NEET re-engagement, ")
    assert "you have worked together before" in said
    assert all(explanations.reasons(match) for match in recommended)


@pytest.mark.django_db
def test_vestland_still_finds_borås_first_when_the_texts_have_vectors(seeded, with_vectors):
    vestland = Organisation.objects.get(name="Vestland County Council")
    vectors.refresh("profile", InterestProfile.objects.filter(organisation=vestland))
    vectors.refresh("offer", Offer.objects.open_for_applications())
    matching.rescore_all()

    recommended = selectors.recommendations_for(vestland)

    assert recommended[0].offer.organisation.name == "Borås Stad"
    assert "similar subject" in explanations.sentence(recommended[0])


@pytest.mark.django_db
def test_borås_sees_its_open_offers_applications_ranked_with_reasons(seeded):
    offer = Offer.objects.open_for_applications().get(organisation__name="Borås Stad")

    ranked = list(selectors.applications_ranked_for(offer))

    assert len(ranked) == 3
    undecided = [a.score for a in ranked if a.is_undecided]
    assert undecided == sorted(undecided, reverse=True) and undecided[-1] > 0
    for application in ranked:
        assert explanations.reasons(application.score_breakdown, viewer="host")
    assert not Application.objects.filter(scored_at__isnull=True).exists()


# The exchanges after acceptance, and the seed's case study

SEED_HOST_LESSONS = [
    "Identified shared challenges in skills matching and inclusive education across regions.",
    "Gained valuable insight into the Norwegian NAV system and multi-level cooperation.",
    "Strengthened interest in reciprocal job shadowing opportunities with Vestland.",
]
SEED_PARTICIPANT_LESSONS = [
    "Discovered innovative person-centred methods in Borås, such as motivational interviews "
    "and ACT guidance.",
    "Inspired to improve inter-agency information flow and coordination in regional projects.",
    "Identified clear potential for future collaboration, including opportunities for schools "
    "to participate.",
]


def boras_vestland():
    return Exchange.objects.get(
        host__name="Borås Stad",
        sender__name="Vestland County Council",
        application__offer__title="Job shadowing: inclusive pathways with the Multicompetent Team",
    )


@pytest.mark.django_db
def test_the_borås_vestland_exchange_took_place_on_12_and_13_may_2025(seeded):
    exchange = boras_vestland()

    assert exchange.status == Exchange.Status.COMPLETED
    assert (exchange.start_date, exchange.end_date) == (
        datetime.date(2025, 5, 12),
        datetime.date(2025, 5, 13),
    )
    assert exchange.duration_days == pytest.approx(1.5)
    assert exchange.participants == 3
    assert exchange.programme.splitlines()[0].startswith("Monday 12 May, morning:")
    assert "Tuesday 13 May" in exchange.programme
    assert "Landvetter" in exchange.practical_notes
    history = [(event.kind, event.actor.email) for event in exchange.history.all()]
    assert history == [
        (ExchangeHistory.Kind.PLANNED, "host@demo.earlall.eu"),
        (ExchangeHistory.Kind.COMPLETED, "host@demo.earlall.eu"),
        (ExchangeHistory.Kind.FOLLOW_UP, "host@demo.earlall.eu"),
        (ExchangeHistory.Kind.FOLLOW_UP, "applicant@demo.earlall.eu"),
        (ExchangeHistory.Kind.PUBLISHED, "secretariat@demo.earlall.eu"),
    ]
    exchange.full_clean()


@pytest.mark.django_db
def test_both_sides_of_borås_vestland_wrote_the_seeds_follow_up(seeded):
    follow_ups = {f.side: f for f in boras_vestland().follow_ups.all()}

    host, sending = follow_ups["host"], follow_ups["sending"]
    assert host.organisation.name == "Borås Stad"
    assert host.submitted_by.email == "host@demo.earlall.eu"
    assert host.lesson_list == SEED_HOST_LESSONS
    assert "hope to visit Vestland" in host.next_steps
    assert sending.organisation.name == "Vestland County Council"
    assert sending.lesson_list == SEED_PARTICIPANT_LESSONS
    assert "motivational interviews and mapping" in sending.next_steps
    assert sending.wants_reciprocal_visit
    assert "NAV (Norwegian Labour and Welfare Administration)" in sending.account


@pytest.mark.django_db
def test_the_borås_vestland_case_study_is_published_with_both_quotes_and_the_seeds_lessons(
    seeded,
):
    case_study = CaseStudy.objects.published().get(exchange=boras_vestland())

    assert case_study.title == "Job Shadowing: reintegrating individuals into education and work"
    assert case_study.theme.slug == "inclusion"
    assert case_study.published_by.email == "secretariat@demo.earlall.eu"
    assert case_study.summary.startswith(
        "The job shadowing focused on creating inclusive pathways to re-engage those outside "
        "education and employment."
    )
    assert "12-13 May 2025" in case_study.summary
    assert "motivational interviewing and ACT guidance" in case_study.summary
    assert case_study.host_lesson_list == SEED_HOST_LESSONS
    assert case_study.participant_lesson_list == SEED_PARTICIPANT_LESSONS
    assert "motivational interviews and mapping" in case_study.next_steps
    assert "improving information flow across organisations" in case_study.next_steps
    assert "visit Vestland" in case_study.next_steps
    quotes = Quote.objects.filter(follow_up__exchange=case_study.exchange, public=True)
    assert sorted((q.person_name, q.role, q.organisation_name, q.consent) for q in quotes) == [
        (
            "Ingrid Hillestad Bårgard",
            "Advisor, Section for Quality in Education, Department for Education and Competence",
            "Vestland County Council (Norway)",
            True,
        ),
        (
            "Nicholas Waller",
            "International Coordinator, Working Life Department",
            "Borås Stad (Sweden)",
            True,
        ),
    ]
    said = {q.person_name: q.text for q in quotes}
    assert said["Nicholas Waller"].startswith("We were very pleased to host Vestland")
    assert said["Ingrid Hillestad Bårgard"] == (
        "We left Borås full of ideas. The way your systems focus on collaboration and the "
        "individual journey is something we’re now looking to build into our own structures."
    )
    case_study.full_clean()


@pytest.mark.django_db
def test_every_accepted_application_became_an_exchange_planned_or_completed(seeded):
    today = timezone.localdate()
    accepted = Application.objects.filter(status=Application.Status.ACCEPTED)
    assert accepted.count() >= 20
    for application in accepted.select_related("exchange", "offer"):
        exchange = application.exchange
        exchange.full_clean()
        assert (exchange.host_id, exchange.sender_id) == (
            application.offer.organisation_id,
            application.organisation_id,
        )
        assert (exchange.start_date, exchange.end_date) == (
            application.preferred_start,
            application.preferred_end,
        )
        past = exchange.end_date < today
        assert exchange.status == (
            Exchange.Status.COMPLETED if past else Exchange.Status.PLANNED
        ), exchange
        kinds = [event.kind for event in exchange.history.all()]
        assert kinds[0] == ExchangeHistory.Kind.PLANNED
        assert (ExchangeHistory.Kind.COMPLETED in kinds) == past
    assert not Exchange.objects.exclude(application__status=Application.Status.ACCEPTED).exists()
    assert Exchange.objects.filter(status=Exchange.Status.PLANNED).count() >= 10
    assert Exchange.objects.filter(status=Exchange.Status.COMPLETED).count() >= 4


@pytest.mark.django_db
def test_an_exchange_counts_its_participants_with_fewer_opportunities_per_category(seeded):
    counted = Exchange.objects.filter(fewer_opportunity_counts__isnull=False).distinct()
    assert counted.exists()
    for exchange in counted:
        counts = dict(exchange.fewer_opportunity_counts.values_list("category__slug", "count"))
        assert 0 < max(counts.values()) <= exchange.fewer_opportunity_participants
        assert exchange.fewer_opportunity_participants <= exchange.participants
    learners = counted.get(
        sender__name="Basque Inclusion Foundation",
        application__offer__title=exchange_texts.LEARNERS_OFFER["title"],
    )
    assert dict(learners.fewer_opportunity_counts.values_list("category__slug", "count")) == {
        "education-barriers": 3,
        "economic-barriers": 2,
    }


@pytest.mark.django_db
def test_the_library_has_a_second_case_study_and_one_waiting_for_the_secretariat(seeded):
    published = CaseStudy.objects.published()
    assert published.count() == 2
    learners = published.get(exchange__sender__name="Basque Inclusion Foundation")
    assert learners.exchange.status == Exchange.Status.COMPLETED
    assert learners.published_at < timezone.now()
    quotes = Quote.objects.filter(follow_up__exchange=learners.exchange)
    # The workplace mentor did not agree to be quoted: the quote stays out of the page.
    assert list(quotes.filter(public=True).values_list("person_name", flat=True)) == [
        "Miren Goikoetxea"
    ]
    assert quotes.filter(consent=False, public=False).exists()

    draft = CaseStudy.objects.get(status=CaseStudy.Status.DRAFT)
    assert draft.exchange.follow_ups.count() == 2
    assert draft.published_at is None and draft.published_by is None
    assert draft.host_lessons == draft.exchange.follow_ups.get(side="host").lessons
    # Titled as the site drafts it: the exchange type is not said twice.
    assert draft.title == draft.exchange.application.offer.title
    assert not draft.title.startswith("Job shadowing: Job shadowing")
    # One more past exchange waits for the sending side's follow-up.
    assert (
        Exchange.objects.filter(status=Exchange.Status.COMPLETED, follow_ups__side="host")
        .exclude(follow_ups__side="sending")
        .exists()
    )


@pytest.mark.django_db
def test_the_daily_reminders_find_nothing_left_to_send_in_the_demo(seeded):
    sent = reminders.send_exchange_reminders()

    assert sent == {"week_before": 0, "follow_up_due": 0, "follow_up_reminder": 0}
    assert not OutboxEmail.objects.filter(
        template__in=["exchange_in_a_week", "follow_up_due", "follow_up_reminder"]
    ).exists()


@pytest.mark.django_db
def test_the_summary_counts_exchanges_and_case_studies(seeded):
    assert "Exchanges: " in seeded
    assert "case studies: 2 published, 1 in review" in seeded


@pytest.mark.django_db
def test_the_demo_gives_the_monitoring_three_years_baselines_and_small_counts(seeded, client):
    from partnership.monitoring import selectors as monitoring

    this_year = timezone.localdate().year
    years = {
        row.key: row.exchanges
        for row in monitoring.mobilities(monitoring.Filters())["by_year"]
        if row.key < this_year
    }
    assert set(years) >= {this_year - 3, this_year - 2, this_year - 1}
    latest = monitoring.latest_vet_progress(monitoring.vet_learners(monitoring.Filters()))
    with_baseline = {p.region for p in latest if p.baseline and p.vet_learners}
    assert with_baseline == {"SE23", "NO0A", "ES21"}
    assert any(p.baseline is None for p in latest)
    page = client.get(reverse("partnership:figures")).content.decode()
    assert "fewer than 5" in page and "no baseline" in page
    assert "Monitoring: " in seeded


@pytest.mark.django_db
def test_the_borås_vestland_thread_is_on_the_application_and_its_exchange(seeded, client):
    exchange = Exchange.objects.get(
        host__slug="boras-stad", application__offer__title__startswith="Job shadowing: inclusive"
    )
    client.force_login(User.objects.get(email="host@demo.earlall.eu"))

    for url in (exchange.application.get_absolute_url(), exchange.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "Should we arrive on Sunday" in page
        assert "Thank you for two inspiring days!" in page
    assert Message.objects.filter(thread__application=exchange.application).count() == 5


@pytest.mark.django_db
def test_each_demo_login_finds_an_unread_message_on_its_desk(seeded, client):
    for email, question in [
        ("host@demo.earlall.eu", "should we bring an interpreter?"),
        ("applicant@demo.earlall.eu", "Would the second week of the window suit you?"),
    ]:
        client.force_login(User.objects.get(email=email))
        desk = client.get(reverse("desk")).content.decode()
        assert "1 unread message" in desk, email
        thread = Message.objects.get(body__contains=question).thread
        assert f"/applications/{thread.application_id}/#messages" in desk
