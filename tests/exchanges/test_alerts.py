"""Alerts: organisations hear of new offers that fit their interest profiles, once."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges import matching, services
from exchanges.models import Application, Offer, OfferProfileMatch
from matchmaking.models import InterestProfile, OutboxEmail
from tests.factories import (
    ApplicationFactory,
    InterestProfileFactory,
    MembershipFactory,
    OfferFactory,
    OfferProfileMatchFactory,
    OrganisationFactory,
    UserFactory,
    language,
    theme,
)

pytestmark = pytest.mark.django_db

THEMES = ["inclusion", "neet-re-engagement"]


@pytest.fixture
def draft(host_org, host_coordinator):
    """A draft that Vestland's profile fits well: same themes, languages and dates."""
    return OfferFactory(
        organisation=host_org,
        created_by=host_coordinator,
        status=Offer.Status.DRAFT,
        published_at=None,
        title="Job shadowing: the Multicompetent Team",
        themes=[theme(slug) for slug in THEMES],
        languages=[language("en"), language("sv")],
    )


def _profile(organisation, **fields):
    return InterestProfileFactory(
        organisation=organisation,
        name=fields.pop("name", "NEET re-engagement visits"),
        themes=[theme(slug) for slug in THEMES],
        languages=[language("en"), language("sv")],
        **fields,
    )


@pytest.fixture
def vestland_profile(applicant_org, applicant_coordinator):
    return _profile(applicant_org)


def _publish(offer, user, capture):
    with capture(execute=True):
        services.offer_publish(offer=offer, acting_user=user)


def _to(mailoutbox, email):
    return [m for m in mailoutbox if email in m.to]


