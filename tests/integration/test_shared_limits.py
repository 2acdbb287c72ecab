"""Rate limits counted in a cache that every worker process shares (issue 9, finding 6).

With two gunicorn workers and a per-process cache, the promoter contact form let 10 messages
an hour through instead of 5. Here a second Python process (another "worker") uses up part
of a visitor's allowance in the shared Redis cache, and the site refuses the rest.
"""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import caches
from django.urls import reverse

from matchmaking.models import OutboxEmail
from partnership.views import PROMOTER_CONTACT_LIMIT
from tests.factories import PromoterFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

OTHER_WORKER = """
import django
django.setup()
from django.test import RequestFactory
from partnership import ratelimit
request = RequestFactory().post("/", REMOTE_ADDR="127.0.0.1")
for _ in range({uses}):
    ratelimit.count_use("promoter_contact", request, period=3600)
"""


@pytest.fixture
def shared_cache(settings, redis_broker):
    location = redis_broker.url.rsplit("/", 1)[0] + "/3"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}
    }
    caches["default"].clear()
    yield location
    caches["default"].clear()


def test_another_worker_process_counts_against_the_same_limit(client, shared_cache):
    promoter = PromoterFactory()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "matchmaking.settings",
        "CACHE_URL": shared_cache,
    }
    worker = subprocess.run(
        [sys.executable, "-c", OTHER_WORKER.format(uses=PROMOTER_CONTACT_LIMIT - 2)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert worker.returncode == 0, worker.stderr

    data = {"sender_name": "Jordi", "sender_email": "j@example.org", "message": "Hello"}
    url = reverse("partnership:promoter_contact", args=[promoter.pk])
    statuses = [client.post(url, data).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]
    assert OutboxEmail.objects.count() == 2


OTHER_API_WORKER = """
import django
django.setup()
from django.test import RequestFactory
from matchmaking.api import SiteRateThrottle
request = RequestFactory().get("/api/v1/events/", REMOTE_ADDR="127.0.0.1")
assert all(SiteRateThrottle().allow_request(request) for _ in range({uses}))
"""


def test_the_api_s_rate_limit_is_shared_by_the_worker_processes(client, shared_cache, settings):
    settings.API_RATE_LIMIT = "5/min"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "matchmaking.settings",
        "CACHE_URL": shared_cache,
        "API_RATE_LIMIT": "5/min",
    }
    worker = subprocess.run(
        [sys.executable, "-c", OTHER_API_WORKER.format(uses=3)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert worker.returncode == 0, worker.stderr

    statuses = [client.get("/api/v1/events/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
