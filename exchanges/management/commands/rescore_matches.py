"""``python manage.py rescore_matches``: score every open offer against every interest profile
and every application against its offer.

By default it starts a run of chunks on the workers (``exchanges.tasks.start_rescore``),
which every worker connected to the broker shares; its progress shows in the admin ("Full
re-scores"). Without a broker the chunks run here, one after the other. ``--here`` scores
everything in this process in one go, with no run (small installs, no worker needed).

Run it after changing MATCHING_WEIGHTS. Nobody is alerted: alerts belong to offers as they
are published.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from exchanges import matching, tasks


class Command(BaseCommand):
    help = "Score every open offer against every interest profile, and every application."

    def add_arguments(self, parser):
        parser.add_argument(
            "--here",
            action="store_true",
            help="score everything in this process, in one go, instead of in chunks on the workers",
        )

    def handle(self, *args, here=False, **options):
        started = time.monotonic()
        if here:
            summary = matching.rescore_all()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Scored {summary['offers']} open offers against {summary['profiles']} "
                    f"profiles: {summary['matches']} matches kept; {summary['applications']} "
                    f"applications scored; {time.monotonic() - started:.1f} s."
                )
            )
            return
        run = tasks.start_rescore()
        if run.finished_at is not None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Re-score run {run.pk}: {run.offers} open offers in {run.chunks_total} "
                    f"chunks: {run.matches} matches kept; {run.applications} applications "
                    f"scored; {time.monotonic() - started:.1f} s."
                )
            )
        elif not settings.CELERY_BROKER_URL:
            self.stdout.write(self.style.WARNING(f"Re-score run {run.pk} did not finish."))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Re-score run {run.pk} started: {run.chunks_total} chunks queued for the "
                    "workers; its progress shows in the admin (Full re-scores)."
                )
            )
