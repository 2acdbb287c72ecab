"""The secretariat's review in the admin: exchanges with their counts and history, follow-ups
with their quotes, and case studies it edits and publishes."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from exchanges import services
from exchanges.models import CaseStudy, ExchangeHistory, FollowUpSide, Quote
from matchmaking.models import FewerOpportunityCategory
from tests.factories import (
    ApplicationFactory,
    CaseStudyFactory,
    ExchangeFactory,
    FollowUpFactory,
    OrganisationFactory,
    QuoteFactory,
    UserFactory,
)
from tests.pages import text

pytestmark = pytest.mark.django_db

CASE_STUDIES_URL = reverse("admin:exchanges_casestudy_changelist")
EXCHANGES_URL = reverse("admin:exchanges_exchange_changelist")


def _select(action, *objects):
    return {"action": action, "_selected_action": [obj.pk for obj in objects]}


@pytest.fixture
def exchange(offer, applicant_org, host_coordinator, applicant_coordinator):
    """The exchange that accepting Vestland's application created, with a count by category."""
    application = ApplicationFactory(
        offer=offer, organisation=applicant_org, participants=2, fewer_opportunity_participants=1
    )
    services.application_accept(application=application, acting_user=host_coordinator)
    exchange = application.exchange
    services.exchange_update(
        exchange=exchange,
        acting_user=applicant_coordinator,
        counts={FewerOpportunityCategory.objects.get(slug="social-barriers"): 1},
    )
    return exchange


@pytest.fixture
def case_study(exchange):
    return CaseStudyFactory(exchange=exchange, title="Job shadowing in Borås")


