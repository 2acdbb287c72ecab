"""Who may see and change what in the exchanges, decided here and nowhere else.

Builds on ``matchmaking.permissions``: offers, applications, profiles and exchanges are loaded
*through* the organisations the user belongs to, so someone else's is a 404. An offer's host
is the organisation that posted it; an application has two sides (the host and the applicant),
an exchange two parties (the host and the sender). Draft case studies are for the secretariat.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from matchmaking.models import InterestProfile
from matchmaking.permissions import (
    is_admin_of,
    is_member_of,
    is_secretariat,
    organisations_for,
)

from .models import Application, CallRound, CaseStudy, Exchange, Offer
from .selectors import with_card_data

VIEW_DRAFT_CASE_STUDIES = "exchanges.view_casestudy"
PUBLISH_CASE_STUDIES = "exchanges.publish_casestudy"
ACTIVATE_MATCHING_WEIGHTS = "exchanges.activate_matchingweights"
# The secretariat organises its own call rounds (those without an organiser organisation).
ORGANISE_CALL_ROUNDS = "exchanges.change_callround"

_EXCHANGE_RELATIONS = (
    "application__offer__exchange_type",
    "application__offer__organisation",
    "host",
    "sender",
)


# Predicates


def is_host(user, offer) -> bool:
    """Whether the user belongs to the organisation that posted the offer."""
    return is_member_of(user, offer.organisation)


def is_applicant(user, application) -> bool:
    """Whether the user belongs to the organisation that sent the application."""
    return is_member_of(user, application.organisation)


def is_sender(user, exchange) -> bool:
    """Whether the user belongs to the organisation that sent participants to the exchange."""
    return organisations_for(user).filter(pk=exchange.sender_id).exists()


def can_publish_case_studies(user) -> bool:
    return is_secretariat(user, PUBLISH_CASE_STUDIES)


def can_activate_matching_weights(user) -> bool:
    return is_secretariat(user, ACTIVATE_MATCHING_WEIGHTS)


# Scoped loaders


def offer_for_viewer(user, pk):
    """An offer as a visitor sees it.

    Published and closed offers are public (a closed one stays readable for the exchanges and
    case studies that point to it); drafts and archived ones only to the host's members and to
    the organisations that applied to them.
    """
    mine = organisations_for(user)
    visible = Offer.objects.filter(
        Q(
            status__in=(Offer.Status.PUBLISHED, Offer.Status.CLOSED),
            organisation__is_suspended=False,
        )
        | Q(organisation__in=mine)
        | Q(applications__organisation__in=mine)
    )
    return get_object_or_404(with_card_data(visible.distinct()), pk=pk)


def offer_for_host(user, pk):
    """An offer the user may manage; 404 for anyone outside the host organisation."""
    return get_object_or_404(
        Offer.objects.select_related("organisation", "exchange_type").filter(
            organisation__in=organisations_for(user)
        ),
        pk=pk,
    )


def application_for_user(user, pk):
    """An application seen by either side; 404 for everyone else."""
    mine = organisations_for(user)
    return get_object_or_404(
        Application.objects.select_related(
            "offer__organisation", "offer__exchange_type", "organisation", "submitted_by"
        )
        .prefetch_related("languages")
        .filter(Q(organisation__in=mine) | Q(offer__organisation__in=mine))
        .distinct(),
        pk=pk,
    )


def application_for_host(user, pk):
    """An application to one of the user's organisations' offers; 404 otherwise."""
    return get_object_or_404(
        Application.objects.select_related("offer__organisation", "organisation").filter(
            offer__organisation__in=organisations_for(user)
        ),
        pk=pk,
    )


def application_for_applicant(user, pk):
    """An application one of the user's organisations sent; 404 otherwise."""
    return get_object_or_404(
        Application.objects.select_related("offer__organisation", "organisation").filter(
            organisation__in=organisations_for(user)
        ),
        pk=pk,
    )


def applicant_organisations_for(user, offer):
    """The organisations the user may apply for to ``offer``: their own, in good standing,
    except the host."""
    return organisations_for(user).exclude(pk=offer.organisation_id).filter(is_suspended=False)


def own_application_to(user, offer):
    """The application one of the user's organisations sent to ``offer``, or None."""
    return offer.applications.filter(organisation__in=organisations_for(user)).first()


def profile_for_user(user, pk):
    """A profile of one of the user's organisations; 404 for anyone else."""
    return get_object_or_404(
        InterestProfile.objects.select_related("organisation").filter(
            organisation__in=organisations_for(user)
        ),
        pk=pk,
    )


