"""Messages between the two sides of an application: one thread per application, which goes
on on its exchange once it is accepted (the same two organisations, the same conversation).

Each person who takes part has a ``ThreadReader`` row: how far they have read (the unread
counts on the desk) and the latest email that told them of new messages (which keeps the
emails to at most one per thread and person an hour; see ``exchanges.services.messages``).
"""

from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchmaking.models import Organisation, OutboxEmail

from .applications import Application

MESSAGE_MAX_LENGTH = 4000


class Thread(models.Model):
    """The conversation between an application's two sides, continued on its exchange."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="thread", verbose_name=_("application")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message thread")
        verbose_name_plural = _("message threads")

    def __str__(self):
        return str(self.application)


class Message(models.Model):
    """One message, written by a person for one of the two organisations."""

    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="messages", verbose_name=_("thread")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written for"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    body = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(_("written at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.CheckConstraint(
                condition=~Q(body="") & LessThanOrEqual(Length("body"), MESSAGE_MAX_LENGTH),
                name="message_body_bounded",
            ),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.body[:60]}"

    @cached_property
    def gathered(self):
        """This message and those its organisation wrote in the thread after it, oldest first:
        what one email tells the other side. Worked out once per rendering of the email (its
        subject and bodies share the context), so they agree on the count."""
        return list(
            Message.objects.filter(
                thread_id=self.thread_id, organisation_id=self.organisation_id, pk__gte=self.pk
            ).select_related("author")
        )


class ThreadReader(models.Model):
    """One person's place in a thread: up to which message they have read, and the latest
    email that told them of new messages in it."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="readers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_email = models.ForeignKey(
        OutboxEmail, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("thread reader")
        verbose_name_plural = _("thread readers")
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="thread_reader_unique_user")
        ]

    def __str__(self):
        return f"{self.user} in {self.thread}"
