"""Account emails with a secret link keep no secret in the outbox (issue 9, finding 1).

A secretariat member could ask for the superuser's password reset, read the link in the
outbox admin and take the account. The row now holds references only; the link is made when
the worker renders the email, so neither the admin nor a database dump shows it.
"""

import importlib
import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from matchmaking import outbox
from matchmaking.models import OutboxEmail
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

RESET_LINK = re.compile(r"http://127\.0\.0\.1:8000(/accounts/password/reset/key/\S+/)")
CONFIRM_LINK = re.compile(r"http://127\.0\.0\.1:8000(/accounts/confirm-email/\S+/)")


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@earlall.example.org", is_staff=True, is_superuser=True)


def _ask_for_a_reset(email, capture):
    with capture(execute=True):
        response = Client().post("/accounts/password/reset/", {"email": email})
    assert response.status_code == 302


def _everything_the_admin_shows(client, row):
    listing = client.get("/admin/matchmaking/outboxemail/").content.decode()
    change = client.get(f"/admin/matchmaking/outboxemail/{row.pk}/change/").content.decode()
    return listing + change


def test_the_secretariat_cannot_read_a_reset_link_in_the_outbox(
    superuser, secretariat, login, mailoutbox, django_capture_on_commit_callbacks
):
    _ask_for_a_reset(superuser.email, django_capture_on_commit_callbacks)

    [message] = mailoutbox
    link = RESET_LINK.search(message.body).group(1)
    token = link.rstrip("/").rsplit("/", 1)[1]
    row = OutboxEmail.objects.get(recipient=superuser.email)
    assert row.status == "sent"
    assert token not in json.dumps(row.context)
    assert "password/reset/key" not in json.dumps(row.context)
    shown = _everything_the_admin_shows(login(secretariat), row)
    assert superuser.email in shown  # the page is the outbox row's
    assert token not in shown
    assert "password/reset/key" not in shown


def test_the_reset_link_made_at_send_time_sets_a_new_password(
    superuser, mailoutbox, django_capture_on_commit_callbacks
):
    _ask_for_a_reset(superuser.email, django_capture_on_commit_callbacks)
    link = RESET_LINK.search(mailoutbox[0].body).group(1)

    client = Client()
    form = client.get(link, follow=True)
    assert form.status_code == 200
    assert 'name="password1"' in form.content.decode()
    new_password = "Another-strong-pass-2026"
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"password1": new_password, "password2": new_password},
    )
    assert done.status_code == 302
    superuser.refresh_from_db()
    assert superuser.check_password(new_password)


def test_a_reset_queued_while_the_broker_is_down_still_holds_no_link(
    superuser, django_capture_on_commit_callbacks
):
    # Without running the on-commit delivery the row waits, as it would with Redis down.
    with django_capture_on_commit_callbacks(execute=False):
        Client().post("/accounts/password/reset/", {"email": superuser.email})

    row = OutboxEmail.objects.get(recipient=superuser.email)
    assert row.status == "pending"
    assert row.template == outbox.ACCOUNT_EMAIL
    assert "key" not in json.dumps(row.context).replace('"kind"', "")
    assert "http" not in json.dumps(row.context)


def test_a_reset_link_made_after_the_password_changed_does_not_work(
    superuser, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        Client().post("/accounts/password/reset/", {"email": superuser.email})
    first = OutboxEmail.objects.get(recipient=superuser.email)
    _ask_for_a_reset(superuser.email, django_capture_on_commit_callbacks)
    link = RESET_LINK.search(mailoutbox[0].body).group(1)
    superuser.set_password("Changed-in-between-2026")
    superuser.save()

    outbox.deliver(first.pk)
    stale = RESET_LINK.search(mailoutbox[1].body).group(1)

    page = Client().get(link, follow=True).content.decode()
    assert 'name="password1"' not in page
    # The email rendered after the change carries a link that works again.
    assert 'name="password1"' in Client().get(stale, follow=True).content.decode()


def test_the_confirmation_link_is_made_at_send_time_and_verifies_the_address(
    secretariat, login, mailoutbox, django_capture_on_commit_callbacks
):
    address = "new.coordinator@vestland.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(
            "/accounts/signup/",
            {
                "first_name": "Anna",
                "last_name": "Berg",
                "email": address,
                "password1": PASSWORD,
                "password2": PASSWORD,
                "privacy_consent": "on",
            },
        )

    row = OutboxEmail.objects.get(recipient=address)
    [message] = mailoutbox
    link = CONFIRM_LINK.search(message.body).group(1)
    key = link.rstrip("/").rsplit("/", 1)[1]
    assert key not in json.dumps(row.context)
    assert key not in _everything_the_admin_shows(login(secretariat), row)
    Client().post(link)
    assert EmailAddress.objects.get(email=address).verified


def test_the_account_email_is_written_in_the_recipients_language(
    superuser, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(
            "/accounts/password/reset/", {"email": superuser.email}, HTTP_ACCEPT_LANGUAGE="sv"
        )

    row = OutboxEmail.objects.get(recipient=superuser.email)
    assert row.language == "sv"
    assert RESET_LINK.search(mailoutbox[0].body)


def test_rows_queued_before_the_fix_lose_their_links():
    migration = importlib.import_module("matchmaking.migrations.0007_outbox_forget_account_links")
    secret = "http://127.0.0.1:8000/accounts/password/reset/key/3-abc123-secret/"
    old = OutboxEmail.objects.create(
        recipient="root@earlall.example.org",
        language="en",
        template=outbox.PRE_RENDERED,
        context={"subject": "Password reset", "text": secret, "html": f"<a href='{secret}'>x</a>"},
        idempotency_key="account:account/email/password_reset_key:1f2e:root@earlall.example.org",
    )
    notice = OutboxEmail.objects.create(
        recipient="root@earlall.example.org",
        language="en",
        template=outbox.PRE_RENDERED,
        context={"subject": "Password changed", "text": "Your password was changed.", "html": ""},
        idempotency_key="account:account/email/password_changed:9a8b:root@earlall.example.org",
        status="sent",
    )

    from django.apps import apps

    migration.forget_links(apps, None)

    old.refresh_from_db()
    notice.refresh_from_db()
    assert secret not in json.dumps(old.context)
    assert old.status == "failed"
    assert old.context["subject"] == "Password reset"
    assert notice.context["text"] == "Your password was changed."
