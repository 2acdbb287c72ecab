"""A new coordinator's first way through the site (issue 12, "Done when"): sign up with the
consent to the privacy notice, name themselves, confirm the address from the email, create
their organisation and follow the desk's checklist to a published offer."""

import datetime
import os
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exchanges.models import Offer
from matchmaking.models import User
from tests.factories import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser

ADDRESS = "anna.berg@vastra.example.org"
CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)")


def _iso(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _checklist(page):
    return page.locator("section[aria-labelledby=onboarding-heading] li")


def test_a_new_user_signs_up_and_follows_the_checklist_to_a_published_offer(
    live_server, settings, mailoutbox, page
):
    settings.SITE_URL = live_server.url
    base = live_server.url

    # --- Sign up: the consent is required, with the notice one click away.
    page.goto(f"{base}/accounts/signup/")
    page.get_by_label("Email").fill(ADDRESS)
    page.get_by_label("First name").fill("Anna")
    page.get_by_label("Last name").fill("Berg")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    # Without the tick the browser holds the form back at the box (the server's own refusal,
    # next to the box, is tests/matchmaking/test_privacy.py's).
    consent = page.locator("#id_privacy_consent")
    assert consent.evaluate("box => box.validity.valueMissing")
    assert not User.objects.filter(email=ADDRESS).exists()
    expect(page.get_by_role("link", name="privacy notice")).to_have_attribute("href", "/privacy/")
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify Your Email Address")

    # --- Confirm the address from the email: it signs Anna in.
    [message] = mailoutbox
    link = CONFIRM_LINK.search(message.body).group(1)
    page.goto(base + link)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("button", name="Anna Berg")).to_be_visible()
    assert User.objects.get(email=ADDRESS).privacy_consent_at is not None

    # --- Her organisation.
    page.goto(f"{base}/my/")
    page.get_by_role("link", name="Create an organisation").click()
    page.get_by_label("Name").fill("Västra Skolan")
    page.get_by_label("Type").select_option(label="VET provider")
    page.get_by_label("Country").select_option(label="Sweden")
    page.get_by_label("Region").fill("Västra Götaland")
    page.get_by_label("City").fill("Borås")
    page.get_by_label("Contact email").fill("contact@vastra.example.org")
    page.get_by_label("Working languages").select_option(label=["English", "Swedish"])
    page.get_by_role("button", name="Save").click()

    # --- The checklist: nothing done yet but what the form asked; each link leads on.
    expect(page.get_by_role("heading", name="Getting started")).to_be_visible()
    steps = _checklist(page)
    expect(steps).to_have_count(3)
    expect(steps.nth(0)).to_contain_text("To do: Complete your organisation's profile")
    steps.nth(0).get_by_role("link", name="Edit the profile").click()
    page.get_by_label("Description").fill("A VET school in Borås that hosts study visits.")
    page.get_by_role("button", name="Save").click()

    page.goto(f"{base}/my/")
    expect(_checklist(page).nth(0)).to_contain_text("Done: Complete your organisation's profile")
    _checklist(page).nth(1).get_by_role("link", name="Add an interest profile").click()
    page.get_by_label("Name").fill("Job shadowing for our teachers")
    page.get_by_label("Job shadowing", exact=True).check()
    page.get_by_label("Inclusion", exact=True).check()
    page.get_by_label("Working languages").select_option(label=["English"])
    page.get_by_role("button", name="Save").click()

    page.goto(f"{base}/my/")
    expect(_checklist(page).nth(1)).to_contain_text("Done: Say what you look for")
    _checklist(page).nth(2).get_by_role("link", name="Write an offer").click()
    page.get_by_label("Title").fill("Study visit to our VET workshops")
    page.get_by_label("Exchange type").select_option(label="Study visit")
    page.get_by_label("Target group").select_option(label="Staff")
    page.get_by_label("Inclusion", exact=True).check()
    page.get_by_label("Description").fill("Two days in our workshops with our teachers.")
    page.get_by_label("Host city").fill("Borås")
    page.get_by_label("Host region").fill("Västra Götaland")
    page.get_by_label("Working languages").select_option(label=["English"])
    page.get_by_label("Available from").fill(_iso(30))
    page.get_by_label("Available until").fill(_iso(60))
    page.get_by_label("Duration in days").fill("2")
    page.get_by_label("Places").fill("4")
    page.get_by_label("Application deadline").fill(_iso(20))
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".status-badge")).to_have_text("Draft")

    # A draft is not done yet: the checklist links back to it.
    page.goto(f"{base}/my/")
    _checklist(page).nth(2).get_by_role("link", name="Publish your draft offer").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".status-badge")).to_have_text("Published")

    # --- All done: the checklist is gone, the offer is in the catalogue.
    page.goto(f"{base}/my/")
    expect(page.get_by_role("heading", name="Our offers")).to_be_visible()
    expect(page.get_by_role("heading", name="Getting started")).to_have_count(0)
    assert Offer.objects.get(title="Study visit to our VET workshops").is_published
