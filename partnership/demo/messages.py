"""Messages between the two sides in the demo: the 2025 Borås–Vestland thread, on the
application and continued on its exchange (everyone has read it), and two recent questions
each demo login has not read yet, so that the desk shows its unread counts.

Written directly through the ORM (no email is sent for demo data); keyed on the thread, the
writer's organisation and the text, so a second run changes nothing.
"""

import datetime

from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from exchanges.models import Application, Message, Thread, ThreadReader
from matchmaking.models import Organisation, User

from . import story
from .plan import ORGANISATION_BY_KEY, organisation_slug, primary_email
from .rows import upsert

# (offer, sending organisation key, [(writer's organisation key, text, when)], the
# organisations whose people have read it all).
# ``when`` is a datetime (the story's past) or a number of days ago, at an hour.
THREADS = [
    (
        story.BORAS_2025["title"],
        "vestland",
        [
            (
                "vestland",
                "Thank you for accepting us! We are three: two advisors from the Section for "
                "Quality in Education and one NAV case worker. Should we arrive on Sunday "
                "11 May?",
                (datetime.date(2025, 4, 15), 9),
            ),
            (
                "boras",
                "Yes, Sunday evening is best: the programme starts at 08:30 on Monday at the "
                "Working Life Department. The bus from Landvetter takes about 40 minutes.\n"
                "Is there anything you would especially like to see?",
                (datetime.date(2025, 4, 15), 14),
            ),
            (
                "vestland",
                "We would love to see a real follow-up meeting and how you use motivational "
                "interviewing in it. Our NAV colleague is also curious about how you share "
                "information between the agencies.",
                (datetime.date(2025, 4, 16), 10),
            ),
            (
                "boras",
                "Noted! We have asked two people whether you may observe their follow-up "
                "meetings; the programme follows next week.",
                (datetime.date(2025, 4, 16), 15),
            ),
            (
                "vestland",
                "Thank you for two inspiring days! We will send our follow-up next week.",
                (datetime.date(2025, 5, 14), 9),
            ),
        ],
        ("boras", "vestland"),
    ),
    (
        story.BORAS_NEXT["title"],
        "catalonia",
        [
            (
                "catalonia",
                "Thank you for shortlisting us. Could our two counsellors join the "
                "afternoon's follow-up meetings in English, or should we bring an interpreter?",
                (1, 11),
            ),
        ],
        ("catalonia",),  # Borås (host@) has not read it yet
    ),
    (
        story.VESTLAND_RECIPROCAL["title"],
        "boras",
        [
            (
                "boras",
                "We are looking forward to seeing your follow-up service. Would the second "
                "week of the window suit you? Our job coach can only travel then.",
                (1, 15),
            ),
        ],
        ("boras",),  # Vestland (applicant@) has not read it yet
    ),
]


class MessageSeeder:
    def __init__(self, *, stdout, today=None):
        self.stdout = stdout
        self.today = today or timezone.localdate()

    def seed(self):
        with transaction.atomic():
            slugs = {organisation_slug(ORGANISATION_BY_KEY[key]) for key in _keys()}
            self.organisations = Organisation.objects.in_bulk(slugs, field_name="slug")
            if len(self.organisations) != len(slugs):
                raise CommandError("Run `manage.py seed_demo` first: organisations are missing.")
            written = sum(self.seed_thread(*thread) for thread in THREADS)
        self.stdout.write(f"Messages: {written} in {len(THREADS)} threads.")

    def organisation(self, key):
        return self.organisations[organisation_slug(ORGANISATION_BY_KEY[key])]

    def at(self, when):
        day, hour = when
        if isinstance(day, int):
            day = self.today - datetime.timedelta(days=day)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    def seed_thread(self, offer_title, sender_key, messages, read_by):
        application = Application.objects.filter(
            offer__title=offer_title, organisation=self.organisation(sender_key)
        ).first()
        if application is None:
            raise CommandError(f"Run `manage.py seed_demo` first: no application to {offer_title}.")
        thread, _created = Thread.objects.get_or_create(application=application)
        written = []
        for key, body, when in messages:
            organisation = self.organisation(key)
            author = User.objects.get(email=primary_email(key))
            message, _created = upsert(
                Message,
                {"thread": thread, "organisation": organisation, "body": body},
                {"author": author, "created_at": self.at(when)},
            )
            written.append(message)
        # The people of the organisations that have read the thread; the others see it as
        # unread on their desk.
        readers = User.objects.filter(
            memberships__organisation__in=[self.organisation(key) for key in read_by]
        ).distinct()
        for user in readers:
            upsert(ThreadReader, {"thread": thread, "user": user}, {"last_read": written[-1]})
        return len(written)


def _keys():
    return {key for _t, sender, messages, read in THREADS for key in (sender, *read)} | {
        key for _t, _s, messages, _r in THREADS for key, _b, _w in messages
    }
