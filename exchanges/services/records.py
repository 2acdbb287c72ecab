"""The exchange after acceptance: planning, completing or cancelling it, the follow-up of
each side, and the case study the secretariat publishes from them."""

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from matchmaking import caching
from matchmaking.models import FewerOpportunityCategory, FieldOfEducation, Organisation, User

from .. import emails
from ..models import (
    Application,
    CaseStudy,
    Exchange,
    ExchangeHistory,
    FewerOpportunityCount,
    FollowUp,
    FollowUpSide,
    Offer,
    Quote,
)
from ..permissions import can_publish_case_studies

EXCHANGE_FIELDS = (
    "start_date",
    "end_date",
    "duration_days",
    "participants",
    "fewer_opportunity_participants",
    "programme",
    "practical_notes",
)
# What a history row says changed when an exchange is edited: the fields, grouped as a
# person thinks of them.
EDITED_PARTS = (
    (("start_date", "end_date", "duration_days"), _lazy("dates")),
    (("participants",), _lazy("participants")),
    (
        ("fewer_opportunity_participants", "counts"),
        _lazy("participants with fewer opportunities"),
    ),
    (("programme",), _lazy("programme")),
    (("practical_notes",), _lazy("practical notes")),
)
FOLLOW_UP_FIELDS = ("account", "lessons", "next_steps", "wants_reciprocal_visit")
QUOTE_FIELDS = ("person_name", "role", "organisation_name", "text", "consent", "public")


def _record(exchange, kind, *, acting_user, note=""):
    return ExchangeHistory.objects.create(
        exchange=exchange, kind=kind, actor=acting_user, note=note
    )


def exchange_create_for(*, application: Application, acting_user: User) -> Exchange:
    """The planned exchange of an accepted application (called inside the accepting transaction)."""
    offer = application.offer
    exchange = Exchange(
        application=application,
        host_id=offer.organisation_id,
        sender_id=application.organisation_id,
        start_date=application.preferred_start,
        end_date=application.preferred_end,
        duration_days=offer.duration_days,
        participants=application.participants,
        fewer_opportunity_participants=application.fewer_opportunity_participants,
        programme=offer.programme,
        practical_notes=offer.practical_information,
    )
    exchange.full_clean()
    exchange.save()
    exchange.fields_of_education.set(offer.fields_of_education.all())
    _record(exchange, ExchangeHistory.Kind.PLANNED, acting_user=acting_user)
    return exchange


def _lock(exchange):
    return Exchange.objects.select_for_update().get(pk=exchange.pk)


def _check_counts(exchange, counts):
    errors = [
        _(
            "%(category)s: %(count)s is more than the %(total)s participants with fewer opportunities."  # noqa: E501 (one translatable string)
        )
        % {"category": category, "count": count, "total": exchange.fewer_opportunity_participants}
        for category, count in counts.items()
        if count > exchange.fewer_opportunity_participants
    ] + [
        _("%(category)s: a count cannot be negative.") % {"category": category}
        for category, count in counts.items()
        if count < 0
    ]
    if errors:
        raise ValidationError({"fewer_opportunity_participants": errors}, code="counts")


def _check_dates(exchange, *, moved):
    """New dates lie within the offer's window and not in the past."""
    if not moved:
        return
    offer = exchange.offer
    window = {
        "start": date_format(offer.available_from, "DATE_FORMAT"),
        "end": date_format(offer.available_until, "DATE_FORMAT"),
    }
    errors = {}
    if exchange.start_date < timezone.localdate():
        errors["start_date"] = _("The start is in the past; choose a date from today on.")
    elif exchange.start_date < offer.available_from:
        errors["start_date"] = (
            _("The offer's window is %(start)s to %(end)s; the exchange cannot start earlier.")
            % window
        )
    if exchange.end_date > offer.available_until:
        errors["end_date"] = (
            _("The offer's window is %(start)s to %(end)s; the exchange cannot end later.") % window
        )
    if errors:
        raise ValidationError(errors, code="dates")


