"""Pages that show matches: recommendations, ranked applications, interested organisations,
and inviting an organisation to apply."""

import re

import pytest
from django.urls import reverse

from exchanges import matching
from exchanges.models import Application, Offer, OfferInvitation
from tests.factories import (
    ApplicationFactory,
    InterestProfileFactory,
    OfferFactory,
    OfferProfileMatchFactory,
    OrganisationFactory,
    UserFactory,
    language,
    theme,
)
from tests.pages import heading, login_url, text

pytestmark = pytest.mark.django_db

RECOMMENDATIONS_URL = reverse("exchanges:recommendations")


def _url(name, obj):
    return reverse(f"exchanges:{name}", args=[obj.pk])


def _titles(response):
    return re.findall(
        r'<h2 id="offer-\d+-title"[^>]*><a href="[^"]*">(.*?)</a></h2>', response.content.decode()
    )


@pytest.fixture
def profile(applicant_org, applicant_coordinator):
    return InterestProfileFactory(
        organisation=applicant_org,
        name="NEET re-engagement visits",
        themes=[theme("inclusion"), theme("neet-re-engagement")],
        languages=[language("en"), language("sv")],
    )


# recommendations


def test_it_recommends_open_offers_with_the_reasons_in_words(
    login, offer, profile, applicant_coordinator
):
    offer.themes.set([theme("inclusion"), theme("neet-re-engagement")])
    offer.languages.set([language("en"), language("sv")])
    matching.score_offer(offer.pk, alert=False)

    response = login(applicant_coordinator).get(RECOMMENDATIONS_URL)

    page = text(response)
    assert heading(response) == "Recommended for you"
    assert _titles(response) == ["Job shadowing of guidance counsellors in Borås"]
    assert "Why: Shared themes: Inclusion, NEET re-engagement · languages: English, Swedish" in page
    assert "Fits your profile “NEET re-engagement visits”" in page


def test_it_ranks_offers_by_their_best_match_across_the_organisations_profiles(
    login, applicant_org, profile, applicant_coordinator
):
    second_profile = InterestProfileFactory(organisation=applicant_org, name="Second")
    good, better, best = (OfferFactory(title=title) for title in ("Good", "Better", "Best"))
    OfferProfileMatchFactory(offer=good, profile=profile, score=0.4)
    OfferProfileMatchFactory(offer=better, profile=profile, score=0.5)
    OfferProfileMatchFactory(offer=better, profile=second_profile, score=0.3)
    OfferProfileMatchFactory(offer=best, profile=second_profile, score=0.9)

    response = login(applicant_coordinator).get(RECOMMENDATIONS_URL)

    assert _titles(response) == ["Best", "Better", "Good"]
    assert "fit 90 %" in text(response).replace("\u00a0", " ")


def test_it_leaves_out_closed_own_and_applied_offers(
    login, applicant_org, profile, applicant_coordinator
):
    for title, kwargs in [
        ("Closed", {"status": Offer.Status.CLOSED}),
        ("Our own", {"organisation": applicant_org}),
        ("Applied", {}),
        ("Open", {}),
    ]:
        OfferProfileMatchFactory(offer=OfferFactory(title=title, **kwargs), profile=profile)
    ApplicationFactory(offer=Offer.objects.get(title="Applied"), organisation=applicant_org)

    response = login(applicant_coordinator).get(RECOMMENDATIONS_URL)

    assert _titles(response) == ["Open"]


def test_an_organisation_never_sees_another_organisations_matches(login, offer, profile, outsider):
    OfferProfileMatchFactory(offer=offer, profile=profile)

    response = login(outsider).get(RECOMMENDATIONS_URL)

    assert _titles(response) == []
    assert "NEET re-engagement visits" not in text(response)
    assert "Create an interest profile" in text(response)


def test_it_says_so_when_no_offer_fits_yet(login, profile, applicant_coordinator):
    response = login(applicant_coordinator).get(RECOMMENDATIONS_URL)

    assert "No open offer fits your profiles yet." in text(response)


