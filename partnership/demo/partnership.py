"""The demo's Regional Skills Partnership (the second half of ``manage.py seed_demo``).

Run after the site's demo (``organisations_and_offers``): Borås Stad, Vestland County Council and
five other demo organisations are members, with approved applications and their history;
Sjuhärad Vocational College has a pending application for the secretariat to decide; Nicholas
Waller and Ingrid Hillestad Bårgard, the two voices of the seed's case study, are approved
promoters and a third nomination waits. Members that consented get a generated logo unless
they have one. An upcoming matchmaking event ("Matchmaking day: inclusive job shadowing", in
Brussels, on the first Tuesday of next month or the one after) has six confirmed registrations,
one waiting for the secretariat and one it turned down (with its note), and five meetings:
Borås–Vestland accepted, one requested, one declined, one that nobody answered in time
(expired) and one accepted, then cancelled with a reason; a past online event has two
registrations.

Like ``seed_demo`` it writes through the ORM with ``full_clean()`` rather than the services
(the history lies in the past and no email is sent for demo data), keyed on organisation and
name, so running it again changes nothing.
"""

import datetime
import io
import unicodedata
import zoneinfo

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFont

from matchmaking.models import Language, Membership, Organisation, User
from partnership.models import (
    Commitment,
    Event,
    EventRegistration,
    Meeting,
    MembershipApplication,
    MembershipHistory,
    Promoter,
)

from .rows import upsert

SECRETARIAT_EMAIL = "secretariat@demo.earlall.eu"

# (organisation slug, contact name and role, logo consent, applied, approved, motivation)
MEMBERS = [
    (
        "boras-stad",
        "Nicholas Waller",
        "International Coordinator, Working Life Department",
        True,
        (2024, 9, 17),
        (2024, 10, 1),
        "Borås Stad's Working Life Department hosts job shadowing on how its Multicompetent Team "
        "brings people who are furthest from the labour market back to education and work, and "
        "looks for reciprocal visits with partner regions.",
    ),
    (
        "vestland-county-council",
        "Ingrid Hillestad Bårgard",
        "Advisor, Section for Quality in Education",
        True,
        (2024, 9, 20),
        (2024, 10, 1),
        "Vestland is developing, with NAV, a way to bring young people and adults outside "
        "education and work back into training, and wants to learn from other regions through "
        "job shadowing.",
    ),
    (
        "generalitat-de-catalunya-education-and-vocational-training",
        "Montserrat Puig",
        "Head of the VET mobility unit",
        True,
        (2024, 9, 17),
        (2024, 10, 1),
        "Catalonia sends and hosts thousands of VET learners a year and wants more of them to be "
        "learners with fewer opportunities.",
    ),
    (
        "basque-government-vice-ministry-of-vocational-training",
        "Iñaki Etxeberria",
        "Coordinator of international projects",
        False,
        (2024, 11, 4),
        (2024, 11, 18),
        "The Basque VET system works closely with companies; we want apprenticeship mobility to "
        "become as common as school-based mobility.",
    ),
    (
        "regione-lombardia-directorate-for-education-training-and-work",
        "Giulia Bianchi",
        "Officer for European programmes",
        True,
        (2025, 1, 13),
        (2025, 1, 27),
        "Lombardy wants to open its dual-training system to learners and staff from other "
        "regions and to send more of its apprentices abroad.",
    ),
    (
        "council-of-tampere-region",
        "Anu Virtanen",
        "Senior advisor, education and skills",
        False,
        (2025, 3, 3),
        (2025, 3, 17),
        "Tampere Region coordinates the region's education providers and wants a common way to "
        "monitor the mobility of its learners.",
    ),
    (
        "upper-austria-education-directorate",
        "Katharina Huber",
        "Head of international affairs",
        True,
        (2025, 6, 2),
        (2025, 6, 16),
        "Upper Austria's apprenticeship offices want partners for the mobility of apprentices in "
        "industry and for staff exchanges between training companies.",
    ),
]
PENDING = (
    "sjuharad-vocational-college",
    "Karin Sjöberg",
    "Head of international affairs",
    True,
    "Our learners in textile technology, logistics and health care do their work "
    "placements in regional companies; we want to offer some of them abroad, and to host "
    "learners from partner regions.",
)

