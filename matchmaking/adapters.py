import uuid

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from . import mail, services


class AccountAdapter(DefaultAccountAdapter):
    def confirm_email(self, request, email_address):
        """Once an address is verified, the invitations sent to it become memberships."""
        super().confirm_email(request, email_address)
        services.invitations_claim(user=email_address.user)

    def send_mail(self, template_prefix, email, context):
        """Account emails (verification, password reset) go through the outbox like all others."""
        message = self.render_mail(template_prefix, email, context)
        mail.queue_rendered(
            message, key=f"account:{template_prefix}:{uuid.uuid4()}", language=translation.get_language()
        )
