"""Messages between an application's two sides: the thread on the application and exchange
pages, the gathered emails (at most one per thread, person and hour), the unread counts on
the desk, and who may read and write."""

import datetime
import threading

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.urls import reverse

from exchanges import services
from exchanges.models import Application, Exchange, Message, ThreadReader
from matchmaking import outbox
from matchmaking.models import Membership, OutboxEmail
from tests.factories import (
    ApplicationFactory,
    ExchangeFactory,
    MembershipFactory,
    OfferFactory,
    UserFactory,
)
from tests.pages import field_error, login_url, submission_token, text

pytestmark = pytest.mark.django_db

TEN = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


def _at(minutes):
    return TEN + datetime.timedelta(minutes=minutes)


@pytest.fixture
def application(offer, applicant_org, applicant_coordinator):
    return ApplicationFactory(offer=offer, organisation=applicant_org)


@pytest.fixture
def exchange(offer, applicant_org, applicant_coordinator):
    return ExchangeFactory(
        application__offer=OfferFactory(
            organisation=offer.organisation, title="Study visit to the guidance centre"
        ),
        application__organisation=applicant_org,
    )


def _post(application, user, body):
    """``user`` writes ``body`` for their side, and the emails due at once go out."""
    side = (
        application.offer.organisation
        if Membership.objects.filter(
            user=user, organisation=application.offer.organisation
        ).exists()
        else application.organisation
    )
    with transaction.atomic():
        message = services.message_post(
            application=application, organisation=side, acting_user=user, body=body
        )
    return message


def _write(capture, application, user, body, *, at):
    with time_machine.travel(at, tick=False), capture(execute=True):
        return _post(application, user, body)


def _sweep(at):
    """The beat's outbox sweeper, at ``at``: it sends what is due."""
    with time_machine.travel(at, tick=False):
        outbox.sweep()


def _to(mailoutbox, user):
    return [mail for mail in mailoutbox if mail.to == [user.email]]


# The emails: at most one per thread, person and hour ----------------------------------------


