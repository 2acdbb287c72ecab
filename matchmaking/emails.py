"""One function per email of the core app; tasks.py calls them."""

from django.conf import settings
from django.urls import reverse

from . import mail
from .mail import Recipient


def membership_added(membership):
    return mail.send(
        "membership_added",
        [Recipient.for_user(membership.user)],
        {
            "membership": membership,
            "organisation": membership.organisation,
            "url": settings.SITE_URL + reverse("desk"),
        },
    )


def invitation(invitation):
    inviter = invitation.invited_by
    language = inviter.preferred_language if inviter else settings.LANGUAGE_CODE
    return mail.send(
        "invitation",
        [Recipient(email=invitation.email, language=language)],
        {
            "invitation": invitation,
            "organisation": invitation.organisation,
            "url": settings.SITE_URL + reverse("account_signup"),
        },
    )


def organisation_suspended(organisation):
    return mail.send(
        "organisation_suspended",
        mail.recipients_of(organisation, admins_only=True),
        {"organisation": organisation, "url": settings.SITE_URL + reverse("desk")},
    )


def organisation_unsuspended(organisation):
    return mail.send(
        "organisation_unsuspended",
        mail.recipients_of(organisation, admins_only=True),
        {"organisation": organisation, "url": settings.SITE_URL + reverse("desk")},
    )
