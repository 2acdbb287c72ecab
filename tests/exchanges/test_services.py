import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test.signals import template_rendered
from django.utils import timezone, translation

from exchanges import services
from exchanges.models import Application, Offer
from matchmaking.models import Membership
from tests.factories import (
    ApplicationFactory,
    MembershipFactory,
    OfferFactory,
    UserFactory,
    exchange_type,
    language,
    theme,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _days(n):
    return TODAY() + datetime.timedelta(days=n)


def _suspend(organisation):
    organisation.is_suspended = True
    organisation.suspension_reason = "Spam offers."
    organisation.save()


def _recipients(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


# Offers


def _offer_fields(**overrides):
    return {
        "title": "Study visit: guidance for NEETs in Borås",
        "exchange_type": exchange_type("study-visit"),
        "target_group": Offer.TargetGroup.STAFF,
        "description": "Two days with our guidance counsellors.",
        "city": "Borås",
        "region_name": "Västra Götaland",
        "available_from": _days(30),
        "available_until": _days(40),
        "duration_days": Decimal("1.5"),
        "capacity": 4,
        "application_deadline": _days(20),
        **overrides,
    }


def test_it_creates_an_offer_as_a_draft_with_its_themes_and_languages(host_org, host_coordinator):
    offer = services.offer_create(
        organisation=host_org,
        acting_user=host_coordinator,
        themes=[theme("inclusion"), theme("neet-re-engagement")],
        languages=[language("en"), language("sv")],
        **_offer_fields(),
    )

    offer.refresh_from_db()
    assert (offer.status, offer.published_at, offer.created_by) == (
        Offer.Status.DRAFT,
        None,
        host_coordinator,
    )
    assert offer.duration_days == Decimal("1.5")
    assert set(offer.themes.values_list("slug", flat=True)) == {"inclusion", "neet-re-engagement"}
    assert set(offer.languages.values_list("code", flat=True)) == {"en", "sv"}


def test_it_refuses_an_offer_whose_window_ends_before_it_starts(host_org, host_coordinator):
    with pytest.raises(ValidationError) as refusal:
        services.offer_create(
            organisation=host_org,
            acting_user=host_coordinator,
            themes=[],
            languages=[],
            **_offer_fields(available_from=_days(40), available_until=_days(30)),
        )

    assert "available_until" in refusal.value.message_dict
    assert not Offer.objects.exists()


def test_it_refuses_an_offer_whose_deadline_is_after_its_window(host_org, host_coordinator):
    with pytest.raises(ValidationError) as refusal:
        services.offer_create(
            organisation=host_org,
            acting_user=host_coordinator,
            themes=[],
            languages=[],
            **_offer_fields(application_deadline=_days(41)),
        )

    assert "application_deadline" in refusal.value.message_dict
    assert not Offer.objects.exists()


def test_it_refuses_support_for_fewer_opportunities_without_saying_what(host_org, host_coordinator):
    with pytest.raises(ValidationError) as refusal:
        services.offer_create(
            organisation=host_org,
            acting_user=host_coordinator,
            themes=[],
            languages=[],
            **_offer_fields(supports_fewer_opportunities=True, fewer_opportunities_support=" "),
        )

    assert "fewer_opportunities_support" in refusal.value.message_dict


def test_it_refuses_an_offer_from_a_suspended_organisation(host_org, host_coordinator):
    _suspend(host_org)

    with pytest.raises(ValidationError) as refusal:
        services.offer_create(
            organisation=host_org,
            acting_user=host_coordinator,
            themes=[],
            languages=[],
            **_offer_fields(),
        )

    assert refusal.value.code == "suspended"
    assert not Offer.objects.exists()


def test_it_updates_an_offer(offer, host_coordinator):
    services.offer_update(
        offer=offer,
        acting_user=host_coordinator,
        themes=[theme("digital-skills")],
        languages=[language("sv")],
        title="Job shadowing, autumn round",
        capacity=5,
    )

    offer.refresh_from_db()
    assert (offer.title, offer.capacity) == ("Job shadowing, autumn round", 5)
    assert list(offer.themes.values_list("slug", flat=True)) == ["digital-skills"]
    assert list(offer.languages.values_list("code", flat=True)) == ["sv"]


def test_it_refuses_to_update_an_offer_of_a_suspended_organisation(offer, host_coordinator):
    _suspend(offer.organisation)

    with pytest.raises(ValidationError) as refusal:
        services.offer_update(
            offer=offer, acting_user=host_coordinator, themes=[], languages=[], title="Changed"
        )

    assert refusal.value.code == "suspended"
    offer.refresh_from_db()
    assert offer.title != "Changed"


def test_it_publishes_a_draft(host_org, host_coordinator):
    draft = OfferFactory(organisation=host_org, status=Offer.Status.DRAFT, published_at=None)

    services.offer_publish(offer=draft, acting_user=host_coordinator)

    draft.refresh_from_db()
    assert draft.status == Offer.Status.PUBLISHED
    assert draft.published_at is not None
    assert Offer.objects.open_for_applications().filter(pk=draft.pk).exists()


def test_it_republishes_a_closed_offer_keeping_its_first_publication_date(offer, host_coordinator):
    first_published = offer.published_at
    services.offer_close(offer=offer, acting_user=host_coordinator)

    services.offer_publish(offer=offer, acting_user=host_coordinator)

    offer.refresh_from_db()
    assert (offer.status, offer.published_at) == (Offer.Status.PUBLISHED, first_published)


@pytest.mark.parametrize("status", [Offer.Status.PUBLISHED, Offer.Status.ARCHIVED])
def test_it_refuses_to_publish_an_offer_that_is_not_a_draft_or_closed(
    host_org, host_coordinator, status
):
    offer = OfferFactory(organisation=host_org, status=status)

    with pytest.raises(ValidationError) as refusal:
        services.offer_publish(offer=offer, acting_user=host_coordinator)

    assert refusal.value.code == "state"
    offer.refresh_from_db()
    assert offer.status == status


def test_it_refuses_to_publish_an_offer_whose_deadline_has_passed(host_org, host_coordinator):
    draft = OfferFactory(
        organisation=host_org, status=Offer.Status.DRAFT, application_deadline=_days(-1)
    )

    with pytest.raises(ValidationError) as refusal:
        services.offer_publish(offer=draft, acting_user=host_coordinator)

    assert refusal.value.code == "deadline"
    draft.refresh_from_db()
    assert draft.status == Offer.Status.DRAFT


def test_it_refuses_to_publish_for_a_suspended_organisation(host_org, host_coordinator):
    draft = OfferFactory(organisation=host_org, status=Offer.Status.DRAFT)
    _suspend(host_org)

    with pytest.raises(ValidationError) as refusal:
        services.offer_publish(offer=draft, acting_user=host_coordinator)

    assert refusal.value.code == "suspended"
    draft.refresh_from_db()
    assert draft.status == Offer.Status.DRAFT


def test_it_closes_a_published_offer(offer, host_coordinator):
    services.offer_close(offer=offer, acting_user=host_coordinator)

    offer.refresh_from_db()
    assert offer.status == Offer.Status.CLOSED
    assert not Offer.objects.visible_in_catalogue().filter(pk=offer.pk).exists()


@pytest.mark.parametrize("status", [Offer.Status.DRAFT, Offer.Status.CLOSED, Offer.Status.ARCHIVED])
def test_it_refuses_to_close_an_offer_that_is_not_published(host_org, host_coordinator, status):
    offer = OfferFactory(organisation=host_org, status=status)

    with pytest.raises(ValidationError) as refusal:
        services.offer_close(offer=offer, acting_user=host_coordinator)

    assert refusal.value.code == "state"
    offer.refresh_from_db()
    assert offer.status == status


@pytest.mark.parametrize("status", [Offer.Status.DRAFT, Offer.Status.CLOSED])
def test_it_archives_a_draft_or_closed_offer(host_org, host_coordinator, status):
    offer = OfferFactory(organisation=host_org, status=status)

    services.offer_archive(offer=offer, acting_user=host_coordinator)

    offer.refresh_from_db()
    assert offer.status == Offer.Status.ARCHIVED


def test_it_refuses_to_archive_a_published_offer(offer, host_coordinator):
    with pytest.raises(ValidationError) as refusal:
        services.offer_archive(offer=offer, acting_user=host_coordinator)

    assert refusal.value.code == "state"
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PUBLISHED


def test_it_duplicates_an_offer_as_a_new_draft(host_org, host_coordinator, host_admin):
    original = OfferFactory(
        organisation=host_org,
        title="Job shadowing in Borås",
        capacity=5,
        themes=[theme("inclusion"), theme("guidance-counselling")],
        languages=[language("en"), language("sv")],
    )

    copy = services.offer_duplicate(offer=original, acting_user=host_admin)

    copy.refresh_from_db()
    assert copy.pk != original.pk
    assert (copy.organisation, copy.created_by, copy.status, copy.published_at) == (
        host_org,
        host_admin,
        Offer.Status.DRAFT,
        None,
    )
    assert copy.title == "Job shadowing in Borås (copy)"
    assert (copy.capacity, copy.description, copy.available_from) == (
        5,
        original.description,
        original.available_from,
    )
    assert set(copy.themes.all()) == set(original.themes.all())
    assert set(copy.languages.all()) == set(original.languages.all())
    original.refresh_from_db()
    assert (original.title, original.status) == ("Job shadowing in Borås", Offer.Status.PUBLISHED)


def test_it_refuses_to_duplicate_for_a_suspended_organisation(offer, host_coordinator):
    _suspend(offer.organisation)

    with pytest.raises(ValidationError) as refusal:
        services.offer_duplicate(offer=offer, acting_user=host_coordinator)

    assert refusal.value.code == "suspended"
    assert Offer.objects.count() == 1


# Submitting an application


def _application_fields(offer, **overrides):
    return {
        "motivation": "We re-engage young people who left school early.",
        "participants": 2,
        "fewer_opportunity_participants": 1,
        "participant_roles": "Two advisors in education.",
        "preferred_start": offer.available_from,
        "preferred_end": offer.available_from + datetime.timedelta(days=1),
        **overrides,
    }


def _submit(offer, organisation, user, **overrides):
    return services.application_submit(
        offer=offer,
        organisation=organisation,
        acting_user=user,
        languages=[language("en"), language("no")],
        **_application_fields(offer, **overrides),
    )


def test_it_submits_an_application_and_records_who_submitted_it(
    offer, applicant_org, applicant_coordinator
):
    application = _submit(offer, applicant_org, applicant_coordinator)

    application.refresh_from_db()
    assert (application.status, application.submitted_by, application.participants) == (
        Application.Status.SUBMITTED,
        applicant_coordinator,
        2,
    )
    assert set(application.languages.values_list("code", flat=True)) == {"en", "no"}
    assert list(application.history.values_list("kind", "actor", "note")) == [
        (Application.Status.SUBMITTED, applicant_coordinator.pk, "")
    ]


def test_it_tells_the_hosts_people_about_a_new_application(
    offer,
    host_admin,
    host_coordinator,
    applicant_org,
    applicant_coordinator,
    outsider,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        _submit(offer, applicant_org, applicant_coordinator)

    assert _recipients(mailoutbox) == sorted([host_admin.email, host_coordinator.email])


def _assert_refused(refusal_code, call, mailoutbox, capture):
    with capture(execute=True) as callbacks, pytest.raises(ValidationError) as refusal:
        call()
    assert refusal.value.code == refusal_code
    assert not Application.objects.exists()
    assert callbacks == []
    assert mailoutbox == []


def test_it_refuses_an_application_to_ones_own_offer(
    offer, host_org, host_coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    _assert_refused(
        "own_offer",
        lambda: _submit(offer, host_org, host_coordinator),
        mailoutbox,
        django_capture_on_commit_callbacks,
    )


@pytest.mark.parametrize(
    "change",
    [
        {"status": Offer.Status.DRAFT},
        {"status": Offer.Status.CLOSED},
        {"status": Offer.Status.ARCHIVED},
        {"application_deadline": _days(-1)},
    ],
    ids=["draft", "closed", "archived", "past-deadline"],
)
def test_it_refuses_an_application_to_an_offer_that_is_not_open(
    host_org,
    applicant_org,
    applicant_coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
    change,
):
    offer = OfferFactory(organisation=host_org, **change)

    _assert_refused(
        "closed",
        lambda: _submit(offer, applicant_org, applicant_coordinator),
        mailoutbox,
        django_capture_on_commit_callbacks,
    )


def test_it_accepts_an_application_on_the_deadline_day(
    host_org, applicant_org, applicant_coordinator
):
    offer = OfferFactory(organisation=host_org, application_deadline=TODAY())

    assert _submit(offer, applicant_org, applicant_coordinator).pk is not None


def test_it_refuses_an_application_to_an_offer_of_a_suspended_host(
    offer, applicant_org, applicant_coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    _suspend(offer.organisation)

    _assert_refused(
        "closed",
        lambda: _submit(offer, applicant_org, applicant_coordinator),
        mailoutbox,
        django_capture_on_commit_callbacks,
    )


def test_it_refuses_an_application_from_a_suspended_organisation(
    offer, applicant_org, applicant_coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    _suspend(applicant_org)

    _assert_refused(
        "suspended",
        lambda: _submit(offer, applicant_org, applicant_coordinator),
        mailoutbox,
        django_capture_on_commit_callbacks,
    )


def test_it_refuses_a_second_application_from_the_same_organisation(
    offer, applicant_org, applicant_coordinator
):
    first = _submit(offer, applicant_org, applicant_coordinator)

    with pytest.raises(ValidationError) as refusal:
        _submit(offer, applicant_org, applicant_coordinator)

    assert refusal.value.code == "duplicate"
    assert Application.objects.get() == first


def _day(offer, n):
    return offer.available_from + datetime.timedelta(days=n)


# The offer's window runs from available_from for 30 days; it has 3 places.
INCONSISTENT_DETAILS = {
    "over-capacity": (lambda o: {"participants": 4}, "participants"),
    "fewer-opportunities-above-participants": (
        lambda o: {"participants": 2, "fewer_opportunity_participants": 3},
        "fewer_opportunity_participants",
    ),
    "starts-before-window": (lambda o: {"preferred_start": _day(o, -1)}, "preferred_start"),
    "ends-after-window": (lambda o: {"preferred_end": _day(o, 31)}, "preferred_start"),
    "ends-before-it-starts": (
        lambda o: {"preferred_start": _day(o, 5), "preferred_end": _day(o, 4)},
        "preferred_end",
    ),
}


@pytest.mark.parametrize("case", INCONSISTENT_DETAILS)
def test_it_refuses_an_application_with_inconsistent_details(
    offer,
    applicant_org,
    applicant_coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
    case,
):
    overrides, field = INCONSISTENT_DETAILS[case]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ValidationError) as refusal:
            _submit(offer, applicant_org, applicant_coordinator, **overrides(offer))

    assert field in refusal.value.message_dict
    assert not Application.objects.exists()
    assert callbacks == []
    assert mailoutbox == []


# Deciding on an application


@pytest.fixture
def application(offer, applicant_org, applicant_coordinator):
    return _submit(offer, applicant_org, applicant_coordinator)


@pytest.fixture
def applicant_admin(applicant_org):
    return MembershipFactory(organisation=applicant_org, role=Membership.Role.ADMIN).user


HOST_DECISIONS = {
    "shortlist": (services.application_shortlist, Application.Status.SHORTLISTED),
    "accept": (services.application_accept, Application.Status.ACCEPTED),
    "decline": (services.application_decline, Application.Status.DECLINED),
}


@pytest.mark.parametrize("decision", HOST_DECISIONS)
def test_the_host_decides_and_the_applicants_people_are_told(
    application,
    host_coordinator,
    applicant_coordinator,
    applicant_admin,
    host_admin,
    mailoutbox,
    django_capture_on_commit_callbacks,
    decision,
):
    service, status = HOST_DECISIONS[decision]

    with django_capture_on_commit_callbacks(execute=True):
        service(application=application, acting_user=host_coordinator, message="Welcome!")

    application.refresh_from_db()
    assert application.status == status
    assert list(application.history.values_list("kind", "actor", "note")) == [
        (Application.Status.SUBMITTED, applicant_coordinator.pk, ""),
        (status, host_coordinator.pk, "Welcome!"),
    ]
    assert _recipients(mailoutbox) == sorted([applicant_admin.email, applicant_coordinator.email])


@pytest.mark.parametrize("start", [Application.Status.SUBMITTED, Application.Status.SHORTLISTED])
def test_the_applicant_withdraws_an_undecided_application_and_the_host_is_told(
    application,
    host_coordinator,
    host_admin,
    applicant_coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
    start,
):
    if start == Application.Status.SHORTLISTED:
        services.application_shortlist(application=application, acting_user=host_coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        services.application_withdraw(
            application=application, acting_user=applicant_coordinator, message="Budget cut."
        )

    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert application.history.last().kind == Application.Status.WITHDRAWN
    assert (application.history.last().actor, application.history.last().note) == (
        applicant_coordinator,
        "Budget cut.",
    )
    assert _recipients(mailoutbox) == sorted([host_admin.email, host_coordinator.email])


def test_it_accepts_a_shortlisted_application(application, host_coordinator):
    services.application_shortlist(application=application, acting_user=host_coordinator)

    services.application_accept(application=application, acting_user=host_coordinator)

    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED
    assert list(application.history.values_list("kind", flat=True)) == [
        Application.Status.SUBMITTED,
        Application.Status.SHORTLISTED,
        Application.Status.ACCEPTED,
    ]


ALL_CHANGES = {
    "shortlist": services.application_shortlist,
    "accept": services.application_accept,
    "decline": services.application_decline,
    "withdraw": services.application_withdraw,
}


@pytest.mark.parametrize(
    "decided",
    [Application.Status.ACCEPTED, Application.Status.DECLINED, Application.Status.WITHDRAWN],
)
@pytest.mark.parametrize("change", ALL_CHANGES)
def test_it_refuses_to_change_a_decided_application(
    application, host_coordinator, mailoutbox, django_capture_on_commit_callbacks, decided, change
):
    Application.objects.filter(pk=application.pk).update(status=decided)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ValidationError) as refusal:
            ALL_CHANGES[change](application=application, acting_user=host_coordinator)

    assert refusal.value.code == "state"
    application.refresh_from_db()
    assert application.status == decided
    assert application.history.count() == 1
    assert callbacks == []
    assert mailoutbox == []


def test_it_refuses_to_shortlist_twice(application, host_coordinator):
    services.application_shortlist(application=application, acting_user=host_coordinator)

    with pytest.raises(ValidationError) as refusal:
        services.application_shortlist(application=application, acting_user=host_coordinator)

    assert refusal.value.code == "state"
    assert application.history.count() == 2


def test_it_refuses_to_accept_more_participants_than_places_left(host_org, host_coordinator):
    offer = OfferFactory(organisation=host_org, capacity=3)
    first = ApplicationFactory(offer=offer, participants=2)
    second = ApplicationFactory(offer=offer, participants=2)
    third = ApplicationFactory(offer=offer, participants=1)
    services.application_accept(application=first, acting_user=host_coordinator)

    with pytest.raises(ValidationError) as refusal:
        services.application_accept(application=second, acting_user=host_coordinator)
    services.application_accept(application=third, acting_user=host_coordinator)

    assert refusal.value.code == "capacity"
    assert "1 of 3" in refusal.value.messages[0]
    assert services.capacity_left(offer) == 0
    assert set(offer.applications.filter(status="accepted")) == {first, third}
    second.refresh_from_db()
    assert second.status == Application.Status.SUBMITTED


def test_it_does_not_count_declined_or_withdrawn_applications_against_capacity(
    host_org, host_coordinator
):
    offer = OfferFactory(organisation=host_org, capacity=3)
    ApplicationFactory(offer=offer, participants=3, status=Application.Status.DECLINED)
    ApplicationFactory(offer=offer, participants=3, status=Application.Status.WITHDRAWN)
    waiting = ApplicationFactory(offer=offer, participants=3)

    services.application_accept(application=waiting, acting_user=host_coordinator)

    assert services.capacity_left(offer) == 0


# Languages of the emails


@pytest.fixture
def email_languages():
    """(template, recipient's address, active language) of every email template rendered."""
    rendered = []

    def record(sender, template, context, **kwargs):
        if template.name and template.name.startswith("emails/"):
            recipient = context.get("recipient")
            rendered.append((template.name, recipient.email, translation.get_language()))

    template_rendered.connect(record)
    yield rendered
    template_rendered.disconnect(record)


def test_each_email_is_rendered_in_the_recipients_preferred_language(
    offer,
    host_org,
    host_coordinator,
    applicant_org,
    applicant_coordinator,
    email_languages,
    django_capture_on_commit_callbacks,
):
    swede = MembershipFactory(organisation=host_org, user=UserFactory(preferred_language="sv")).user
    catalan = MembershipFactory(
        organisation=host_org, user=UserFactory(preferred_language="ca")
    ).user

    with django_capture_on_commit_callbacks(execute=True):
        _submit(offer, applicant_org, applicant_coordinator)

    languages = {(email, language) for _name, email, language in email_languages}
    assert languages == {(host_coordinator.email, "en"), (swede.email, "sv"), (catalan.email, "ca")}
    assert {
        "emails/application_received/subject.txt",
        "emails/application_received/body.txt",
        "emails/application_received/body.html",
    } <= {name for name, _email, _language in email_languages}
