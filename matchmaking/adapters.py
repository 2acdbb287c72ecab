"""allauth's hooks: invitations claimed on verification, account emails through the outbox.

An account email that carries a secret (the password-reset link, the address-confirmation
link) is queued as a reference to the user or address only; the link is made when the worker
renders the email (``render_account_email``), so no outbox row, admin page or database dump
ever holds a working token.
"""

import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from . import outbox, services
from .outbox import Recipient

PASSWORD_RESET = "password_reset"
CONFIRMATION = "email_confirmation"
CONFIRMATION_SIGNUP = "email_confirmation_signup"


@dataclass(frozen=True)
class EmailSite:
    """What allauth's templates read as ``current_site`` when there is no request."""

    name: str
    domain: str


def _site():
    """The site as every account email names it: SITE_NAME at the address of SITE_URL."""
    return EmailSite(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """The new user, with the consent to the privacy notice the sign-up form required
        (``SignupForm.privacy_consent``): when and to which version, in the same save."""
        user = super().save_user(request, user, form, commit=False)
        if form.cleaned_data.get("privacy_consent"):
            services.user_consent_to_privacy_notice(user)
        if commit:
            user.save()
        return user

    def confirm_email(self, request, email_address):
        """Once an address is verified, the invitations sent to it become memberships.

        allauth reads the answer (whether the address is now verified): without it the
        confirmation counted as failed and never signed the person in."""
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            services.invitations_claim(user=email_address.user)
        return confirmed

    def send_mail(self, template_prefix, email, context):
        """Account emails without a secret (notices) go through the outbox already rendered.

        Their templates read the site's name and the address as allauth's own ``send_mail``
        gives them; without ``django.contrib.sites`` they came out empty ("Hello from !")."""
        context = {"email": email, **context, "current_site": _site()}
        message = self.render_mail(template_prefix, email, context)
        outbox.queue_rendered(
            message,
            key=f"account:{template_prefix}:{uuid.uuid4()}",
            language=translation.get_language(),
        )

    def send_password_reset_mail(self, user, email, context):
        """Queue the reset email with a reference to the user; the link is made at send time."""
        self._queue_secret(PASSWORD_RESET, email, {"user": user, "email": email})

    def send_confirmation_mail(self, request, emailconfirmation, signup):
        """Queue the confirmation with a reference to the address; the link is made at send time."""
        kind = CONFIRMATION_SIGNUP if signup else CONFIRMATION
        address = emailconfirmation.email_address
        self._queue_secret(kind, address.email, {"email_address": address})

    def _queue_secret(self, kind, email, references):
        outbox.queue(
            outbox.ACCOUNT_EMAIL,
            [Recipient(email=email, language=translation.get_language() or settings.LANGUAGE_CODE)],
            {"kind": kind, **references},
            key=f"account:{kind}:{uuid.uuid4()}",
        )

    def render_account_email(self, context):
        """The subject, text and HTML of a queued account email, its link made now."""
        kind = context["kind"]
        if kind == PASSWORD_RESET:
            user = context["user"]
            uid = user_pk_to_url_str(user)
            token = account_settings.PASSWORD_RESET_TOKEN_GENERATOR().make_token(user)
            path = reverse("account_reset_password_from_key", kwargs={"uidb36": uid, "key": token})
            template_prefix = "account/email/password_reset_key"
            email = context.get("email") or user.email
            values = {"user": user, "password_reset_url": settings.SITE_URL + path}
        elif kind in (CONFIRMATION, CONFIRMATION_SIGNUP):
            address = context["email_address"]
            key = EmailConfirmationHMAC(address).key
            path = reverse("account_confirm_email", args=[key])
            template_prefix = f"account/email/{kind}"
            email = address.email
            values = {"user": address.user, "activate_url": settings.SITE_URL + path}
        else:
            raise ValueError(f"Unknown account email {kind!r}.")
        message = self.render_mail(
            template_prefix, email, {"email": email, "current_site": _site(), **values}
        )
        return outbox.parts_of(message)
