"""The baseline the VET-learner target is measured against: how many VET learners a NUTS 2
region has in a year, recorded by the secretariat or by a member organisation's admin for its
own region."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matchmaking import nuts


def validate_nuts2(code):
    found = nuts.region(code)
    if found is None or found.level != 2:
        raise ValidationError(
            _("%(code)s is not a NUTS 2 region of NUTS 2024."), code="nuts2", params={"code": code}
        )


class VetLearnerBaseline(models.Model):
    region = models.CharField(
        _("NUTS 2 region"),
        max_length=4,
        validators=[validate_nuts2],
        help_text=_("The NUTS 2024 code of the region, e.g. SE23."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    vet_learners = models.PositiveIntegerField(
        _("VET learners"),
        validators=[MinValueValidator(1)],
        help_text=_("Learners in initial vocational education and training in the region."),
    )
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("Where the number comes from.")
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["region", "-year"]
        verbose_name = _("VET-learner baseline")
        verbose_name_plural = _("VET-learner baselines")
        # The monitoring dashboard's figures, unsuppressed, for the whole partnership.
        permissions = [("view_dashboard", _("Can see the monitoring dashboard"))]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="baseline_one_per_region_year"),
            models.CheckConstraint(
                condition=Q(vet_learners__gte=1), name="baseline_vet_learners_positive"
            ),
        ]

    def __str__(self):
        return f"{self.region} {self.year}: {self.vet_learners}"

    @property
    def region_name(self):
        return nuts.region_name(self.region)
