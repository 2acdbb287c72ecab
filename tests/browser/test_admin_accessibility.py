"""The secretariat's admin in Chromium: no serious or critical axe violation on the pages it
works on most, and no list wider than a 1280 px laptop screen."""

import os

import pytest
from django.conf import settings
from django.test import Client

from exchanges.models import FollowUpSide
from matchmaking.models import OutboxEmail
from partnership.models import EventRegistration, Promoter
from tests.browser.test_accessibility import _assert_accessible
from tests.factories import (
    CaseStudyFactory,
    EventRegistrationFactory,
    ExchangeFactory,
    FollowUpFactory,
    MeetingFactory,
    MembershipApplicationFactory,
    OrganisationFactory,
    PromoterFactory,
    QuoteFactory,
)
from tests.second_factor import with_second_factor

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser

LAPTOP = 1280


def _sign_in_to_the_admin(context, base_url, user):
    """A session with the second factor staff need, as after the real forms."""
    client = Client()
    client.force_login(user)
    with_second_factor(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}]
    )


@pytest.fixture
def admin_rows(host_org, applicant_org):
    """A row or two in each of the secretariat's lists, with long names where they come."""
    exchange = ExchangeFactory(
        application__offer__organisation=host_org,
        application__organisation=applicant_org,
        application__offer__title="Job shadowing of guidance counsellors and NEET coaches in "
        "the Multicompetent Team of Borås Stad",
    )
    host_side = FollowUpFactory(exchange=exchange)
    QuoteFactory(follow_up=host_side, person_name="Nicholas Waller", consent=True, public=True)
    sending_side = FollowUpFactory(exchange=exchange, side=FollowUpSide.SENDING)
    QuoteFactory(follow_up=sending_side, person_name="A participant", consent=False, public=False)
    case_study = CaseStudyFactory(exchange=exchange)
    MembershipApplicationFactory(
        organisation=OrganisationFactory(
            name="Regione Lombardia – Directorate for Education, Training and Work",
            country="IT",
        )
    )
    PromoterFactory(organisation=host_org, status=Promoter.Status.PENDING)
    registration = EventRegistrationFactory(
        organisation=host_org, status=EventRegistration.Status.PENDING
    )
    MeetingFactory(event=registration.event)
    for number, template in enumerate(["application_received", "event_meeting_cancelled"]):
        OutboxEmail.objects.create(
            recipient=f"international.coordinator.{number}@vestland-fylkeskommune.example.org",
            language="nb",
            template=template,
            idempotency_key=f"{template}:{number}",
        )
    return {"case_study": case_study, "registration": registration}


def test_the_admin_pages_have_no_serious_accessibility_violations(
    live_server, page, admin_rows, secretariat
):
    _sign_in_to_the_admin(page.context, live_server.url, secretariat)
    case_study, registration = admin_rows["case_study"], admin_rows["registration"]
    _assert_accessible(
        page,
        live_server.url,
        [
            "/admin/",
            "/admin/matchmaking/theme/",
            "/admin/matchmaking/exchangetype/",
            "/admin/matchmaking/feweropportunitycategory/",
            "/admin/matchmaking/fieldofeducation/",
            "/admin/matchmaking/language/",
            "/admin/partnership/event/add/",
            f"/admin/exchanges/casestudy/{case_study.pk}/change/",
            f"/admin/partnership/eventregistration/{registration.pk}/change/",
            "/admin/matchmaking/outboxemail/",
        ],
    )
    # The case study is reviewed with its quotes and whether each person consented.
    page.goto(f"{live_server.url}/admin/exchanges/casestudy/{case_study.pk}/change/")
    quotes = page.locator("table.quotes")
    assert "Nicholas Waller" in quotes.inner_text()
    assert "A participant" in quotes.inner_text()
    assert page.get_by_role("button", name="Publish").is_visible()


def test_every_list_of_the_admin_fits_a_laptop_screen(live_server, page, admin_rows, secretariat):
    page.set_viewport_size({"width": LAPTOP, "height": 900})
    _sign_in_to_the_admin(page.context, live_server.url, secretariat)
    page.goto(f"{live_server.url}/admin/")
    lists = sorted(
        set(
            page.eval_on_selector_all(
                "#content-main th[scope=row] a", "links => links.map(a => a.getAttribute('href'))"
            )
        )
    )
    assert len(lists) > 20
    too_wide = {}
    for path in lists:
        page.goto(live_server.url + path)
        widths = page.evaluate(
            """() => [document.documentElement.scrollWidth,
                      ...[...document.querySelectorAll('.results')].map(
                          box => box.scrollWidth - box.clientWidth + window.innerWidth)]"""
        )
        if max(widths) > LAPTOP:
            too_wide[path] = widths
    assert not too_wide, too_wide
