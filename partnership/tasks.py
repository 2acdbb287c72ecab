"""The partnership's work on the worker: the monitoring's unfiltered figures counted ahead."""

from celery import shared_task
from django.conf import settings
from django.utils import translation

from .monitoring import selectors
from .monitoring.selectors import Filters


@shared_task
def refresh_monitoring_figures():
    """Count the figures of the public page and the unfiltered dashboard again, in every
    language of the site, before the ones in the cache expire (beat runs it every
    MONITORING_CACHE_SECONDS)."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            selectors.cached_indicators(Filters(), refresh=True)
