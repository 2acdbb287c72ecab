"""The open API's matchmaking events (``/api/v1/events/``): what the public event pages show —
the event, its places left, and the organisations whose registration is confirmed. Meetings,
attendees and registrations waiting for a decision are never exposed."""

import datetime

from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from matchmaking.api import ERRORS, Country, Page, Paging, country, paginate, site_url

from . import selectors

router = Router(tags=["events"])


class Participant(Schema):
    slug: str
    name: str
    country: Country

    @staticmethod
    def resolve_country(organisation):
        return country(organisation.country)


class EventOut(Schema):
    slug: str
    title: str
    url: str
    description: str
    time_zone: str = Field(description="IANA time zone of the event's times.")
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    online_url: str
    registration_deadline: datetime.datetime
    capacity: int = Field(description="Organisations that can take part.")
    places_left: int
    registrations_need_approval: bool
    participants: list[Participant] = Field(description="Organisations confirmed to take part.")

    @staticmethod
    def resolve_url(event):
        return site_url(event.get_absolute_url())

    @staticmethod
    def resolve_places_left(event):
        return max(event.capacity - event.places_taken, 0)

    @staticmethod
    def resolve_participants(event):
        # Prefetched by _events(): one query for the whole page.
        return [registration.organisation for registration in event.participants_listed]


class EventPage(Page):
    items: list[EventOut]


class EventQuery(Paging):
    upcoming: bool | None = Field(None, description="Only events that have not ended.")


def _events():
    return selectors.events_listed().prefetch_related(
        Prefetch(
            "registrations",
            queryset=selectors.confirmed_participants(),
            to_attr="participants_listed",
        )
    )


@router.get("/", response={200: EventPage, **ERRORS}, summary="List matchmaking events")
def event_list(request: HttpRequest, query: Query[EventQuery]):
    """The partnership's matchmaking events, soonest first."""
    events = _events()
    if query.upcoming:
        events = events.filter(ends_at__gt=timezone.now())
    return paginate(events, query)


@router.get("/{slug}", response={200: EventOut, **ERRORS}, summary="One matchmaking event")
def event_detail(request: HttpRequest, slug: str):
    return get_object_or_404(_events(), slug=slug)
