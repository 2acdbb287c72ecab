from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "exchanges"
    verbose_name = _("Offers and applications")

    def ready(self):
        from matchmaking.personal_data import register_exporter

        from . import personal_data

        # The offers, applications and exchanges in a person's data download.
        register_exporter("exchanges", personal_data.export)
