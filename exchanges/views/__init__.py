"""The exchanges app's pages, split by subject."""

from .case_studies import case_study_detail, case_study_list
from .matching import offer_invite, recommendations
from .offers import (
    application_create,
    application_decide,
    application_detail,
    application_message,
    application_withdraw,
    desk,
    offer_action,
    offer_applications,
    offer_create,
    offer_detail,
    offer_edit,
    offer_list,
)
from .profiles import (
    profile_alert,
    profile_create,
    profile_delete,
    profile_edit,
    profile_list,
    profile_unsubscribe,
)
from .records import (
    exchange_calendar,
    exchange_cancel,
    exchange_complete,
    exchange_detail,
    exchange_edit,
    exchange_message,
    follow_up,
    reciprocal_offer,
)

__all__ = [
    "application_create",
    "application_decide",
    "application_detail",
    "application_message",
    "application_withdraw",
    "case_study_detail",
    "case_study_list",
    "desk",
    "exchange_calendar",
    "exchange_cancel",
    "exchange_complete",
    "exchange_detail",
    "exchange_edit",
    "exchange_message",
    "follow_up",
    "offer_action",
    "offer_applications",
    "offer_create",
    "offer_detail",
    "offer_edit",
    "offer_invite",
    "offer_list",
    "profile_alert",
    "profile_create",
    "profile_delete",
    "profile_edit",
    "profile_list",
    "profile_unsubscribe",
    "reciprocal_offer",
    "recommendations",
]
