"""What the demo data should be, computed without touching the database.

The plan depends only on ``today`` and a ``random.Random(42)``: two runs on the same day give
the same plan, so seed_demo can write it idempotently. Dates are relative to today so that the
catalogue stays open whenever the demo is set up; the seed's 2025 exchange keeps its dates.
"""

import datetime
import math
import random
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import slugify

from matchmaking.vocabularies import LANGUAGES

from . import exchange_texts as records
from . import offers as texts
from . import story as story
from .organisations import ORGANISATIONS

DAY = datetime.timedelta(days=1)
LANGUAGE_NAMES = dict(LANGUAGES)

PUBLISHED, CLOSED, DRAFT, ARCHIVED = "published", "closed", "draft", "archived"
SUBMITTED, SHORTLISTED, ACCEPTED, DECLINED, WITHDRAWN = (
    "submitted",
    "shortlisted",
    "accepted",
    "declined",
    "withdrawn",
)
HOST_DECISIONS = (SHORTLISTED, ACCEPTED, DECLINED)

# Organisations whose applications are written by hand (the story), not drawn at random.
STORY_ORGANISATIONS = ("boras", "vestland")

# The people one signs in as; the password of every demo account is DEMO_PASSWORD.
# (email, first name, last name, what to try with it, staff, superuser, memberships)
DEMO_USERS = [
    (
        "host@demo.earlall.eu",
        "Nicholas",
        "Waller",
        "Borås Stad international coordinator: host of the Multicompetent Team job shadowing",
        False,
        False,
        [("boras", "coordinator")],
    ),
    (
        "applicant@demo.earlall.eu",
        "Ingrid",
        "Hillestad Bårgard",
        "Vestland County Council advisor: applied to Borås and was accepted",
        False,
        False,
        [("vestland", "coordinator")],
    ),
    (
        "admin@demo.earlall.eu",
        "Karin",
        "Sjöberg",
        "admin of Borås Stad and of Sjuhärad Vocational College (organisation switcher)",
        False,
        False,
        [("boras", "admin"), ("sjuharad", "admin")],
    ),
    (
        "secretariat@demo.earlall.eu",
        "Elena",
        "Marín",
        "EARLALL secretariat: staff, Secretariat group, Django admin",
        True,
        False,
        [],
    ),
    ("superuser@demo.earlall.eu", "Site", "Developer", "superuser for developers", True, True, []),
]
PRIMARY_USER = {
    "boras": "host@demo.earlall.eu",
    "vestland": "applicant@demo.earlall.eu",
    "sjuharad": "admin@demo.earlall.eu",
}
# Organisations with no other admin get their own coordinator account as admin.
ORGANISATIONS_WITH_DEMO_ADMIN = ("boras", "sjuharad")
USER_LANGUAGE = {"SE": "sv", "NO": "nb", "ES": "es"}


def organisation_slug(data):
    return slugify(data["name"])[:80]


def coordinator_email(data):
    return f"coordinator@{organisation_slug(data)[:63].strip('-')}.demo.earlall.eu"


def primary_email(key):
    return PRIMARY_USER.get(key) or coordinator_email(ORGANISATION_BY_KEY[key])


ORGANISATION_BY_KEY = {o["key"]: o for o in ORGANISATIONS}


def days_text(duration):
    return format(duration.normalize(), "f")


def count_text(n):
    return "one participant" if n == 1 else f"{n} participants"


@dataclass
class ApplicationPlan:
    sender: str  # organisation key
    values: dict
    languages: list
    steps: list  # (status, actor email, message, aware datetime)


@dataclass
class OfferPlan:
    host: str
    values: dict
    themes: list
    languages: list
    created_at: datetime.datetime
    applications: list = field(default_factory=list)

    @property
    def status(self):
        return self.values["status"]


