"""The API's interactive docs in Chromium: served from the site (no CDN), axe-clean, and a
request tried from the page answers with the published offers."""

import os

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import AXE_JS, BLOCKING_IMPACTS
from tests.factories import OfferFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 390])
def test_the_docs_page_tries_a_request_and_shows_the_offers(live_server, page, width):
    OfferFactory(title="Job shadowing of guidance counsellors in Borås")
    OfferFactory(title="A draft for next spring", status="draft", published_at=None)
    elsewhere = []
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(live_server.url) else elsewhere.append(request.url)
        ),
    )
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(f"{live_server.url}/api/v1/docs")
    operation = page.locator("#operations-offers-exchanges_api_offer_list")
    expect(operation).to_be_visible()

    assert page.locator("h1").count() == 1 and page.locator("main").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    violations = page.evaluate("async () => (await axe.run()).violations")
    assert not [v["id"] for v in violations if v["impact"] in BLOCKING_IMPACTS]

    operation.locator(".opblock-summary-control").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    body = operation.locator(".responses-wrapper .live-responses-table .microlight").first
    expect(body).to_contain_text("Job shadowing of guidance counsellors in Borås")
    expect(body).not_to_contain_text("A draft for next spring")
    assert elsewhere == []
