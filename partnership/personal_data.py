"""The partnership app's part of a person's data download (``matchmaking.personal_data``).

What the person sent in: membership applications, promoter nominations, event registrations
and meeting requests, and the history rows they wrote. A nominated promoter's name, biography
and address, and an event registration's attendees, are other people's data and left out.
"""

from matchmaking.personal_data import rows

from .models import (
    EventRegistration,
    Meeting,
    MembershipApplication,
    MembershipHistory,
    Promoter,
    PromoterHistory,
)


def export(user) -> dict:
    return {
        "membership_applications": rows(
            MembershipApplication.objects.filter(submitted_by=user),
            "organisation__name",
            "contact_role",
            "motivation",
            "commitments",
            "status",
            "created_at",
        ),
        "promoter_nominations": rows(
            Promoter.objects.filter(nominated_by=user), "organisation__name", "status", "created_at"
        ),
        "event_registrations": rows(
            EventRegistration.objects.filter(registered_by=user),
            "event__title",
            "organisation__name",
            "status",
            "created_at",
        ),
        "meeting_requests": rows(
            Meeting.objects.filter(requested_by=user),
            "event__title",
            "requester__organisation__name",
            "recipient__organisation__name",
            "slot_start",
            "message",
            "status",
            "created_at",
        ),
        "history": {
            "membership": rows(
                MembershipHistory.objects.filter(actor=user),
                "organisation__name",
                "kind",
                "note",
                "created_at",
            ),
            "promoters": rows(
                PromoterHistory.objects.filter(actor=user), "kind", "note", "created_at"
            ),
        },
    }