class Planner:
    def __init__(self, today):
        self.today = today
        self.rng = random.Random(42)

    def at(self, day, hour, minute=0):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

    def plan(self):
        offers = self.story_offers()
        titles = {o.values["title"] for o in offers}  # titles differ across the catalogue
        for data in ORGANISATIONS:
            if data["key"] == "boras":
                continue
            types = texts.TYPES_BY_KIND[data["kind"]]
            n = self.rng.choice((1, 2, 2, 2, 3))
            chosen = [types[0]] + self.rng.sample(types[1:], min(n - 1, len(types) - 1))
            for type_slug in chosen:
                offer = self.generated_offer(data, type_slug, titles)
                titles.add(offer.values["title"])
                self.generated_applications(offer)
                offers.append(offer)
        self.vestland_applications(offers)
        offers.append(self.learners_offer())
        return offers

    # The seed's story -------------------------------------------------------------------

    def story_offers(self):
        today = self.today
        first = {
            k: v
            for k, v in story.BORAS_2025.items()
            if k not in ("themes", "languages", "published_at", "created_at")
        }
        first["published_at"] = self.at(*story.BORAS_2025["published_at"])
        history = OfferPlan(
            "boras",
            first,
            story.BORAS_2025["themes"],
            story.BORAS_2025["languages"],
            self.at(*story.BORAS_2025["created_at"]),
        )
        v = story.VESTLAND_2025
        history.applications.append(
            ApplicationPlan(
                "vestland",
                {
                    k: v[k]
                    for k in (
                        "motivation",
                        "participants",
                        "fewer_opportunity_participants",
                        "participant_roles",
                        "preferred_start",
                        "preferred_end",
                    )
                }
                | {"status": ACCEPTED},
                v["languages"],
                [
                    (
                        status,
                        primary_email("boras" if who == "host" else "vestland"),
                        message,
                        self.at(*when),
                    )
                    for status, who, message, when in v["steps"]
                ],
            )
        )

        nxt = self.fresh_offer(story.BORAS_NEXT, start=45, until=75, deadline=30, published=12)
        for i, (key, status, n, roles, ago) in enumerate(story.BORAS_NEXT_APPLICATIONS):
            sender = ORGANISATION_BY_KEY[key]
            submitted = self.at(today - ago * DAY, 10 + i)
            steps = [(SUBMITTED, primary_email(key), "", submitted)]
            if status == SHORTLISTED:
                steps.append(
                    (
                        SHORTLISTED,
                        primary_email("boras"),
                        texts.DECISION_MESSAGES[SHORTLISTED][0],
                        submitted + 3 * DAY,
                    )
                )
            start = nxt.values["available_from"] + 7 * i * DAY
            nxt.applications.append(
                ApplicationPlan(
                    key,
                    {
                        "motivation": self.motivation(sender, "neet-re-engagement", "staff", n),
                        "participants": n,
                        "fewer_opportunity_participants": 0,
                        "participant_roles": roles,
                        "preferred_start": start,
                        "preferred_end": start + DAY,
                        "status": status,
                    },
                    ["en"],
                    steps,
                )
            )

        reciprocal = self.fresh_offer(
            story.VESTLAND_RECIPROCAL,
            start=60,
            until=120,
            deadline=40,
            published=8,
            host="vestland",
        )
        start = reciprocal.values["available_from"] + 10 * DAY
        reciprocal.applications.append(
            ApplicationPlan(
                "boras",
                {
                    k: story.BORAS_RECIPROCAL_APPLICATION[k]
                    for k in (
                        "motivation",
                        "participants",
                        "fewer_opportunity_participants",
                        "participant_roles",
                    )
                }
                | {"preferred_start": start, "preferred_end": start + DAY, "status": SUBMITTED},
                story.BORAS_RECIPROCAL_APPLICATION["languages"],
                [(SUBMITTED, primary_email("boras"), "", self.at(today - 2 * DAY, 11))],
            )
        )
        return [history, nxt, reciprocal]

    def learners_offer(self):
        """The demo's second case study: second-chance learners placed in Borås (past)."""
        start = self.today + records.LEARNERS_START * DAY
        data = records.LEARNERS_OFFER
        values = {k: v for k, v in data.items() if k not in ("themes", "languages")} | {
            "available_from": start,
            "available_until": start + (math.ceil(data["duration_days"]) - 1) * DAY,
            "application_deadline": start - 30 * DAY,
            "status": CLOSED,
            "published_at": self.at(start - 75 * DAY, 9),
        }
        offer = OfferPlan(
            "sjuharad", values, data["themes"], data["languages"], self.at(start - 78 * DAY, 15)
        )
        a = records.LEARNERS_APPLICATION
        offer.applications.append(
            ApplicationPlan(
                "basque-inclusion",
                {
                    k: a[k]
                    for k in (
                        "motivation",
                        "participants",
                        "fewer_opportunity_participants",
                        "participant_roles",
                    )
                }
                | {
                    "preferred_start": start,
                    "preferred_end": values["available_until"],
                    "status": ACCEPTED,
                },
                a["languages"],
                [
                    (
                        SUBMITTED,
                        primary_email("basque-inclusion"),
                        "",
                        self.at(start - 60 * DAY, 11),
                    ),
                    (
                        ACCEPTED,
                        primary_email("sjuharad"),
                        texts.DECISION_MESSAGES[ACCEPTED][0],
                        self.at(start - 52 * DAY, 14),
                    ),
                ],
            )
        )
        return offer

    def fresh_offer(self, data, *, start, until, deadline, published, host="boras"):
        values = {k: v for k, v in data.items() if k not in ("themes", "languages")}
        values |= {
            "available_from": self.today + start * DAY,
            "available_until": self.today + until * DAY,
            "application_deadline": self.today + deadline * DAY,
            "status": PUBLISHED,
            "published_at": self.at(self.today - published * DAY, 9),
        }
        return OfferPlan(
            host,
            values,
            data["themes"],
            data["languages"],
            self.at(self.today - (published + 2) * DAY, 15),
        )

    def vestland_applications(self, offers):
        """Vestland's advisor has more on her desk: one shortlisted, one submitted."""
        wanted = {
            "guidance-counselling",
            "motivational-interviewing",
            "neet-re-engagement",
            "inter-agency-cooperation",
        }
        candidates = [
            o
            for o in offers[3:]
            if o.status == PUBLISHED
            and o.host not in STORY_ORGANISATIONS
            and o.values["exchange_type"] in ("job-shadowing", "study-visit")
            and wanted & set(o.themes)
        ]
        vestland = ORGANISATION_BY_KEY["vestland"]
        for offer, status in zip(candidates, (SHORTLISTED, SUBMITTED)):
            theme = next(t for t in offer.themes if t in wanted)
            self.add_application(
                offer,
                vestland,
                status,
                participants=2,
                theme=theme,
                roles="Two advisors from the Section for Quality in Education.",
            )

    # Generated offers ---------------------------------------------------------------------

    def generated_offer(self, data, type_slug, taken_titles):
        rng, today, spec = self.rng, self.today, texts.EXCHANGE_TYPES[type_slug]
        primary = rng.choice(spec["themes"])
        others = rng.sample([t for t in spec["themes"] if t != primary], rng.randint(1, 3))
        sector = rng.choice(data["sectors"]) if data["sectors"] else "a trade of your choice"
        duration = rng.choice(spec["durations"])
        capacity = rng.randint(*spec["capacity"])
        roll = rng.random()
        status = (
            PUBLISHED
            if roll < 0.7
            else CLOSED
            if roll < 0.83
            else DRAFT
            if roll < 0.95
            else ARCHIVED
        )
        fewer = rng.random() < (0.45 if spec["target"] == "learners" else 0.15)
        span = math.ceil(duration)
        fixed = duration <= 5 and rng.random() < 0.5
        if status in (PUBLISHED, DRAFT):
            start = today + rng.randint(30, 240) * DAY
        else:
            start = today - rng.randint(span + 45, 330 + span) * DAY
        until = start + (span - 1) * DAY
        if not fixed:
            until += rng.choice((14, 21, 30, 45, 60)) * DAY
        deadline = start - rng.randint(14, 35) * DAY
        if status == PUBLISHED:
            deadline = max(deadline, today + 7 * DAY)
        if status == PUBLISHED:
            # Published before the story's offers, so that those lead the newest offers.
            published_at = self.at(
                today - rng.randint(14, 75) * DAY, rng.randint(8, 16), rng.choice((0, 15, 30, 45))
            )
        elif status in (CLOSED, ARCHIVED):
            published_at = self.at(deadline - rng.randint(30, 60) * DAY, rng.randint(8, 16))
        else:
            published_at = None
        created_day = (published_at.date() if published_at else today) - rng.randint(1, 9) * DAY
        fmt = dict(
            topic=texts.THEMES[primary][0],
            sector=sector,
            city=data["city"],
            region=data["region"],
            host=data["name"],
            days=days_text(duration),
        )
        first = rng.randrange(len(spec["titles"]))
        titles = [t.format(**fmt) for t in spec["titles"][first:] + spec["titles"][:first]]
        titles += [f"{titles[0]} ({n} round)" for n in ("second", "third", "fourth")]
        title = next(t for t in titles if t not in taken_titles)
        languages = ", ".join(LANGUAGE_NAMES[c] for c in data["languages"])
        closing = (
            f"The offer is for staff of partner organisations. Working languages: {languages}."
            if spec["target"] == "staff"
            else "Learners come with their sending organisation, which prepares them, signs the "
            f"learning agreement and stays in touch during the stay. Working languages: "
            f"{languages}."
        )
        values = {
            "title": title[:200],
            "exchange_type": type_slug,
            "target_group": spec["target"],
            "description": "\n\n".join(
                [
                    spec["intro"].format(**fmt),
                    texts.THEMES[primary][1],
                    texts.THEMES[others[0]][1],
                    closing,
                ]
            ),
            "programme": spec["programme"].format(**fmt),
            "practical_information": rng.choice(texts.PRACTICAL_INFORMATION).format(**fmt),
            "costs_note": rng.choice(texts.COSTS),
            "available_from": start,
            "available_until": until,
            "fixed_dates": fixed,
            "duration_days": duration,
            "capacity": capacity,
            "application_deadline": deadline,
            "supports_fewer_opportunities": fewer,
            "fewer_opportunities_support": (
                rng.choice(texts.FEWER_OPPORTUNITIES_SUPPORT) if fewer else ""
            ),
            "status": status,
            "published_at": published_at,
        }
        return OfferPlan(
            data["key"],
            values,
            [primary] + others,
            list(data["languages"]),
            self.at(created_day, rng.randint(8, 17)),
        )

    def generated_applications(self, offer):
        rng = self.rng
        if offer.status == PUBLISHED:
            k = rng.choice((0, 1, 1, 2, 2, 3, 4))
            pool = (SUBMITTED, SUBMITTED, SHORTLISTED, ACCEPTED, DECLINED, WITHDRAWN)
        elif offer.status == CLOSED:
            k, pool = rng.choice((1, 2, 3)), (ACCEPTED, ACCEPTED, DECLINED, WITHDRAWN)
        else:
            return
        candidates = [
            o
            for o in ORGANISATIONS
            if o["key"] != offer.host and o["key"] not in STORY_ORGANISATIONS
        ]
        for sender in rng.sample(candidates, k):
            self.add_application(offer, sender, rng.choice(pool))

    def add_application(self, offer, sender, status, *, participants=None, theme=None, roles=None):
        rng, v = self.rng, offer.values
        staff = v["target_group"] == "staff"
        n = participants or rng.randint(1, min(v["capacity"], 4 if staff else 8))
        if status == ACCEPTED:
            left = v["capacity"] - sum(
                a.values["participants"]
                for a in offer.applications
                if a.values["status"] == ACCEPTED
            )
            if left <= 0:
                status = SHORTLISTED if offer.status == PUBLISHED else DECLINED
            n = min(n, max(left, 1))
        fewer = rng.randint(0, n) if v["supports_fewer_opportunities"] and rng.random() < 0.6 else 0
        span = math.ceil(v["duration_days"])
        if v["fixed_dates"]:
            start, end = v["available_from"], v["available_until"]
        else:
            latest = v["available_until"] - (span - 1) * DAY
            start = v["available_from"] + rng.randint(0, (latest - v["available_from"]).days) * DAY
            end = start + (span - 1) * DAY
        if roles is None and staff:
            role = rng.choice(texts.STAFF_ROLES[sender["kind"]])
            roles = f"One of our {role}." if n == 1 else f"{n} {role}."
        elif roles is None:
            roles = texts.LEARNER_ROLES[sender["kind"]]
        languages = [c for c in offer.languages if c in sender["languages"]] or ["en"]
        offer.applications.append(
            ApplicationPlan(
                sender["key"],
                {
                    "motivation": self.motivation(
                        sender, theme or offer.themes[0], v["target_group"], n
                    ),
                    "participants": n,
                    "fewer_opportunity_participants": fewer,
                    "participant_roles": roles,
                    "preferred_start": start,
                    "preferred_end": end,
                    "status": status,
                },
                languages,
                self.history(offer, sender["key"], status),
            )
        )

    def motivation(self, sender, theme, target, n):
        return texts.MOTIVATION.format(
            sender=sender["name"],
            reason=texts.THEMES[theme][2],
            offer_reason=texts.OFFER_REASON[target],
            count=count_text(n),
            region=sender["region"],
        )

    def history(self, offer, sender_key, status):
        """The history steps that led to ``status``, all in the past and after publication."""
        rng = self.rng
        path = [SUBMITTED]
        if status == SHORTLISTED or (status != SUBMITTED and rng.random() < 0.5):
            path.append(SHORTLISTED)
        if status not in path:
            path.append(status)
        published = offer.values["published_at"].date()
        if offer.status == PUBLISHED:
            latest, step = self.today - 3 * DAY, 1
        else:
            latest, step = offer.values["application_deadline"] - 3 * DAY, rng.randint(1, 5)
        day = published + DAY + rng.randint(0, max(0, (latest - published - DAY).days)) * DAY
        steps = []
        for i, state in enumerate(path):
            actor = primary_email(offer.host if state in HOST_DECISIONS else sender_key)
            messages = texts.DECISION_MESSAGES.get(state)
            message = rng.choice(messages) if messages and state != SHORTLISTED else ""
            if state == SHORTLISTED and rng.random() < 0.5:
                message = rng.choice(messages)
            steps.append(
                (
                    state,
                    actor,
                    message,
                    self.at(day + i * step * DAY, rng.randint(8, 16), rng.randint(0, 59)),
                )
            )
        return steps
