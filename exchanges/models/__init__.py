"""The exchanges app's models, one module per subject."""

from .applications import Application, ApplicationHistory, ApplicationQuerySet
from .case_studies import CaseStudy, FollowUp, Quote
from .matches import OfferInvitation, OfferProfileMatch
from .offers import Offer, OfferHistory, OfferQuerySet
from .records import Exchange, ExchangeHistory, FewerOpportunityCount, FollowUpSide
from .rescores import RescoreCandidate, RescoreChunk, RescoreRun, ScoringRequest
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
    "MatchingWeights",
    "Quote",
    "RescoreCandidate",
    "RescoreChunk",
    "RescoreRun",
    "ScoringRequest",
    "Offer",
    "OfferHistory",
    "OfferInvitation",
    "OfferProfileMatch",
    "OfferQuerySet",
]
