"""The exchange after acceptance, through its services: planning, editing, completing,
cancelling, each side's follow-up, the case study the secretariat publishes, and the draft
offer for a reciprocal visit."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from exchanges import services
from exchanges.models import (
    CaseStudy,
    Exchange,
    ExchangeHistory,
    FollowUp,
    FollowUpSide,
    Offer,
    Quote,
)
from matchmaking.models import FewerOpportunityCategory, FieldOfEducation
from tests.factories import (
    ApplicationFactory,
    OfferFactory,
    UserFactory,
    exchange_type,
    theme,
)

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _on(day):
    """Move the clock to noon, Brussels time, on ``day``."""
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(12), BRUSSELS), tick=False
    )


def category(slug):
    return FewerOpportunityCategory.objects.get(slug=slug)


def _sent(mailoutbox):
    return sorted((address, message.subject) for message in mailoutbox for address in message.to)


def _accept(offer, organisation, acting_user, **fields):
    application = ApplicationFactory(offer=offer, organisation=organisation, **fields)
    services.application_accept(application=application, acting_user=acting_user)
    return Exchange.objects.get(application=application)


@pytest.fixture
def exchange(offer, applicant_org, host_coordinator, applicant_coordinator):
    """Planned in 30–31 days (the offer's window): three participants, two of them with fewer
    opportunities. Both organisations have a coordinator."""
    return _accept(
        offer, applicant_org, host_coordinator, participants=3, fewer_opportunity_participants=2
    )


@pytest.fixture
def past_exchange(host_org, applicant_org, host_coordinator, applicant_coordinator):
    """Still planned, but its two days are over: 10 and 9 days ago."""
    offer = OfferFactory(
        organisation=host_org,
        title="Reintegrating individuals into education and work",
        available_from=_days(-10),
        available_until=_days(-5),
        application_deadline=_days(-20),
        themes=[theme("neet-re-engagement"), theme("inclusion")],
    )
    return _accept(
        offer,
        applicant_org,
        host_coordinator,
        participants=2,
        preferred_start=_days(-10),
        preferred_end=_days(-9),
    )


HOST_TEXT = {
    "account": "We showed how our multicompetent team supports people far from work.",
    "lessons": "Identified shared challenges in skills matching.\nGained insight into NAV.",
    "next_steps": "We hope to visit Vestland.",
    "wants_reciprocal_visit": True,
}
SENDING_TEXT = {
    "account": "Our advisors observed real follow-up meetings.",
    "lessons": "Discovered motivational interviews and ACT guidance.\nImprove information flow.",
    "next_steps": "Adapt motivational interviews and mapping at home.",
    "wants_reciprocal_visit": True,
}
WALLER = {
    "person_name": "Nicholas Waller",
    "role": "International Coordinator, Working Life Department",
    "organisation_name": "Borås Stad (Sweden)",
    "text": "We were very pleased to host Vestland.",
    "consent": True,
    "public": True,
}


def _follow_up(exchange, organisation, user, text, quotes=()):
    return services.follow_up_submit(
        exchange=exchange,
        organisation=organisation,
        acting_user=user,
        quotes=list(quotes),
        **text,
    )


def _both_follow_ups(exchange, host_coordinator, applicant_coordinator):
    _follow_up(exchange, exchange.host, host_coordinator, HOST_TEXT, [WALLER])
    _follow_up(exchange, exchange.sender, applicant_coordinator, SENDING_TEXT)
    return CaseStudy.objects.get(exchange=exchange)


def _history(exchange):
    return list(exchange.history.values_list("kind", "actor"))


# Accepting an application


def test_accepting_an_application_plans_its_exchange_on_the_applications_dates(
    offer, applicant_org, host_coordinator
):
    offer.programme = "Day 1: the multicompetent team.\nDay 2 (morning): ACT guidance."
    offer.practical_information = "Meet at the town hall at 09:00."
    offer.save()
    application = ApplicationFactory(
        offer=offer,
        organisation=applicant_org,
        participants=3,
        fewer_opportunity_participants=1,
        preferred_start=_days(33),
        preferred_end=_days(34),
    )

    services.application_accept(application=application, acting_user=host_coordinator)

    exchange = Exchange.objects.get(application=application)
    assert exchange.status == Exchange.Status.PLANNED
    assert (exchange.host, exchange.sender) == (offer.organisation, applicant_org)
    assert (exchange.start_date, exchange.end_date) == (_days(33), _days(34))
    assert (exchange.participants, exchange.fewer_opportunity_participants) == (3, 1)
    assert str(exchange.duration_days) == "1.5"
    assert exchange.programme.startswith("Day 1: the multicompetent team.")
    assert exchange.practical_notes == "Meet at the town hall at 09:00."
    assert _history(exchange) == [(ExchangeHistory.Kind.PLANNED, host_coordinator.pk)]


def test_declining_an_application_plans_no_exchange(offer, applicant_org, host_coordinator):
    application = ApplicationFactory(offer=offer, organisation=applicant_org)

    services.application_decline(application=application, acting_user=host_coordinator)

    assert not Exchange.objects.exists()


# exchange_update


def test_a_coordinator_changes_the_dates_and_the_counts_per_category(
    exchange, applicant_coordinator
):
    services.exchange_update(
        exchange=exchange,
        acting_user=applicant_coordinator,
        start_date=_days(40),
        end_date=_days(41),
        participants=4,
        fewer_opportunity_participants=3,
        counts={
            category("economic-barriers"): 2,
            category("disabilities"): 1,
            category("health-problems"): 0,
        },
    )

    exchange.refresh_from_db()
    assert (exchange.start_date, exchange.end_date) == (_days(40), _days(41))
    assert (exchange.participants, exchange.fewer_opportunity_participants) == (4, 3)
    counts = dict(exchange.fewer_opportunity_counts.values_list("category__slug", "count"))
    assert counts == {"economic-barriers": 2, "disabilities": 1}
    assert _history(exchange)[-1] == (ExchangeHistory.Kind.EDITED, applicant_coordinator.pk)


def test_setting_a_category_to_zero_removes_its_count(exchange, host_coordinator):
    services.exchange_update(
        exchange=exchange, acting_user=host_coordinator, counts={category("economic-barriers"): 2}
    )

    services.exchange_update(
        exchange=exchange,
        acting_user=host_coordinator,
        counts={category("economic-barriers"): 0, category("social-barriers"): 1},
    )

    counts = dict(exchange.fewer_opportunity_counts.values_list("category__slug", "count"))
    assert counts == {"social-barriers": 1}


def _refused(call):
    with pytest.raises(ValidationError) as refusal:
        call()
    return refusal.value


def test_an_end_before_the_start_is_refused_and_nothing_is_saved(exchange, host_coordinator):
    refusal = _refused(
        lambda: services.exchange_update(
            exchange=exchange,
            acting_user=host_coordinator,
            start_date=_days(45),
            end_date=_days(44),
            counts={category("disabilities"): 1},
        )
    )

    assert refusal.message_dict == {"end_date": ["The end is before the start."]}
    exchange.refresh_from_db()
    assert exchange.start_date == _days(30)
    assert not exchange.fewer_opportunity_counts.exists()
    assert _history(exchange) == [(ExchangeHistory.Kind.PLANNED, host_coordinator.pk)]


def test_a_count_above_the_participants_with_fewer_opportunities_leaves_everything_as_it_was(
    exchange, host_coordinator
):
    services.exchange_update(
        exchange=exchange, acting_user=host_coordinator, counts={category("economic-barriers"): 1}
    )

    refusal = _refused(
        lambda: services.exchange_update(
            exchange=exchange,
            acting_user=host_coordinator,
            participants=3,
            fewer_opportunity_participants=2,
            start_date=_days(35),
            end_date=_days(36),
            counts={category("economic-barriers"): 3, category("disabilities"): 1},
        )
    )

    assert refusal.message_dict["fewer_opportunity_participants"] == [
        "Economic barriers: 3 is more than the 2 participants with fewer opportunities."
    ]
    exchange.refresh_from_db()
    assert exchange.start_date == _days(30)
    counts = dict(exchange.fewer_opportunity_counts.values_list("category__slug", "count"))
    assert counts == {"economic-barriers": 1}
    assert [kind for kind, _actor in _history(exchange)].count(ExchangeHistory.Kind.EDITED) == 1


def test_a_negative_count_is_refused(exchange, host_coordinator):
    refusal = _refused(
        lambda: services.exchange_update(
            exchange=exchange, acting_user=host_coordinator, counts={category("disabilities"): -1}
        )
    )

    assert refusal.message_dict["fewer_opportunity_participants"] == [
        "Disabilities: a count cannot be negative."
    ]
    assert not exchange.fewer_opportunity_counts.exists()


def test_more_participants_with_fewer_opportunities_than_participants_is_refused(
    exchange, host_coordinator
):
    refusal = _refused(
        lambda: services.exchange_update(
            exchange=exchange,
            acting_user=host_coordinator,
            participants=2,
            fewer_opportunity_participants=3,
            counts={},
        )
    )

    assert "fewer_opportunity_participants" in refusal.message_dict
    exchange.refresh_from_db()
    assert (exchange.participants, exchange.fewer_opportunity_participants) == (3, 2)


def test_a_completed_or_cancelled_exchange_cannot_be_changed(
    past_exchange, exchange, host_coordinator
):
    services.exchange_complete(exchange=past_exchange, acting_user=host_coordinator)
    services.exchange_cancel(
        exchange=exchange, acting_user=host_coordinator, reason="Our funding was not confirmed."
    )

    for closed in (past_exchange, exchange):
        refusal = _refused(
            lambda closed=closed: services.exchange_update(
                exchange=closed, acting_user=host_coordinator, participants=1, counts={}
            )
        )
        assert refusal.messages == ["Only a planned exchange can be changed."]
        closed.refresh_from_db()
        assert closed.participants != 1


# exchange_complete


@pytest.mark.parametrize("day", [29, 30], ids=["before it starts", "on its first day"])
def test_an_exchange_cannot_be_completed_before_its_last_day(exchange, host_coordinator, day):
    with _on(_days(day)):
        assert not exchange.can_be_completed
        refusal = _refused(
            lambda: services.exchange_complete(exchange=exchange, acting_user=host_coordinator)
        )

    assert refusal.code == "not_ended"
    assert refusal.messages == [
        "The exchange has not ended yet; it can be marked as completed from its last day, "
        f"{exchange.end_date:%-d %B %Y}."
    ]
    exchange.refresh_from_db()
    assert exchange.status == Exchange.Status.PLANNED


def test_completing_from_the_last_day_records_who_completed_it(
    exchange, applicant_coordinator, host_coordinator
):
    with _on(exchange.end_date):
        services.exchange_complete(exchange=exchange, acting_user=applicant_coordinator)

    exchange.refresh_from_db()
    assert exchange.status == Exchange.Status.COMPLETED
    assert _history(exchange) == [
        (ExchangeHistory.Kind.PLANNED, host_coordinator.pk),
        (ExchangeHistory.Kind.COMPLETED, applicant_coordinator.pk),
    ]


# exchange_cancel


@pytest.mark.parametrize("reason", ["", "   "])
def test_cancelling_without_a_reason_is_refused(
    exchange, host_coordinator, reason, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        refusal = _refused(
            lambda: services.exchange_cancel(
                exchange=exchange, acting_user=host_coordinator, reason=reason
            )
        )

    assert refusal.message_dict == {"reason": ["Say why the exchange is cancelled."]}
    exchange.refresh_from_db()
    assert exchange.status == Exchange.Status.PLANNED
    assert mailoutbox == []


def test_cancelling_records_the_reason_and_tells_both_sides(
    exchange,
    offer,
    host_coordinator,
    applicant_coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        services.exchange_cancel(
            exchange=exchange,
            acting_user=applicant_coordinator,
            reason="  Our funding was not confirmed.  ",
        )

    exchange.refresh_from_db()
    assert exchange.status == Exchange.Status.CANCELLED
    assert exchange.cancellation_reason == "Our funding was not confirmed."
    assert exchange.history.last().kind == ExchangeHistory.Kind.CANCELLED
    assert exchange.history.last().note == "Our funding was not confirmed."
    subject = f"Cancelled: “{offer.title}”"
    assert _sent(mailoutbox) == sorted(
        [(host_coordinator.email, subject), (applicant_coordinator.email, subject)]
    )
    assert all("Our funding was not confirmed." in message.body for message in mailoutbox)
    assert all(f"/exchanges/{exchange.pk}/" in message.body for message in mailoutbox)


def test_cancelling_gives_the_places_back_to_the_offer(exchange, host_coordinator):
    offer = exchange.application.offer
    before = services.capacity_left(offer)

    services.exchange_cancel(exchange=exchange, acting_user=host_coordinator, reason="Storm.")

    assert services.capacity_left(offer) == before + exchange.participants


# follow_up_submit


def test_an_organisation_outside_the_exchange_cannot_write_its_follow_up(past_exchange, outsider):
    refusal = _refused(
        lambda: _follow_up(
            past_exchange, outsider.memberships.get().organisation, outsider, HOST_TEXT
        )
    )

    assert refusal.messages == ["Only the two organisations of the exchange write its follow-up."]
    assert not FollowUp.objects.exists()


def test_the_follow_up_opens_on_the_last_day_of_the_exchange(exchange, host_coordinator):
    with _on(_days(30)):
        refusal = _refused(lambda: _follow_up(exchange, exchange.host, host_coordinator, HOST_TEXT))
    assert refusal.code == "too_early"
    assert not FollowUp.objects.exists()

    with _on(exchange.end_date):
        follow_up = _follow_up(exchange, exchange.host, host_coordinator, HOST_TEXT)

    assert (follow_up.side, follow_up.submitted_by) == (FollowUpSide.HOST, host_coordinator)


def test_a_cancelled_exchange_has_no_follow_up(past_exchange, host_coordinator):
    services.exchange_cancel(
        exchange=past_exchange, acting_user=host_coordinator, reason="Nobody could travel."
    )

    refusal = _refused(
        lambda: _follow_up(past_exchange, past_exchange.host, host_coordinator, HOST_TEXT)
    )

    assert refusal.code == "state"
    assert not FollowUp.objects.exists()


def test_a_public_quote_without_consent_is_refused_and_nothing_is_saved(
    past_exchange, host_coordinator
):
    unconsented = {**WALLER, "person_name": "A participant", "consent": False}

    refusal = _refused(
        lambda: _follow_up(
            past_exchange, past_exchange.host, host_coordinator, HOST_TEXT, [WALLER, unconsented]
        )
    )

    assert refusal.message_dict == {
        "consent": ["A quote can only be published with the person's consent."]
    }
    assert not FollowUp.objects.exists()
    assert not Quote.objects.exists()
    assert not past_exchange.history.filter(kind=ExchangeHistory.Kind.FOLLOW_UP).exists()


def test_a_quote_without_consent_is_kept_private(past_exchange, host_coordinator):
    private = {**WALLER, "consent": False, "public": False}

    follow_up = _follow_up(
        past_exchange, past_exchange.host, host_coordinator, HOST_TEXT, [private]
    )

    assert list(follow_up.quotes.values_list("person_name", "consent", "public")) == [
        ("Nicholas Waller", False, False)
    ]


def test_writing_the_follow_up_again_replaces_it_and_its_quotes(
    past_exchange, host_coordinator, host_admin
):
    _follow_up(past_exchange, past_exchange.host, host_coordinator, HOST_TEXT, [WALLER])

    again = _follow_up(
        past_exchange, past_exchange.host, host_admin, {**HOST_TEXT, "lessons": "One lesson only."}
    )

    assert FollowUp.objects.get() == again
    assert (again.lesson_list, again.submitted_by) == (["One lesson only."], host_admin)
    assert not Quote.objects.exists()
    assert past_exchange.history.filter(kind=ExchangeHistory.Kind.FOLLOW_UP).count() == 2
    assert not CaseStudy.objects.exists()


def test_the_case_study_title_does_not_repeat_the_exchange_type(
    past_exchange, host_coordinator, applicant_coordinator
):
    offer = past_exchange.application.offer
    offer.title = "Guidance counsellors: job shadowing in Borås"
    offer.save()

    case_study = _both_follow_ups(past_exchange, host_coordinator, applicant_coordinator)

    assert case_study.title == "Guidance counsellors: job shadowing in Borås"


def test_when_both_sides_have_written_a_draft_case_study_awaits_the_secretariat(
    past_exchange, host_coordinator, applicant_coordinator
):
    case_study = _both_follow_ups(past_exchange, host_coordinator, applicant_coordinator)

    assert case_study.status == CaseStudy.Status.DRAFT
    assert not CaseStudy.objects.published().exists()
    assert case_study.title == ("Job shadowing: Reintegrating individuals into education and work")
    # The offer's themes have no order of their own: the first in the vocabulary's.
    assert case_study.theme.slug == "inclusion"
    assert case_study.host_lesson_list == [
        "Identified shared challenges in skills matching.",
        "Gained insight into NAV.",
    ]
    assert case_study.participant_lesson_list == [
        "Discovered motivational interviews and ACT guidance.",
        "Improve information flow.",
    ]
    assert case_study.summary == f"{HOST_TEXT['account']}\n\n{SENDING_TEXT['account']}"
    assert "We hope to visit Vestland." in case_study.next_steps
    assert "mapping" in case_study.next_steps


def test_a_new_follow_up_refreshes_the_draft_but_never_a_published_case_study(
    past_exchange, host_coordinator, applicant_coordinator, secretariat
):
    case_study = _both_follow_ups(past_exchange, host_coordinator, applicant_coordinator)
    _follow_up(
        past_exchange,
        past_exchange.host,
        host_coordinator,
        {**HOST_TEXT, "lessons": "A second thought."},
    )
    case_study.refresh_from_db()
    assert case_study.host_lessons == "A second thought."

    services.case_study_publish(case_study=case_study, acting_user=secretariat)
    _follow_up(
        past_exchange,
        past_exchange.host,
        host_coordinator,
        {**HOST_TEXT, "lessons": "A late change."},
    )

    case_study.refresh_from_db()
    assert case_study.status == CaseStudy.Status.PUBLISHED
    assert case_study.host_lessons == "A second thought."


# case_study_publish


def test_a_staff_user_outside_the_secretariat_cannot_publish(
    past_exchange,
    host_coordinator,
    applicant_coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    case_study = _both_follow_ups(past_exchange, host_coordinator, applicant_coordinator)
    staff = UserFactory(is_staff=True)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        services.case_study_publish(case_study=case_study, acting_user=staff)

    case_study.refresh_from_db()
    assert (case_study.status, case_study.published_at) == (CaseStudy.Status.DRAFT, None)
    assert mailoutbox == []


def test_a_coordinator_of_the_exchange_cannot_publish_its_case_study(
    past_exchange, host_coordinator, applicant_coordinator
):
    case_study = _both_follow_ups(past_exchange, host_coordinator, applicant_coordinator)

    with pytest.raises(PermissionDenied):
        services.case_study_publish(case_study=case_study, acting_user=host_coordinator)

    assert not CaseStudy.objects.published().exists()


def test_the_secretariat_publishes_and_both_sides_are_told(
    past_exchange,
    host_coordinator,
    applicant_coordinator,
    secretariat,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    # The Secretariat group's permission comes from partnership.permissions
    # .SECRETARIAT_PERMISSIONS, applied after migrate.
    case_study = _both_follow_ups(past_exchange, host_coordinator, applicant_coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        services.case_study_publish(case_study=case_study, acting_user=secretariat)

    case_study.refresh_from_db()
    assert CaseStudy.objects.published().get() == case_study
    assert case_study.published_by == secretariat
    assert case_study.published_at is not None
    assert _history(past_exchange)[-1] == (ExchangeHistory.Kind.PUBLISHED, secretariat.pk)
    subject = f"Published: the case study “{case_study.title}”"
    assert _sent(mailoutbox) == sorted(
        [(host_coordinator.email, subject), (applicant_coordinator.email, subject)]
    )
    link = reverse("exchanges:case_study_detail", kwargs={"slug": case_study.slug})
    assert all(link in message.body for message in mailoutbox)


def test_a_published_case_study_cannot_be_published_again(
    past_exchange, host_coordinator, applicant_coordinator, secretariat
):
    case_study = _both_follow_ups(past_exchange, host_coordinator, applicant_coordinator)
    services.case_study_publish(case_study=case_study, acting_user=secretariat)

    refusal = _refused(
        lambda: services.case_study_publish(case_study=case_study, acting_user=secretariat)
    )

    assert refusal.messages == ["This case study is already published."]
    assert past_exchange.history.filter(kind=ExchangeHistory.Kind.PUBLISHED).count() == 1


# reciprocal_offer_draft


def test_the_reciprocal_draft_is_an_offer_of_the_sending_organisation_the_other_way_round(
    past_exchange, applicant_coordinator
):
    offer = services.reciprocal_offer_draft(
        exchange=past_exchange, acting_user=applicant_coordinator
    )

    original = past_exchange.application.offer
    assert offer.organisation == past_exchange.sender
    assert (offer.status, offer.created_by) == (Offer.Status.DRAFT, applicant_coordinator)
    assert offer.title == "Reciprocal visit: Reintegrating individuals into education and work"
    assert offer.exchange_type == exchange_type("job-shadowing") == original.exchange_type
    assert set(offer.themes.values_list("slug", flat=True)) == {"neet-re-engagement", "inclusion"}
    assert offer.target_group == original.target_group
    assert offer.duration_days == original.duration_days
    assert past_exchange.host.name in offer.description
    assert (offer.city, offer.region_name) == ("Bergen", "Vestland")
    assert offer.application_deadline < offer.available_from < offer.available_until
    assert offer.available_from >= _days(60)
    assert not Offer.objects.open_for_applications().filter(pk=offer.pk).exists()


def test_the_reciprocal_draft_of_a_suspended_sender_is_refused(
    past_exchange, applicant_org, applicant_coordinator
):
    applicant_org.is_suspended = True
    applicant_org.suspension_reason = "Spam offers."
    applicant_org.save()

    refusal = _refused(
        lambda: services.reciprocal_offer_draft(
            exchange=past_exchange, acting_user=applicant_coordinator
        )
    )

    assert refusal.code == "suspended"
    assert not Offer.objects.filter(organisation=applicant_org).exists()


def test_the_exchange_takes_the_offers_fields_of_education(offer, applicant_org, host_coordinator):
    offer.fields_of_education.set(FieldOfEducation.objects.filter(slug__in=["01", "09"]))
    application = ApplicationFactory(offer=offer, organisation=applicant_org)

    services.application_accept(application=application, acting_user=host_coordinator)

    exchange = Exchange.objects.get(application=application)
    assert sorted(exchange.fields_of_education.values_list("slug", flat=True)) == ["01", "09"]
