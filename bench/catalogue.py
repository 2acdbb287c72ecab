"""The catalogue under load at 100,000 offers, against a bare Django page; one JSON object per
line.

Usage (PostgreSQL on the local socket, Redis on 127.0.0.1:6379, wrk from apt):

    .venv/bin/python bench/catalogue.py [--offers 100000] [--organisations 60000]
        [--seconds 10] [--connections 16] [--rebuild]

Builds the database ``bench_catalogue`` (createdb, migrate, rows written with bulk_create;
kept and reused when it already holds that many offers and organisations), then serves the
project with gunicorn (DEBUG off, 2 sync workers, the cache in Redis database 13, shared by
the workers as in production) and, on the same gunicorn, the bare page of ``bench/bare/``
(the default middleware, one template, no query). wrk drives each URL in turn with
``--connections`` connections for ``--seconds`` seconds, after one request that warms the
cache. Per URL: requests a second, latency p50/p95/p99 (ms), the queries of one request
(Django's test client with CaptureQueriesContext, with the cache empty and then warm), and the
ratio of its requests a second to the bare page's. Target: ratio >= 0.10 and p95 <= 50 ms.
"""

import argparse
import datetime
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

DATABASE = "bench_catalogue"
ROOT = Path(__file__).resolve().parent.parent
CACHE_URL = "redis://127.0.0.1:6379/13"
PROJECT_PORT, BARE_PORT = 18741, 18742

sys.path.insert(0, str(ROOT))
SERVER_ENV = {
    "DATABASE_URL": f"postgres:///{DATABASE}",
    "DEBUG": "off",
    "SECRET_KEY": "bench-key",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "off",
    "SECURE_HSTS_SECONDS": "0",
    "CACHE_URL": CACHE_URL,
    "LOG_LEVEL": "ERROR",
    "MATCHING_VECTORS": "off",
}
os.environ.update(SERVER_ENV)
os.environ.pop("CELERY_BROKER_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "matchmaking.settings")

URLS = [
    "/offers/",
    "/offers/?page=50",
    "/offers/?q=inclusion",
    "/offers/?exchange_type=study-visit&country=SE",
    "/",
]

# Words for titles and descriptions, with the places' own spellings.
CITIES = [
    ("SE", "Borås", "sv"),
    ("SE", "Malmö", "sv"),
    ("NO", "Bergen", "nb"),
    ("NO", "Tromsø", "nb"),
    ("PL", "Wrocław", "pl"),
    ("PL", "Łódź", "pl"),
    ("ES", "Sevilla", "es"),
    ("ES", "Barcelona", "ca"),
    ("DE", "München", "de"),
    ("FR", "Besançon", "fr"),
    ("IT", "Forlì", "it"),
    ("FI", "Jyväskylä", "fi"),
    ("DK", "Aarhus", "da"),
    ("NL", "Utrecht", "nl"),
    ("PT", "Évora", "pt"),
    ("IE", "Cork", "en"),
]
SUBJECTS = [
    "guidance counselling",
    "apprenticeships",
    "digital skills",
    "green skills",
    "adult basic skills",
    "migrant integration",
    "validation of prior learning",
    "teacher development",
    "quality assurance",
    "work-based learning",
]


def emit(**line):
    print(json.dumps(line), flush=True)


def database_exists():
    found = subprocess.run(
        ["psql", "-Atc", f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'", "postgres"],
        capture_output=True,
        text=True,
        check=True,
    )
    return found.stdout.strip() == "1"


def setup_django(*, rebuild):
    if rebuild or not database_exists():
        subprocess.run(["dropdb", "--if-exists", DATABASE], check=True)
        subprocess.run(["createdb", DATABASE], check=True)
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    # DEBUG off: WhiteNoise serves the collected, hashed files (STATIC_ROOT, git-ignored).
    call_command("collectstatic", interactive=False, verbosity=0)
    emit(name="migrate", seconds=round(time.perf_counter() - started, 1))


def built(offers, organisations):
    from exchanges.models import Offer
    from matchmaking.models import Organisation

    return Offer.objects.count() == offers and Organisation.objects.count() == organisations


def build(offers, organisations, seed=11):
    """Organisations in 16 countries, and offers: nine in ten published, a tenth of them
    about inclusion, with one to three themes and one or two working languages each."""
    from django.db import connection, transaction
    from django.utils import timezone

    from exchanges.models import Application, Offer
    from matchmaking.models import ExchangeType, Language, Organisation, Theme

    rng = random.Random(seed)
    started = time.perf_counter()
    with transaction.atomic():
        Application.objects.all().delete()
        Offer.objects.all().delete()
        Organisation.objects.all().delete()
        Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"{CITIES[i % len(CITIES)][1]} learning centre {i}",
                    slug=f"organisation-{i}",
                    kind="vet",
                    country=CITIES[i % len(CITIES)][0],
                    region_name="Region",
                    city=CITIES[i % len(CITIES)][1],
                    contact_email=f"contact{i}@example.org",
                    rsp_member_since=datetime.date(2025, 1, 1) if i % 4 == 0 else None,
                )
                for i in range(organisations)
            ],
            batch_size=5000,
        )
    hosts = list(Organisation.objects.values_list("pk", "city"))
    types = list(ExchangeType.objects.all())
    themes = list(Theme.objects.values_list("pk", flat=True))
    languages = dict(Language.objects.values_list("code", "pk"))
    language_of = {city: code for _country, city, code in CITIES}
    today = timezone.localdate()
    now = timezone.now()
    batch = 10_000
    for begin in range(0, offers, batch):
        rows = []
        for n in range(begin, min(offers, begin + batch)):
            host, city = hosts[n % len(hosts)]
            subject = SUBJECTS[n % len(SUBJECTS)]
            about = "inclusion" if n % 10 == 3 else "participation"
            start = today + datetime.timedelta(days=rng.randrange(20, 400))
            rows.append(
                Offer(
                    organisation_id=host,
                    title=f"{types[n % len(types)].name}: {subject} in {city}",
                    exchange_type=types[n % len(types)],
                    target_group="staff" if n % 3 else "learners",
                    description=(
                        f"Our team in {city} shows its work on {subject} and {about}. "
                        "Participants follow the staff, meet learners and partners, and "
                        "take part in a workshop on what they bring home."
                    ),
                    city=city,
                    region_name="Region",
                    available_from=start,
                    available_until=start + datetime.timedelta(days=30),
                    duration_days=Decimal("2.0"),
                    capacity=rng.randrange(1, 10),
                    application_deadline=start - datetime.timedelta(days=10),
                    supports_fewer_opportunities=n % 5 == 0,
                    fewer_opportunities_support="A mentor." if n % 5 == 0 else "",
                    status="published" if n % 10 else "closed",
                    published_at=now - datetime.timedelta(minutes=n),
                    text_language=language_of.get(city, ""),
                )
            )
        with transaction.atomic():
            made = Offer.objects.bulk_create(rows, batch_size=2000)
            Offer.themes.through.objects.bulk_create(
                [
                    Offer.themes.through(offer_id=offer.pk, theme_id=theme)
                    for i, offer in enumerate(made)
                    for theme in rng.sample(themes, 1 + i % 3)
                ],
                batch_size=5000,
            )
            Offer.languages.through.objects.bulk_create(
                [
                    Offer.languages.through(offer_id=offer.pk, language_id=pk)
                    for i, offer in enumerate(made)
                    for pk in {
                        languages["en"],
                        languages.get(language_of[offer.city], languages["en"]),
                    }
                ],
                batch_size=5000,
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    emit(
        name="build",
        offers=offers,
        organisations=organisations,
        seconds=round(time.perf_counter() - started, 1),
    )


def count_queries():
    """The queries of one request to each URL, with the cache empty, then warm."""
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts = {}
    for url in URLS:
        for each in caches.all():
            each.clear()
        with CaptureQueriesContext(connection) as cold:
            assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as warm:
            client.get(url)
        counts[url] = (len(cold), len(warm))
    for each in caches.all():
        each.clear()
    return counts


def serve(application, port):
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        application,
        "--workers",
        "2",
        "--bind",
        f"127.0.0.1:{port}",
        "--chdir",
        str(ROOT),
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, env={**os.environ, **SERVER_ENV}, start_new_session=True)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
            return server
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{application} did not start on port {port}")


