"""Rendering and sending of every email the product sends, in one small module.

Each email has a folder ``templates/emails/<name>/`` with ``subject.txt``, ``body.txt`` and
``body.html``; it is rendered once per recipient, in that recipient's language. The caller
(a Celery task) decides who receives what; this module only renders and hands the message to
Django's email backend.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


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


def send(name, recipients, context):
    """Render email ``name`` for each recipient in their language and send it; returns count."""
    sent = 0
    for recipient in recipients:
        with translation.override(recipient.language):
            full_context = {**context, "recipient": recipient, "site_url": settings.SITE_URL}
            subject = " ".join(render_to_string(f"emails/{name}/subject.txt", full_context).split())
            full_context["subject"] = subject
            text = render_to_string(f"emails/{name}/body.txt", full_context)
            html = render_to_string(f"emails/{name}/body.html", full_context)
        message = EmailMultiAlternatives(
            subject=subject,
            body=text,
            to=[recipient.email],
        )
        message.attach_alternative(html, "text/html")
        sent += message.send()
    return sent
