"""seed_demo's exchanges: what each accepted demo application became.

Past exchanges are completed, the others planned. The seed's Borås–Vestland exchange and the
learners' placement in Borås (``exchange_texts``) have both follow-ups and a published
case study; of the generated past exchanges, the first has both follow-ups and a draft case
study waiting for the secretariat, the second only the host's follow-up. The reminders that
the daily beat would have sent by today are marked as sent, so that it sends none for demo
data.

Rows are keyed on the application (exchange, case study), the side (follow-up) and the
person's name (quote), and written only when they differ, as in seed_demo.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import slugify

from exchanges.models import (
    Application,
    CaseStudy,
    Exchange,
    ExchangeHistory,
    FewerOpportunityCount,
    FollowUp,
    FollowUpSide,
    Quote,
)
from matchmaking.models import FewerOpportunityCategory, Theme
from matchmaking.vocabularies import FEWER_OPPORTUNITY_CATEGORIES

from . import exchange_texts as texts
from . import offers as offer_texts
from . import story as story
from .plan import DAY, primary_email
from .rows import set_timestamps, upsert

HOST, SENDING = FollowUpSide.HOST, FollowUpSide.SENDING
Kind = ExchangeHistory.Kind
BEAT_HOUR = 7  # when the daily reminders run
SECRETARIAT = "secretariat@demo.earlall.eu"


def at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@dataclass
class Accepted:
    """An accepted demo application and what seed_demo knows of it."""

    host: str  # organisation keys
    sender: str
    themes: list  # the offer's theme slugs, the one its title names first
    application: Application
    steps: list  # the application's history: (status, actor email, message, at)

    @property
    def sort_key(self):
        a = self.application
        return (a.preferred_start, a.offer.title, self.sender)


class ExchangeSeeder:
    def __init__(self, *, today, users):
        self.today = today
        self.users = users
        self.categories = FewerOpportunityCategory.objects.in_bulk(field_name="slug")
        self.themes = Theme.objects.in_bulk(field_name="slug")

    def seed(self, accepted, not_accepted):
        """``accepted``: Accepted items; ``not_accepted``: ids of the other demo applications."""
        stale = Exchange.objects.filter(application__in=not_accepted)
        if stale.exists():  # an acceptance the plan no longer makes (capacity)
            CaseStudy.objects.filter(exchange__in=stale).delete()
            stale.delete()
        past = []
        for item in sorted(accepted, key=lambda item: item.sort_key):
            title = item.application.offer.title
            if title == story.BORAS_2025["title"] and item.sender == "vestland":
                self.seed_boras_vestland(item)
            elif title == texts.LEARNERS_OFFER["title"]:
                self.seed_learners(item)
            elif item.application.preferred_end < self.today:
                past.append(item)
            else:
                self.seed_exchange(item)
        for i, item in enumerate(past):
            self.seed_generated_past(item, sides=[(HOST, SENDING), (HOST,)][i] if i < 2 else ())

    # One exchange and its history --------------------------------------------------------

    def seed_exchange(
        self, item, *, follow_ups=None, case_study=None, completed_at=None, counts=None, **overrides
    ):
        """The exchange of ``item``; ``follow_ups`` maps a side to its texts and its time."""
        application, offer = item.application, item.application.offer
        start, end = application.preferred_start, application.preferred_end
        follow_ups = follow_ups or {}
        completed = end < self.today
        host_user = self.users[primary_email(item.host)]
        accepted_at = item.steps[-1][3]
        missing = {HOST, SENDING} - set(follow_ups)
        values = {
            "host_id": offer.organisation_id,
            "sender_id": application.organisation_id,
            "start_date": start,
            "end_date": end,
            "duration_days": offer.duration_days,
            "participants": application.participants,
            "fewer_opportunity_participants": application.fewer_opportunity_participants,
            "programme": offer.programme,
            "practical_notes": offer.practical_information,
            "status": Exchange.Status.COMPLETED if completed else Exchange.Status.PLANNED,
            "cancellation_reason": "",
            # What the beat would have sent by now (it sends on the day itself).
            "week_reminder_sent_at": self.sent(start - 7 * DAY),
            "follow_up_requested_at": self.sent(end),
            "follow_up_reminder_sent_at": self.sent(end + 14 * DAY) if missing else None,
        } | overrides
        exchange, _created = upsert(Exchange, {"application": application}, values)
        if counts is None and values["fewer_opportunity_participants"]:
            # One barrier per generated exchange, the same on every run.
            slug = FEWER_OPPORTUNITY_CATEGORIES[len(offer.title) % 8][0]
            counts = {slug: values["fewer_opportunity_participants"]}
        self.seed_counts(exchange, counts or {})

        history = [(Kind.PLANNED, host_user, "", accepted_at)]
        if completed:
            history.append((Kind.COMPLETED, host_user, "", completed_at or at(end, 16)))
        for side, data in sorted(follow_ups.items(), key=lambda pair: pair[1]["at"]):
            user = self.seed_follow_up(exchange, item, side, data)
            history.append((Kind.FOLLOW_UP, user, str(FollowUpSide(side).label), data["at"]))
        if case_study:
            published_at = case_study.get("published_at")
            self.seed_case_study(exchange, case_study)
            if published_at:
                history.append((Kind.PUBLISHED, self.users[SECRETARIAT], "", published_at))
        self.seed_history(exchange, history)
        set_timestamps(exchange, created_at=accepted_at, updated_at=history[-1][3])
        return exchange

    def sent(self, day):
        return at(day, BEAT_HOUR) if day < self.today else None

    def seed_counts(self, exchange, counts):
        existing = dict(exchange.fewer_opportunity_counts.values_list("category__slug", "count"))
        if existing != counts:
            exchange.fewer_opportunity_counts.all().delete()
            FewerOpportunityCount.objects.bulk_create(
                FewerOpportunityCount(exchange=exchange, category=self.categories[slug], count=n)
                for slug, n in counts.items()
            )

    def seed_history(self, exchange, rows):
        existing = list(exchange.history.order_by("created_at", "pk"))
        if [entry.kind for entry in existing] != [row[0] for row in rows]:
            exchange.history.all().delete()
            existing = ExchangeHistory.objects.bulk_create(
                ExchangeHistory(exchange=exchange, kind=kind, actor=actor, note=note, created_at=at)
                for kind, actor, note, at in rows
            )
        for entry, (_kind, actor, note, when) in zip(existing, rows):
            if (entry.actor_id, entry.note, entry.created_at) != (actor.pk, note, when):
                ExchangeHistory.objects.filter(pk=entry.pk).update(
                    actor=actor, note=note, created_at=when
                )

    def seed_follow_up(self, exchange, item, side, data):
        key = item.host if side == HOST else item.sender
        user = self.users[primary_email(key)]
        follow_up, _created = upsert(
            FollowUp,
            {"exchange": exchange, "side": side},
            {
                "organisation_id": exchange.host_id if side == HOST else exchange.sender_id,
                "account": data["account"],
                "lessons": data["lessons"],
                "next_steps": data["next_steps"],
                "wants_reciprocal_visit": data["wants_reciprocal_visit"],
                "submitted_by_id": user.pk,
            },
        )
        set_timestamps(follow_up, submitted_at=data["at"])
        for quote in data.get("quotes", ()):
            values = {name: value for name, value in quote.items() if name != "person_name"}
            upsert(Quote, {"follow_up": follow_up, "person_name": quote["person_name"]}, values)
        return user

    def seed_case_study(self, exchange, data):
        published_at = data.get("published_at")
        case_study, _created = upsert(
            CaseStudy,
            {"exchange": exchange},
            {
                "slug": data.get("slug") or slugify(data["title"])[:100],
                "title": data["title"],
                "theme_id": self.themes[data["theme"]].pk,
                "summary": data["summary"],
                "host_lessons": data["host_lessons"],
                "participant_lessons": data["participant_lessons"],
                "next_steps": data["next_steps"],
                "status": CaseStudy.Status.PUBLISHED if published_at else CaseStudy.Status.DRAFT,
                "published_at": published_at,
                "published_by_id": self.users[SECRETARIAT].pk if published_at else None,
            },
        )
        set_timestamps(
            case_study, created_at=data["created_at"], updated_at=published_at or data["created_at"]
        )
        return case_study

    # The stories ---------------------------------------------------------------------------

    def seed_boras_vestland(self, item):
        follow_ups = {
            side: data | {"at": at(*data["submitted"])}
            for side, data in story.BORAS_FOLLOW_UPS.items()
        }
        case_study = story.BORAS_CASE_STUDY | {
            "created_at": at(*story.BORAS_CASE_STUDY["created"]),
            "published_at": at(*story.BORAS_CASE_STUDY["published"]),
        }
        e = story.BORAS_EXCHANGE
        return self.seed_exchange(
            item,
            follow_ups=follow_ups,
            case_study=case_study,
            completed_at=at(*e["completed"]),
            participants=e["participants"],
            programme=e["programme"],
            practical_notes=e["practical_notes"],
        )

    def seed_learners(self, item):
        end = item.application.preferred_end
        follow_ups = {
            side: data | {"at": at(end + data["submitted"] * DAY, 10)}
            for side, data in texts.LEARNERS_FOLLOW_UPS.items()
        }
        case_study = (
            self.drafted(follow_ups)
            | texts.LEARNERS_CASE_STUDY
            | {
                "published_at": at(end + texts.LEARNERS_CASE_STUDY["published"] * DAY, 10),
            }
        )
        return self.seed_exchange(
            item, follow_ups=follow_ups, case_study=case_study, counts=texts.LEARNERS_COUNTS
        )

    def seed_generated_past(self, item, *, sides):
        offer = item.application.offer
        primary = item.themes[0]
        names = {
            "host": offer.organisation.name,
            "sender": item.application.organisation.name,
            "topic": offer_texts.THEMES[primary][0],
            "days": format(offer.duration_days.normalize(), "f"),
        }
        end = item.application.preferred_end
        templates = {
            HOST: (texts.HOST_ACCOUNT, texts.HOST_LESSONS, texts.HOST_NEXT_STEPS, 5),
            SENDING: (texts.SENDING_ACCOUNT, texts.SENDING_LESSONS, texts.SENDING_NEXT_STEPS, 8),
        }
        follow_ups = {}
        for side in sides:
            account, lessons, next_steps, after = templates[side]
            follow_ups[side] = {
                "account": account.format(**names),
                "lessons": lessons.format(**names),
                "next_steps": next_steps,
                "wants_reciprocal_visit": side == SENDING,
                "at": at(end + after * DAY, 11),
                "quotes": [texts.draft_quote(side, names)] if len(sides) == 2 else [],
            }
        case_study = None
        if len(follow_ups) == 2:  # what case_study_prepare drafts for the secretariat
            title = CaseStudy.draft_title(offer)
            case_study = self.drafted(follow_ups) | {"title": title, "theme": primary}
        return self.seed_exchange(item, follow_ups=follow_ups, case_study=case_study)

    @staticmethod
    def drafted(follow_ups):
        """A case study's texts as case_study_prepare drafts them from the two follow-ups."""
        host, sending = follow_ups[HOST], follow_ups[SENDING]
        return {
            "summary": "\n\n".join([host["account"], sending["account"]]),
            "host_lessons": host["lessons"],
            "participant_lessons": sending["lessons"],
            "next_steps": "\n\n".join(filter(None, [host["next_steps"], sending["next_steps"]])),
            "created_at": max(host["at"], sending["at"]),
        }
