"""The outbox on its own: rows written with the change, delivered once, retried, given up, swept.

Celery runs eagerly here (the suite's default), so "delivery on commit" means the task runs
when the on-commit callbacks do; the real broker and worker are in tests/integration/.
"""

import datetime
import re
import threading
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.db import connection, transaction
from django.utils import timezone

from exchanges import services
from matchmaking import outbox
from matchmaking.models import OutboxEmail
from matchmaking.outbox import Recipient
from matchmaking.tasks import sweep_outbox
from tests.factories import language
from tests.matchmaking.flaky_backend import FlakyBackend, SlowBackend

pytestmark = pytest.mark.django_db

LENA = Recipient(email="lena@example.org", language="sv", name="Lena")
OLA = Recipient(email="ola@example.org", language="nb", name="Ola")
LOST_CONNECTION = "SMTPServerDisconnected: Connection unexpectedly closed"


@pytest.fixture
def probe(settings, tmp_path):
    """An email template, ``probe``, that shows its note; retries wait 30 s, three at most."""
    folder = tmp_path / "emails" / "probe"
    folder.mkdir(parents=True)
    (folder / "subject.txt").write_text("Probe for {{ recipient.name }}")
    (folder / "body.txt").write_text("{% autoescape off %}{{ note }}{% endautoescape %}")
    (folder / "body.html").write_text("<p>{{ note }}</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    settings.OUTBOX_MAX_ATTEMPTS = 3
    return "probe"


@pytest.fixture
def smtp_drops(settings):
    """``smtp_drops(n)``: the SMTP connection drops for the next n sends."""
    settings.EMAIL_BACKEND = "tests.matchmaking.flaky_backend.FlakyBackend"

    def drop_the_next(count):
        FlakyBackend.failures_left = count

    yield drop_the_next
    FlakyBackend.failures_left = 0


def _queue(template, recipients=(LENA,), *, key="probe:1", note="Hello", **kwargs):
    return outbox.queue(template, list(recipients), {"note": note}, key=key, **kwargs)


def _row(pk):
    return OutboxEmail.objects.get(pk=pk)


def _make_due(pk):
    """As if the time until the next try had passed."""
    OutboxEmail.objects.filter(pk=pk).update(next_attempt_at=timezone.now())


def _sent(mailoutbox):
    return [(message.to, message.subject) for message in mailoutbox]


def test_queuing_writes_a_row_per_recipient_and_sends_them_when_the_change_commits(
    probe, offer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ids = outbox.queue(probe, [LENA, OLA], {"note": "Välkommen", "offer": offer}, key="probe:1")
        # Written with the change, sent only once it commits.
        assert mailoutbox == []
        rows = list(
            OutboxEmail.objects.filter(pk__in=ids)
            .order_by("pk")
            .values_list("recipient", "language", "template", "context", "status", "attempts")
        )
        offer_reference = {"__model__": "exchanges.offer", "pk": offer.pk}
        context = {"note": "Välkommen", "offer": offer_reference, "_headers": {}}
        assert rows == [
            ("lena@example.org", "sv", "probe", context, "pending", 0),
            ("ola@example.org", "nb", "probe", context, "pending", 0),
        ]

    assert _sent(mailoutbox) == [
        (["lena@example.org"], "Probe for Lena"),
        (["ola@example.org"], "Probe for Ola"),
    ]
    for pk in ids:
        assert (_row(pk).status, _row(pk).attempts) == ("sent", 1)
        assert _row(pk).sent_at is not None


def test_queuing_the_same_event_twice_writes_and_sends_it_once(
    probe, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _queue(probe, key="application_status:7")
        second = _queue(probe, key="application_status:7")

    assert len(first) == 1 and second == []
    assert OutboxEmail.objects.count() == 1
    assert _sent(mailoutbox) == [(["lena@example.org"], "Probe for Lena")]


def test_a_change_that_rolls_back_leaves_no_email(
    probe, mailoutbox, django_capture_on_commit_callbacks
):
    class Abandoned(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Abandoned), transaction.atomic():
            _queue(probe)
            raise Abandoned

    assert callbacks == []
    assert not OutboxEmail.objects.exists()
    assert mailoutbox == []


def test_delivering_marks_the_email_sent_and_a_second_delivery_sends_nothing(probe, mailoutbox):
    [pk] = _queue(probe)

    assert outbox.deliver(pk) == "sent"
    assert outbox.deliver(pk) is None

    assert _sent(mailoutbox) == [(["lena@example.org"], "Probe for Lena")]
    email = _row(pk)
    assert (email.status, email.attempts, email.last_error) == ("sent", 1, "")


@pytest.mark.django_db(transaction=True)
def test_an_email_being_sent_elsewhere_is_skipped_not_sent_again(probe, settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.matchmaking.flaky_backend.SlowBackend"
    SlowBackend.reset()
    # Written as queue() writes it, without asking for delivery: two workers will.
    email = OutboxEmail.objects.create(
        recipient=LENA.email,
        recipient_name=LENA.name,
        language=LENA.language,
        template=probe,
        context={"note": "Hello", "_headers": {}},
        idempotency_key="probe:1:lena@example.org",
    )
    outcomes = []

    def first_worker():
        outcomes.append(outbox.deliver(email.pk))
        connection.close()

    first = threading.Thread(target=first_worker)
    first.start()
    try:
        assert SlowBackend.sending.wait(timeout=10)
        # The first worker holds the row while the SMTP server takes its time.
        assert outbox.deliver(email.pk) is None
    finally:
        SlowBackend.release.set()
        first.join(timeout=10)

    assert outcomes == ["sent"]
    assert _sent(mailoutbox) == [(["lena@example.org"], "Probe for Lena")]
    assert (_row(email.pk).status, _row(email.pk).attempts) == ("sent", 1)


def test_an_smtp_error_records_the_error_and_the_next_try(probe, smtp_drops, mailoutbox):
    smtp_drops(1)
    [pk] = _queue(probe)

    before = timezone.now()
    assert outbox.deliver(pk) == "pending"
    after = timezone.now()

    email = _row(pk)
    assert (email.status, email.attempts, email.last_error) == ("pending", 1, LOST_CONNECTION)
    assert before + timedelta(seconds=30) <= email.next_attempt_at <= after + timedelta(seconds=30)
    assert mailoutbox == []
    # Not before its time…
    assert outbox.deliver(pk) is None
    # …and then it goes through.
    _make_due(pk)
    assert outbox.deliver(pk) == "sent"
    assert _sent(mailoutbox) == [(["lena@example.org"], "Probe for Lena")]
    assert (_row(pk).attempts, _row(pk).last_error) == (2, "")


def test_the_wait_doubles_after_every_failed_attempt_up_to_an_hour(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 30

    assert [outbox.retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert outbox.retry_delay(20) == timedelta(hours=1)


def test_it_gives_up_after_the_maximum_number_of_attempts(probe, smtp_drops, mailoutbox):
    smtp_drops(99)
    [pk] = _queue(probe)

    outcomes = []
    for _ in range(3):
        outcomes.append(outbox.deliver(pk))
        _make_due(pk)

    assert outcomes == ["pending", "pending", "failed"]
    assert outbox.deliver(pk) is None
    email = _row(pk)
    assert (email.status, email.attempts, email.last_error) == ("failed", 3, LOST_CONNECTION)
    assert mailoutbox == []


def test_an_email_about_a_deleted_object_fails_and_says_why(probe, offer, mailoutbox):
    [pk] = outbox.queue(probe, [LENA], {"note": "Hello", "offer": offer}, key="probe:1")
    offer_pk = offer.pk
    offer.delete()

    assert outbox.deliver(pk) == "failed"

    email = _row(pk)
    assert email.last_error == f"exchanges.offer {offer_pk} no longer exists"
    assert email.attempts == 1
    assert mailoutbox == []


def test_an_email_that_cannot_be_rendered_fails_and_says_why(mailoutbox):
    [pk] = outbox.queue("no_such_email", [LENA], {}, key="broken")

    assert outbox.deliver(pk) == "failed"

    email = _row(pk)
    assert email.last_error == "TemplateDoesNotExist: emails/no_such_email/subject.txt"
    assert email.attempts == 1
    assert mailoutbox == []


def test_an_email_that_is_not_due_yet_is_not_sent(probe, mailoutbox):
    [pk] = _queue(probe)
    OutboxEmail.objects.filter(pk=pk).update(next_attempt_at=timezone.now() + timedelta(hours=1))

    assert outbox.deliver(pk) is None

    assert (_row(pk).status, _row(pk).attempts) == ("pending", 0)
    assert mailoutbox == []


def test_the_sweeper_asks_again_for_due_emails_whose_task_was_lost(
    probe, settings, mailoutbox, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - timedelta(minutes=5)
    in_an_hour = timezone.now() + timedelta(hours=1)
    [lost] = _queue(probe, [Recipient("lost@example.org", "en", "Lost")], key="lost")
    [just_queued] = _queue(probe, [Recipient("new@example.org", "en", "New")], key="new")
    [waiting] = _queue(probe, [Recipient("later@example.org", "en", "Later")], key="later")
    [sent] = _queue(probe, [Recipient("sent@example.org", "en", "Sent")], key="sent")
    [failed] = _queue(probe, [Recipient("failed@example.org", "en", "Failed")], key="failed")
    OutboxEmail.objects.filter(pk__in=[lost, sent, failed]).update(next_attempt_at=long_ago)
    OutboxEmail.objects.filter(pk=waiting).update(next_attempt_at=in_an_hour)
    OutboxEmail.objects.filter(pk=sent).update(status=OutboxEmail.Status.SENT)
    OutboxEmail.objects.filter(pk=failed).update(status=OutboxEmail.Status.FAILED)

    # What Celery beat runs every minute.
    assert settings.CELERY_BEAT_SCHEDULE["sweep-outbox"]["task"] == sweep_outbox.name
    assert sweep_outbox.delay().get() == 1

    assert _sent(mailoutbox) == [(["lost@example.org"], "Probe for Lost")]
    assert _row(just_queued).status == _row(waiting).status == "pending"
    assert _row(failed).status == "failed"


def _failed(pk):
    OutboxEmail.objects.filter(pk=pk).update(
        status=OutboxEmail.Status.FAILED, attempts=3, last_error=LOST_CONNECTION
    )


def test_resend_puts_failed_emails_back_and_they_are_delivered(
    probe, mailoutbox, django_capture_on_commit_callbacks
):
    [pk] = _queue(probe)
    _failed(pk)

    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.resend(OutboxEmail.objects.filter(pk=pk)) == 1

    assert _sent(mailoutbox) == [(["lena@example.org"], "Probe for Lena")]
    # a fresh series of tries: the one that just succeeded is the first
    assert (_row(pk).status, _row(pk).last_error, _row(pk).attempts) == ("sent", "", 1)


def test_the_secretariat_resends_failed_emails_from_the_admin(
    probe, secretariat, login, mailoutbox, django_capture_on_commit_callbacks
):
    [chosen] = _queue(probe, key="chosen")
    [other] = _queue(probe, [OLA], key="other")
    _failed(chosen)
    _failed(other)
    client = login(secretariat)

    failed_list = client.get("/admin/matchmaking/outboxemail/?status__exact=failed")
    assert "lena@example.org" in failed_list.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/matchmaking/outboxemail/",
            {"action": "resend", "_selected_action": [chosen]},
            follow=True,
        )

    assert "1 email is queued again." in response.content.decode()
    assert _sent(mailoutbox) == [(["lena@example.org"], "Probe for Lena")]
    assert _row(chosen).status == "sent"
    assert _row(other).status == "failed"


def test_signing_up_sends_the_verification_email_through_the_outbox(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    address = "new.coordinator@vestland.example.org"
    password = "Fjord-mobility-2026!"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {
                "first_name": "Anna",
                "last_name": "Berg",
                "email": address,
                "password1": password,
                "password2": password,
                "privacy_consent": "on",
            },
        )

    assert response.status_code == 302
    row = OutboxEmail.objects.get(recipient=address)
    assert (row.template, row.status) == (outbox.ACCOUNT_EMAIL, "sent")
    [message] = mailoutbox
    assert message.to == [address]
    assert "Confirm" in message.subject
    # The link in the email verifies the address.
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", message.body).group(1)
    client.post(link)
    assert EmailAddress.objects.get(email=address).verified


def test_the_html_part_escapes_what_users_typed(
    offer,
    host_coordinator,
    applicant_org,
    applicant_coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    motivation = "<script>alert('hi')</script> & we want to learn"

    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(
            offer=offer,
            organisation=applicant_org,
            acting_user=applicant_coordinator,
            languages=[language("en")],
            motivation=motivation,
            participants=1,
            participant_roles="One advisor in education.",
            preferred_start=offer.available_from,
            preferred_end=offer.available_from + datetime.timedelta(days=1),
        )

    [message] = [m for m in mailoutbox if m.to == [host_coordinator.email]]
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;hi&#x27;)&lt;/script&gt; &amp; we want to learn" in html
    # The text part shows the words as they were typed.
    assert motivation in message.body


def test_the_headers_given_to_queue_reach_the_sent_message(
    probe, mailoutbox, django_capture_on_commit_callbacks
):
    headers = {
        "List-Unsubscribe": "<https://mobility.example.org/alerts/unsubscribe/abc123/>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }

    with django_capture_on_commit_callbacks(execute=True):
        _queue(probe, headers=headers)

    [message] = mailoutbox
    sent = message.message()
    assert sent["List-Unsubscribe"] == headers["List-Unsubscribe"]
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.body == "Hello"
