"""A call round through the UI: two senders rank, the host reorders, the organiser allocates
and confirms — and the emails arrive (real Celery worker, real SMTP server)."""

import os

import pytest
from playwright.sync_api import expect

from exchanges.models import Application, Exchange
from matchmaking.models import Membership
from tests.browser.helpers import sign_in
from tests.factories import (
    ApplicationFactory,
    CallRoundFactory,
    MembershipFactory,
    OfferFactory,
    OrganisationFactory,
    UserFactory,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.integration]

ROUND = "Spring 2027 VET job shadowing"


def _rank(page, base, call_round, ranks):
    page.goto(f"{base}{call_round.get_absolute_url()}")
    page.get_by_role("link", name="Rank your choices").click()
    for title, rank in ranks.items():
        page.get_by_label(f"Your rank for “{title}”").select_option(str(rank))
    page.get_by_role("button", name="Save your choices").click()
    expect(page.get_by_role("status")).to_contain_text("Your choices are saved.")


def test_senders_rank_the_host_reorders_the_organiser_allocates_and_confirms(
    live_server,
    settings,
    smtp_server,
    celery_worker_redis,
    page,
    new_context,
    host_org,
    host_admin,
    host_coordinator,
    applicant_org,
    applicant_coordinator,
):
    settings.SITE_URL = live_server.url
    base = live_server.url
    shadowing = OfferFactory(organisation=host_org, title="Shadowing in Borås", capacity=2)
    visit = OfferFactory(organisation=host_org, title="Study visit in Borås", capacity=2)
    call_round = CallRoundFactory(organiser=host_org, offers=[shadowing, visit], name=ROUND)
    tartu = OrganisationFactory(name="Tartu linn", country="EE")
    tartu_user = UserFactory(email="coordinator@tartu.example.org")
    MembershipFactory(user=tartu_user, organisation=tartu, role=Membership.Role.COORDINATOR)
    for offer in (shadowing, visit):
        ApplicationFactory(offer=offer, organisation=applicant_org, participants=2, score=0.9)
        ApplicationFactory(offer=offer, organisation=tartu, participants=2, score=0.5)

    # --- Two senders rank the offers they applied to.
    sign_in(page, base, applicant_coordinator)
    _rank(page, base, call_round, {"Shadowing in Borås": 1, "Study visit in Borås": 2})
    tartu_page = new_context().new_page()
    sign_in(tartu_page, base, tartu_user)
    _rank(tartu_page, base, call_round, {"Shadowing in Borås": 1})

    # --- The host puts Tartu first at the shadowing.
    host = new_context().new_page()
    sign_in(host, base, host_coordinator)
    host.goto(f"{base}{call_round.get_absolute_url()}")
    host.get_by_role("link", name="Rank your applicants").click()
    shadowing_table = host.get_by_role("region", name="Shadowing in Borås")
    rows = shadowing_table.get_by_role("row")
    expect(rows.nth(1)).to_contain_text("Vestland fylkeskommune")  # best fit first
    host.get_by_label("Position of Tartu linn").first.fill("1")
    host.get_by_label("Position of Vestland fylkeskommune").first.fill("2")
    host.get_by_role("button", name="Save your ranking").click()
    expect(host.get_by_role("status")).to_contain_text("Your ranking is saved.")
    expect(shadowing_table.get_by_role("row").nth(1)).to_contain_text("Tartu linn")

    # --- The organiser allocates, reviews and confirms.
    organiser = new_context().new_page()
    sign_in(organiser, base, host_admin)
    organiser.goto(f"{base}{call_round.get_absolute_url()}")
    organiser.get_by_role("link", name="Allocation").click()
    organiser.get_by_role("button", name="Allocate now").click()
    expect(organiser.get_by_role("status")).to_contain_text("The allocation is proposed.")
    placed = organiser.get_by_role("region", name="Who goes where")
    expect(placed.get_by_role("row", name="Tartu linn")).to_contain_text("Shadowing in Borås")
    expect(placed.get_by_role("row", name="Vestland fylkeskommune")).to_contain_text(
        "Study visit in Borås"
    )
    expect(organiser.locator(".round-figures")).to_contain_text("2 of 2 (100 %)")
    organiser.get_by_role("button", name="Confirm the allocation").click()
    expect(organiser.get_by_role("status")).to_contain_text("The allocation is confirmed")

    assert Exchange.objects.count() == 2
    assert Application.objects.get(offer=shadowing, organisation=applicant_org).status == (
        Application.Status.DECLINED
    )

    # --- Everyone hears of it.
    for address in (applicant_coordinator.email, tartu_user.email):
        received = smtp_server.wait_for(
            lambda m, address=address: (
                m.to == [address] and m.subject.strip() == f"{ROUND}: you have a place"
            ),
            timeout=20,
        )
        assert call_round.get_absolute_url() in received.text
    summary = smtp_server.wait_for(
        lambda m: m.to == [host_coordinator.email] and "allocation is confirmed" in m.subject,
        timeout=20,
    )
    assert "Tartu linn" in summary.text and "Vestland fylkeskommune" in summary.text
