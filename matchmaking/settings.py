"""Settings for the Mobility Matchmaking Tool, read from the environment.

One file for every environment: the defaults give a development site on SQLite with tasks run
in-process; production sets DATABASE_URL, CELERY_BROKER_URL, EMAIL_URL, SECRET_KEY,
ALLOWED_HOSTS and DEBUG=off. See the configuration table in README.md.
"""

import email.utils
import warnings
from pathlib import Path

import environ
import xstatic.pkg.bootstrap
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _flag(name, default):
    """A boolean from the environment; anything but a clear yes or no stops the start."""
    raw = env.str(name, default=str(default)).strip().lower()
    if raw not in _TRUE | _FALSE:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use on/off).")
    return raw in _TRUE


DEBUG = _flag("DEBUG", True)

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if not DEBUG:
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
if not SECRET_KEY:
    warnings.warn("SECRET_KEY is not set: using an insecure development key.", stacklevel=1)
    SECRET_KEY = _DEV_SECRET_KEY
if not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The site's name in account emails ("Hello from …") and their subjects.
SITE_NAME = env.str("SITE_NAME", default="Mobility Matchmaking")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_countries",
    "ninja",
    "matchmaking",
    "exchanges",
    "partnership",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "matchmaking.middleware.StaffSessionMiddleware",
    "matchmaking.middleware.UserLanguageMiddleware",
]

ROOT_URLCONF = "matchmaking.urls"
WSGI_APPLICATION = "matchmaking.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "matchmaking.context_processors.active_organisation",
            ],
        },
    },
]

# Rate limits and lockouts are counted here, so every worker process must share it: Redis in
# production (redis://host:6379/1), local memory for the demo's single process.
CACHES = {
    "default": env.cache_url("CACHE_URL", default="locmemcache://"),
    # Each process's own copy of what never changes once kept: the catalogue's figures and
    # fragments under a generation (matchmaking.caching).
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "local",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "matchmaking.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "desk"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# The person's first and last name, asked at sign-up and shown instead of the address.
ACCOUNT_SIGNUP_FORM_CLASS = "matchmaking.forms.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_ADAPTER = "matchmaking.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# Wrong passwords: allauth counts them in the shared cache (below), per address and per IP;
# the admin's login is the same form (matchmaking/urls.py sends /admin/login/ there).
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}

