"""Helpers shared by the browser tests: signing in, two ways.

``sign_in`` goes through allauth's real login form, as a person would; ``force_sign_in``
gives a browser context a session cookie directly, for tests about something else.
"""

from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.factories import PASSWORD


def sign_in(page, base_url, user):
    """Sign ``user`` in through /accounts/login/ and wait for their desk."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(f"{base_url}/my/")


def force_sign_in(context, base_url, user):
    """Give the browser context a signed-in session of ``user`` without the login form."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}]
    )
