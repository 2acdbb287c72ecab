"""The site at a phone's, a small laptop's and a laptop's width: nothing overflows sideways,
the language selector shows its language, and on a phone the menu sits behind a button.

Set ``SCREENSHOTS=/some/dir`` to keep a full-page PNG of every page at every width.
"""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exchanges.models import Application
from tests.browser.helpers import force_sign_in
from tests.factories import ApplicationFactory, ExchangeFactory, OfferFactory, OrganisationFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser

WIDTHS = (390, 1024, 1280)
PHONE = 390
SCREENSHOTS = os.environ.get("SCREENSHOTS")


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def desk_world(host_org, host_coordinator, applicant_org, applicant_coordinator):
    """Borås's offer with long words and an application, and an exchange with Vestland."""
    offer = OfferFactory(
        organisation=host_org,
        created_by=host_coordinator,
        title="Job shadowing of guidance counsellors in the Multicompetent Team of Borås Stad",
        programme="Day 1: the guidance centre.\nDay 2 (morning): a school visit.",
    )
    for n in range(3):
        OfferFactory(
            organisation=OrganisationFactory(name=f"Landeskompetenzzentrum Berufsbildung {n}"),
            title=f"Studienbesuch Berufsorientierungsmaßnahmen {n}",
        )
    ApplicationFactory(offer=offer, organisation=applicant_org, score=0.73)
    exchange = ExchangeFactory(
        application__offer=OfferFactory(organisation=host_org, title="Study visit in Borås"),
        application__organisation=applicant_org,
        application__status=Application.Status.ACCEPTED,
        start_date=_days(31),
        end_date=_days(32),
    )
    return {
        "home": "/",
        "catalogue": "/offers/",
        "offer": offer.get_absolute_url(),
        "desk": "/my/",
        "applications": f"/offers/{offer.pk}/applications/",
        "exchange": exchange.get_absolute_url(),
    }


def _overflow(page):
    return page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")


def _check_page(page, width, who, name):
    scroll_width, inner_width = _overflow(page)
    problems = []
    if scroll_width > inner_width:
        problems.append(f"{who} {name} at {width}px: {scroll_width}px wide")
    switcher = page.get_by_label("Language", exact=True)
    menu = page.get_by_role("button", name="Menu")
    if width == PHONE:
        expect(menu).to_be_visible()
    if menu.is_visible():
        expect(switcher).to_be_hidden()  # behind the menu button until it is opened
        menu.click()
        expect(page.locator("#site-menu")).to_have_class(re.compile(r"\bshow\b"))
        expect(page.get_by_role("link", name="Offers", exact=True)).to_be_visible()
    box = switcher.bounding_box()
    if box is None or box["width"] < 100:
        problems.append(f"{who} {name} at {width}px: language selector {box}")
    elif box["x"] + box["width"] > inner_width:
        problems.append(f"{who} {name} at {width}px: language selector off screen")
    change = page.get_by_role("button", name="Change", exact=True)
    if not change.is_visible():
        problems.append(f"{who} {name} at {width}px: no visible Change button")
    if SCREENSHOTS:
        if menu.is_visible():  # the screenshot shows the page, with the menu closed again
            menu.click()
            expect(page.locator("#site-menu")).to_be_hidden()
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SCREENSHOTS}/{who}-{name}-{width}.png", full_page=True)
    return problems


def test_no_page_overflows_at_any_width_signed_in_or_not(
    live_server, new_context, desk_world, host_coordinator
):
    problems = []
    for width in WIDTHS:
        for who in ("anonymous", "signed-in"):
            context = new_context(viewport={"width": width, "height": 900})
            if who == "signed-in":
                force_sign_in(context, live_server.url, host_coordinator)
            page = context.new_page()
            for name, path in desk_world.items():
                if who == "anonymous" and name in ("desk", "applications", "exchange"):
                    continue  # they ask to sign in: the sign-in page stands for them
                page.goto(live_server.url + path)
                problems += _check_page(page, width, who, name)
            if who == "anonymous":
                page.goto(live_server.url + "/accounts/login/")
                problems += _check_page(page, width, who, "sign-in")
            context.close()
    assert not problems, "\n".join(problems)


def test_on_a_phone_the_filters_are_folded_and_the_offer_starts_with_its_facts(
    live_server, new_context, desk_world
):
    page = new_context(viewport={"width": PHONE, "height": 800}).new_page()
    page.goto(live_server.url + "/offers/")
    expect(page.get_by_label("Country")).to_be_hidden()
    first_offer = page.locator(".offer-card").first
    assert first_offer.bounding_box()["y"] < 800, "the first offer is not on the first screen"
    page.get_by_role("button", name="Filters").click()
    expect(page.get_by_label("Country")).to_be_visible()

    page.goto(live_server.url + desk_world["offer"])
    apply = page.get_by_role("link", name="Apply", exact=True)
    expect(apply).to_be_visible()
    description = page.get_by_role("heading", name="The exchange")
    assert apply.bounding_box()["y"] < description.bounding_box()["y"]

    wide = new_context(viewport={"width": 1280, "height": 900}).new_page()
    wide.goto(live_server.url + "/offers/")
    expect(wide.get_by_label("Country")).to_be_visible()
    expect(wide.get_by_role("button", name="Filters")).to_be_hidden()


def test_a_fully_booked_offer_says_so_in_the_catalogue_and_on_its_page(
    live_server, new_context, host_org, applicant_org, applicant_coordinator
):
    full = OfferFactory(organisation=host_org, title="Study visit with no places left", capacity=2)
    ExchangeFactory(
        application__offer=full,
        application__organisation=OrganisationFactory(name="Barcelona Activa", country="ES"),
        application__participants=2,
    )
    OfferFactory(organisation=host_org, title="Job shadowing with places left")
    context = new_context(viewport={"width": PHONE, "height": 800})
    force_sign_in(context, live_server.url, applicant_coordinator)
    page = context.new_page()

    page.goto(live_server.url + "/offers/")
    cards = page.locator(".offer-card")
    expect(cards.filter(has_text="Study visit with no places left")).to_contain_text("Fully booked")
    expect(cards.filter(has_text="Job shadowing with places left")).not_to_contain_text(
        "Fully booked"
    )

    page.get_by_role("link", name="Study visit with no places left").click()
    expect(page.get_by_text("0 of 2 free")).to_be_visible()
    expect(page.locator(".fully-booked")).to_have_text(
        "Fully booked All places are taken; it takes no more applications."
    )
    expect(page.get_by_role("link", name="Apply", exact=True)).to_have_count(0)
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/fully-booked-offer-{PHONE}.png", full_page=True)
