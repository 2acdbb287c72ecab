"""Every change to offers, applications and interest profiles goes through these functions.

They validate, write inside one transaction, record who acted, and write the emails to the
outbox in that same transaction; tasks are queued with ``transaction.on_commit``.
"""

from .applications import (
    application_accept,
    application_decline,
    application_shortlist,
    application_submit,
    application_withdraw,
    capacity_left,
)
from .messages import message_post, thread_mark_read
from .offers import (
    offer_archive,
    offer_close,
    offer_create,
    offer_duplicate,
    offer_invite,
    offer_publish,
    offer_update,
)
from .profiles import (
    interest_profile_create,
    interest_profile_delete,
    interest_profile_set_alert,
    interest_profile_unsubscribe,
    interest_profile_update,
)
from .records import (
    case_study_prepare,
    case_study_publish,
    exchange_cancel,
    exchange_complete,
    exchange_create_for,
    exchange_update,
    follow_up_submit,
    reciprocal_offer_draft,
)
from .rounds import (
    round_allocate,
    round_confirm,
    round_create,
    round_rank_applicants,
    round_rank_choices,
    round_record_created,
)
from .weights import matching_weights_activate, matching_weights_create

__all__ = [
    "application_accept",
    "application_decline",
    "application_shortlist",
    "application_submit",
    "application_withdraw",
    "capacity_left",
    "round_allocate",
    "round_confirm",
    "round_create",
    "round_rank_applicants",
    "round_rank_choices",
    "round_record_created",
    "case_study_prepare",
    "case_study_publish",
    "exchange_cancel",
    "exchange_complete",
    "exchange_create_for",
    "exchange_update",
    "follow_up_submit",
    "reciprocal_offer_draft",
    "message_post",
    "thread_mark_read",
    "matching_weights_activate",
    "matching_weights_create",
    "interest_profile_create",
    "interest_profile_delete",
    "interest_profile_set_alert",
    "interest_profile_unsubscribe",
    "interest_profile_update",
    "offer_archive",
    "offer_close",
    "offer_create",
    "offer_duplicate",
    "offer_invite",
    "offer_publish",
    "offer_update",
]