def test_a_user_without_an_organisation_is_asked_to_create_one(login):
    response = login(UserFactory()).get(RECOMMENDATIONS_URL)

    assert "Offers are recommended to an organisation." in text(response)


def test_recommendations_need_a_signed_in_user_and_a_get(client, login, applicant_coordinator):
    assert client.get(RECOMMENDATIONS_URL).url == login_url(RECOMMENDATIONS_URL)
    assert login(applicant_coordinator).post(RECOMMENDATIONS_URL).status_code == 405


# Session, user, active organisation; the best score per offer, their matches; the themes
# and languages of their offers and profiles (the reasons are worked out from them, since a
# stored match keeps only its components); has profiles; the weights in use (once, for how
# every fit adds up).
RECOMMENDATION_QUERIES = 11


@pytest.mark.parametrize("count", [1, 7])
def test_recommendations_run_the_same_queries_for_any_number_of_offers(
    login, profile, applicant_coordinator, django_assert_num_queries, count
):
    for _ in range(count):
        OfferProfileMatchFactory(offer=OfferFactory(), profile=profile)
    client = login(applicant_coordinator)

    with django_assert_num_queries(RECOMMENDATION_QUERIES):
        response = client.get(RECOMMENDATIONS_URL)

    assert len(_titles(response)) == count


# offer_applications: ranked, with the reasons


def test_the_host_sees_the_applications_ranked_by_fit_with_the_reasons(
    login, offer, host_coordinator, applicant_org
):
    offer.capacity = 3
    offer.save()
    strong = ApplicationFactory(
        offer=offer,
        organisation=applicant_org,
        motivation=offer.description,
    )
    weak = ApplicationFactory(
        offer=offer,
        organisation=OrganisationFactory(name="Weak fit"),
        motivation="Welding apprentices at a shipyard.",
    )
    ApplicationFactory(
        offer=offer,
        organisation=OrganisationFactory(name="No common language"),
        languages=[language("de")],
    )
    ApplicationFactory(
        offer=offer,
        organisation=OrganisationFactory(name="Already accepted"),
        participants=2,
        status=Application.Status.ACCEPTED,
    )
    ApplicationFactory(
        offer=offer,
        organisation=OrganisationFactory(name="Too many"),
        participants=2,
    )
    matching.score_application(strong.pk)

    response = login(host_coordinator).get(_url("offer_applications", offer))

    page = text(response)
    at = {
        name: page.index(name)
        for name in (
            "Vestland fylkeskommune",
            "Weak fit",
            "No common language",
            "Too many",
            "Already accepted",
        )
    }
    # Undecided ones by fit, the excluded ones (fit 0) last among them; then the decided.
    assert at["Vestland fylkeskommune"] < at["Weak fit"]
    assert at["Weak fit"] < min(at["No common language"], at["Too many"])
    assert max(at["No common language"], at["Too many"]) < at["Already accepted"]
    assert "Shared theme: Inclusion · dates overlap fully · language: English" in page
    assert "no working language in common" in page
    assert "more participants than places left (2 for 1 place)" in page
    strong.refresh_from_db()
    weak.refresh_from_db()
    assert strong.score > weak.score > 0


def test_unscored_applications_say_so(login, offer, host_coordinator, applicant_org):
    ApplicationFactory(offer=offer, organisation=applicant_org)

    response = login(host_coordinator).get(_url("offer_applications", offer))

    assert "not scored yet" in text(response)


# offer_detail: "Organisations that may be interested", for the host only


@pytest.fixture
def interested(offer, profile):
    matching.score_offer(offer.pk, alert=False)
    return profile.organisation


