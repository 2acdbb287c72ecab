"""The exchanges app's pages, split by subject."""

from .matching import offer_invite, recommendations
from .offers import (
    application_create,
    application_decide,
    application_detail,
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

__all__ = [
    "application_create", "application_decide", "application_detail", "application_withdraw",
    "desk", "offer_action", "offer_applications", "offer_create", "offer_detail", "offer_edit",
    "offer_invite", "offer_list", "profile_alert", "profile_create", "profile_delete",
    "profile_edit", "profile_list", "profile_unsubscribe", "recommendations",
]  # fmt: skip
