"""The admin protected like the front door, production headers and settings (issue 9).

Staff reach /admin/ only through the site's throttled sign-in and a second factor proved in
the session; their sessions end after an idle hour; every page carries a strict CSP; with
DEBUG off, ``check --deploy`` finds nothing to warn about.
"""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import PASSWORD, UserFactory
from tests.second_factor import current_code, give_totp

pytestmark = pytest.mark.django_db

BASE_DIR = settings.BASE_DIR


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@earlall.example.org", is_staff=True, is_superuser=True)


def _signed_in_with_password_only(user):
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    return client, response


def test_the_admin_login_is_the_sites_own_form():
    response = Client().get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/admin/"


def test_wrong_passwords_at_the_admin_login_lock_it_like_the_front_door(superuser):
    client = Client()
    form_url = client.get("/admin/login/?next=/admin/", follow=True).request["PATH_INFO"]
    wrong = {"login": superuser.email, "username": superuser.email, "password": "guess"}
    for _ in range(5):
        client.post(form_url, wrong)

    right = {**wrong, "password": PASSWORD}
    response = client.post(form_url, right, follow=True)

    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    assert response.status_code in (200, 429)


def test_staff_without_a_second_factor_are_sent_to_set_one_up(secretariat):
    client = Client()
    client.force_login(secretariat)

    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[0][0] == "/accounts/2fa/?next=%2Fadmin%2F"
    assert "Staff need a second factor" in response.content.decode()


def test_staff_who_signed_in_with_the_password_alone_are_asked_for_the_code(secretariat):
    give_totp(secretariat)
    client = Client()
    client.force_login(secretariat)

    response = client.get("/admin/partnership/promoter/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/reauthenticate/") or response.url.startswith(
        "/accounts/2fa/reauthenticate/"
    )


def test_staff_reach_the_admin_with_password_then_code(secretariat):
    give_totp(secretariat)
    client, response = _signed_in_with_password_only(secretariat)
    assert response.status_code == 302
    assert response.url == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session

    client.post("/accounts/2fa/authenticate/", {"code": current_code(secretariat)})

    admin_index = client.get("/admin/")
    assert admin_index.status_code == 200
    assert "Site administration" in admin_index.content.decode()


def test_people_who_are_not_staff_never_see_the_admin(login, host_coordinator):
    response = login(host_coordinator).get("/admin/")

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_a_staff_session_ends_after_an_idle_hour(login, secretariat, host_coordinator):
    staff = login(secretariat)
    staff.get("/")
    assert staff.session.get_expiry_age() == 60 * 60

    person = login(host_coordinator)
    person.get("/")
    assert person.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 14 * 24 * 3600


def test_every_page_carries_the_production_headers(client):
    response = client.get("/")

    policy = response["Content-Security-Policy"]
    for directive in ("default-src 'self'", "object-src 'none'", "frame-ancestors 'none'"):
        assert directive in policy
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def _production(**extra):
    # The test run's own DJANGO_ALLOW_ASYNC_UNSAFE is no production setting.
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **environment,
        "DEBUG": "off",
        "SECRET_KEY": "a-long-random-production-key-7f3a9c2e81b64d5f0a9e3c7b2d1f8e6a4c",
        "ALLOWED_HOSTS": "matchmaking.example.eu",
        "SITE_URL": "https://matchmaking.example.eu",
        **extra,
    }


def _run(args, env):
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_passes_with_production_settings():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_redirects_to_https_and_sends_hsts():
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "c = Client(HTTP_HOST='matchmaking.example.eu');"
        "r = c.get('/'); print(r.status_code, r['Location']);"
        "r = c.get('/i18n/setlang/', secure=True); print(r['Strict-Transport-Security'])"
    )
    env = _production(DJANGO_SETTINGS_MODULE="matchmaking.settings")
    result = _run(["-c", script], env)

    assert result.returncode == 0, result.stderr
    redirect, hsts = result.stdout.strip().splitlines()[-2:]
    assert redirect == "301 https://matchmaking.example.eu/"
    assert "max-age=31536000" in hsts


def test_hsts_can_be_left_to_a_proxy():
    script = "import django; django.setup(); from django.conf import settings as s;"
    script += "print(s.SECURE_HSTS_SECONDS)"
    env = _production(DJANGO_SETTINGS_MODULE="matchmaking.settings", SECURE_HSTS_SECONDS="0")

    assert _run(["-c", script], env).stdout.strip() == "0"


def test_cache_url_selects_a_shared_redis_cache():
    script = "import django; django.setup(); from django.conf import settings as s;"
    script += "print(s.CACHES['default']['BACKEND'])"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "matchmaking.settings",
        "CACHE_URL": "redis://127.0.0.1:6379/1",
    }

    assert _run(["-c", script], env).stdout.strip() == "django.core.cache.backends.redis.RedisCache"