def test_publishing_an_offer_alerts_the_organisations_it_fits_at_once(
    draft,
    host_coordinator,
    vestland_profile,
    applicant_coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    _publish(draft, host_coordinator, django_capture_on_commit_callbacks)

    [alert] = _to(mailoutbox, applicant_coordinator.email)
    assert alert.subject == (
        "New offer for you: “Job shadowing: the Multicompetent Team” by Borås Stad"
    )
    assert (
        "Borås Stad has published a new offer: “Job shadowing: the Multicompetent Team”"
        in alert.body
    )
    assert "Why it fits your interest profile “NEET re-engagement visits”:" in alert.body
    assert "- Shared themes: Inclusion, NEET re-engagement\n" in alert.body
    assert "- languages: English, Swedish\n" in alert.body
    assert f"http://127.0.0.1:8000{draft.get_absolute_url()}" in alert.body
    profile_url = reverse("exchanges:profile_edit", args=[vestland_profile.pk])
    assert f"Your interest profile: http://127.0.0.1:8000{profile_url}" in alert.body
    html = alert.alternatives[0][0]
    assert "<li>Shared themes: Inclusion, NEET re-engagement</li>" in html
    assert OfferProfileMatch.objects.get(profile=vestland_profile).alerted_at is not None


def test_an_alert_has_a_one_click_unsubscribe_link_for_its_own_profile(
    draft,
    host_coordinator,
    vestland_profile,
    applicant_coordinator,
    client,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    _publish(draft, host_coordinator, django_capture_on_commit_callbacks)
    [alert] = _to(mailoutbox, applicant_coordinator.email)

    url = re.search(r"Unsubscribe from these alerts in one click: (\S+)", alert.body).group(1)
    assert alert.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert alert.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = url.removeprefix("http://127.0.0.1:8000")
    # What a mail client does for RFC 8058: POST without a session or CSRF token.
    response = client.post(path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    vestland_profile.refresh_from_db()
    assert vestland_profile.alert == InterestProfile.Alert.OFF


def test_nobody_is_alerted_twice_about_the_same_offer(
    draft,
    host_coordinator,
    vestland_profile,
    applicant_coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    _publish(draft, host_coordinator, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        matching.score_offer(draft.pk)
        services.offer_update(
            offer=draft,
            acting_user=host_coordinator,
            themes=draft.themes.all(),
            languages=draft.languages.all(),
            title="Job shadowing, new title",
        )

    assert len(_to(mailoutbox, applicant_coordinator.email)) == 1


def test_one_email_per_organisation_for_its_best_fitting_profile(
    draft,
    host_coordinator,
    applicant_org,
    applicant_coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    _profile(applicant_org, name="Second profile", description="Something else entirely.")
    best = _profile(applicant_org, name="Best profile", description=draft.description)

    _publish(draft, host_coordinator, django_capture_on_commit_callbacks)

    [alert] = _to(mailoutbox, applicant_coordinator.email)
    assert "“Best profile”" in alert.body
    assert OfferProfileMatch.objects.filter(alerted_at__isnull=False).count() == 2
    assert best.offer_matches.get().alerted_at is not None


@pytest.mark.parametrize("alert", [InterestProfile.Alert.WEEKLY, InterestProfile.Alert.OFF])
def test_profiles_without_immediate_alerts_get_no_email_on_publication(
    draft,
    host_coordinator,
    applicant_org,
    applicant_coordinator,
    mailoutbox,
    alert,
    django_capture_on_commit_callbacks,
):
    _profile(applicant_org, alert=alert)

    _publish(draft, host_coordinator, django_capture_on_commit_callbacks)

    assert _to(mailoutbox, applicant_coordinator.email) == []
    assert OfferProfileMatch.objects.get().alerted_at is None


def test_a_match_below_the_threshold_is_no_alert(
    draft,
    host_coordinator,
    vestland_profile,
    applicant_coordinator,
    mailoutbox,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.MATCHING_ALERT_THRESHOLD = 0.99

    _publish(draft, host_coordinator, django_capture_on_commit_callbacks)

    assert _to(mailoutbox, applicant_coordinator.email) == []
    assert OfferProfileMatch.objects.filter(profile=vestland_profile).exists()


def test_an_organisation_that_already_applied_is_not_alerted(
    offer,
    vestland_profile,
    applicant_org,
    applicant_coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    ApplicationFactory(offer=offer, organisation=applicant_org)

    with django_capture_on_commit_callbacks(execute=True):
        matching.score_offer(offer.pk)

    assert _to(mailoutbox, applicant_coordinator.email) == []


def test_the_host_is_never_alerted_about_its_own_offer(
    draft, host_org, host_coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    _profile(host_org)

    _publish(draft, host_coordinator, django_capture_on_commit_callbacks)

    assert mailoutbox == []


def test_an_alert_is_written_in_the_recipients_language(
    draft,
    host_coordinator,
    vestland_profile,
    applicant_org,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    norwegian = UserFactory(preferred_language="nb")
    MembershipFactory(user=norwegian, organisation=applicant_org)

    _publish(draft, host_coordinator, django_capture_on_commit_callbacks)

    assert OutboxEmail.objects.get(recipient=norwegian.email).language == "nb"


# Weekly digest


@pytest.fixture
def weekly_profile(applicant_org, applicant_coordinator):
    return _profile(applicant_org, alert=InterestProfile.Alert.WEEKLY, name="Weekly digest")


def _digest(capture, **kwargs):
    with capture(execute=True):
        return matching.send_weekly_digests(**kwargs)


def test_the_weekly_digest_lists_the_weeks_new_matches_with_their_reasons(
    draft,
    host_coordinator,
    weekly_profile,
    applicant_coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    _publish(draft, host_coordinator, django_capture_on_commit_callbacks)
    second = OfferFactory(title="Study visit on inclusion", themes=[theme("inclusion")])
    matching.score_offer(second.pk, alert=False)

    assert _digest(django_capture_on_commit_callbacks) == 1

    [digest] = _to(mailoutbox, applicant_coordinator.email)
    assert digest.subject == "This week: 2 new offers for “Weekly digest”"
    body = digest.body
    assert body.index("* Job shadowing: the Multicompetent Team — Borås Stad") < body.index(
        "* Study visit on inclusion"
    )  # best first
    assert "Why: Shared themes: Inclusion, NEET re-engagement · " in body
    assert (
        "Unsubscribe from this digest in one click: http://127.0.0.1:8000/profiles/unsubscribe/"
        in body
    )
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not OfferProfileMatch.objects.filter(alerted_at__isnull=True).exists()


def test_the_digest_is_sent_once(
    offer, weekly_profile, applicant_coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    matching.score_offer(offer.pk, alert=False)

    _digest(django_capture_on_commit_callbacks)
    assert _digest(django_capture_on_commit_callbacks) == 0

    assert len(_to(mailoutbox, applicant_coordinator.email)) == 1


def test_the_digest_leaves_out_old_closed_and_weak_matches_and_other_profiles(
    offer,
    weekly_profile,
    applicant_org,
    outsider,
    mailoutbox,
    settings,
    django_capture_on_commit_callbacks,
):
    old = OfferFactory(title="Matched two weeks ago")
    closed = OfferFactory(title="Closed since")
    weak = OfferFactory(title="Weak match")
    for each in (offer, old, closed, weak):
        matching.score_offer(each.pk, alert=False)
    OfferProfileMatch.objects.filter(offer=old).update(
        created_at=timezone.now() - datetime.timedelta(days=14)
    )
    OfferProfileMatch.objects.filter(offer=weak).update(score=0.1)
    Offer.objects.filter(pk=closed.pk).update(status=Offer.Status.CLOSED)
    _profile(outsider.organisations.get(), alert=InterestProfile.Alert.IMMEDIATELY)

    assert _digest(django_capture_on_commit_callbacks) == 1

    [digest] = mailoutbox
    assert digest.subject == "This week: 1 new offer for “Weekly digest”"
    assert offer.title in digest.body
    for title in ("Matched two weeks ago", "Closed since", "Weak match"):
        assert title not in digest.body


def test_an_offer_fitting_two_weekly_profiles_is_listed_once(
    offer,
    weekly_profile,
    applicant_org,
    applicant_coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    _profile(applicant_org, alert=InterestProfile.Alert.WEEKLY, name="Another weekly profile")
    matching.score_offer(offer.pk, alert=False)

    assert _digest(django_capture_on_commit_callbacks) == 1

    assert len(_to(mailoutbox, applicant_coordinator.email)) == 1


def test_the_digest_skips_offers_the_organisation_applied_to(
    offer, weekly_profile, applicant_org, mailoutbox, django_capture_on_commit_callbacks
):
    matching.score_offer(offer.pk, alert=False)
    ApplicationFactory(offer=offer, organisation=applicant_org, status=Application.Status.SUBMITTED)

    assert _digest(django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


# Alerts and digests beyond the stored top K: what the run keeps for them


def _crowd_out(profile, settings):
    """A top K of 1, and the profile's one place taken by a better offer."""
    settings.MATCHING_TOP_K = 1
    OfferProfileMatchFactory(profile=profile, score=0.99)


def test_an_organisation_beyond_the_top_k_is_alerted_once_and_its_match_kept(
    draft,
    host_coordinator,
    vestland_profile,
    applicant_coordinator,
    mailoutbox,
    settings,
    django_capture_on_commit_callbacks,
):
    better = _profile(OrganisationFactory(), name="Fits better", description=draft.description)
    _crowd_out(vestland_profile, settings)

    _publish(draft, host_coordinator, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        matching.score_offer(draft.pk)  # an edit: scored again, with alerts

    # Neither the offer's top 1 (better is) nor in the profile's own top 1: kept as told.
    assert len(_to(mailoutbox, applicant_coordinator.email)) == 1
    told = OfferProfileMatch.objects.get(offer=draft, profile=vestland_profile)
    assert told.alerted_at is not None
    assert OfferProfileMatch.objects.get(offer=draft, profile=better).alerted_at is not None


def test_a_weekly_profile_beyond_the_top_k_gets_its_digest(
    offer,
    weekly_profile,
    applicant_coordinator,
    mailoutbox,
    settings,
    django_capture_on_commit_callbacks,
):
    _profile(OrganisationFactory(), name="Fits better", description=offer.description)
    _crowd_out(weekly_profile, settings)
    matching.score_offer(offer.pk, alert=False)

    assert _digest(django_capture_on_commit_callbacks) == 1
    [digest] = _to(mailoutbox, applicant_coordinator.email)
    assert offer.title in digest.body
    assert "Why: Shared theme: Inclusion · " in digest.body


def test_an_immediate_profile_beyond_the_top_k_is_not_kept_without_an_alert(
    offer, vestland_profile, settings
):
    _profile(OrganisationFactory(), name="Fits better", description=offer.description)
    _crowd_out(vestland_profile, settings)

    matching.score_offer(offer.pk, alert=False)  # e.g. after an application is accepted

    assert not OfferProfileMatch.objects.filter(offer=offer, profile=vestland_profile).exists()
