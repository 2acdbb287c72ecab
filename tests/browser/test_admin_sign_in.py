"""Staff reach the admin through the site's sign-in and a second factor, in a real Chromium."""

import time

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD
from tests.second_factor import current_code, sign_in_to_the_admin

pytestmark = pytest.mark.browser


def test_the_secretariat_signs_in_to_the_admin_with_password_and_code(
    live_server, page, secretariat
):
    sign_in_to_the_admin(page, live_server.url, secretariat)

    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/admin/")


def _next_code_window():
    """A code is accepted once: wait for the authenticator app's next code."""
    time.sleep(30 - time.time() % 30 + 0.5)


def test_staff_cannot_reach_the_admin_without_a_second_factor(live_server, page, secretariat):
    base = live_server.url
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.get_by_label("Email").fill(secretariat.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    # Signed in with the password alone, the admin sends them to set up a second factor.
    expect(page.get_by_text("Staff need a second factor")).to_be_visible()
    page.goto(f"{base}/admin/partnership/promoter/")
    expect(page.get_by_role("heading", name="Site administration")).to_have_count(0)
    expect(page.get_by_text("Staff need a second factor")).to_be_visible()

    # They add an authenticator app, as they would with its QR code or secret.
    page.goto(f"{base}/accounts/2fa/totp/activate/")
    # Changing a security setting asks for the password again.
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    secret = page.get_by_label("Authenticator secret").input_value()
    assert secret
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    page.get_by_label("Authenticator code").fill(
        format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    )
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_text("Authenticator app activated")).to_be_visible()

    # The admin now asks for a code once in this session, then opens.
    _next_code_window()
    page.goto(f"{base}/admin/")
    page.get_by_label("Code").fill(current_code(secretariat))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
