"""The exchanges app's part of a person's data download (``matchmaking.personal_data``).

What the person's organisations hold here and the person may see: the offers they host, the
applications they sent and received, their exchanges and follow-ups; and what the person
wrote: messages and history rows. Rows carry no author (another coordinator's name is not the
person's data), and the follow-ups' quotes are left out: they name the people quoted.
"""

from django.db.models import Q

from matchmaking.personal_data import rows

from .models import (
    Application,
    ApplicationHistory,
    Exchange,
    ExchangeHistory,
    FollowUp,
    Message,
    Offer,
    OfferHistory,
)


def _organisations(user):
    return user.organisations.values("pk")


def export(user) -> dict:
    organisations = _organisations(user)
    return {
        "offers": rows(
            Offer.objects.filter(organisation__in=organisations),
            "id",
            "organisation__name",
            "title",
            "exchange_type__name",
            "target_group",
            "description",
            "programme",
            "city",
            "region_name",
            "available_from",
            "available_until",
            "duration_days",
            "capacity",
            "application_deadline",
            "status",
            "created_at",
            "updated_at",
        ),
        "applications": rows(
            Application.objects.filter(
                Q(organisation__in=organisations) | Q(offer__organisation__in=organisations)
            ),
            "id",
            "offer__title",
            "offer__organisation__name",
            "organisation__name",
            "motivation",
            "participants",
            "fewer_opportunity_participants",
            "participant_roles",
            "preferred_start",
            "preferred_end",
            "status",
            "created_at",
        ),
        "exchanges": rows(
            Exchange.objects.filter(Q(host__in=organisations) | Q(sender__in=organisations)),
            "id",
            "application__offer__title",
            "host__name",
            "sender__name",
            "start_date",
            "end_date",
            "duration_days",
            "participants",
            "fewer_opportunity_participants",
            "programme",
            "practical_notes",
            "status",
        ),
        "follow_ups": rows(
            FollowUp.objects.filter(organisation__in=organisations),
            "exchange_id",
            "organisation__name",
            "side",
            "account",
            "lessons",
            "next_steps",
            "submitted_at",
        ),
        "messages": rows(
            Message.objects.filter(author=user).order_by("pk"),
            "thread__application_id",
            "organisation__name",
            "body",
            "created_at",
        ),
        "history": {
            "offers": rows(
                OfferHistory.objects.filter(actor=user), "offer_id", "kind", "note", "created_at"
            ),
            "applications": rows(
                ApplicationHistory.objects.filter(actor=user),
                "application_id",
                "kind",
                "note",
                "created_at",
            ),
            "exchanges": rows(
                ExchangeHistory.objects.filter(actor=user),
                "exchange_id",
                "kind",
                "note",
                "created_at",
            ),
        },
    }
