"""One function per email of the matchmaking events, each queued in the caller's transaction."""

from django.conf import settings
from django.urls import reverse

from matchmaking import outbox


def _event_url(name, event, query=""):
    return settings.SITE_URL + reverse(name, kwargs={"slug": event.slug}) + query


def _as(organisation):
    """The query that makes an event page act for ``organisation`` (people in several)."""
    return f"?organisation={organisation.slug}"


def event_registration_confirmed(registration):
    """The organisation's people learn that it takes part, and where to find others to meet."""
    event, organisation = registration.event, registration.organisation
    return outbox.queue(
        "event_registration_confirmed",
        outbox.recipients_of(organisation),
        {
            "registration": registration,
            "event": event,
            "organisation": organisation,
            "url": _event_url("events:meetings", event, _as(organisation)),
        },
        key=f"event_registration_confirmed:{registration.pk}",
    )


def event_meeting_requested(meeting):
    """The people of the organisation asked to meet learn who asks, when, and why."""
    organisation = meeting.recipient.organisation
    return outbox.queue(
        "event_meeting_requested",
        outbox.recipients_of(organisation),
        {
            "meeting": meeting,
            "event": meeting.event,
            "requester": meeting.requester.organisation,
            "organisation": organisation,
            "url": _event_url("events:meetings", meeting.event, _as(organisation)),
        },
        key=f"event_meeting_requested:{meeting.pk}",
    )


def event_meeting_accepted(meeting):
    """Both organisations learn that the meeting is in their schedules."""
    queued = []
    for mine, other in [
        (meeting.requester.organisation, meeting.recipient.organisation),
        (meeting.recipient.organisation, meeting.requester.organisation),
    ]:
        queued += outbox.queue(
            "event_meeting_accepted",
            outbox.recipients_of(mine),
            {
                "meeting": meeting,
                "event": meeting.event,
                "organisation": mine,
                "other": other,
                "url": _event_url("events:schedule", meeting.event, _as(mine)),
            },
            key=f"event_meeting_accepted:{meeting.pk}",
        )
    return queued


def _to_requester(template, meeting):
    """The organisation that asked for ``meeting`` is told what became of its request."""
    organisation = meeting.requester.organisation
    return outbox.queue(
        template,
        outbox.recipients_of(organisation),
        {
            "meeting": meeting,
            "event": meeting.event,
            "organisation": organisation,
            "other": meeting.recipient.organisation,
            "url": _event_url("events:meetings", meeting.event, _as(organisation)),
        },
        key=f"{template}:{meeting.pk}",
    )


def event_meeting_declined(meeting):
    """The organisation that asked learns that the other declined."""
    return _to_requester("event_meeting_declined", meeting)


def event_registration_rejected(registration):
    """The organisation's people learn that the secretariat turned its registration down, and
    why."""
    event, organisation = registration.event, registration.organisation
    return outbox.queue(
        "event_registration_rejected",
        outbox.recipients_of(organisation),
        {
            "registration": registration,
            "event": event,
            "organisation": organisation,
            "url": _event_url("events:detail", event),
        },
        key=f"event_registration_rejected:{registration.pk}",
    )


def event_meeting_cancelled(meeting, *, by, withdrawn=False):
    """The other side learns that the organisation of registration ``by`` called the meeting
    (or the request) off, with its reason; ``withdrawn``: because it left the event."""
    other = meeting.other_side(by)
    return outbox.queue(
        "event_meeting_cancelled",
        outbox.recipients_of(other.organisation),
        {
            "meeting": meeting,
            "event": meeting.event,
            "organisation": other.organisation,
            "other": by.organisation,
            "withdrawn": withdrawn,
            "url": _event_url("events:meetings", meeting.event, _as(other.organisation)),
        },
        key=f"event_meeting_cancelled:{meeting.pk}",
    )


def event_meeting_expired(meeting):
    """The organisation that asked learns that nobody answered and that it may ask again."""
    return _to_requester("event_meeting_expired", meeting)