# A second factor (allauth.mfa): any user may add one; staff must, before they reach /admin/
# (matchmaking.middleware.StaffSessionMiddleware).
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "Mobility Matchmaking"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Staff sessions end after an idle hour; everyone else's after two idle weeks.
STAFF_SESSION_IDLE_SECONDS = env.int("STAFF_SESSION_IDLE_SECONDS", default=60 * 60)
SESSION_COOKIE_AGE = 14 * 24 * 60 * 60

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("sv", _("Swedish")),
    ("nb", _("Norwegian Bokmål")),
    ("es", _("Spanish")),
    ("ca", _("Catalan")),
    ("de", _("German")),
    ("fr", _("French")),
    ("it", _("Italian")),
    ("pl", _("Polish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates in each language's own format; English as written in Europe (matchmaking/formats/en).
FORMAT_MODULE_PATH = ["matchmaking.formats"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", xstatic.pkg.bootstrap.BASE_DIR),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Whether the site serves /media/ itself (also with DEBUG off); turn it off when the web server
# in front serves MEDIA_ROOT at /media/.
SERVE_MEDIA = _flag("SERVE_MEDIA", True)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = ["matchmaking.uploads.CappedUploadHandler"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: console by default; smtp://user:password@host:port in production.
globals().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Mobility Matchmaking <noreply@earlall.eu>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people write about their personal data (the privacy page names it): the sender's
# address unless set.
PRIVACY_CONTACT_EMAIL = env.str(
    "PRIVACY_CONTACT_EMAIL", default=email.utils.parseaddr(DEFAULT_FROM_EMAIL)[1]
)

# Celery: without a broker, tasks run in-process (eager) so the demo needs no Redis.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Publishing happens after a change has committed; an unreachable broker must not hold the
# request for long (the outbox sweeper sends what could not be queued).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}

# The open API (/api/v1/): requests per client address, counted in the default cache — a
# shared one (CACHE_URL=redis://…) makes the limit hold across every worker and machine.
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="120/min")
# Behind a proxy that appends the client's address to X-Forwarded-For, how many proxies there
# are (django-ninja's NINJA_NUM_PROXIES); unset, the API counts by REMOTE_ADDR.
NINJA_NUM_PROXIES = env.int("API_NUM_PROXIES", default=0)

# How long a page of the catalogue is.
OFFERS_PER_PAGE = env.int("OFFERS_PER_PAGE", default=20)
# How long the catalogue's counts, facets and country list and the home page's figures are
# kept in the cache (CACHE_URL); publishing, closing or editing an offer and suspending an
# organisation forget them at once. 0: counted on every page.
CATALOGUE_CACHE_SECONDS = env.int("CATALOGUE_CACHE_SECONDS", default=300)
if CATALOGUE_CACHE_SECONDS < 0:
    raise ImproperlyConfigured("CATALOGUE_CACHE_SECONDS cannot be negative.")

# Production headers. The Content-Security-Policy holds everywhere (the site has no inline
# script and loads nothing from elsewhere); HTTPS, HSTS and secure cookies when DEBUG is off.
# Behind a proxy that sets HSTS itself, SECURE_HSTS_SECONDS=0 turns Django's off.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The HTML emails' inline styles never reach a page; Django's admin sets a few
        # style attributes of its own.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = {
    "camera": [],
    "geolocation": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "interest-cohort": [],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = _flag("CSRF_COOKIE_SECURE", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _flag("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = _flag("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# The outbox: how often and how patiently an email is retried.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=6)
OUTBOX_RETRY_BASE_SECONDS = env.float("OUTBOX_RETRY_BASE_SECONDS", default=30.0)

CELERY_BEAT_SCHEDULE = {
    "sweep-outbox": {"task": "matchmaking.tasks.sweep_outbox", "schedule": 60.0},
    "sweep-scoring": {"task": "exchanges.tasks.sweep_scoring", "schedule": 60.0},
    "exchange-reminders": {
        "task": "exchanges.tasks.send_exchange_reminders",
        "schedule": crontab(minute=0, hour=6),
    },
    # Call rounds whose allocation date has come get their proposal (exchanges.proposals).
    "call-round-allocations": {
        "task": "exchanges.tasks.propose_due_rounds",
        "schedule": crontab(minute="*/15"),
    },
    "weekly-match-digests": {
        "task": "exchanges.tasks.send_weekly_digests",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
    },
}

# Matching (matchmaking/scoring): the weight of each component of a score (they sum to 1),
# how many matches are kept per offer and per profile, and the score from which a profile's
# organisation is alerted about a new offer.
MATCHING_WEIGHTS = {
    "themes": 0.30,
    "text": 0.15,
    "dates": 0.15,
    "languages": 0.10,
    "capacity": 0.05,
    "fewer_opportunities": 0.10,
    "cross_border": 0.05,
    "reciprocity": 0.10,
    "fields": 0.05,
}
# Sentence vectors of the texts (multilingual, on this machine: about 100 MB of memory in the
# worker and 0.2–0.5 s of CPU per saved text); off, texts are compared by their words only.
MATCHING_VECTORS = env.bool("MATCHING_VECTORS", default=True)
MATCHING_TOP_K = env.int("MATCHING_TOP_K", default=50)
MATCHING_ALERT_THRESHOLD = env.float("MATCHING_ALERT_THRESHOLD", default=0.5)
# How long the monitoring's figures are kept in the cache (seconds; 0: computed on every page).
MONITORING_CACHE_SECONDS = env.int("MONITORING_CACHE_SECONDS", default=300)
if MONITORING_CACHE_SECONDS < 0:
    raise ImproperlyConfigured("MONITORING_CACHE_SECONDS cannot be negative.")
if MONITORING_CACHE_SECONDS:
    # The worker counts the unfiltered figures ahead, so that no visitor waits for them.
    CELERY_BEAT_SCHEDULE["monitoring-figures"] = {
        "task": "partnership.tasks.refresh_monitoring_figures",
        "schedule": float(MONITORING_CACHE_SECONDS),
    }
if not 0 <= MATCHING_ALERT_THRESHOLD <= 1:
    raise ImproperlyConfigured("MATCHING_ALERT_THRESHOLD must lie between 0 and 1.")
if MATCHING_TOP_K < 1:
    raise ImproperlyConfigured("MATCHING_TOP_K must be at least 1.")
# Scoring that is owed: a change's scoring task still not done this long after it was queued
# (lost, or the broker was down at the commit) is queued again by the beat's sweeper.
SCORING_RETRY_SECONDS = env.int("SCORING_RETRY_SECONDS", default=60)
# A full re-score is split into chunks of this many open offers, one task each, which the
# workers share; a chunk not done this long after it was queued is queued again.
RESCORE_CHUNK_OFFERS = env.int("RESCORE_CHUNK_OFFERS", default=500)
RESCORE_RETRY_SECONDS = env.int("RESCORE_RETRY_SECONDS", default=900)
if SCORING_RETRY_SECONDS < 0 or RESCORE_RETRY_SECONDS < 0:
    raise ImproperlyConfigured(
        "SCORING_RETRY_SECONDS and RESCORE_RETRY_SECONDS cannot be negative."
    )
if RESCORE_CHUNK_OFFERS < 1:
    raise ImproperlyConfigured("RESCORE_CHUNK_OFFERS must be at least 1.")

# Matchmaking events (partnership): how many 1:1 meetings one organisation may have at an
# event, unless the event sets its own cap.
EVENT_MEETING_CAP = env.int("EVENT_MEETING_CAP", default=8)
if EVENT_MEETING_CAP < 1:
    raise ImproperlyConfigured("EVENT_MEETING_CAP must be at least 1.")
# Days a meeting request waits for an answer; then it expires (beat checks every hour) and the
# organisation that asked may ask again.
EVENT_MEETING_REQUEST_EXPIRY = env.int("EVENT_MEETING_REQUEST_EXPIRY", default=3)
if EVENT_MEETING_REQUEST_EXPIRY < 1:
    raise ImproperlyConfigured("EVENT_MEETING_REQUEST_EXPIRY must be at least 1 (days).")
CELERY_BEAT_SCHEDULE["expire-meeting-requests"] = {
    "task": "partnership.tasks.expire_meeting_requests",
    "schedule": crontab(minute=15),
}
