"""Every email the product sends goes through this module, by way of the outbox.

``queue()`` writes one ``OutboxEmail`` row per recipient inside the caller's transaction and
asks for delivery once that transaction commits. ``deliver()`` sends one row: it claims the
row under a lock, renders ``templates/emails/<name>/{subject.txt,body.txt,body.html}`` in the
recipient's language, sends it, and records the outcome — or the error and the next try.
The Celery tasks that run ``deliver()`` and ``sweep()`` are defined at the end of this module,
so that queuing and delivering need no import in both directions; ``matchmaking.tasks`` lists
them under their registered names.

Context values are stored as JSON; model instances in the context are stored as references
and loaded again when the email is rendered.
"""

import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.adapter import get_adapter
from celery import shared_task
from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .models import OutboxEmail

logger = logging.getLogger(__name__)

# An email whose content was rendered elsewhere (allauth's account notices, which hold no secret).
PRE_RENDERED = "_pre_rendered"
# An account email with a secret link (password reset, address confirmation): the row holds
# references only and allauth's adapter makes the link when the email is rendered.
ACCOUNT_EMAIL = "_account"
# The context key that carries extra message headers.
HEADERS = "_headers"

# What the admin calls each email (by its template's name in templates/emails/).
TEMPLATE_TITLES = {
    PRE_RENDERED: _("Account notice"),
    ACCOUNT_EMAIL: _("Account email with a sign-in link"),
    "application_decided": _("Application decided"),
    "application_received": _("Application received"),
    "application_withdrawn": _("Application withdrawn"),
    "case_study_published": _("Case study published"),
    "event_meeting_accepted": _("Event: meeting accepted"),
    "event_meeting_cancelled": _("Event: meeting cancelled"),
    "event_meeting_declined": _("Event: meeting declined"),
    "event_meeting_expired": _("Event: meeting request expired"),
    "event_meeting_requested": _("Event: meeting requested"),
    "event_registration_confirmed": _("Event: registration confirmed"),
    "event_registration_rejected": _("Event: registration rejected"),
    "exchange_cancelled": _("Exchange cancelled"),
    "exchange_in_a_week": _("Exchange in a week"),
    "follow_up_due": _("Follow-up due"),
    "follow_up_reminder": _("Follow-up reminder"),
    "invitation": _("Invitation to an organisation"),
    "invitation_to_apply": _("Invitation to apply"),
    "membership_added": _("Added to an organisation"),
    "membership_approved": _("Partnership membership approved"),
    "membership_ended": _("Partnership membership ended"),
    "membership_rejected": _("Partnership membership rejected"),
    "offer_alert": _("Offer alert"),
    "organisation_changed": _("Organisation changed by the secretariat"),
    "organisation_name_shared": _("Organisation name shared"),
    "organisation_suspended": _("Organisation suspended"),
    "organisation_unsuspended": _("Suspension lifted"),
    "promoter_approved": _("Promoter approved"),
    "promoter_contact": _("Message to a promoter"),
    "promoter_rejected": _("Promoter rejected"),
    "round_hosted": _("Call round: placements at the host's offers"),
    "round_result": _("Call round: the sender's result"),
    "thread_messages": _("New messages on an application or exchange"),
    "weekly_digest": _("Weekly digest"),
}


def template_title(name):
    """The email's name as people read it, e.g. "Application received"."""
    return TEMPLATE_TITLES.get(name) or name.replace("_", " ").strip().capitalize()


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str
    name: str = ""

    @classmethod
    def for_user(cls, user):
        return cls(email=user.email, language=user.preferred_language, name=str(user))


def recipients_of(organisation, *, admins_only=False):
    """Everyone who acts for an organisation (or only its admins), as recipients."""
    memberships = organisation.memberships.select_related("user").filter(user__is_active=True)
    if admins_only:
        memberships = memberships.filter(role="admin")
    return [Recipient.for_user(m.user) for m in memberships]


class ObjectGone(Exception):
    """An object the email is about was deleted before the email could be rendered."""


def _encode(value):
    if isinstance(value, models.Model):
        return {"__model__": value._meta.label_lower, "pk": value.pk}
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        return {key: _encode(item) for key, item in value.items()}
    raise TypeError(f"An email context cannot hold {type(value).__name__}.")


def _decode(value):
    if isinstance(value, dict) and "__model__" in value:
        model = apps.get_model(value["__model__"])
        try:
            return model._default_manager.get(pk=value["pk"])
        except model.DoesNotExist as error:
            raise ObjectGone(f"{value['__model__']} {value['pk']} no longer exists") from error
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if isinstance(value, dict):
        return {key: _decode(item) for key, item in value.items()}
    return value


def queue(name, recipients, context, *, key, headers=None, send_at=None):
    """Write one outbox row per recipient; delivery is asked for when the transaction commits.

    ``key`` identifies the event (e.g. ``"application_status:42"``); with the recipient it
    makes the row's idempotency key, so queuing the same event twice sends it once.
    ``headers`` (e.g. List-Unsubscribe) are added to the message as they are.
    ``send_at`` (a datetime) holds the email back until then: the beat's sweeper sends it
    once it is due, and it is rendered only then (so it can gather what happened meanwhile).
    """
    encoded = _encode({**context, HEADERS: headers or {}})
    due = timezone.now()
    later = send_at is not None and send_at > due
    ids = []
    for recipient in recipients:
        email, created = OutboxEmail.objects.get_or_create(
            idempotency_key=f"{key}:{recipient.email.lower()}"[:255],
            defaults={
                "recipient": recipient.email,
                "recipient_name": recipient.name,
                "language": recipient.language,
                "template": name,
                "context": encoded,
                "next_attempt_at": send_at if later else due,
            },
        )
        if created:
            ids.append(email.pk)
    if ids and not later:
        transaction.on_commit(lambda: request_delivery(ids))
    return ids