def test_the_host_sees_the_organisations_that_may_be_interested_with_reasons(
    login, offer, host_coordinator, interested
):
    response = login(host_coordinator).get(_url("offer_detail", offer))

    page = text(response)
    assert "Organisations that may be interested" in page
    assert "Vestland fylkeskommune (Norway) · fit" in page
    assert "Shared theme: Inclusion · language: English" in page
    assert f'action="{_url("offer_invite", offer)}"' in response.content.decode()
    assert "NEET re-engagement visits" not in page  # the profile itself stays private


def test_nobody_but_the_host_sees_who_may_be_interested(
    client, login, offer, interested, applicant_coordinator, outsider
):
    for response in (
        client.get(_url("offer_detail", offer)),
        login(outsider).get(_url("offer_detail", offer)),
        login(applicant_coordinator).get(_url("offer_detail", offer)),
    ):
        assert "Organisations that may be interested" not in text(response)
        assert not re.search(r"\bfit \d+", text(response))


def test_an_organisation_that_applied_is_no_longer_listed(
    login, offer, host_coordinator, interested
):
    ApplicationFactory(offer=offer, organisation=interested)

    response = login(host_coordinator).get(_url("offer_detail", offer))

    assert "No interest profile fits this offer yet." in text(response)


def test_a_draft_asks_to_be_published_first(login, offer, host_coordinator):
    offer.status = Offer.Status.DRAFT
    offer.save()

    response = login(host_coordinator).get(_url("offer_detail", offer))

    assert "Publish the offer to see which organisations it may interest." in text(response)


# offer_invite


def _invite(client, offer, organisation, capture):
    with capture(execute=True):
        return client.post(
            _url("offer_invite", offer), {"organisation": organisation.pk}, follow=True
        )


def test_the_host_invites_an_interested_organisation_once(
    login,
    offer,
    host_coordinator,
    interested,
    applicant_coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client = login(host_coordinator)

    response = _invite(client, offer, interested, django_capture_on_commit_callbacks)

    assert response.redirect_chain == [(offer.get_absolute_url(), 302)]
    assert "Vestland fylkeskommune is invited to apply; its coordinators have been emailed." in (
        text(response)
    )
    assert "Invited" in text(response)
    [email] = mailoutbox
    assert email.to == [applicant_coordinator.email]
    assert email.subject == (
        "Borås Stad invites you to apply: “Job shadowing of guidance counsellors in Borås”"
    )
    assert f"http://127.0.0.1:8000{offer.get_absolute_url()}" in email.body
    assert OfferInvitation.objects.get().invited_by == host_coordinator

    again = _invite(client, offer, interested, django_capture_on_commit_callbacks)

    assert "Vestland fylkeskommune has already been invited to apply to this offer." in text(again)
    assert len(mailoutbox) == 1
    assert OfferInvitation.objects.count() == 1


def test_only_an_organisation_among_the_matches_can_be_invited(
    login, offer, host_coordinator, interested, mailoutbox, django_capture_on_commit_callbacks
):
    stranger = OrganisationFactory(name="Not interested")

    response = _invite(login(host_coordinator), offer, stranger, django_capture_on_commit_callbacks)

    assert "Choose one of the organisations that may be interested." in text(response)
    assert not OfferInvitation.objects.exists()
    assert mailoutbox == []


def test_a_closed_offer_invites_nobody(
    login, offer, host_coordinator, interested, mailoutbox, django_capture_on_commit_callbacks
):
    offer.status = Offer.Status.CLOSED
    offer.save()

    response = _invite(
        login(host_coordinator), offer, interested, django_capture_on_commit_callbacks
    )

    assert "This offer does not accept applications." in text(response)
    assert mailoutbox == []


def test_inviting_needs_the_host_a_post_and_a_signed_in_user(
    client, login, offer, interested, outsider, host_coordinator
):
    url = _url("offer_invite", offer)

    assert login(outsider).post(url, {"organisation": interested.pk}).status_code == 404
    assert login(host_coordinator).get(url).status_code == 405
    assert client.post(url, {"organisation": interested.pk}).url == login_url(url)
    assert not OfferInvitation.objects.exists()
