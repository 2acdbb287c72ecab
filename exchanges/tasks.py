"""Celery tasks of the exchanges app: they take ids, load, and send."""

from celery import shared_task

from . import emails
from .models import ApplicationEvent


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_application_status(event_id):
    """Tell the other side about one change in an application's status."""
    event = (
        ApplicationEvent.objects.select_related(
            "actor", "application__offer__organisation", "application__organisation"
        )
        .filter(pk=event_id)
        .first()
    )
    if event is not None:
        emails.application_status_changed(event)
