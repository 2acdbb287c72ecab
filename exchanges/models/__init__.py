"""The exchanges app's models, one module per subject."""

from .applications import Application, ApplicationEvent, ApplicationQuerySet
from .case_studies import CaseStudy, FollowUp, Quote
from .matches import OfferInvitation, OfferProfileMatch
from .offers import Offer, OfferQuerySet
from .records import Exchange, ExchangeEvent, FewerOpportunityCount, FollowUpSide

__all__ = [
    "Application",
    "ApplicationEvent",
    "ApplicationQuerySet",
    "CaseStudy",
    "Exchange",
    "ExchangeEvent",
    "FewerOpportunityCount",
    "FollowUp",
    "FollowUpSide",
    "Quote",
    "Offer",
    "OfferInvitation",
    "OfferProfileMatch",
    "OfferQuerySet",
]
