"""One function per email of the exchanges app."""

from django.conf import settings

from matchmaking import mail

from .models import Application


def application_received(event):
    """The host's coordinators learn of a new application."""
    application = event.application
    return mail.queue(
        "application_received",
        mail.recipients_of(application.offer.organisation),
        {
            "application": application,
            "offer": application.offer,
            "event": event,
            "url": settings.SITE_URL + application.get_absolute_url(),
        },
        key=f"application_status:{event.pk}",
    )


def application_decided(event):
    """The applicant's coordinators learn that the host shortlisted, accepted or declined."""
    application = event.application
    return mail.queue(
        "application_decided",
        mail.recipients_of(application.organisation),
        {
            "application": application,
            "offer": application.offer,
            "event": event,
            "url": settings.SITE_URL + application.get_absolute_url(),
        },
        key=f"application_status:{event.pk}",
    )


def application_withdrawn(event):
    """The host's coordinators learn that an applicant withdrew."""
    application = event.application
    return mail.queue(
        "application_withdrawn",
        mail.recipients_of(application.offer.organisation),
        {
            "application": application,
            "offer": application.offer,
            "event": event,
            "url": settings.SITE_URL + application.get_absolute_url(),
        },
        key=f"application_status:{event.pk}",
    )


_BY_STATUS = {
    Application.Status.SUBMITTED: application_received,
    Application.Status.SHORTLISTED: application_decided,
    Application.Status.ACCEPTED: application_decided,
    Application.Status.DECLINED: application_decided,
    Application.Status.WITHDRAWN: application_withdrawn,
}


def application_status_changed(event):
    return _BY_STATUS[event.status](event)
