"""``python manage.py embed_texts``: compute the sentence vectors of the offers, interest
profiles and applications that have none, or whose text changed since (``--all``: every row
again), in batches, with a progress bar; then, unless ``--no-rescore``, score everything
again so that the stored matches use them.

About 2–5 texts a second on two shared cores: run it once after installing (or after
``MATCHING_VECTORS`` was off), in the background. It can be stopped and run again: rows done
keep their vectors.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from exchanges import matching
from exchanges.matching import vectors


class Command(BaseCommand):
    help = "Compute the missing sentence vectors of offers, profiles and applications."

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind", choices=sorted(vectors.KINDS), action="append", help="only these (repeat)"
        )
        parser.add_argument("--all", action="store_true", help="every row, not only stale ones")
        parser.add_argument(
            "--no-rescore", action="store_true", help="do not score everything again afterwards"
        )

    def handle(self, *args, kind=None, all=False, no_rescore=False, **options):
        if not settings.MATCHING_VECTORS:
            raise CommandError("MATCHING_VECTORS is off: texts are compared by their words.")
        started = time.monotonic()
        done = {}
        for name in kind or ["offer", "profile", "application"]:
            queryset = vectors.KINDS[name].objects.all()
            if all:
                queryset.update(text_hash="")
            todo = len(vectors.stale(name, queryset))
            with tqdm(
                total=todo, desc=name, unit="text", file=self.stderr, disable=not todo
            ) as bar:
                done[name] = vectors.refresh(name, queryset, progress=bar.update)
        summary = ", ".join(f"{count} {name}s" for name, count in done.items())
        self.stdout.write(
            self.style.SUCCESS(f"Embedded {summary}; {time.monotonic() - started:.1f} s.")
        )
        if not no_rescore and any(done.values()):
            matching.rescore_all()
            self.stdout.write(self.style.SUCCESS("Scored everything again."))
