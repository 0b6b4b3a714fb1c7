"""Settings, all read from the environment (see README "Configuration")."""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
ENVIRONMENT = os.environ.get("MOTCUA_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"
DATA_DIR = Path(os.environ.get("MOTCUA_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY is required when MOTCUA_ENV=production")
    # Outside production the key is generated once and kept beside the data, so sessions survive restarts.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("DEBUG", "0" if PRODUCTION else "1") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "*" if not PRODUCTION else "").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "motcua.core",
    "motcua.worktime",
    "motcua.org",
    "motcua.catalog",
    "motcua.dossiers",
    "motcua.demo",
    "motcua.printing",
    "motcua.portal",
    "motcua.backoffice",
    "motcua.stats",
    "motcua.notify",
    "motcua.alerts",
    "motcua.audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "motcua.core.middleware.reject_unstorable_text",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Names the signed-in user in the change chain of whatever the request changes (ADR 0015).
    "motcua.audit.context.remember_request",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"
ASGI_APPLICATION = "motcua.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "motcua.core.context.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'motcua.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if (
    DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    and os.environ.get("DB_PREPARED", "1") == "1"
):
    # Server-side binding lets psycopg prepare the statements a connection repeats: PostgreSQL then plans each
    # query once per connection instead of on every request. PgBouncer in transaction mode before 1.21 cannot
    # carry prepared statements: set DB_PREPARED=0 behind one.
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 2}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, which serialises intake the way row locks do on PostgreSQL;
    # WAL lets readers carry on while one writer works.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file, not memory, so that concurrent intakes really contend for the write lock; one file
    # per test process, so that two test runs on one machine do not delete each other's database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Browser libraries come from npm (package.json, `npm ci` in `make install`), never from the repository; a
# checkout without them still starts, and its dashboards show their tables without charts.
chart_js_dist = BASE_DIR.parent.parent / "node_modules" / "chart.js" / "dist"
if chart_js_dist.is_dir():
    STATICFILES_DIRS.append(("vendor/chartjs", chart_js_dist))
# WhiteNoise serves the collected files in production; outside it, straight from the apps, reloaded on change.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Uploads: the per-file limit is configuration, not law (README "Configuration").
MOTCUA_MAX_UPLOAD_BYTES = int(os.environ.get("MOTCUA_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# The province this deployment serves: its calendar overrides and its demo data are keyed by this code.
MOTCUA_PROVINCE_CODE = os.environ.get("MOTCUA_PROVINCE_CODE", "01")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# How many new appointment dates a dossier may be given by apology (DOMAIN.md §2.4: one by default, [K/D]).
MOTCUA_MAX_APOLOGIES = int(os.environ.get("MOTCUA_MAX_APOLOGIES", "1"))
# Delegations (ủy quyền) last at most this many months (Hà Nội Resolution 31/2024/NQ-HĐND, DOMAIN.md §11.1).
MOTCUA_MAX_DELEGATION_MONTHS = int(os.environ.get("MOTCUA_MAX_DELEGATION_MONTHS", "36"))
# "Sắp hết hạn" in the staff inbox: due within this many working hours (DOMAIN.md §4.4's 24 h).
MOTCUA_DUE_SOON_WORKING_HOURS = int(os.environ.get("MOTCUA_DUE_SOON_WORKING_HOURS", "24"))
# Decision 766, indicator 2.1: more supplement requests than this make a dossier late, whatever its dates.
MOTCUA_766_MAX_SUPPLEMENTS_ON_TIME = int(os.environ.get("MOTCUA_766_MAX_SUPPLEMENTS_ON_TIME", "1"))

# The data cut-off day of periodic reports (Decree 09/2019: from the 15th of the month before the period to
# the 14th of its last month [K]); 0 reports calendar months.
MOTCUA_REPORT_CUTOFF_DAY = int(os.environ.get("MOTCUA_REPORT_CUTOFF_DAY", "14"))
# How often the leader's dashboard refreshes itself (its "due soon" is MOTCUA_DUE_SOON_WORKING_HOURS).
MOTCUA_DASHBOARD_POLL_SECONDS = float(os.environ.get("MOTCUA_DASHBOARD_POLL_SECONDS", "20"))

# The name the pages carry in their header and title; a deployment names its province here.
MOTCUA_SITE_NAME = os.environ.get("MOTCUA_SITE_NAME", "")

LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:my-dossiers"

# Each audience's pages, for the endpoints below the web layer that answer staff and citizens alike (the
# printed forms): the page an error is framed by, where "back" leads, where to sign in. Named here, where the
# apps are put together, so that no app below the web layer names a web app's templates or URLs (ADR 0010).
MOTCUA_AUDIENCE_PAGES = {
    "staff": {
        "base_template": "backoffice/base.html",
        "home": "backoffice:inbox",
        "login": "backoffice:login",
    },
    "citizen": {"base_template": "portal/base.html", "home": "portal:my-dossiers", "login": LOGIN_URL},
}

# Deadline alerts (docs/operations/worker.md). "Due soon" is this much working time before a deadline: 8
# hours, one working day, is DOMAIN.md §4.4's "within 24 h" counted on the office clock, so that a deadline on
# Monday morning is flagged on Friday rather than on Sunday. A missed deadline is escalated to the assignee,
# the unit leader and the head of agency once it is over by the working hours listed. The scan runs every
# MOTCUA_ALERT_INTERVAL_MINUTES.
MOTCUA_ALERT_DUE_SOON_HOURS = int(os.environ.get("MOTCUA_ALERT_DUE_SOON_HOURS", "8"))
MOTCUA_ESCALATION_AFTER_HOURS = os.environ.get("MOTCUA_ESCALATION_AFTER_HOURS", "0,8,24")
MOTCUA_ALERT_INTERVAL_MINUTES = int(os.environ.get("MOTCUA_ALERT_INTERVAL_MINUTES", "10"))

# The notification channels that are on, each with its options (notify/channels.py, ADR 0012). The environment
# names them, comma-separated, with their default options: the e-mail channel sends from DEFAULT_FROM_EMAIL.
# Without "email", deadline warnings are listed in the back office only and no one is e-mailed.
MOTCUA_NOTIFY_CHANNELS = {
    name.strip(): {} for name in os.environ.get("MOTCUA_NOTIFY_CHANNELS", "email").split(",") if name.strip()
}

# Mail: SMTP when EMAIL_HOST is set; otherwise each message is written to a file under the data directory, so
# a first run can follow a verification link without a mail server (README "Configuration").
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "motcua <no-reply@localhost>")
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "1") == "1"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "outbox"

# Citizens sign in with their e-mail or phone number once the e-mail is verified; staff with their username.
AUTHENTICATION_BACKENDS = ["motcua.org.accounts.SignInBackend"]

# The public address of the portal, printed in QR codes and e-mails; empty means the address of the request.
MOTCUA_PUBLIC_URL = os.environ.get("MOTCUA_PUBLIC_URL", "").rstrip("/")

# Vietnamese dates as offices write them (motcua/formats/vi); English keeps Django's.
FORMAT_MODULE_PATH = ["motcua.formats"]