PROMOTERS = [
    dict(
        organisation="boras-stad",
        name="Nicholas Waller",
        role="International Coordinator, Working Life Department",
        languages=["sv", "en"],
        status=Promoter.Status.APPROVED,
        nominated=(2025, 5, 26),
        decided=(2025, 6, 3),
        contact_email="nicholas.waller@boras-stad.example.org",
        bio="Nicholas coordinates the international work of Borås Stad's Working Life "
        "Department. In May 2025 he hosted Vestland County Council for a day and a half of "
        "job shadowing with the Multicompetent Team, showing how Borås supports people who "
        "are furthest from the labour market: inter-agency cooperation, personalised "
        "support, motivational interviewing and ACT guidance. He wants to continue the "
        "exchange with a visit to Vestland and helps other regions prepare their first job "
        "shadowing.",
    ),
    dict(
        organisation="vestland-county-council",
        name="Ingrid Hillestad Bårgard",
        role="Advisor, Section for Quality in Education, Department for Education and Competence",
        languages=["no", "en"],
        status=Promoter.Status.APPROVED,
        nominated=(2025, 5, 28),
        decided=(2025, 6, 3),
        contact_email="ingrid.hillestad.bargard@vestland-county-council.example.org",
        bio="Ingrid works with NAV, the Norwegian Labour and Welfare Administration, on bringing "
        "young people and adults outside education and work back into training. After job "
        "shadowing in Borås in May 2025, Vestland is adapting motivational interviews, "
        "mapping and a better flow of information between organisations to its own "
        "context: “We left Borås full of ideas.” She can tell you what job shadowing "
        "brings to a regional team and how to prepare one.",
    ),
    dict(
        organisation="generalitat-de-catalunya-education-and-vocational-training",
        name="Montserrat Puig",
        role="Head of the VET mobility unit",
        languages=["ca", "es", "en"],
        status=Promoter.Status.PENDING,
        nominated=None,
        decided=None,
        contact_email="montserrat.puig@catalunya-vet.example.org",
        bio="Montserrat supports Catalan VET centres in their Erasmus+ projects and in dual "
        "training with companies abroad, with a focus on learners with fewer "
        "opportunities.",
    ),
]

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
MATCHMAKING_DAY = dict(
    slug="matchmaking-day-inclusive-job-shadowing",
    title="Matchmaking day: inclusive job shadowing",
    description="A day for the members of the partnership, and the organisations that want to "
    "work with them, to prepare job shadowing and study visits on reaching people "
    "who are furthest from education and work. In the morning, Borås Stad and "
    "Vestland County Council tell how their exchange came about and what it "
    "changed; the rest of the day is 1:1 meetings of 30 minutes, booked here "
    "beforehand.",
    place="EARLALL, Rue du Luxembourg 47-51, 1050 Brussels",
    online_url="",
    capacity=20,
    registrations_need_approval=True,
    slot_minutes=30,
    meeting_cap=8,
)
PAST_WEBINAR = dict(
    slug="matchmaking-webinar-apprenticeship-mobility",
    title="Matchmaking webinar: apprenticeship mobility",
    description="An online afternoon for regions and VET providers looking for partners for "
    "the mobility of apprentices: short presentations, then 1:1 meetings.",
    place="",
    online_url="https://meet.earlall.example.org/apprenticeship-mobility",
    capacity=30,
    registrations_need_approval=False,
    slot_minutes=20,
    meeting_cap=6,
)
# (organisation slug, confirmed, people attending)
DAY_REGISTRATIONS = [
    (
        "boras-stad",
        True,
        [
            ("Nicholas Waller", "International Coordinator, Working Life Department"),
            ("Maria Lindqvist", "Coach, Multicompetent Team"),
        ],
    ),
    (
        "vestland-county-council",
        True,
        [("Ingrid Hillestad Bårgard", "Advisor, Section for Quality in Education")],
    ),
    (
        "generalitat-de-catalunya-education-and-vocational-training",
        True,
        [("Montserrat Puig", "Head of the VET mobility unit")],
    ),
    (
        "regione-lombardia-directorate-for-education-training-and-work",
        True,
        [("Giulia Bianchi", "Officer for European programmes")],
    ),
    ("council-of-tampere-region", True, [("Anu Virtanen", "Senior advisor, education and skills")]),
    (
        "upper-austria-education-directorate",
        True,
        [("Katharina Huber", "Head of international affairs")],
    ),
    ("sjuharad-vocational-college", False, [("Karin Sjöberg", "Head of international affairs")]),
]
# (organisation slug, people attending, the secretariat's note): turned down.
DAY_REJECTED = [
    (
        "rennes-youth-mobility-association",
        [("Léa Morvan", "Project officer")],
        "This matchmaking day is for regional authorities and VET providers planning staff "
        "exchanges; the apprenticeship mobility webinars suit your projects better.",
    ),
]
# (from, to, slot number from 09:00, status, message)
DAY_MEETINGS = [
    (
        "vestland-county-council",
        "boras-stad",
        2,
        Meeting.Status.ACCEPTED,
        "After our job shadowing in May we would like to plan your visit to Vestland: dates, "
        "who comes, and what you would like to see of our work with NAV.",
    ),
    (
        "generalitat-de-catalunya-education-and-vocational-training",
        "boras-stad",
        4,
        Meeting.Status.REQUESTED,
        "We are looking for a host for four VET guidance counsellors who work with early school "
        "leavers. Could we talk about the Multicompetent Team?",
    ),
    (
        "council-of-tampere-region",
        "vestland-county-council",
        3,
        Meeting.Status.DECLINED,
        "We would like to hear how you monitor the mobility of your learners.",
    ),
    (
        "upper-austria-education-directorate",
        "generalitat-de-catalunya-education-and-vocational-training",
        7,
        Meeting.Status.EXPIRED,
        "Could we compare how our regions prepare apprentices for a stay abroad?",
    ),
]
# (from, to, slot number, message, who cancelled it, their reason): accepted, then called off.
DAY_CANCELLED_MEETINGS = [
    (
        "regione-lombardia-directorate-for-education-training-and-work",
        "boras-stad",
        6,
        "We would like to learn how your Multicompetent Team works with young people not in "
        "education, employment or training.",
        "regione-lombardia-directorate-for-education-training-and-work",
        "Our delegation has to leave at noon; could we talk online the week after instead?",
    ),
]
WEBINAR_REGISTRATIONS = [
    (
        "basque-government-vice-ministry-of-vocational-training",
        [("Iñaki Etxeberria", "Coordinator of international projects")],
    ),
    ("upper-austria-education-directorate", [("Katharina Huber", "Head of international affairs")]),
]

