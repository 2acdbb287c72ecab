from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PartnershipConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partnership"
    verbose_name = _("Regional Skills Partnership")

    def ready(self):
        from matchmaking.personal_data import register_exporter

        from . import personal_data
        from .permissions import grant_secretariat_permissions

        # Membership applications, nominations and event requests in a person's data download.
        register_exporter("partnership", personal_data.export)

        # The Secretariat group's grants: declared once in partnership.permissions, applied
        # after every migrate (after auth has created this app's permissions).
        post_migrate.connect(
            grant_secretariat_permissions, sender=self, dispatch_uid="secretariat_permissions"
        )
