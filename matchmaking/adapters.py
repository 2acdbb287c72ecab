from allauth.account.adapter import DefaultAccountAdapter

from . import services


class AccountAdapter(DefaultAccountAdapter):
    def confirm_email(self, request, email_address):
        """Once an address is verified, the invitations sent to it become memberships."""
        super().confirm_email(request, email_address)
        services.invitations_claim(user=email_address.user)
