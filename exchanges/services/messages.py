"""Messages between an application's two sides, and the emails that tell the other side.

**At most one email per thread, person and hour, the rest gathered.** Each person of the other
side has a ``ThreadReader`` row whose ``last_email`` is the latest thread email queued for them.
When a message is written:

- The application's row is locked first (``select_for_update``), so two messages written at
  the same moment on one thread are handled one after the other.
- For each person of the other side:

  * no email yet → one is queued and sent at once;
  * the latest is still pending (waiting for its hour) and we can lock its row → nothing more
    to queue: an email is rendered only when it is sent, and it lists every message the writing
    side wrote from its first one on (``Message.gathered``), this one included. The lock
    (``skip_locked``) is held until this transaction commits, so the worker, which claims rows
    with ``skip_locked`` too, cannot render it before this message is there to be read;
  * the latest was sent, or its row is locked because the worker is sending it right now → a
    new email is queued, held back (the outbox's ``send_at``) until an hour after the latest
    one; the beat's outbox sweeper (every minute) sends it once due, with every message
    written by then ("3 new messages").

So no message is ever left out of the emails, and no person gets a second email about a thread
within the hour. (If a message commits while the worker is rendering the previous email, it
may be listed in that one too and again in the next; never in none.) Without a worker and beat
(the demo's in-process mode) a held-back email waits in the outbox.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from matchmaking.models import Organisation, OutboxEmail, User
from matchmaking.permissions import require_not_suspended

from .. import emails
from ..models import Application, Exchange, Message, Thread, ThreadReader

# The least time between two emails about one thread to one person.
EMAIL_INTERVAL = timedelta(hours=1)


def _other_side(application: Application, organisation: Organisation) -> Organisation:
    if organisation.pk == application.offer.organisation_id:
        return application.organisation
    if organisation.pk == application.organisation_id:
        return application.offer.organisation
    raise PermissionDenied("Only the two sides of an application write on it.")


@transaction.atomic
def message_post(
    *, application: Application, organisation: Organisation, acting_user: User, body: str
) -> Message:
    """Write a message for ``organisation`` (one of the two sides) and tell the other side."""
    other = _other_side(application, organisation)
    application = _lock(application)
    refusal = application.messages_refusal
    if refusal:
        raise ValidationError(str(refusal), code="closed")
    require_not_suspended(organisation)
    thread, _created = Thread.objects.get_or_create(application=application)
    message = Message(thread=thread, organisation=organisation, author=acting_user, body=body)
    message.full_clean()
    message.save()
    # Writing, the person has read the thread up to their own message.
    _read_up_to(thread.pk, acting_user, message)
    # Where the link goes: the exchange once there is one, else the application.
    page = Exchange.objects.filter(application=application).first() or application
    for membership in other.memberships.select_related("user").filter(user__is_active=True):
        if membership.user_id != acting_user.pk:
            _tell(thread, membership.user, message, other, page)
    return message


def _lock(application: Application) -> Application:
    """The application as it is now, its row (and its exchange's, if any) locked until the
    transaction ends: messages on one thread are written one after the other, and a withdrawal,
    decision or cancellation at the same moment comes wholly before or after the check."""
    locked = (
        Application.objects.select_for_update(no_key=True, of=("self",))
        .select_related("offer__organisation", "organisation")
        .get(pk=application.pk)
    )
    list(Exchange.objects.select_for_update(no_key=True).filter(application=locked).values("pk"))
    return locked


def _tell(thread: Thread, user: User, message: Message, other: Organisation, page) -> None:
    """Queue an email about ``message`` to ``user`` (of ``other``, the side that reads it;
    the link goes to ``page``) unless a pending one will list it."""
    reader, _created = ThreadReader.objects.get_or_create(thread=thread, user=user)
    send_at = None
    if reader.last_email_id is not None:
        gathering = (
            OutboxEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=reader.last_email_id, status=OutboxEmail.Status.PENDING)
            .exists()
        )
        if gathering:
            return
        latest = OutboxEmail.objects.filter(pk=reader.last_email_id).first()
        if latest is not None:
            send_at = (latest.sent_at or latest.next_attempt_at) + EMAIL_INTERVAL
    ids = emails.thread_messages(
        message=message, reader=user, organisation=other, page=page, send_at=send_at
    )
    if ids:
        reader.last_email_id = ids[0]
        reader.save(update_fields=["last_email"])


def _read_up_to(thread_id: int, user: User, message: Message) -> None:
    reader, _created = ThreadReader.objects.get_or_create(thread_id=thread_id, user=user)
    # Only forwards: a page opened earlier in another tab does not move the mark back.
    ThreadReader.objects.filter(pk=reader.pk).filter(
        Q(last_read__isnull=True) | Q(last_read_id__lt=message.pk)
    ).update(last_read=message)


def thread_mark_read(*, user: User, up_to: Message | None) -> None:
    """The person has read a thread up to ``up_to``, the newest message the page showed them
    (None: an empty thread, nothing to mark)."""
    if up_to is None or not user.is_authenticated:
        return
    _read_up_to(up_to.thread_id, user, up_to)
