"""A message between the two sides, through the UI: the host writes on an application, the
applicant's email arrives (outbox → Redis → Celery worker → SMTP), and the applicant reads it
on the application page, where the desk's unread count drops.
"""

import os
import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.factories import ApplicationFactory

# The ORM runs in the test thread while Playwright's event loop is alive there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.integration]

MESSAGE = "Welcome to Borås! Could you arrive on Sunday evening?\nWe meet at 08:30 on Monday."


def test_the_host_writes_and_the_applicant_gets_the_email_and_reads_the_message(
    live_server,
    settings,
    smtp_server,
    celery_worker_redis,
    page,
    new_context,
    offer,
    host_coordinator,
    applicant_org,
    applicant_coordinator,
):
    settings.SITE_URL = base = live_server.url
    application = ApplicationFactory(
        offer=offer, organisation=applicant_org, submitted_by=applicant_coordinator
    )
    application_url = f"{base}{application.get_absolute_url()}"

    # --- The host writes on the application page.
    host = page
    sign_in(host, base, host_coordinator)
    host.goto(application_url)
    thread = host.get_by_role("region", name="Messages")
    expect(thread).to_contain_text("No messages yet.")
    thread.get_by_role("button", name="Send message").click()
    expect(host.get_by_role("region", name="Messages").locator(".invalid-feedback")).to_have_text(
        "Write your message before sending it."
    )
    host.get_by_label("Your message").fill(MESSAGE)
    host.get_by_role("button", name="Send message").click()
    expect(host.get_by_role("status")).to_contain_text("Your message is sent.")
    expect(host).to_have_url(f"{application_url}#messages")
    sent = host.locator(".message-body")
    expect(sent).to_have_count(1)
    expect(sent).to_contain_text("Could you arrive on Sunday evening?")

    # --- The applicant's coordinator gets it by email, with the link to the thread.
    received = smtp_server.wait_for(lambda m: m.to == [applicant_coordinator.email], timeout=15)
    assert received.subject.strip() == (f"A new message from Borås Stad about “{offer.title}”")
    assert "Could you arrive on Sunday evening?" in received.text
    link = re.search(r"https?://\S+#messages", received.text).group(0)
    assert link == f"{application_url}#messages"
    assert [m.to for m in smtp_server.messages] == [[applicant_coordinator.email]]

    # --- The applicant sees the unread count on the desk, opens the thread, and it drops.
    applicant = new_context().new_page()
    sign_in(applicant, base, applicant_coordinator)
    expect(applicant.get_by_role("heading", name="1 unread message")).to_be_visible()
    applications = applicant.get_by_role("region", name="Our applications")
    expect(applications.get_by_role("link", name="1 unread message")).to_be_visible()

    applicant.goto(link)
    thread = applicant.get_by_role("region", name="Messages")
    expect(thread.get_by_role("heading", level=2)).to_have_text(re.compile(r"Messages\s+1 new"))
    message = thread.get_by_role("listitem")
    expect(message).to_contain_text("Borås Stad")
    expect(message).to_contain_text("New")
    # The line break is kept, as a line break.
    assert message.locator(".message-body").inner_text() == MESSAGE
    assert message.locator(".message-body br").count() == 1

    applicant.goto(f"{base}/my/")
    expect(applicant.get_by_role("heading", name="Our applications")).to_be_visible()
    expect(applicant.get_by_text("unread message")).to_have_count(0)
    applicant.goto(application_url)
    expect(applicant.get_by_role("region", name="Messages")).not_to_contain_text("New")
