"""``python manage.py rescore_matches``: score every open offer against every interest profile
and every application against its offer, now, in this process (no worker needed).

Run it after changing MATCHING_WEIGHTS, or when the broker was down while changes were made.
Nobody is alerted: alerts belong to offers as they are published.
"""

import time

from django.core.management.base import BaseCommand

from exchanges import matching


class Command(BaseCommand):
    help = "Score every open offer against every interest profile, and every application."

    def handle(self, *args, **options):
        started = time.monotonic()
        summary = matching.rescore_all()
        self.stdout.write(
            self.style.SUCCESS(
                f"Scored {summary['offers']} open offers against {summary['profiles']} "
                f"profiles: {summary['matches']} matches kept; {summary['applications']} "
                f"applications scored; {time.monotonic() - started:.1f} s."
            )
        )
