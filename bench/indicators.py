"""Time the monitoring's pages on 100,000 exchanges over 5,000 organisations; one JSON object
per line.

Usage (PostgreSQL on the local socket; the database is created and dropped by the script):

    .venv/bin/python bench/indicators.py [--exchanges 100000] [--organisations 5000]
        [--requests 5] [--keep]

Builds a throw-away database ``bench_indicators`` (createdb, migrate, rows written with
bulk_create), measures first at a tenth of the rows and then at all of them, so that the query
counts can be compared, and prints for each page the median and the slowest of ``--requests``
requests through Django's test client, server side, with the number of SQL queries: the
secretariat's dashboard without a filter, the dashboard filtered by year and region, and the
public page. Each page is measured "cold" (the cache emptied before every request, so every
figure is counted from the rows) and "warm" (the figures from the cache, as within
MONITORING_CACHE_SECONDS).
"""

import argparse
import datetime
import json
import os
import random
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

DATABASE = "bench_indicators"

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DATABASE_URL"] = f"postgres:///{DATABASE}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "matchmaking.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECRET_KEY", "bench-key")


def emit(**line):
    print(json.dumps(line), flush=True)


def create_database():
    subprocess.run(["dropdb", "--if-exists", DATABASE], check=True)
    subprocess.run(["createdb", DATABASE], check=True)


def setup_django():
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    emit(name="migrate", seconds=round(time.perf_counter() - started, 1))


