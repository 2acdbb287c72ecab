"""Versions of the matching weights: fitted to the hosts' decisions, activated by the secretariat.

``manage.py fit_weights`` writes a draft with the figures that justify it; the secretariat
compares it with the weights in use in the admin and activates it, which retires the version
active before and re-scores every match on the worker. With no active version the engine uses
``settings.MATCHING_WEIGHTS``; a component a version does not name keeps its settings weight.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class MatchingWeights(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        RETIRED = "retired", _("Retired")

    version = models.PositiveIntegerField(_("version"), unique=True)
    # Component name → weight (>= 0); only their proportions matter.
    weights = models.JSONField(_("weights"))
    # What the fit measured, e.g. held-out nDCG before and after (see fit_weights).
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("activated by"),
    )
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("matching weights")
        verbose_name_plural = _("matching weights")
        permissions = [("activate_matchingweights", _("Can activate matching weights"))]
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="active"),
                name="matching_weights_one_active",
            )
        ]

    def __str__(self):
        return _("Weights v%(version)d (%(status)s)") % {
            "version": self.version,
            "status": self.get_status_display(),
        }
