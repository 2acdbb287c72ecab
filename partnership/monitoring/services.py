from django.db import transaction

from matchmaking.models import User

from . import selectors
from .models import VetLearnerBaseline


@transaction.atomic
def baseline_record(
    *, region: str, year: int, vet_learners: int, source: str = "", acting_user: User
) -> VetLearnerBaseline:
    """Record a region's number of VET learners in a year, replacing any number recorded for
    it before. The caller has checked that the user may record it for this region."""
    baseline = VetLearnerBaseline.objects.select_for_update().filter(
        region=region, year=year
    ).first() or VetLearnerBaseline(region=region, year=year)
    baseline.vet_learners = vet_learners
    baseline.source = source
    baseline.entered_by = acting_user
    baseline.full_clean()
    baseline.save()
    # The figures against the baseline change at once, not when the cache expires.
    transaction.on_commit(selectors.forget_cached_indicators)
    return baseline
