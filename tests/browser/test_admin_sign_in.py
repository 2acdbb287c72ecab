"""Proves the browser set-up: Debian's Chromium, a live server and a factory-made password."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_the_secretariat_signs_in_to_the_admin_with_its_password(live_server, page, secretariat):
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.get_by_label("Email address").fill(secretariat.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/admin/")