@pytest.fixture
def staff_without_publishing(db):
    """Staff who may view and edit case studies but not publish them."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="exchanges", codename__in=["view_casestudy", "change_casestudy"]
        )
    )
    return user


# Publishing


def test_the_secretariat_publishes_a_case_study_and_both_sides_are_told(
    login,
    case_study,
    secretariat,
    host_coordinator,
    applicant_coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client = login(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CASE_STUDIES_URL, _select("publish", case_study), follow=True)

    assert "1 case study published; both organisations have been told." in text(response)
    case_study.refresh_from_db()
    assert case_study.status == CaseStudy.Status.PUBLISHED
    assert case_study.published_by == secretariat
    assert timezone.now() - case_study.published_at < datetime.timedelta(minutes=1)
    event = case_study.exchange.history.get(kind=ExchangeHistory.Kind.PUBLISHED)
    assert event.actor == secretariat
    assert sorted(address for message in mailoutbox for address in message.to) == sorted(
        [host_coordinator.email, applicant_coordinator.email]
    )
    assert {message.subject for message in mailoutbox} == {
        "Published: the case study “Job shadowing in Borås”"
    }
    assert case_study.get_absolute_url() in mailoutbox[0].body


def test_publishing_says_which_case_studies_were_refused_and_why(login, secretariat):
    already = CaseStudyFactory(title="Already out", status=CaseStudy.Status.PUBLISHED)
    draft = CaseStudyFactory(title="Ready")

    response = login(secretariat).post(
        CASE_STUDIES_URL, _select("publish", already, draft), follow=True
    )

    page = text(response)
    assert "“Already out” was not published: This case study is already published." in page
    assert "1 case study published" in page
    draft.refresh_from_db()
    assert draft.status == CaseStudy.Status.PUBLISHED


def test_staff_without_the_publish_permission_are_not_offered_the_action(
    login, case_study, staff_without_publishing
):
    response = login(staff_without_publishing).get(CASE_STUDIES_URL)

    assert response.status_code == 200
    assert "Job shadowing in Borås" in text(response)
    assert "Publish the selected case studies" not in text(response)


def test_staff_without_the_publish_permission_cannot_publish(
    login, case_study, staff_without_publishing, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(staff_without_publishing).post(
            CASE_STUDIES_URL, _select("publish", case_study), follow=True
        )

    # The action is not theirs: the post is ignored and the list shown again.
    assert response.status_code == 200
    assert "case study published" not in text(response)
    case_study.refresh_from_db()
    assert (case_study.status, case_study.published_at) == (CaseStudy.Status.DRAFT, None)
    assert not case_study.exchange.history.filter(kind=ExchangeHistory.Kind.PUBLISHED).exists()
    assert mailoutbox == []


# Reviewing and editing


def test_the_secretariat_filters_case_studies_by_status(login, secretariat):
    CaseStudyFactory(title="Out already", status=CaseStudy.Status.PUBLISHED)
    CaseStudyFactory(title="In review")

    response = login(secretariat).get(CASE_STUDIES_URL, {"status__exact": "draft"})

    assert "In review" in text(response)
    assert "Out already" not in text(response)


def test_the_secretariat_edits_a_draft_before_publishing_it(login, case_study, secretariat):
    url = reverse("admin:exchanges_casestudy_change", args=[case_study.pk])
    client = login(secretariat)
    form = client.get(url)

    response = client.post(
        url,
        {
            "title": "Job Shadowing: reintegrating individuals into education and work",
            "slug": "boras-vestland",
            "theme": "",
            "summary": "A better summary.",
            "host_lessons": "One lesson.",
            "participant_lessons": "Another lesson.",
            "next_steps": "",
        },
    )

    assert form.status_code == 200
    assert response.status_code == 302
    case_study.refresh_from_db()
    assert case_study.title == "Job Shadowing: reintegrating individuals into education and work"
    assert case_study.slug == "boras-vestland"
    assert case_study.status == CaseStudy.Status.DRAFT  # only the action publishes


def test_the_secretariat_sees_an_exchange_with_its_counts_and_history(login, exchange, secretariat):
    client = login(secretariat)

    listing = client.get(EXCHANGES_URL, {"status__exact": "planned"})
    detail = client.get(reverse("admin:exchanges_exchange_change", args=[exchange.pk]))

    assert "Job shadowing of guidance counsellors in Borås" in text(listing)
    assert "Borås Stad" in text(listing) and "Vestland fylkeskommune" in text(listing)
    assert detail.status_code == 200
    assert "Social barriers" in text(detail)
    assert "Planned" in text(detail) and "Edited" in text(detail)


def test_the_exchange_list_filters_by_host_country(login, exchange, secretariat):
    elsewhere = ExchangeFactory(application__offer__organisation=OrganisationFactory(country="ES"))

    response = login(secretariat).get(EXCHANGES_URL, {"host__country__exact": "ES"})

    assert elsewhere.application.offer.title in text(response)
    assert "Job shadowing of guidance counsellors in Borås" not in text(response)


def test_a_quote_made_public_without_consent_in_the_admin_is_refused(login, exchange, secretariat):
    follow_up = FollowUpFactory(exchange=exchange, side=FollowUpSide.SENDING)
    quote = QuoteFactory(follow_up=follow_up, consent=False, public=False)
    url = reverse("admin:exchanges_followup_change", args=[follow_up.pk])
    data = {
        "account": follow_up.account,
        "lessons": follow_up.lessons,
        "next_steps": "",
        "quotes-TOTAL_FORMS": "1",
        "quotes-INITIAL_FORMS": "1",
        "quotes-MIN_NUM_FORMS": "0",
        "quotes-MAX_NUM_FORMS": "1000",
        "quotes-0-id": str(quote.pk),
        "quotes-0-follow_up": str(follow_up.pk),
        "quotes-0-person_name": quote.person_name,
        "quotes-0-role": quote.role,
        "quotes-0-organisation_name": quote.organisation_name,
        "quotes-0-text": quote.text,
        "quotes-0-public": "on",
    }

    response = login(secretariat).post(url, data)

    assert response.status_code == 200
    assert "A quote can only be published with the person&#x27;s consent." in (
        response.content.decode()
    )
    quote.refresh_from_db()
    assert quote.public is False
    assert Quote.objects.count() == 1
