"""The Regional Skills Partnership: membership applications, their history, promoters, and
matchmaking events (registrations and 1:1 meetings).

Membership itself is ``Organisation.rsp_member_since`` (matchmaking): the one field that the
rest of the site reads. The services in this app set and clear it, and every change leaves a
``MembershipHistory`` row that says who did it and why.
"""

from partnership.events.models import (
    Event,
    EventRegistration,
    EventRegistrationQuerySet,
    Meeting,
    Slot,
    default_meeting_cap,
)
from partnership.monitoring.models import VetLearnerBaseline

from .membership import (
    Commitment,
    MembershipApplication,
    MembershipApplicationQuerySet,
    MembershipHistory,
    PartnershipMember,
)
from .promoters import Promoter, PromoterHistory, PromoterQuerySet

__all__ = [
    "Commitment",
    "Event",
    "EventRegistration",
    "EventRegistrationQuerySet",
    "Meeting",
    "MembershipApplication",
    "MembershipApplicationQuerySet",
    "MembershipHistory",
    "PartnershipMember",
    "Promoter",
    "PromoterHistory",
    "PromoterQuerySet",
    "Slot",
    "VetLearnerBaseline",
    "default_meeting_cap",
]