def exchange_for_user(user, pk):
    """An exchange seen by either side; 404 for everyone else."""
    mine = organisations_for(user)
    return get_object_or_404(
        Exchange.objects.select_related(*_EXCHANGE_RELATIONS).filter(
            Q(host__in=mine) | Q(sender__in=mine)
        ),
        pk=pk,
    )


def exchange_for_sender(user, pk):
    """An exchange one of the user's organisations took part in as the sending side."""
    return get_object_or_404(
        Exchange.objects.select_related(*_EXCHANGE_RELATIONS).filter(
            sender__in=organisations_for(user)
        ),
        pk=pk,
    )


def own_side_of(user, exchange, *, prefer=None):
    """The organisation a user acts for in an exchange: the active one if it is a party,
    else whichever party the user belongs to; None for outsiders."""
    parties = organisations_for(user).filter(pk__in=[exchange.host_id, exchange.sender_id])
    if prefer is not None and parties.filter(pk=prefer.pk).exists():
        return prefer
    return parties.order_by("name").first()


def own_side_of_application(user, application, *, prefer=None):
    """The organisation a user writes for on an application: the active one if it is one of
    the two sides, else whichever side the user belongs to; None for outsiders."""
    sides = [application.offer.organisation_id, application.organisation_id]
    parties = organisations_for(user).filter(pk__in=sides)
    if prefer is not None and parties.filter(pk=prefer.pk).exists():
        return prefer
    return parties.order_by("name").first()


def case_study_for_viewer(user, slug):
    """A published case study; a draft only for those who review it (the secretariat)."""
    case_studies = CaseStudy.objects.select_related(
        "theme", "exchange__host", "exchange__sender", "exchange__application__offer__exchange_type"
    )
    if not is_secretariat(user, VIEW_DRAFT_CASE_STUDIES):
        case_studies = case_studies.published()
    return get_object_or_404(case_studies, slug=slug)


# Call rounds: public pages, a sender's and a host's ranking, the organiser's proposal.


def is_round_organiser(user, call_round) -> bool:
    """The admins of the organising organisation; for a secretariat round, the secretariat."""
    if call_round.organiser_id is None:
        return is_secretariat(user, ORGANISE_CALL_ROUNDS)
    return is_admin_of(user, call_round.organiser)


def round_for_viewer(pk):
    """A round's public page: anyone may read it."""
    return get_object_or_404(CallRound.objects.select_related("organiser"), pk=pk)


def round_for_organiser(user, pk):
    """A round the user organises; 403 for the organiser's members who are no admins, 404 for
    everyone else."""
    call_round = round_for_viewer(pk)
    if is_round_organiser(user, call_round):
        return call_round
    if call_round.organiser_id and is_member_of(user, call_round.organiser):
        raise PermissionDenied(
            _("Only the admins of %(name)s run this round's allocation.")
            % {"name": call_round.organiser.name}
        )
    raise Http404("Not an organiser of this round.")


def _side_in_round(user, organisations, prefer):
    organisations = organisations.distinct().order_by("name")
    if prefer is not None and organisations.filter(pk=prefer.pk).exists():
        return prefer
    return organisations.first()


def round_for_host(user, pk, *, prefer=None):
    """A round with an offer of one of the user's organisations, and that organisation (the
    active one if it hosts one); 404 for everyone else."""
    call_round = round_for_viewer(pk)
    host = _side_in_round(
        user, organisations_for(user).filter(offers__call_rounds=call_round), prefer
    )
    if host is None:
        raise Http404("No offer of yours is in this round.")
    return call_round, host


def round_for_sender(user, pk, *, prefer=None):
    """A round one of the user's organisations applied in (to one of its offers), and that
    organisation (the active one if it did); 404 for everyone else."""
    call_round = round_for_viewer(pk)
    sender = _side_in_round(
        user,
        organisations_for(user).filter(applications__offer__call_rounds=call_round),
        prefer,
    )
    if sender is None:
        raise Http404("No application of yours is in this round.")
    return call_round, sender


def round_sides(user, call_round) -> tuple[bool, bool]:
    """Whether one of the user's organisations hosts an offer of the round, and whether one
    applied to one of its offers."""
    mine = organisations_for(user)
    return (
        mine.filter(offers__call_rounds=call_round).exists(),
        mine.filter(applications__offer__call_rounds=call_round).exists(),
    )


def can_create_round_for(user, organisation) -> bool:
    return organisation is not None and is_admin_of(user, organisation)
