"""The getting-started checklist on a new organisation's desk (issue 12, point 12): the
profile, an interest profile, a first published offer or application — each ticked from the
organisation's records, with a link to do it, and the list gone once all are done."""

import re

import pytest
from django.urls import reverse

from exchanges.models import Offer
from tests.factories import (
    ApplicationFactory,
    ExchangeFactory,
    InterestProfileFactory,
    OfferFactory,
)
from tests.pages import text

pytestmark = pytest.mark.django_db


def _checklist(client):
    """The checklist's steps as (done, text), or None if the desk shows none."""
    page = client.get(reverse("desk")).content.decode()
    match = re.search(r'<section aria-labelledby="onboarding-heading".*?</section>', page, re.S)
    if not match:
        return None
    steps = re.findall(r'<li class="onboarding-step( is-done)?">(.*?)</li>', match.group(0), re.S)
    return [(bool(done), " ".join(re.sub(r"<[^>]+>", " ", body).split())) for done, body in steps]


@pytest.fixture
def new_org(host_org):
    host_org.description = ""
    host_org.save()
    return host_org


def test_a_new_organisation_sees_three_steps_to_do_with_links(login, new_org, host_admin):
    client = login(host_admin)

    steps = _checklist(client)

    assert [done for done, _ in steps] == [False, False, False]
    assert steps[0][1].startswith("○ To do: Complete your organisation's profile")
    page = client.get(reverse("desk")).content.decode()
    assert reverse("matchmaking:organisation_edit", args=[new_org.slug]) in page
    assert reverse("exchanges:profile_create") in page
    assert reverse("exchanges:offer_create") in page


def test_a_coordinator_is_told_an_admin_completes_the_profile(login, new_org, host_coordinator):
    steps = _checklist(login(host_coordinator))

    assert "An admin of your organisation can do it." in steps[0][1]


def test_each_step_is_ticked_from_the_organisations_records(login, new_org, host_admin):
    client = login(host_admin)
    new_org.description = "The city of Borås."
    new_org.save()
    InterestProfileFactory(organisation=new_org)

    steps = _checklist(client)

    assert [done for done, _ in steps] == [True, True, False]
    assert steps[1][1].startswith("✓ Done: Say what you look for")


def test_a_draft_is_not_yet_a_first_offer_and_the_link_goes_to_it(login, new_org, host_admin):
    draft = OfferFactory(organisation=new_org, status=Offer.Status.DRAFT, published_at=None)

    steps = _checklist(login(host_admin))

    assert steps[2][0] is False
    assert "Publish your draft offer" in steps[2][1]
    assert draft.get_absolute_url() in login(host_admin).get(reverse("desk")).content.decode()


def test_a_first_application_also_ticks_the_last_step(login, new_org, host_admin, applicant_org):
    ApplicationFactory(offer=OfferFactory(organisation=applicant_org), organisation=new_org)

    assert _checklist(login(host_admin))[2][0] is True


def test_the_checklist_is_gone_once_everything_is_done(login, host_org, host_admin):
    host_org.description = "The city of Borås."
    host_org.save()
    InterestProfileFactory(organisation=host_org)
    OfferFactory(organisation=host_org)

    client = login(host_admin)

    assert _checklist(client) is None
    assert "Getting started" not in text(client.get(reverse("desk")))


def test_an_organisation_with_an_exchange_is_past_getting_started(
    login, host_org, host_admin, applicant_org
):
    # A host that never sends: no interest profile, but an exchange already.
    ExchangeFactory(application__offer=OfferFactory(organisation=host_org))

    assert _checklist(login(host_admin)) is None