def parts_of(message):
    """The subject, text and HTML (or "") of a rendered EmailMessage."""
    alternatives = getattr(message, "alternatives", [])
    html = next((content for content, mimetype in alternatives if mimetype == "text/html"), "")
    return message.subject, message.body, html


def queue_rendered(message, *, key, language):
    """Put an already rendered EmailMessage (allauth's) through the outbox."""
    subject, text, html = parts_of(message)
    context = {"subject": subject, "text": text, "html": html}
    return queue(
        PRE_RENDERED,
        [Recipient(email=address, language=language) for address in message.to],
        context,
        key=key,
    )


def request_delivery(ids):
    """Hand the rows to the worker. If the broker is down the rows wait for the sweeper."""
    for pk in ids:
        try:
            deliver_email.delay(pk)
        except Exception:  # the broker is unreachable; the change itself is already committed
            logger.warning("Could not queue delivery of outbox email %s; the sweeper will.", pk)


def render(email: OutboxEmail):
    """The subject, text and HTML of an outbox email, in its recipient's language."""
    context = _decode(email.context)
    context.pop(HEADERS, None)
    if email.template == PRE_RENDERED:
        return context["subject"], context["text"], context["html"]
    if email.template == ACCOUNT_EMAIL:
        with translation.override(email.language):
            return get_adapter().render_account_email(context)
    with translation.override(email.language):
        context.update(
            recipient=Recipient(
                email=email.recipient, language=email.language, name=email.recipient_name
            ),
            site_url=settings.SITE_URL,
        )
        subject = render_to_string(f"emails/{email.template}/subject.txt", context)
        context["subject"] = subject = " ".join(subject.split())
        text = render_to_string(f"emails/{email.template}/body.txt", context)
        html = render_to_string(f"emails/{email.template}/body.html", context)
    return subject, text, html


def retry_delay(attempts):
    """Exponential backoff: the base delay, doubled after every failed attempt, at most 1 h."""
    return timedelta(seconds=min(settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** (attempts - 1), 3600))


def deliver(pk):
    """Send one outbox email unless it is sent, failed, not yet due or being sent elsewhere.

    Returns the row's status afterwards, or None when another worker holds it.
    """
    with transaction.atomic():
        email = (
            OutboxEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, status=OutboxEmail.Status.PENDING, next_attempt_at__lte=timezone.now())
            .first()
        )
        if email is None:
            return None
        email.attempts += 1
        try:
            subject, text, html = render(email)
            message = EmailMultiAlternatives(
                subject=subject,
                body=text,
                to=[email.recipient],
                headers=email.context.get(HEADERS) or None,
            )
            if html:
                message.attach_alternative(html, "text/html")
            message.send()
        except ObjectGone as error:
            email.status = OutboxEmail.Status.FAILED
            email.last_error = str(error)
        except (smtplib.SMTPException, OSError) as error:
            email.last_error = f"{type(error).__name__}: {error}"
            if email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                email.status = OutboxEmail.Status.FAILED
            else:
                delay = retry_delay(email.attempts)
                email.next_attempt_at = timezone.now() + delay
                transaction.on_commit(lambda: _retry_later(pk, delay))
        except Exception as error:
            # A broken template or header fails the same way every time. Raised, it would
            # leave the row pending with no error, for the sweeper to re-queue every minute.
            logger.exception("Outbox email %s cannot be rendered or sent.", pk)
            email.status = OutboxEmail.Status.FAILED
            email.last_error = f"{type(error).__name__}: {error}"
        else:
            email.status = OutboxEmail.Status.SENT
            email.sent_at = timezone.now()
            email.last_error = ""
        email.save(update_fields=["status", "attempts", "last_error", "next_attempt_at", "sent_at"])
        return email.status


def _retry_later(pk, delay):
    try:
        deliver_email.apply_async((pk,), countdown=delay.total_seconds())
    except Exception:
        logger.warning("Could not schedule the retry of outbox email %s; the sweeper will.", pk)


def sweep(*, grace=timedelta(seconds=60)):
    """Ask again for every pending email that is due and whose delivery task seems lost."""
    due = OutboxEmail.objects.filter(
        status=OutboxEmail.Status.PENDING, next_attempt_at__lte=timezone.now() - grace
    ).values_list("pk", flat=True)
    ids = list(due[:1000])
    request_delivery(ids)
    return len(ids)


def resend(queryset):
    """Put emails back in the queue (the admin's "resend")."""
    ids = list(queryset.values_list("pk", flat=True))
    # A fresh start: the email gets its full series of tries again.
    OutboxEmail.objects.filter(pk__in=ids).update(
        status=OutboxEmail.Status.PENDING, next_attempt_at=timezone.now(), last_error="", attempts=0
    )
    transaction.on_commit(lambda: request_delivery(ids))
    return len(ids)


# The names stay those of matchmaking.tasks, where the tasks were first declared: the beat
# schedule and any message already waiting in the broker refer to them.
@shared_task(
    name="matchmaking.tasks.deliver_email",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def deliver_email(outbox_id):
    return deliver(outbox_id)


@shared_task(name="matchmaking.tasks.sweep_outbox", ignore_result=True)
def sweep_outbox():
    """Periodic (beat): re-queue pending emails whose delivery task was lost."""
    return sweep()
