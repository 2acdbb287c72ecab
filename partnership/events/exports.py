"""An organisation's event schedule as iCalendar, and the secretariat's meeting grid as CSV."""

import csv
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

PRODUCT_ID = "-//EARLALL//Mobility Matchmaking Tool//EN"
GRID_COLUMNS = ["slot start", "slot end", "organisation A", "organisation B", "status"]


def _location(event):
    return ", ".join(part for part in [event.place, event.online_url] if part)


def schedule_calendar(event, registration, meetings) -> bytes:
    """The event and the organisation's accepted meetings, in the event's time zone."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{event.title} – {registration.organisation.name}")
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    stamp = timezone.now()
    entries = [
        (
            f"event-{event.pk}-{registration.pk}@{domain}",
            event.title,
            event.starts_at,
            event.ends_at,
            event.description,
        )
    ]
    for meeting in meetings:
        other = meeting.other_side(registration).organisation
        entries.append(
            (
                f"meeting-{meeting.pk}@{domain}",
                _("Meeting with %(name)s") % {"name": other.name},
                meeting.slot_start,
                meeting.slot_start + event.slot_length,
                f"{event.title}\n\n{meeting.message}",
            )
        )
    for uid, summary, start, end, description in entries:
        entry = icalendar.Event()
        entry.add("uid", uid)
        entry.add("dtstamp", stamp)
        entry.add("dtstart", event.local(start))
        entry.add("dtend", event.local(end))
        entry.add("summary", summary)
        entry.add("description", description)
        if _location(event):
            entry.add("location", _location(event))
        if event.online_url:
            entry.add("url", event.online_url)
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def write_grid(event, meetings, stream):
    """Every meeting as a CSV row (see ``GRID_COLUMNS``), times in the event's time zone."""
    writer = csv.writer(stream)
    writer.writerow(GRID_COLUMNS)
    for meeting in meetings:
        writer.writerow(
            [
                event.local(meeting.slot_start).isoformat(),
                event.local(meeting.slot_start + event.slot_length).isoformat(),
                meeting.requester.organisation.name,
                meeting.recipient.organisation.name,
                meeting.status,
            ]
        )
