"""Staff need a second factor for the admin: helpers that give them one, as a person would.

``with_second_factor(client, user)`` gives a staff member a TOTP authenticator and marks the
test client's session as signed in with it (what allauth records after the code is typed).
``current_code(user)`` is the code their authenticator app would show now.
"""

import time

from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.account.internal.userkit import user_id_to_str
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from allauth.mfa.utils import decrypt
from django.conf import settings

from tests.factories import PASSWORD


def give_totp(user):
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return existing or TOTP.activate(user, generate_totp_secret()).instance


def current_code(user):
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def with_second_factor(client, user):
    authenticator = give_totp(user)
    session = client.session
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
    # What the first staff request after signing in does (matchmaking.middleware).
    session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
    session["staff_seen_at"] = int(time.time())
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email},
        {"method": "mfa", "at": time.time(), "id": authenticator.pk, "type": "totp"},
    ]
    session.save()
    return client


def sign_in_to_the_admin(page, base_url, user, next_path="/admin/"):
    """Through the real forms: email and password, then the authenticator's code."""
    give_totp(user)
    page.goto(f"{base_url}/admin/login/?next={next_path}")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    code_field = page.get_by_label("Code")
    code_field.wait_for()
    # A code typed in the last seconds of its 30 s window may reach the server in the next
    # one and be refused (CI saw it once): then wait for the next code, as a person would.
    if 30 - time.time() % 30 < 3:
        time.sleep(30 - time.time() % 30 + 0.2)
    code_field.fill(current_code(user))
    page.get_by_role("button", name="Sign In").click()