@transaction.atomic
def exchange_update(
    *,
    exchange: Exchange,
    acting_user: User,
    counts: Mapping[FewerOpportunityCategory, int],
    fields_of_education: Iterable[FieldOfEducation] | None = None,
    **fields,
) -> Exchange:
    """Change the confirmed dates, participants, fields of education, programme and notes of a
    planned exchange.

    ``counts`` maps fewer-opportunity categories to numbers of participants (0 = none);
    ``fields_of_education`` None leaves them as they are.
    """
    exchange = _lock(exchange)
    if not exchange.can_be_edited:
        raise ValidationError(_("Only a planned exchange can be changed."), code="state")
    before = _edited_values(exchange)
    old_start, old_end = exchange.start_date, exchange.end_date
    for name in EXCHANGE_FIELDS:
        if name in fields:
            setattr(exchange, name, fields[name])
    exchange.full_clean()
    _check_dates(exchange, moved=(old_start, old_end) != (exchange.start_date, exchange.end_date))
    if exchange.start_date != old_start:
        # The "in a week" email told the old date: it goes out again a week before the new one.
        exchange.week_reminder_sent_at = None
    counts = {category: count for category, count in counts.items() if count}
    _check_counts(exchange, counts)
    exchange.save()
    if fields_of_education is not None:
        exchange.fields_of_education.set(fields_of_education)
    exchange.fewer_opportunity_counts.exclude(category__in=list(counts)).delete()
    for category, count in counts.items():
        FewerOpportunityCount.objects.update_or_create(
            exchange=exchange, category=category, defaults={"count": count}
        )
    changed = _changed_parts(before, _edited_values(exchange))
    if changed:
        # "Changed: dates, participants", in the words of the person who edited.
        note = _("Changed: %(parts)s") % {"parts": ", ".join(changed)}
        _record(exchange, ExchangeHistory.Kind.EDITED, acting_user=acting_user, note=note)
    return exchange


def _edited_values(exchange):
    values = {name: getattr(exchange, name) for name in EXCHANGE_FIELDS}
    values["counts"] = dict(exchange.fewer_opportunity_counts.values_list("category_id", "count"))
    return values


def _changed_parts(before, after):
    """The labels of the parts of an exchange that differ between ``before`` and ``after``."""
    return [
        str(label)
        for names, label in EDITED_PARTS
        if any(before[name] != after[name] for name in names)
    ]


@transaction.atomic
def exchange_complete(*, exchange: Exchange, acting_user: User) -> Exchange:
    exchange = _lock(exchange)
    if exchange.status != Exchange.Status.PLANNED:
        raise ValidationError(_("Only a planned exchange can be completed."), code="state")
    if not exchange.can_be_completed:
        raise ValidationError(
            _(
                "The exchange has not ended yet; it can be marked as completed from its last "
                "day, %(end)s."
            )
            % {"end": date_format(exchange.end_date, "DATE_FORMAT")},
            code="not_ended",
        )
    exchange.status = Exchange.Status.COMPLETED
    exchange.save(update_fields=["status", "updated_at"])
    _record(exchange, ExchangeHistory.Kind.COMPLETED, acting_user=acting_user)
    return exchange


@transaction.atomic
def exchange_cancel(*, exchange: Exchange, acting_user: User, reason: str) -> Exchange:
    exchange = _lock(exchange)
    if not exchange.can_be_cancelled:
        raise ValidationError(_("Only a planned exchange can be cancelled."), code="state")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the exchange is cancelled.")}, code="reason")
    exchange.status = Exchange.Status.CANCELLED
    exchange.cancellation_reason = reason.strip()
    exchange.save(update_fields=["status", "cancellation_reason", "updated_at"])
    _record(exchange, ExchangeHistory.Kind.CANCELLED, acting_user=acting_user, note=reason.strip())
    emails.exchange_cancelled(exchange)
    caching.new_generation(caching.CATALOGUE)  # its places are free again
    return exchange


