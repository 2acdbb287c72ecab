"""After the exchange: each side's follow-up, their quotes, and the published case study."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from matchmaking.models import Organisation, Theme
from matchmaking.search import fold

from .records import Exchange, FollowUpSide


def bullet_lines(text):
    """The non-empty lines of a bullet-list field, without their bullets."""
    return [line.strip().lstrip("-•*").strip() for line in text.splitlines() if line.strip()]


class FollowUp(models.Model):
    """What one side of an exchange says afterwards."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="follow_ups")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(_("side"), max_length=8, choices=FollowUpSide.choices)
    account = models.TextField(
        _("the exchange"),
        validators=[MaxLengthValidator(5000)],
        help_text=_("A short account: what you did, saw and discussed."),
    )
    lessons = models.TextField(
        _("lessons learnt"),
        validators=[MaxLengthValidator(5000)],
        help_text=_("One lesson per line."),
    )
    next_steps = models.TextField(
        _("what we will do next"), blank=True, validators=[MaxLengthValidator(3000)]
    )
    wants_reciprocal_visit = models.BooleanField(
        _("we would like a reciprocal visit"), default=False
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now=True)

    class Meta:
        ordering = ["side"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.UniqueConstraint(fields=["exchange", "side"], name="follow_up_one_per_side")
        ]

    def __str__(self):
        return f"{self.exchange} — {self.get_side_display()}"

    @property
    def lesson_list(self):
        return bullet_lines(self.lessons)


class Quote(models.Model):
    """Words of one person about the exchange; public only with that person's consent."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="quotes")
    person_name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=200)
    organisation_name = models.CharField(_("organisation"), max_length=200)
    text = models.TextField(_("quote"), validators=[MaxLengthValidator(1500)])
    consent = models.BooleanField(
        _("this person agreed to have the quote published with their name"), default=False
    )
    public = models.BooleanField(_("show it in the case study"), default=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(public=True, consent=False), name="quote_public_only_with_consent"
            )
        ]

    def __str__(self):
        return f"{self.person_name}: {self.text[:40]}"

    def clean(self):
        if self.public and not self.consent:
            raise ValidationError(
                {"consent": _("A quote can only be published with the person's consent.")},
                code="no_consent",
            )


class CaseStudyQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=CaseStudy.Status.PUBLISHED)


class CaseStudy(models.Model):
    """The good-practice page of one exchange, laid out like the partnership's own one-pagers."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft, in review")
        PUBLISHED = "published", _("Published")

    exchange = models.OneToOneField(Exchange, on_delete=models.PROTECT, related_name="case_study")
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    theme = models.ForeignKey(
        Theme, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("main theme")
    )
    summary = models.TextField(_("the exchange"), validators=[MaxLengthValidator(5000)])
    host_lessons = models.TextField(
        _("lessons learnt by the hosting institution"), validators=[MaxLengthValidator(5000)]
    )
    participant_lessons = models.TextField(
        _("lessons learnt by the participants"), validators=[MaxLengthValidator(5000)]
    )
    next_steps = models.TextField(
        _("next steps"), blank=True, validators=[MaxLengthValidator(5000)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CaseStudyQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")
        permissions = [("publish_casestudy", _("Can publish case studies"))]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("exchanges:case_study_detail", kwargs={"slug": self.slug})

    @staticmethod
    def draft_title(offer) -> str:
        """The title a draft gets from its offer: the exchange type leads unless the offer's
        title names it already, anywhere ("Guidance counsellors: job shadowing in Borås" is
        not prefixed again)."""
        kind = str(offer.exchange_type)
        title = offer.title if fold(kind) in fold(offer.title) else f"{kind}: {offer.title}"
        return title[:200]

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def host_lesson_list(self):
        return bullet_lines(self.host_lessons)

    @property
    def participant_lesson_list(self):
        return bullet_lines(self.participant_lessons)
