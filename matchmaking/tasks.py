"""Celery tasks of the core app: delivering the outbox.

The tasks take ids and leave every decision to the outbox row itself (see mail.deliver), so
running one twice, or after a lost message, sends nothing twice.
"""

from celery import shared_task

from . import mail


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver_email(outbox_id):
    return mail.deliver(outbox_id)


@shared_task(ignore_result=True)
def sweep_outbox():
    """Periodic (beat): re-queue pending emails whose delivery task was lost."""
    return mail.sweep()
