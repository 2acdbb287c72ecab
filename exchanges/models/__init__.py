"""The exchanges app's models, one module per subject."""

from .applications import Application, ApplicationHistory, ApplicationQuerySet
from .case_studies import CaseStudy, FollowUp, Quote
from .matches import OfferInvitation, OfferProfileMatch
from .messages import MESSAGE_MAX_LENGTH, Message, Thread, ThreadReader
from .offers import Offer, OfferHistory, OfferQuerySet
from .records import Exchange, ExchangeHistory, FewerOpportunityCount, FollowUpSide
from .rescores import RescoreCandidate, RescoreChunk, RescoreRun, ScoringRequest
from .rounds import (
    CallRound,
    RoundEntry,
    RoundHistory,
    RoundPlacement,
    RoundProposal,
    host_order,
    reason_in_words,
)
from .weights import MatchingWeights

__all__ = [
    "Application",
    "ApplicationHistory",
    "ApplicationQuerySet",
    "CallRound",
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
    "RescoreCandidate",
    "RescoreChunk",
    "RescoreRun",
    "ScoringRequest",
    "RoundEntry",
    "RoundHistory",
    "RoundPlacement",
    "RoundProposal",
    "host_order",
    "reason_in_words",
    "Offer",
    "OfferHistory",
    "OfferInvitation",
    "OfferProfileMatch",
    "OfferQuerySet",
    "Thread",
    "ThreadReader",
]