def stop(server):
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


REPORT = """
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %d, "seconds": %.3f, "errors": %d, "non2xx": %d,'
    .. ' "p50": %.3f, "p95": %.3f, "p99": %.3f}\\n',
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout, summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
"""


def drive(url, *, seconds, connections, script):
    urllib.request.urlopen(url, timeout=60).read()  # warms the cache
    found = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", script, url],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(found.stdout.strip().splitlines()[-1])
    result["rps"] = round(result["requests"] / result["seconds"], 1)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--organisations", type=int, default=None)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    organisations = args.organisations or max(1, args.offers * 6 // 10)

    # Other work on the machine slows both servers alike; the ratio is the figure to compare.
    emit(name="machine", cpus=os.cpu_count(), load_average=[round(x, 2) for x in os.getloadavg()])
    setup_django(rebuild=args.rebuild)
    if built(args.offers, organisations):
        emit(name="build", reused=True, offers=args.offers, organisations=organisations)
    else:
        build(args.offers, organisations)
    subprocess.run(["redis-cli", "-n", "13", "FLUSHDB"], check=True, capture_output=True)
    queries = count_queries()

    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(REPORT)
    try:
        bare = serve("bench.bare.wsgi:application", BARE_PORT)
        try:
            yardstick = drive(
                f"http://127.0.0.1:{BARE_PORT}/",
                seconds=args.seconds,
                connections=args.connections,
                script=script.name,
            )
        finally:
            stop(bare)
        emit(name="bare page", connections=args.connections, **yardstick)
        project = serve("matchmaking.wsgi:application", PROJECT_PORT)
        try:
            for url in URLS:
                found = drive(
                    f"http://127.0.0.1:{PROJECT_PORT}{url}",
                    seconds=args.seconds,
                    connections=args.connections,
                    script=script.name,
                )
                ratio = found["rps"] / yardstick["rps"]
                emit(
                    name=url,
                    offers=args.offers,
                    connections=args.connections,
                    **found,
                    queries_cold=queries[url][0],
                    queries_warm=queries[url][1],
                    ratio=round(ratio, 3),
                    target_met=ratio >= 0.10 and found["p95"] <= 50,
                )
        finally:
            stop(project)
    finally:
        os.unlink(script.name)
    emit(name="machine", load_average=[round(x, 2) for x in os.getloadavg()])


if __name__ == "__main__":
    main()
