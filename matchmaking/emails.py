"""One function per email of the core app. Each queues outbox rows in the caller's transaction."""

from itertools import groupby

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst

from . import outbox
from .outbox import Recipient
from .permissions import secretariat_staff


def _url(name):
    return settings.SITE_URL + reverse(name)


def membership_added(membership, *, added_by=None):
    return outbox.queue(
        "membership_added",
        [Recipient.for_user(membership.user)],
        {
            "membership": membership,
            "organisation": membership.organisation,
            "added_by": added_by.display_name if added_by else "",
            "url": _url("desk"),
        },
        key=f"membership_added:{membership.pk}",
    )


def invitation(invitation):
    inviter = invitation.invited_by
    language = inviter.preferred_language if inviter else settings.LANGUAGE_CODE
    return outbox.queue(
        "invitation",
        [Recipient(email=invitation.email, language=language)],
        {
            "invitation": invitation,
            "organisation": invitation.organisation,
            # Who invited them, so that the email is recognised as expected, not as spam.
            "inviter": inviter.display_name if inviter else "",
            "url": _url("account_signup"),
        },
        key=f"invitation:{invitation.pk}",
    )


def organisation_suspended(organisation):
    return outbox.queue(
        "organisation_suspended",
        outbox.recipients_of(organisation, admins_only=True),
        {"organisation": organisation, "url": _url("desk")},
        key=f"organisation_suspended:{organisation.pk}:{organisation.suspended_at.isoformat()}",
    )


def organisation_unsuspended(organisation, *, suspended_at):
    return outbox.queue(
        "organisation_unsuspended",
        outbox.recipients_of(organisation, admins_only=True),
        {"organisation": organisation, "url": _url("desk")},
        key=f"organisation_unsuspended:{organisation.pk}:{suspended_at.isoformat()}",
    )


def field_labels(obj, names):
    """The labels of a model's fields, in the active language (a name that is no field, as is)."""
    labels = []
    for name in names:
        try:
            labels.append(capfirst(str(obj._meta.get_field(name).verbose_name)))
        except FieldDoesNotExist:
            labels.append(str(name))
    return labels


def organisation_changed(organisation, *, entry, changed, fields):
    """The organisation's admins, each in their language, learn what the secretariat changed."""
    url = settings.SITE_URL + (
        changed.get_absolute_url() if hasattr(changed, "get_absolute_url") else reverse("desk")
    )
    ids = []
    by_language = sorted(outbox.recipients_of(organisation, admins_only=True), key=_language)
    for language, recipients in groupby(by_language, key=_language):
        with translation.override(language):
            context = {
                "organisation": organisation,
                "actor": entry.actor,
                "what": str(changed._meta.verbose_name),
                "object": str(changed),
                "fields": field_labels(changed, fields),
                "url": url,
            }
        ids += outbox.queue(
            "organisation_changed",
            list(recipients),
            context,
            key=f"organisation_changed:{entry.pk}",
        )
    return ids


def _language(recipient):
    return recipient.language


def organisation_name_shared(organisation, *, namesakes, acting_user):
    """The secretariat is told of a new organisation whose name another one has."""
    url = settings.SITE_URL + reverse(
        "admin:matchmaking_organisation_change", args=[organisation.pk]
    )
    return outbox.queue(
        "organisation_name_shared",
        [Recipient.for_user(user) for user in secretariat_staff()],
        {
            "organisation": organisation,
            "namesakes": list(namesakes),
            "created_by": acting_user.email,
            "url": url,
        },
        key=f"organisation_name_shared:{organisation.pk}",
    )
