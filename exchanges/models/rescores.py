"""Scoring that is owed, and full re-scores shared by several workers.

``ScoringRequest``: a change that needs scoring (an offer published or edited, a profile
saved, an application submitted) writes one in its own transaction, next to the task it
queues once it commits. The task deletes it when it has scored; a request still there after a
minute (its task was lost, e.g. the broker was down at the commit) is queued again by the
beat's sweeper. So a change is scored, and its alerts sent, however the broker fares.

``RescoreRun``: one full re-score (``exchanges.matching.rescores``), split into chunks of
offers (``RescoreChunk``) that any worker may take; each chunk writes what it found to the
staging table (``RescoreCandidate``) and the last one done stores the matches.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class ScoringRequest(models.Model):
    class Kind(models.TextChoices):
        OFFER = "offer", _("Offer")
        PROFILE = "profile", _("Interest profile")
        APPLICATION = "application", _("Application")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    object_id = models.BigIntegerField()
    # Whether the organisations it fits are to be alerted (an offer published or edited).
    alert = models.BooleanField(default=False)
    requested_at = models.DateTimeField(default=timezone.now)
    # When the sweeper queues its task (again) if it is still here.
    due_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["due_at"], name="scoring_request_due"),
            models.Index(fields=["kind", "object_id"], name="scoring_request_subject"),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}"


class RescoreRun(models.Model):
    """A full re-score: every open offer against every interest profile, and every
    application. Read-only in the admin, where its progress shows."""

    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    chunks_total = models.PositiveIntegerField(_("chunks"), default=0)
    chunks_done = models.PositiveIntegerField(_("chunks done"), default=0)
    offers = models.PositiveIntegerField(_("offers"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    matches = models.PositiveIntegerField(_("matches stored"), null=True, blank=True)
    applications = models.PositiveIntegerField(_("applications scored"), null=True, blank=True)
    # A newer run had finished first: this one stored nothing.
    superseded = models.BooleanField(_("superseded"), default=False)
    # When the finishing step was last asked for (the sweeper asks again if it was lost).
    finish_queued_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("full re-score")
        verbose_name_plural = _("full re-scores")
        constraints = [
            models.CheckConstraint(
                condition=Q(chunks_done__lte=models.F("chunks_total")),
                name="rescore_run_done_within_total",
            )
        ]

    def __str__(self):
        return _("Re-score of %(started)s") % {
            "started": timezone.localtime(self.started_at).strftime("%Y-%m-%d %H:%M")
        }

    @property
    def progress(self):
        """ "7 of 12 chunks", or that it finished."""
        if self.finished_at is not None:
            return _("finished")
        return ngettext(
            "%(done)d of %(total)d chunk", "%(done)d of %(total)d chunks", self.chunks_total
        ) % {"done": self.chunks_done, "total": self.chunks_total}


class RescoreChunk(models.Model):
    """The offers of a run with ids from ``first_offer_id`` to ``last_offer_id`` (None: no
    bound); the chunk without offers (``applications``) scores every application."""

    run = models.ForeignKey(RescoreRun, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField()
    applications = models.BooleanField(default=False)
    first_offer_id = models.BigIntegerField(null=True)
    last_offer_id = models.BigIntegerField(null=True)
    queued_at = models.DateTimeField(null=True)
    started_at = models.DateTimeField(null=True)  # by a worker, last time
    done_at = models.DateTimeField(null=True)
    # What it found: offer-profile pairs staged, or applications scored.
    found = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["run", "number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="rescore_chunk_unique_number")
        ]

    def __str__(self):
        return f"{self.run_id}/{self.number}"


class RescoreCandidate(models.Model):
    """Staging: a pair a chunk of ``run_id`` scored, with its score and breakdown as stored.

    ``kept``: kept whatever the other chunks found (the offer's K best, an alert, a digest);
    ``ranked``: among the profile's K best of the chunk's offers, so a candidate for the
    profile's K best of all. Each chunk compares its pairs with the matches stored, so that
    the finishing step (one process) has little left to do. Written with COPY and read by
    the finishing step only: no
    foreign keys, no index but the run's (the rows are gone when the run is)."""

    run_id = models.BigIntegerField()
    chunk = models.PositiveIntegerField()
    offer_id = models.BigIntegerField()
    profile_id = models.BigIntegerField()
    score = models.FloatField()
    breakdown = models.TextField()  # empty when ``same``: nothing reads it
    kept = models.BooleanField()
    ranked = models.BooleanField()
    # The stored match of the pair when the chunk ran (0: none), and whether it was the same
    # (score and breakdown): the finishing step writes only the others.
    stored_id = models.BigIntegerField(default=0)
    same = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["run_id", "chunk"], name="rescore_candidate_run")]

    def __str__(self):
        return f"{self.run_id}/{self.chunk}: {self.offer_id} ~ {self.profile_id}"