@transaction.atomic
def follow_up_submit(
    *,
    exchange: Exchange,
    organisation: Organisation,
    acting_user: User,
    quotes: Iterable[Mapping[str, object]],
    **fields,
) -> FollowUp:
    """One side's follow-up (submitting again replaces it); when both sides have written
    theirs, a draft case study is prepared for the secretariat."""
    exchange = _lock(exchange)
    side = exchange.side_of(organisation)
    if side is None:
        raise ValidationError(_("Only the two organisations of the exchange write its follow-up."))
    if not exchange.can_have_follow_up:
        raise ValidationError(_("A cancelled exchange has no follow-up."), code="state")
    if exchange.end_date > timezone.localdate():
        raise ValidationError(
            _("The follow-up opens on the last day of the exchange."), code="too_early"
        )
    follow_up = FollowUp.objects.filter(exchange=exchange, side=side).first() or FollowUp(
        exchange=exchange, side=side, organisation=organisation
    )
    for name in FOLLOW_UP_FIELDS:
        if name in fields:
            setattr(follow_up, name, fields[name])
    follow_up.submitted_by = acting_user
    follow_up.full_clean()
    follow_up.save()
    follow_up.quotes.all().delete()
    for values in quotes:
        quote = Quote(follow_up=follow_up, **{name: values[name] for name in QUOTE_FIELDS})
        quote.full_clean()
        quote.save()
    _record(
        exchange,
        ExchangeHistory.Kind.FOLLOW_UP,
        acting_user=acting_user,
        note=follow_up.get_side_display(),
    )
    if exchange.follow_ups.count() == 2:
        case_study_prepare(exchange=exchange)
    return follow_up


def _unique_case_study_slug(title, *, exclude_pk=None):
    base = slugify(title)[:100] or "case-study"
    slug, n = base, 2
    while CaseStudy.objects.exclude(pk=exclude_pk).filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def case_study_prepare(*, exchange: Exchange) -> CaseStudy:
    """Draft (or refresh the draft of) the case study from the two follow-ups."""
    sides = {follow_up.side: follow_up for follow_up in exchange.follow_ups.all()}
    host, sending = sides[FollowUpSide.HOST], sides[FollowUpSide.SENDING]
    offer = exchange.application.offer
    case_study = CaseStudy.objects.filter(exchange=exchange).first()
    if case_study is not None and case_study.is_published:
        return case_study  # the secretariat's published text is not overwritten
    if case_study is None:
        title = CaseStudy.draft_title(offer)
        case_study = CaseStudy(exchange=exchange, title=title, slug=_unique_case_study_slug(title))
    case_study.theme = offer.themes.order_by("position").first()
    case_study.summary = "\n\n".join(filter(None, [host.account, sending.account]))
    case_study.host_lessons = host.lessons
    case_study.participant_lessons = sending.lessons
    case_study.next_steps = "\n\n".join(filter(None, [host.next_steps, sending.next_steps]))
    case_study.full_clean()
    case_study.save()
    return case_study


@transaction.atomic
def case_study_publish(*, case_study: CaseStudy, acting_user: User) -> CaseStudy:
    """Publish a case study (secretariat only); both sides are told."""
    if not can_publish_case_studies(acting_user):
        raise PermissionDenied
    case_study = CaseStudy.objects.select_for_update().get(pk=case_study.pk)
    if case_study.is_published:
        raise ValidationError(_("This case study is already published."), code="state")
    case_study.status = CaseStudy.Status.PUBLISHED
    case_study.published_at = timezone.now()
    case_study.published_by = acting_user
    case_study.full_clean()
    case_study.save()
    _record(case_study.exchange, ExchangeHistory.Kind.PUBLISHED, acting_user=acting_user)
    emails.case_study_published(case_study)
    caching.new_generation(caching.CATALOGUE)  # the home page lists the latest
    return case_study


@transaction.atomic
def reciprocal_offer_draft(*, exchange: Exchange, acting_user: User) -> Offer:
    """A draft offer of the sending organisation, the same exchange the other way round."""
    from .offers import offer_create

    offer = exchange.application.offer
    sender = exchange.sender
    today = timezone.localdate()
    start = max(today + datetime.timedelta(days=60), exchange.end_date)
    return offer_create(
        organisation=sender,
        acting_user=acting_user,
        themes=list(offer.themes.all()),
        fields_of_education=list(offer.fields_of_education.all()),
        languages=list(sender.languages.all()) or list(offer.languages.all()),
        title=(_("Reciprocal visit: %(title)s") % {"title": offer.title})[:200],
        exchange_type=offer.exchange_type,
        target_group=offer.target_group,
        description=_(
            "A reciprocal visit after %(host)s hosted us. We would like to show %(host)s how "
            "we work on the same themes. Edit this draft before publishing it."
        )
        % {"host": exchange.host.name},
        city=sender.city,
        region_name=sender.region_name,
        available_from=start,
        available_until=start + datetime.timedelta(days=90),
        duration_days=offer.duration_days,
        capacity=max(exchange.participants, 1),
        application_deadline=start - datetime.timedelta(days=14),
    )
