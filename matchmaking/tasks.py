"""Celery tasks of the core app: delivering the outbox.

The tasks take ids and leave every decision to the outbox row itself (see outbox.deliver), so
running one twice, or after a lost message, sends nothing twice. They are defined in
``matchmaking.outbox`` next to the functions they run (the outbox queues ``deliver_email``
itself, so a module here would import the outbox and be imported by it); Celery's autodiscovery
finds them through this module.
"""

from .outbox import deliver_email, sweep_outbox

__all__ = ["deliver_email", "sweep_outbox"]
