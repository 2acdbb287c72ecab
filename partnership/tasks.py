"""The partnership's work on the worker: the monitoring's unfiltered figures counted ahead,
and the meeting requests of events that nobody answered in time expired."""

from celery import shared_task
from django.conf import settings
from django.utils import translation

from .events import services as event_services
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


@shared_task
def expire_meeting_requests():
    """Expire the meeting requests nobody answered in EVENT_MEETING_REQUEST_EXPIRY days (beat
    runs it every hour; idempotent: each request is claimed once)."""
    return event_services.meeting_requests_expire()