LOGO_COLOURS = [(0, 84, 147), (178, 34, 52), (0, 122, 94), (120, 60, 140), (210, 120, 0)]


def _logo_font():
    try:  # DejaVu comes with Debian's Chromium and with most desktops
        return ImageFont.truetype("DejaVuSans-Bold.ttf", 30)
    except OSError:
        return None


def _at(day, hour=10):
    return timezone.make_aware(datetime.datetime(*day, hour))


class PartnershipSeeder:
    """Members, a pending application, promoters, and matchmaking events."""

    def __init__(self, *, stdout):
        self.stdout = stdout

    def seed(self):
        with transaction.atomic():
            slugs = {member[0] for member in MEMBERS} | {PENDING[0]}
            self.organisations = Organisation.objects.in_bulk(slugs, field_name="slug")
            missing = slugs - set(self.organisations)
            if missing:
                raise CommandError(f"Run `manage.py seed_demo` first; missing: {sorted(missing)}.")
            self.secretariat = User.objects.filter(email=SECRETARIAT_EMAIL).first()
            if self.secretariat is None:
                raise CommandError("Run `manage.py seed_demo` first: no secretariat login.")
            self.languages = Language.objects.in_bulk(field_name="code")
            for position, member in enumerate(MEMBERS):
                self.seed_member(position, *member)
            self.seed_pending(*PENDING)
            for promoter in PROMOTERS:
                self.seed_promoter(**promoter)
            self.seed_events()
        members = Organisation.objects.filter(rsp_member_since__isnull=False).count()
        self.stdout.write(
            f"Partnership: {members} members, "
            f"{MembershipApplication.objects.pending().count()} pending application, "
            f"{Promoter.objects.filter(status=Promoter.Status.APPROVED).count()} promoters"
        )
        self.stdout.write(
            f"Events: {Event.objects.count()} events, "
            f"{EventRegistration.objects.count()} registrations, "
            f"{Meeting.objects.count()} meetings"
        )

    def admin_of(self, organisation):
        membership = (
            organisation.memberships.filter(role=Membership.Role.ADMIN)
            .select_related("user")
            .order_by("created_at", "pk")
            .first()
        )
        if membership is None:
            raise CommandError(f"{organisation} has no admin: run `manage.py seed_demo` first.")
        return membership.user

    def seed_application(
        self, organisation, contact_name, contact_role, consent, motivation, created_at, decided_at
    ):
        status = (
            MembershipApplication.Status.APPROVED
            if decided_at
            else MembershipApplication.Status.PENDING
        )
        submitter = self.admin_of(organisation)
        application, _created = upsert(
            MembershipApplication,
            {"organisation": organisation, "contact_name": contact_name},
            {
                "contact_role": contact_role,
                "contact_email": f"{slugify(contact_name.split()[0])}@"
                f"{organisation.slug[:40].strip('-')}.example.org",
                "motivation": motivation,
                "commitments": sorted(Commitment.values),
                "logo_consent": consent,
                "status": status,
                "submitted_by": submitter,
                "created_at": created_at,
                "decided_by": self.secretariat if decided_at else None,
                "decided_at": decided_at,
                "decision_note": "Welcome to the partnership!" if decided_at else "",
            },
        )
        history = [(MembershipHistory.Kind.APPLIED, submitter, "", created_at)]
        if decided_at:
            history.append(
                (
                    MembershipHistory.Kind.APPROVED,
                    self.secretariat,
                    application.decision_note,
                    decided_at,
                )
            )
        for kind, actor, note, at in history:
            upsert(
                MembershipHistory,
                {"organisation": organisation, "application": application, "kind": kind},
                {"actor": actor, "note": note, "created_at": at},
            )
        return application

    def seed_member(
        self, position, slug, contact_name, contact_role, consent, applied, approved, motivation
    ):
        organisation = self.organisations[slug]
        self.seed_application(
            organisation,
            contact_name,
            contact_role,
            consent,
            motivation,
            _at(applied),
            _at(approved, 15),
        )
        changes = {}
        if organisation.rsp_member_since != datetime.date(*approved):
            changes["rsp_member_since"] = datetime.date(*approved)
        if consent and not organisation.logo:
            changes["logo"] = self.demo_logo(organisation, LOGO_COLOURS[position % 5])
        if changes:
            Organisation.objects.filter(pk=organisation.pk).update(**changes)

    def seed_pending(self, slug, contact_name, contact_role, consent, motivation):
        organisation = self.organisations[slug]
        applied = timezone.make_aware(
            datetime.datetime.combine(
                timezone.localdate() - datetime.timedelta(days=3), datetime.time(9, 30)
            )
        )
        # Whatever was done with it in the demo, the application waits for a decision again.
        MembershipApplication.objects.pending().filter(organisation=organisation).exclude(
            contact_name=contact_name
        ).update(status=MembershipApplication.Status.WITHDRAWN, decided_at=timezone.now())
        application = self.seed_application(
            organisation, contact_name, contact_role, consent, motivation, applied, None
        )
        application.history.exclude(kind=MembershipHistory.Kind.APPLIED).delete()
        if organisation.rsp_member_since is not None:
            Organisation.objects.filter(pk=organisation.pk).update(rsp_member_since=None)

    def seed_promoter(self, *, organisation, name, languages, nominated, decided, **values):
        organisation = Organisation.objects.get(slug=organisation)
        nominated_at = (
            _at(nominated)
            if nominated
            else timezone.make_aware(
                datetime.datetime.combine(
                    timezone.localdate() - datetime.timedelta(days=2), datetime.time(11)
                )
            )
        )
        promoter, _created = upsert(
            Promoter,
            {"organisation": organisation, "name": name},
            {
                **values,
                "photo_consent": False,
                "nominated_by": self.admin_of(organisation),
                "created_at": nominated_at,
                "decided_by": self.secretariat if decided else None,
                "decided_at": _at(decided, 14) if decided else None,
            },
        )
        wanted = {self.languages[code] for code in languages}
        if set(promoter.languages.all()) != wanted:
            promoter.languages.set(wanted)

    def demo_logo(self, organisation, colour):
        """A plain generated logo, written once under a fixed name and shared by every run."""
        name = f"logos/demo-{organisation.slug[:40]}.png"
        if not default_storage.exists(name):
            image = Image.new("RGB", (360, 120), colour)
            draw = ImageDraw.Draw(image)
            words = organisation.name.split(" – ")[0].split()
            lines = [" ".join(words[:2]), " ".join(words[2:5])]
            font = _logo_font()
            for row, line in enumerate(line for line in lines if line):
                if font is None:  # Pillow's own font lacks letters such as å: write them bare
                    line = unicodedata.normalize("NFKD", line).encode("ascii", "ignore").decode()
                draw.text(
                    (18, 18 + row * 42),
                    line,
                    fill="white",
                    font=font or ImageFont.load_default(size=30),
                )
            buffer = io.BytesIO()
            image.save(buffer, "PNG")
            saved = default_storage.save(name, ContentFile(buffer.getvalue()))
            assert saved == name, saved
        return name

    # Events ------------------------------------------------------------------------------------

    def seed_events(self):
        day = _first_tuesday_of_next_month(timezone.localdate())
        start = datetime.datetime.combine(day, datetime.time(9), BRUSSELS)
        event = self.seed_event(
            MATCHMAKING_DAY,
            start,
            start.replace(hour=17),
            deadline=start.replace(hour=17) - datetime.timedelta(days=7),
        )
        registrations = {
            slug: self.seed_registration(
                event, slug, attendees, confirmed=confirmed, at=start - datetime.timedelta(days=20)
            )
            for slug, confirmed, attendees in DAY_REGISTRATIONS
        }
        for requester, recipient, slot, status, message in DAY_MEETINGS:
            self.seed_meeting(
                event,
                registrations[requester],
                registrations[recipient],
                event.slots()[slot].start,
                status,
                message,
            )
        for slug, attendees, note in DAY_REJECTED:
            self.seed_rejected_registration(
                event, slug, attendees, note, at=start - datetime.timedelta(days=18)
            )
        for requester, recipient, slot, message, by, reason in DAY_CANCELLED_MEETINGS:
            self.seed_meeting(
                event,
                registrations[requester],
                registrations[recipient],
                event.slots()[slot].start,
                Meeting.Status.CANCELLED,
                message,
                cancelled_by=self.admin_of(registrations[by].organisation),
                cancelled_at=event.starts_at - datetime.timedelta(days=7),
                cancellation_reason=reason,
            )
        webinar_start = datetime.datetime(
            timezone.localdate().year - 1, 4, 15, 14, 0, tzinfo=BRUSSELS
        )
        webinar = self.seed_event(
            PAST_WEBINAR,
            webinar_start,
            webinar_start.replace(hour=17),
            deadline=webinar_start - datetime.timedelta(days=2),
        )
        for slug, attendees in WEBINAR_REGISTRATIONS:
            self.seed_registration(
                webinar,
                slug,
                attendees,
                confirmed=True,
                at=webinar_start - datetime.timedelta(days=10),
            )

    def seed_event(self, values, starts_at, ends_at, *, deadline):
        values = dict(values)
        slug = values.pop("slug")
        event, _created = upsert(
            Event,
            {"slug": slug},
            {
                **values,
                "time_zone": "Europe/Brussels",
                "starts_at": starts_at,
                "ends_at": ends_at,
                "registration_deadline": deadline,
            },
        )
        return event

    def seed_registration(self, event, slug, attendees, *, confirmed, at):
        organisation = Organisation.objects.get(slug=slug)
        registration, _created = upsert(
            EventRegistration,
            {"event": event, "organisation": organisation},
            {
                "attendees": [{"name": name, "role": role} for name, role in attendees],
                "status": (
                    EventRegistration.Status.CONFIRMED
                    if confirmed
                    else EventRegistration.Status.PENDING
                ),
                "registered_by": self.admin_of(organisation),
                "created_at": at,
                "decided_by": self.secretariat
                if confirmed and event.registrations_need_approval
                else None,
                "decided_at": at + datetime.timedelta(days=1) if confirmed else None,
            },
        )
        return registration

    def seed_rejected_registration(self, event, slug, attendees, note, *, at):
        organisation = Organisation.objects.get(slug=slug)
        registration, _created = upsert(
            EventRegistration,
            {"event": event, "organisation": organisation},
            {
                "attendees": [{"name": name, "role": role} for name, role in attendees],
                "status": EventRegistration.Status.REJECTED,
                "registered_by": self.admin_of(organisation),
                "created_at": at,
                "decided_by": self.secretariat,
                "decided_at": at + datetime.timedelta(days=1),
                "decision_note": note,
            },
        )
        return registration

    def seed_meeting(self, event, requester, recipient, slot_start, status, message, **extra):
        """A meeting as it was requested and answered; a cancelled one was accepted first, an
        expired one never answered."""
        requested_at = event.starts_at - datetime.timedelta(days=10)
        decided = status != Meeting.Status.REQUESTED
        answered = status not in (Meeting.Status.REQUESTED, Meeting.Status.EXPIRED)
        meeting, _created = upsert(
            Meeting,
            {"event": event, "requester": requester, "recipient": recipient},
            {
                "slot_start": slot_start,
                "status": status,
                "message": message,
                "requested_by": self.admin_of(requester.organisation),
                "created_at": requested_at,
                "decided_by": self.admin_of(recipient.organisation) if answered else None,
                "decided_at": requested_at + datetime.timedelta(days=1) if decided else None,
                **extra,
            },
        )
        return meeting


def _first_tuesday_of_next_month(today):
    """The first Tuesday of next month, or of the month after when that is under three weeks
    away (registrations close a week before): the same day for most of a month's runs."""
    month = today.replace(day=1)
    while True:
        month = (month + datetime.timedelta(days=32)).replace(day=1)
        tuesday = month + datetime.timedelta(days=(1 - month.weekday()) % 7)
        if tuesday - today >= datetime.timedelta(days=21):
            return tuesday
