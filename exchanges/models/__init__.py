"""The exchanges app's models, one module per subject."""

from .applications import Application, ApplicationHistory, ApplicationQuerySet
from .case_studies import CaseStudy, FollowUp, Quote
from .matches import OfferInvitation, OfferProfileMatch
from .messages import MESSAGE_MAX_LENGTH, Message, Thread, ThreadReader
from .offers import Offer, OfferHistory, OfferQuerySet
from .records import Exchange, ExchangeHistory, FewerOpportunityCount, FollowUpSide
from .weights import MatchingWeights

__all__ = [
    "Application",
    "ApplicationHistory",
    "ApplicationQuerySet",
    "CaseStudy",
    "Exchange",
    "ExchangeHistory",
    "FewerOpportunityCount",
    "FollowUp",
    "FollowUpSide",
    "MESSAGE_MAX_LENGTH",
    "MatchingWeights",
    "Message",
    "Quote",
    "Offer",
    "OfferHistory",
    "OfferInvitation",
    "OfferProfileMatch",
    "OfferQuerySet",
    "Thread",
    "ThreadReader",
]