def test_the_first_message_is_emailed_to_the_other_side_at_once(
    application, host_coordinator, applicant_coordinator, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    _write(
        django_capture_on_commit_callbacks,
        application,
        host_coordinator,
        "Welcome! Which dates suit you?",
        at=TEN,
    )

    [email] = mailoutbox
    assert email.to == [applicant_coordinator.email]
    assert email.subject == (
        "A new message from Borås Stad about “Job shadowing of guidance counsellors in Borås”"
    )
    assert "Welcome! Which dates suit you?" in email.body
    assert f"/applications/{application.pk}/#messages" in email.body
    html = email.alternatives[0][0]
    assert "Welcome! Which dates suit you?" in html


def test_messages_within_the_hour_are_gathered_into_one_email_at_the_hours_end(
    application, host_coordinator, host_admin, applicant_coordinator, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    capture = django_capture_on_commit_callbacks
    _write(capture, application, host_coordinator, "First: welcome!", at=TEN)
    _write(capture, application, host_coordinator, "Second: the programme.", at=_at(10))
    _write(capture, application, host_admin, "Third: the hotel.", at=_at(40))

    # Only the first went out; the other two wait together for the hour's end.
    assert len(_to(mailoutbox, applicant_coordinator)) == 1
    _sweep(_at(59))
    assert len(_to(mailoutbox, applicant_coordinator)) == 1

    _sweep(_at(62))

    first, gathered = _to(mailoutbox, applicant_coordinator)
    assert gathered.subject == (
        "2 new messages from Borås Stad about “Job shadowing of guidance counsellors in Borås”"
    )
    assert "Second: the programme." in gathered.body
    assert "Third: the hotel." in gathered.body
    assert "First: welcome!" not in gathered.body
    # Nobody on the writing side is emailed about their own side's messages.
    assert _to(mailoutbox, host_coordinator) == _to(mailoutbox, host_admin) == []


def test_after_a_quiet_hour_the_next_message_is_emailed_at_once_again(
    application, host_coordinator, applicant_coordinator, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    capture = django_capture_on_commit_callbacks
    _write(capture, application, host_coordinator, "Before lunch.", at=TEN)

    _write(capture, application, host_coordinator, "The next day.", at=_at(24 * 60))

    before, after = _to(mailoutbox, applicant_coordinator)
    assert "Before lunch." in before.body
    assert "The next day." in after.body
    assert "Before lunch." not in after.body


def test_a_message_after_a_gathered_email_waits_an_hour_after_that_email(
    application, host_coordinator, applicant_coordinator, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    capture = django_capture_on_commit_callbacks
    _write(capture, application, host_coordinator, "One.", at=TEN)
    _write(capture, application, host_coordinator, "Two.", at=_at(5))
    _sweep(_at(61))  # "Two." goes out at 11:01
    _write(capture, application, host_coordinator, "Three.", at=_at(90))

    waiting = OutboxEmail.objects.get(status=OutboxEmail.Status.PENDING)
    assert waiting.next_attempt_at == _at(121)
    _sweep(_at(100))
    assert len(_to(mailoutbox, applicant_coordinator)) == 2
    _sweep(_at(123))
    assert "Three." in _to(mailoutbox, applicant_coordinator)[-1].body


def test_each_side_is_emailed_the_other_sides_messages_in_its_own_language(
    application, host_coordinator, host_admin, applicant_coordinator, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    host_admin.preferred_language = "sv"
    host_admin.save()

    _write(
        django_capture_on_commit_callbacks,
        application,
        applicant_coordinator,
        "Thank you, 12 May suits us.",
        at=TEN,
    )

    rows = OutboxEmail.objects.filter(template="thread_messages").order_by("recipient")
    assert [(row.recipient, row.language) for row in rows] == [
        (host_admin.email, "sv"),
        (host_coordinator.email, "en"),
    ]
    assert sorted(m.to[0] for m in mailoutbox) == sorted([host_admin.email, host_coordinator.email])
    assert all("Vestland fylkeskommune" in m.subject for m in mailoutbox)


@pytest.mark.django_db(transaction=True)
def test_a_message_written_while_the_gathered_email_is_being_sent_gets_an_email_of_its_own(
    application, host_coordinator, applicant_coordinator, mailoutbox
):
    with time_machine.travel(TEN, tick=False):
        _post(application, host_coordinator, "One.")
    with time_machine.travel(_at(5), tick=False):
        _post(application, host_coordinator, "Two.")
    gathering = OutboxEmail.objects.get(status=OutboxEmail.Status.PENDING)
    claimed, release = threading.Event(), threading.Event()

    def worker_sending_it():
        # What outbox.deliver does: it holds the row's lock while it renders and sends.
        try:
            with transaction.atomic():
                OutboxEmail.objects.select_for_update().get(pk=gathering.pk)
                claimed.set()
                release.wait(10)
        finally:
            connection.close()

    worker = threading.Thread(target=worker_sending_it)
    worker.start()
    assert claimed.wait(10)
    try:
        with time_machine.travel(_at(61), tick=False):
            _post(application, host_coordinator, "Three, while the email goes.")
    finally:
        release.set()
        worker.join()

    # Not counted on the email being sent: a new one, an hour after it.
    [held_back] = OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING).exclude(
        pk=gathering.pk
    )
    assert held_back.next_attempt_at == _at(60 + 60)
    assert ThreadReader.objects.get(user=applicant_coordinator).last_email_id == held_back.pk


def test_a_user_who_left_is_not_emailed(
    application, host_coordinator, applicant_coordinator, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    applicant_coordinator.is_active = False
    applicant_coordinator.save()

    _write(django_capture_on_commit_callbacks, application, host_coordinator, "Hello?", at=TEN)

    assert mailoutbox == []


# Refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Application.Status.WITHDRAWN, Application.Status.DECLINED])
def test_no_message_is_written_on_a_withdrawn_or_declined_application(
    application, host_coordinator, status
):
    Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        _post(application, host_coordinator, "Still there?")

    assert refused.value.code == "closed"
    assert "no new message can be written" in refused.value.messages[0]
    assert not Message.objects.exists()


def test_no_message_is_written_on_a_cancelled_exchange(exchange, host_coordinator):
    Exchange.objects.filter(pk=exchange.pk).update(status=Exchange.Status.CANCELLED)
    application = Application.objects.get(pk=exchange.application_id)

    with pytest.raises(ValidationError, match="The exchange was cancelled"):
        _post(application, host_coordinator, "Still there?")


def test_only_the_two_sides_write(application, outsider):
    with pytest.raises(PermissionDenied):
        services.message_post(
            application=application,
            organisation=outsider.memberships.get().organisation,
            acting_user=outsider,
            body="Hello",
        )


# The pages -----------------------------------------------------------------------------------


def _url(name, obj):
    return reverse(f"exchanges:{name}", kwargs={"pk": obj.pk})


def _message_form(response):
    return 'name="body"' in response.content.decode()


def test_the_host_writes_and_the_applicant_reads_it_on_the_application_page(
    login, application, host_coordinator, applicant_coordinator, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    host = login(host_coordinator)
    page = host.get(_url("application_detail", application))
    assert "No messages yet." in text(page)

    with django_capture_on_commit_callbacks(execute=True):
        response = host.post(
            _url("application_message", application),
            {"body": "Welcome!\nWhich dates suit you?", "submission_token": submission_token(page)},
            follow=True,
        )

    assert response.redirect_chain[-1][0] == _url("application_detail", application) + "#messages"
    assert "Your message is sent." in text(response)
    page = login(applicant_coordinator).get(_url("application_detail", application))
    assert "Messages 1 new" in text(page)
    assert "Welcome!<br>Which dates suit you?" in page.content.decode()
    assert "Borås Stad" in text(page)
    assert [m.to for m in mailoutbox] == [[applicant_coordinator.email]]


def test_html_in_a_message_is_shown_as_text(login, application, host_coordinator):
    _post(application, host_coordinator, '<script>alert("x")</script>\n<b>bold</b>')

    page = login(host_coordinator).get(_url("application_detail", application))

    content = page.content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>&lt;b&gt;bold&lt;/b&gt;" in content
    assert "<b>bold</b>" not in content


def test_an_empty_message_is_refused_next_to_the_field(login, application, host_coordinator):
    response = login(host_coordinator).post(
        _url("application_message", application), {"body": "  "}
    )

    assert response.status_code == 400
    assert field_error(response, "body") == "Write your message before sending it."
    assert not Message.objects.exists()


def test_a_too_long_message_is_refused_next_to_the_field(login, exchange, applicant_coordinator):
    response = login(applicant_coordinator).post(
        _url("exchange_message", exchange), {"body": "x" * 4001}
    )

    assert response.status_code == 400
    assert field_error(response, "body") == (
        "Ensure this value has at most 4000 characters (it has 4001)."
    )
    assert not Message.objects.exists()


def test_a_double_click_sends_the_message_once(login, application, host_coordinator):
    client = login(host_coordinator)
    token = submission_token(client.get(_url("application_detail", application)))

    for _ in range(2):
        client.post(
            _url("application_message", application), {"body": "Hi", "submission_token": token}
        )

    assert Message.objects.count() == 1


def test_the_thread_goes_on_on_the_exchange_page(
    login, exchange, host_coordinator, applicant_coordinator
):
    _post(exchange.application, applicant_coordinator, "Before the acceptance.")

    response = login(host_coordinator).post(
        _url("exchange_message", exchange), {"body": "After it."}, follow=True
    )

    assert response.redirect_chain[-1][0] == _url("exchange_detail", exchange) + "#messages"
    page = text(login(applicant_coordinator).get(_url("exchange_detail", exchange)))
    assert page.index("Before the acceptance.") < page.index("After it.")
    assert "After it." in text(
        login(host_coordinator).get(_url("application_detail", exchange.application))
    )


def test_a_withdrawn_application_keeps_its_thread_readable_but_refuses_new_messages(
    login, application, host_coordinator, applicant_coordinator
):
    _post(application, host_coordinator, "Welcome!")
    Application.objects.filter(pk=application.pk).update(status=Application.Status.WITHDRAWN)
    client = login(applicant_coordinator)

    page = client.get(_url("application_detail", application))
    assert "Welcome!" in text(page)
    assert "The application was withdrawn: its messages stay readable" in text(page)
    assert not _message_form(page)

    response = client.post(_url("application_message", application), {"body": "Hi"}, follow=True)
    assert "no new message can be written" in text(response)
    assert Message.objects.count() == 1


def test_a_cancelled_exchange_refuses_new_messages(login, exchange, host_coordinator):
    Exchange.objects.filter(pk=exchange.pk).update(
        status=Exchange.Status.CANCELLED, cancellation_reason="No flights."
    )
    client = login(host_coordinator)

    page = client.get(_url("exchange_detail", exchange))
    assert "The exchange was cancelled: its messages stay readable" in text(page)
    assert not _message_form(page)
    client.post(_url("exchange_message", exchange), {"body": "Hi"})
    assert not Message.objects.exists()


@pytest.mark.parametrize("name", ["application_message", "exchange_message"])
def test_anonymous_visitors_are_sent_to_log_in(client, exchange, name):
    obj = exchange.application if name == "application_message" else exchange
    url = _url(name, obj)

    response = client.post(url, {"body": "Hi"})

    assert response.status_code == 302
    assert response["Location"] == login_url(url)


@pytest.mark.parametrize("name", ["application_detail", "exchange_detail"])
def test_an_outsider_neither_reads_nor_writes_the_thread(login, exchange, outsider, name):
    obj = exchange.application if name == "application_detail" else exchange
    client = login(outsider)
    message_url = _url(name.replace("detail", "message"), obj)

    assert client.get(_url(name, obj)).status_code == 404
    assert client.post(message_url, {"body": "Hi"}).status_code == 404
    assert not Message.objects.exists()


def test_the_message_urls_take_only_post(login, exchange, host_coordinator):
    client = login(host_coordinator)

    assert client.get(_url("application_message", exchange.application)).status_code == 405
    assert client.get(_url("exchange_message", exchange)).status_code == 405


# Unread counts on the desk -------------------------------------------------------------------


def test_the_desk_counts_unread_messages_until_the_thread_is_opened(
    login, application, exchange, host_coordinator, applicant_coordinator
):
    _post(application, host_coordinator, "On the application.")
    _post(exchange.application, host_coordinator, "On the exchange, one.")
    _post(exchange.application, host_coordinator, "On the exchange, two.")
    client = login(applicant_coordinator)

    desk = text(client.get(reverse("desk")))
    assert "3 unread messages" in desk
    assert desk.count("2 unread messages") == 2  # the exchange's row and its application's row
    assert desk.count("1 unread message ") >= 1

    client.get(_url("exchange_detail", exchange))
    desk = text(client.get(reverse("desk")))
    assert "1 unread message" in desk
    assert "2 unread messages" not in desk

    client.get(_url("application_detail", application))
    assert "unread message" not in text(client.get(reverse("desk")))


def test_the_hosts_desk_lists_the_unread_threads_of_its_offers_applications(
    login, application, host_coordinator, applicant_coordinator
):
    _post(application, applicant_coordinator, "A question about the dates.")

    desk = text(login(host_coordinator).get(reverse("desk")))

    assert "1 unread message Job shadowing of guidance counsellors in Borås — Vestland" in desk
    assert "1 application 1 to decide 1 unread message" in desk


def test_ones_own_messages_are_not_unread_but_a_colleagues_are(
    login, application, host_coordinator, host_admin
):
    _post(application, host_coordinator, "I wrote this.")

    assert "unread" not in text(login(host_coordinator).get(reverse("desk")))
    assert "1 unread message" in text(login(host_admin).get(reverse("desk")))


def test_a_new_colleague_sees_the_whole_thread_as_unread(
    login, application, host_coordinator, host_org
):
    _post(application, host_coordinator, "One.")
    _post(application, host_coordinator, "Two.")
    colleague = UserFactory(email="new@boras.example.org")
    MembershipFactory(user=colleague, organisation=host_org, role=Membership.Role.COORDINATOR)

    page = login(colleague).get(_url("application_detail", application))

    assert "Messages 2 new" in text(page)


# The secretariat reads threads in the admin --------------------------------------------------


def test_the_secretariat_reads_a_thread_in_the_admin_but_cannot_change_it(
    login, application, host_coordinator, secretariat
):
    message = _post(application, host_coordinator, "Welcome <b>to Borås</b>!")
    client = login(secretariat)
    url = reverse("admin:exchanges_thread_change", args=[message.thread_id])

    listing = client.get(reverse("admin:exchanges_thread_changelist"))
    page = client.get(url)

    assert "Vestland fylkeskommune" in text(listing)
    assert "Welcome &lt;b&gt;to Borås&lt;/b&gt;!" in page.content.decode()
    assert 'name="messages-0-body"' not in page.content.decode()
    assert client.post(url, {}).status_code == 403


def test_html_in_a_message_is_text_in_the_email_too(
    application, host_coordinator, applicant_coordinator, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    _write(
        django_capture_on_commit_callbacks,
        application,
        host_coordinator,
        '<a href="https://evil.example">Click</a>\nBye',
        at=TEN,
    )

    [email] = mailoutbox
    html = email.alternatives[0][0]
    assert "&lt;a href=&quot;https://evil.example&quot;&gt;Click&lt;/a&gt;<br>Bye" in html
    assert '<a href="https://evil.example">' in email.body  # plain text stays as written
