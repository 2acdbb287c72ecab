"""Versions of the matching weights: written by ``fit_weights``, activated by the secretariat."""

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaking.models import User
from matchmaking.scoring import COMPONENTS, Weights

from .. import tasks
from ..models import MatchingWeights
from ..permissions import can_activate_matching_weights


@transaction.atomic
def matching_weights_create(
    *, weights: Weights, figures: Mapping | None = None, note: str = ""
) -> MatchingWeights:
    """A draft version with the next number."""
    # The lock on the newest row keeps two writers from taking the same number.
    list(MatchingWeights.objects.select_for_update().order_by("-version")[:1])
    latest = MatchingWeights.objects.aggregate(latest=Max("version"))["latest"] or 0
    version = MatchingWeights(
        version=latest + 1,
        weights={name: float(getattr(weights, name)) for name in COMPONENTS},
        figures=dict(figures or {}),
        note=note,
    )
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def matching_weights_activate(*, version: MatchingWeights, acting_user: User) -> MatchingWeights:
    """Make a version the weights the engine uses (secretariat only): the active one before is
    retired, and every match and application is scored again on the worker."""
    if not can_activate_matching_weights(acting_user):
        raise PermissionDenied
    # Every version locked in one order, so two activations at once run one after the other.
    locked = {row.pk: row for row in MatchingWeights.objects.select_for_update().order_by("pk")}
    version = locked[version.pk]
    if version.status == MatchingWeights.Status.ACTIVE:
        raise ValidationError(_("These weights are already in use."), code="state")
    now = timezone.now()
    for other in locked.values():
        if other.status == MatchingWeights.Status.ACTIVE:
            other.status = MatchingWeights.Status.RETIRED
            other.retired_at = now
            other.save(update_fields=["status", "retired_at"])
    version.status = MatchingWeights.Status.ACTIVE
    version.activated_at = now
    version.activated_by = acting_user
    version.retired_at = None
    version.full_clean()
    version.save()
    tasks.start_rescore()
    return version
