"""Settings are read once per process, so each case imports them in a fresh interpreter."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
PRINT_SETTINGS = (
    "from django.conf import settings; "
    "print(settings.DEBUG, settings.SECRET_KEY, ','.join(settings.ALLOWED_HOSTS), "
    "settings.CELERY_TASK_ALWAYS_EAGER, settings.STORAGES['staticfiles']['BACKEND'], sep='\\n')"
)
CONFIGURATION = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "EMAIL_URL",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
}


def _import_settings(**variables):
    env = {k: v for k, v in os.environ.items() if k not in CONFIGURATION}
    env.update(DJANGO_SETTINGS_MODULE="matchmaking.settings", PYTHONWARNINGS="default", **variables)
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=REPOSITORY,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_starts_in_development_mode_with_a_warning_when_nothing_is_set():
    result = _import_settings()

    assert result.returncode == 0, result.stderr
    debug, secret_key, hosts, eager, _storage = result.stdout.splitlines()
    assert (debug, hosts, eager) == ("True", "localhost,127.0.0.1,[::1]", "True")
    assert secret_key.startswith("dev-only-")
    assert "SECRET_KEY is not set" in result.stderr


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = _import_settings(DEBUG="off", ALLOWED_HOSTS="mobility.example.org")

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_it_refuses_to_start_without_allowed_hosts_when_debug_is_off():
    result = _import_settings(DEBUG="off", SECRET_KEY="s3cret-" * 8)

    assert result.returncode != 0
    assert "ImproperlyConfigured: ALLOWED_HOSTS must be set when DEBUG is off." in result.stderr


@pytest.mark.parametrize("value", ["maybe", "", "2"])
def test_it_refuses_a_debug_value_that_is_not_a_clear_yes_or_no(value):
    result = _import_settings(DEBUG=value)

    assert result.returncode != 0
    assert "ImproperlyConfigured: DEBUG=" in result.stderr
    assert "is not a boolean" in result.stderr


def test_it_runs_in_production_mode_when_configured():
    result = _import_settings(
        DEBUG="off",
        SECRET_KEY="s3cret-" * 8,
        ALLOWED_HOSTS="mobility.example.org",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )

    assert result.returncode == 0, result.stderr
    debug, secret_key, hosts, eager, storage = result.stdout.splitlines()
    assert (debug, secret_key, hosts, eager) == (
        "False",
        "s3cret-" * 8,
        "mobility.example.org",
        "False",
    )
    assert storage == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert "SECRET_KEY is not set" not in result.stderr
