"""One function per email of the partnership (membership, promoters), each queued in the caller's
transaction. The matchmaking events' emails are in ``partnership.events.emails``."""

from email.utils import formataddr
from uuid import uuid4

from django.conf import settings
from django.urls import reverse

from matchmaking import outbox
from matchmaking.outbox import Recipient

# Promoters name the languages they speak (ISO 639-1); the site's Norwegian is Bokmål.
_SITE_LANGUAGE_FOR = {"no": "nb", "nn": "nb"}


def _url(name, query=""):
    return settings.SITE_URL + reverse(name) + query


def _admins(organisation):
    return outbox.recipients_of(organisation, admins_only=True)


def membership_approved(application):
    """The organisation's admins learn that it is a member from today."""
    return outbox.queue(
        "membership_approved",
        _admins(application.organisation),
        {
            "application": application,
            "organisation": application.organisation,
            "url": _url("partnership:members"),
        },
        key=f"membership_decided:{application.pk}",
    )


def membership_rejected(application):
    """The organisation's admins learn that the secretariat declined, and why."""
    return outbox.queue(
        "membership_rejected",
        _admins(application.organisation),
        {
            "application": application,
            "organisation": application.organisation,
            "url": _url("partnership:join"),
        },
        key=f"membership_decided:{application.pk}",
    )


def membership_ended(entry):
    """The organisation's admins learn that its membership ended: it left, or was ended."""
    return outbox.queue(
        "membership_ended",
        _admins(entry.organisation),
        {"entry": entry, "organisation": entry.organisation, "url": _url("partnership:about")},
        key=f"membership_ended:{entry.pk}",
    )


def promoter_approved(promoter):
    """The nominating organisation's admins learn that their promoter is on the public page."""
    return outbox.queue(
        "promoter_approved",
        _admins(promoter.organisation),
        {
            "promoter": promoter,
            "organisation": promoter.organisation,
            "url": _url("partnership:promoters", f"#promoter-{promoter.pk}"),
        },
        key=f"promoter_decided:{promoter.pk}",
    )


def promoter_rejected(promoter):
    """The nominating organisation's admins learn that the secretariat declined, and why."""
    return outbox.queue(
        "promoter_rejected",
        _admins(promoter.organisation),
        {
            "promoter": promoter,
            "organisation": promoter.organisation,
            "url": _url("partnership:promoter_nominate"),
        },
        key=f"promoter_decided:{promoter.pk}",
    )


def _promoter_language(promoter):
    site_languages = {code for code, _name in settings.LANGUAGES}
    for code in promoter.languages.order_by("name").values_list("code", flat=True):
        code = _SITE_LANGUAGE_FOR.get(code, code)
        if code in site_languages:
            return code
    return settings.LANGUAGE_CODE


def promoter_contact(promoter, *, sender_name, sender_email, message):
    """A visitor's message to a promoter; the promoter answers by replying to the sender."""
    return outbox.queue(
        "promoter_contact",
        [
            Recipient(
                email=promoter.contact_email,
                language=_promoter_language(promoter),
                name=promoter.name,
            )
        ],
        {
            "promoter": promoter,
            "sender_name": sender_name,
            "sender_email": sender_email,
            "message": message,
            "url": _url("partnership:promoters", f"#promoter-{promoter.pk}"),
        },
        # Every message is its own event; nothing identifies it but itself.
        key=f"promoter_contact:{promoter.pk}:{uuid4()}",
        headers={"Reply-To": formataddr((sender_name, sender_email))},
    )
