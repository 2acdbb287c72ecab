"""The core loop through the UI: post, publish, find, apply, accept — and the emails arrive.

Chromium drives the live server; the emails are queued on Redis, sent by a real Celery worker
and received by a real SMTP server (tests/integration_fixtures.py).
"""

import datetime
import os
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exchanges.models import Application, Offer
from tests.browser.helpers import sign_in
from tests.factories import OfferFactory

# The ORM runs in the test thread while Playwright's event loop is alive there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.integration]

TITLE = "Job shadowing of NEET guidance in Borås"
DECISION_MESSAGE = "Welcome to Borås! We will send you the programme in May."


def _iso(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_an_offer_is_posted_found_applied_to_and_accepted(
    live_server,
    settings,
    smtp_server,
    celery_worker_redis,
    page,
    new_context,
    host_coordinator,
    applicant_coordinator,
    applicant_org,
):
    settings.SITE_URL = live_server.url
    base = live_server.url
    # A Norwegian offer that the Swedish filter must leave out.
    OfferFactory(
        organisation=applicant_org,
        created_by=applicant_coordinator,
        title="Study visit to youth guidance in Bergen",
        city="Bergen",
        region_name="Vestland",
    )

    # --- A (Borås) posts a draft and publishes it.
    host = page
    sign_in(host, base, host_coordinator)
    host.goto(f"{base}/offers/new/")
    expect(host.get_by_role("heading", level=1)).to_have_text("New offer from Borås Stad")
    host.get_by_label("Title").fill(TITLE)
    host.get_by_label("Exchange type").select_option(label="Job shadowing")
    host.get_by_label("Target group").select_option(label="Staff")
    host.get_by_label("Inclusion", exact=True).check()
    host.get_by_label("Guidance and counselling", exact=True).check()
    host.get_by_label("Description").fill(
        "Follow our counsellors for a day and a half and see how we reach young people "
        "who left school early."
    )
    host.get_by_label("Host city").fill("Borås")
    host.get_by_label("Host region").fill("Västra Götaland")
    host.get_by_label("Working languages").select_option(label=["English", "Swedish"])
    host.get_by_label("Available from").fill(_iso(30))
    host.get_by_label("Available until").fill(_iso(60))
    host.get_by_label("Duration in days").fill("1.5")
    host.get_by_label("Places").fill("3")
    host.get_by_label("Application deadline").fill(_iso(20))
    host.get_by_role("button", name="Save").click()

    expect(host.get_by_role("status")).to_contain_text("The offer is saved as a draft")
    expect(host.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(host.locator(".status-badge")).to_have_text("Draft")
    offer = Offer.objects.get(title=TITLE)
    offer_url = f"{base}/offers/{offer.pk}/"
    expect(host).to_have_url(offer_url)

    host.get_by_role("button", name="Publish").click()
    expect(host.get_by_role("status")).to_contain_text("The offer is published.")
    expect(host.locator(".status-badge")).to_have_text("Published")

    # --- B (Vestland) finds it in the catalogue with a filter, and applies.
    applicant = new_context().new_page()
    sign_in(applicant, base, applicant_coordinator)
    applicant.goto(f"{base}/offers/")
    expect(applicant.get_by_role("heading", name="2 offers")).to_be_visible()
    # Each value says how many offers it leaves: "Sweden (1)".
    applicant.get_by_label("Country").select_option(label="Sweden (1)")
    applicant.get_by_label("Exchange type").select_option(value="job-shadowing")
    applicant.get_by_role("button", name="Show offers").click()
    expect(applicant).to_have_url(re.compile(r"/offers/\?.*country=SE"))
    expect(applicant.get_by_role("heading", name="1 offer", exact=True)).to_be_visible()
    bergen = applicant.get_by_role("link", name="Study visit to youth guidance in Bergen")
    expect(bergen).to_have_count(0)
    applicant.get_by_role("link", name=TITLE).click()

    expect(applicant).to_have_url(offer_url)
    applicant.get_by_role("link", name="Apply", exact=True).click()
    expect(applicant.get_by_role("heading", level=1)).to_have_text(f"Apply to “{TITLE}”")
    expect(applicant.get_by_label("Apply on behalf of")).to_have_value(str(applicant_org.pk))
    applicant.get_by_label("Motivation").fill(
        "Our NAV case workers want to learn how you re-engage young people."
    )
    applicant.locator("#id_participants").fill("2")
    applicant.get_by_label("Of whom with fewer opportunities").fill("1")
    applicant.get_by_label("Participants' roles").fill(
        "One advisor in education, one NAV case worker."
    )
    applicant.get_by_label("Preferred start").fill(_iso(35))
    applicant.get_by_label("Preferred end").fill(_iso(36))
    applicant.get_by_label("Working languages").select_option(label=["English", "Norwegian"])
    applicant.get_by_role("button", name="Send application").click()

    expect(applicant.get_by_role("status")).to_contain_text("Your application is sent.")
    application = Application.objects.get(offer=offer, organisation=applicant_org)
    application_url = f"{base}/applications/{application.pk}/"
    expect(applicant).to_have_url(application_url)
    expect(applicant.locator(".lead .status-badge")).to_have_text("Submitted")
    assert application.participants == 2
    assert application.fewer_opportunity_participants == 1

    received = smtp_server.wait_for(
        lambda m: m.to == [host_coordinator.email] and TITLE in m.subject, timeout=15
    )
    # Django folds a long encoded Subject after "Subject:", so the parsed value starts
    # with the folding whitespace.
    assert received.subject.strip() == f"New application from Vestland fylkeskommune for “{TITLE}”"
    assert application_url in received.text

    # --- A reads the application and accepts it with a message.
    host.goto(offer_url)
    host.get_by_role("link", name="Applications", exact=True).click()
    expect(host).to_have_url(f"{base}/offers/{offer.pk}/applications/")
    host.get_by_role("link", name="Vestland fylkeskommune").click()
    expect(host).to_have_url(application_url)
    host.get_by_role("combobox", name="Decision").select_option(label="Accept")
    host.get_by_label("Message to the applicant").fill(DECISION_MESSAGE)
    host.get_by_role("button", name="Record decision").click()
    expect(host.get_by_role("status")).to_contain_text("The application is accepted.")
    expect(host.locator(".lead .status-badge")).to_have_text("Accepted")

    # --- B sees the decision and the message, and got an email about it.
    applicant.goto(application_url)
    expect(applicant.locator(".lead .status-badge")).to_have_text("Accepted")
    history = applicant.get_by_role("region", name="History")
    expect(history.get_by_role("listitem").last).to_contain_text("Accepted")
    expect(history.get_by_role("listitem").last).to_contain_text(DECISION_MESSAGE)

    decided = smtp_server.wait_for(
        lambda m: m.to == [applicant_coordinator.email] and TITLE in m.subject, timeout=15
    )
    assert decided.subject.strip() == f"Your application for “{TITLE}”: Accepted"
    assert DECISION_MESSAGE in decided.text
    assert application_url in decided.text
