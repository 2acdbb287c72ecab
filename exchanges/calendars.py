"""An exchange as an iCalendar file: one all-day event for the visit."""

import datetime
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

PRODUCT_ID = "-//EARLALL//Mobility Matchmaking Tool//EN"


def exchange_uid(exchange):
    # Stable across downloads, so that importing the file again updates the same entry.
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"exchange-{exchange.pk}@{domain}"


def _description(exchange):
    parts = []
    if exchange.programme:
        parts.append(_("Programme:") + "\n" + exchange.programme)
    if exchange.practical_notes:
        parts.append(_("Practical notes:") + "\n" + exchange.practical_notes)
    parts.append(settings.SITE_URL + exchange.get_absolute_url())
    return "\n\n".join(parts)


def exchange_calendar(exchange) -> bytes:
    offer = exchange.application.offer
    entry = icalendar.Event()
    entry.add("uid", exchange_uid(exchange))
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", exchange.start_date)
    # An all-day event ends on the day *after* its last day (RFC 5545, DTEND is exclusive).
    entry.add("dtend", exchange.end_date + datetime.timedelta(days=1))
    entry.add(
        "summary",
        _("%(title)s: %(host)s hosts %(sender)s")
        % {"title": offer.title, "host": exchange.host.name, "sender": exchange.sender.name},
    )
    entry.add(
        "location",
        ", ".join(filter(None, [offer.city, offer.region_name, exchange.host.country.name])),
    )
    entry.add("description", _description(exchange))
    entry.add("url", settings.SITE_URL + exchange.get_absolute_url())
    cancelled = exchange.is_cancelled
    entry.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add_component(entry)
    return calendar.to_ical()
