"""The exchanges app's models, one module per subject."""

from .applications import Application, ApplicationEvent
from .matches import OfferInvitation, OfferProfileMatch
from .offers import Offer, OfferQuerySet

__all__ = [
    "Application",
    "ApplicationEvent",
    "Offer",
    "OfferInvitation",
    "OfferProfileMatch",
    "OfferQuerySet",
]