class Builder:
    """Writes organisations, offers, applications with their answers, exchanges with
    fewer-opportunity counts, interest profiles with matches, in batches."""

    def __init__(self, *, organisations, seed=7):
        from matchmaking import nuts
        from matchmaking.models import (
            ExchangeType,
            FewerOpportunityCategory,
            Organisation,
        )

        self.rng = random.Random(seed)
        self.types = list(ExchangeType.objects.all())
        self.categories = list(FewerOpportunityCategory.objects.all())
        regions = [r for r in nuts.regions().values() if r.level == 3 and r.code[2:4] != "ZZ"]
        regions = self.rng.sample(regions, 300)
        today = datetime.date.today()
        Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"Organisation {i}",
                    slug=f"organisation-{i}",
                    kind="vet",
                    country=regions[i % len(regions)].country,
                    region_name=regions[i % len(regions)].name,
                    nuts_code=regions[i % len(regions)].code,
                    city="City",
                    contact_email=f"contact{i}@example.org",
                    rsp_member_since=today - datetime.timedelta(days=i % 2000)
                    if i % 3 == 0
                    else None,
                )
                for i in range(organisations)
            ],
            batch_size=2000,
        )
        self.organisations = list(Organisation.objects.values_list("pk", flat=True))
        self.made = 0

    def add(self, exchanges):
        """``exchanges`` more exchanges, each from its own accepted application, five
        applications per offer."""
        from django.utils import timezone

        from exchanges.models import (
            Application,
            ApplicationHistory,
            Exchange,
            FewerOpportunityCount,
            Offer,
        )

        rng, batch = self.rng, 5000
        for start in range(0, exchanges, batch):
            size = min(batch, exchanges - start)
            offers = []
            for i in range(size // 5):
                day = datetime.date(2021, 1, 1) + datetime.timedelta(days=rng.randrange(6 * 365))
                offers.append(
                    Offer(
                        organisation_id=rng.choice(self.organisations),
                        title=f"Offer {self.made + i}",
                        exchange_type=rng.choice(self.types),
                        target_group="learners",
                        description="Bench.",
                        city="City",
                        region_name="Region",
                        available_from=day,
                        available_until=day + datetime.timedelta(days=30),
                        duration_days=Decimal("5"),
                        capacity=40,
                        application_deadline=day,
                        status=Offer.Status.CLOSED,
                        published_at=timezone.make_aware(
                            datetime.datetime.combine(day, datetime.time(9))
                        ),
                    )
                )
            offers = Offer.objects.bulk_create(offers, batch_size=batch)
            applications = []
            for offer in offers:
                senders = set()
                while len(senders) < 5:
                    sender = rng.choice(self.organisations)
                    if sender != offer.organisation_id:
                        senders.add(sender)
                for sender in senders:
                    participants = rng.randint(1, 8)
                    applications.append(
                        Application(
                            offer=offer,
                            organisation_id=sender,
                            motivation="Bench.",
                            participants=participants,
                            fewer_opportunity_participants=rng.randint(0, participants),
                            participant_roles="Learners.",
                            preferred_start=offer.available_from,
                            preferred_end=offer.available_from + datetime.timedelta(days=4),
                            status=Application.Status.ACCEPTED,
                        )
                    )
            applications = Application.objects.bulk_create(applications, batch_size=batch)
            now = timezone.now()
            ApplicationHistory.objects.bulk_create(
                [
                    ApplicationHistory(
                        application=a,
                        kind="accepted",
                        created_at=now + datetime.timedelta(hours=rng.randint(1, 400)),
                    )
                    for a in applications
                ],
                batch_size=batch,
            )
            exchange_rows = Exchange.objects.bulk_create(
                [
                    Exchange(
                        application=a,
                        host_id=a.offer.organisation_id,
                        sender_id=a.organisation_id,
                        start_date=a.preferred_start,
                        end_date=a.preferred_end,
                        duration_days=Decimal("5"),
                        participants=a.participants,
                        fewer_opportunity_participants=a.fewer_opportunity_participants,
                        status=rng.choice(["planned", "completed", "completed", "cancelled"]),
                        cancellation_reason="Bench.",
                    )
                    for a in applications
                ],
                batch_size=batch,
            )
            FewerOpportunityCount.objects.bulk_create(
                [
                    FewerOpportunityCount(
                        exchange=e,
                        category=category,
                        count=e.fewer_opportunity_participants,
                    )
                    for e in exchange_rows
                    if e.fewer_opportunity_participants
                    for category in rng.sample(self.categories, rng.randint(1, 2))
                ],
                batch_size=batch,
            )
            self.made += size


def measure(client, url, requests, *, cold):
    """Median and slowest time of ``requests`` GETs and the queries of the last; ``cold``
    empties the cache before each, so that every figure is counted again."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm: templates, NUTS data, the connection
    timings = []
    for _ in range(requests):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings), max(timings), len(queries)


def measure_pages(exchanges, organisations, requests):
    from django.test import Client

    from matchmaking.models import Organisation, User

    user = User.objects.filter(email="secretariat@bench.example.org").first()
    if user is None:
        user = User.objects.create_superuser("secretariat@bench.example.org", "bench-pass")
    secretariat = Client()
    secretariat.force_login(user)
    region = Organisation.objects.order_by("pk").values_list("nuts_code", flat=True)[0][:4]
    pages = [
        ("dashboard", secretariat, "/partnership/dashboard/"),
        (
            "dashboard, year and region",
            secretariat,
            f"/partnership/dashboard/?year=2024&region={region}",
        ),
        ("public figures", Client(), "/partnership/figures/"),
    ]
    for name, client, url in pages:
        for cold in (True, False):
            median, slowest, queries = measure(client, url, requests, cold=cold)
            emit(
                name=name,
                cache="cold" if cold else "warm",
                exchanges=exchanges,
                organisations=organisations,
                median_ms=round(median, 1),
                max_ms=round(slowest, 1),
                queries=queries,
                requests=requests,
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exchanges", type=int, default=100_000)
    parser.add_argument("--organisations", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    create_database()
    try:
        setup_django()
        from django.db import connection

        started = time.perf_counter()
        builder = Builder(organisations=args.organisations)
        first = args.exchanges // 10
        builder.add(first)
        emit(name="build", exchanges=first, seconds=round(time.perf_counter() - started, 1))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        measure_pages(first, args.organisations, args.requests)

        started = time.perf_counter()
        builder.add(args.exchanges - first)
        emit(
            name="build", exchanges=args.exchanges, seconds=round(time.perf_counter() - started, 1)
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        measure_pages(args.exchanges, args.organisations, args.requests)
        connection.close()
    finally:
        if not args.keep:
            subprocess.run(["dropdb", "--if-exists", DATABASE], check=False)


if __name__ == "__main__":
    main()
