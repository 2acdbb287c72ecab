"""Time the busiest pages against the current database and print the figures.

Usage (after `.ci/demo` or `python manage.py seed_demo` filled the database):

    .venv/bin/python bench/pages.py [--requests 50]

Set DATABASE_URL to measure on PostgreSQL. Prints, per page, the median and 95th percentile
of the server-side time for a request made through Django's test client, and the number of
SQL queries it ran.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "matchmaking.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from exchanges.models import Offer  # noqa: E402
from matchmaking.models import User  # noqa: E402


def measure(client, url, requests):
    timings = []
    for _ in range(requests):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    return statistics.median(timings), p95, len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()

    offer = Offer.objects.visible_in_catalogue().first()
    host = User.objects.filter(email="host@demo.earlall.eu").first()
    if offer is None or host is None:
        sys.exit("No demo data: run `python manage.py seed_demo` first.")
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(host)
    pages = [
        ("home", anonymous, "/"),
        ("catalogue", anonymous, "/offers/"),
        ("catalogue, filtered", anonymous, "/offers/?theme=inclusion&open=on&sort=deadline"),
        ("catalogue, keyword", anonymous, "/offers/?q=job+shadowing"),
        ("offer", anonymous, f"/offers/{offer.pk}/"),
        ("desk", signed_in, "/my/"),
    ]
    print(f"{connection.vendor}, {Offer.objects.count()} offers, {args.requests} requests each")
    print(f"{'page':<22}{'median ms':>10}{'p95 ms':>10}{'queries':>9}")
    for name, client, url in pages:
        median, p95, queries = measure(client, url, args.requests)
        print(f"{name:<22}{median:>10.1f}{p95:>10.1f}{queries:>9}")


if __name__ == "__main__":
    main()
