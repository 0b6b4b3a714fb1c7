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
        raise ImproperlyConfigured(
            "SECRET_KEY is required when MOTCUA_ENV=production: it signs sessions, password reset links and "
            "tokens, and must be a long random secret kept out of the repository."
        )
    # Outside production the key is generated once and kept beside the data, so sessions survive restarts.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
# DEBUG is off unless DEBUG=1 says otherwise; production refuses it (its pages would show settings and code).
DEBUG = os.environ.get("DEBUG", "0") == "1"
# The host names the site answers to. Outside production, the local names (`make run` adds the machine's own
# when HOST=0.0.0.0); production must name its own and never "*" (see the end of this file).
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    # Listed so that django-ninja serves Swagger UI from our static files, not a CDN the CSP would refuse.
    "ninja",
    "motcua.core",
    "motcua.delivery",
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
    "motcua.signing",
    "motcua.privacy",
    "motcua.audit",
    "motcua.exchange",
    # Only for its `motcua sandbox` command: a stand-in of the outside parties, with no models and no pages.
    "motcua.sandbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "motcua.core.middleware.permissions_policy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "motcua.core.middleware.reject_unstorable_text",
    "motcua.core.middleware.refuse_unreadable_body",
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

# AUTH_PASSWORD_VALIDATORS: in the sign-in block at the end (issue 10).

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
# The largest edXML package (or status message) read from a partner, in bytes; larger ones are refused unread.
MOTCUA_EDXML_MAX_BYTES = int(os.environ.get("MOTCUA_EDXML_MAX_BYTES", str(50 * 1024 * 1024)))
# How long a partner agency's inbox may take to answer one of our edXML messages, in seconds.
MOTCUA_EDXML_TIMEOUT_SECONDS = float(os.environ.get("MOTCUA_EDXML_TIMEOUT_SECONDS", "30"))

# The province this deployment serves: its calendar overrides and its demo data are keyed by this code.
MOTCUA_PROVINCE_CODE = os.environ.get("MOTCUA_PROVINCE_CODE", "01")

# Every handler masks personal identification numbers (core.log_masking). Django's own handlers are replaced:
# "django" logs through the root's console, and "django.server" (runserver's request lines, which carry the
# query string) through a masked handler of its own.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_personal_ids": {"()": "motcua.core.log_masking.MaskPersonalIds"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_personal_ids"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["mask_personal_ids"],
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "filters": ["require_debug_false", "mask_personal_ids"],
        },
    },
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
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

# The outbox (docs/operations/outbox.md, ADR 0020): a message is tried up to MAX_ATTEMPTS times, waiting
# BASE_DELAY after the first failure and twice as long after each next one, never more than MAX_DELAY; after
# BREAKER_THRESHOLD failures in a row a destination is left alone for BREAKER_COOLDOWN. A worker holds a
# message it is trying for LEASE seconds: longer than any receiver's timeout.
MOTCUA_OUTBOX_MAX_ATTEMPTS = int(os.environ.get("MOTCUA_OUTBOX_MAX_ATTEMPTS", "10"))
MOTCUA_OUTBOX_BASE_DELAY_SECONDS = int(os.environ.get("MOTCUA_OUTBOX_BASE_DELAY_SECONDS", "5"))
MOTCUA_OUTBOX_MAX_DELAY_SECONDS = int(os.environ.get("MOTCUA_OUTBOX_MAX_DELAY_SECONDS", "3600"))
MOTCUA_OUTBOX_BREAKER_THRESHOLD = int(os.environ.get("MOTCUA_OUTBOX_BREAKER_THRESHOLD", "5"))
MOTCUA_OUTBOX_BREAKER_COOLDOWN_SECONDS = int(os.environ.get("MOTCUA_OUTBOX_BREAKER_COOLDOWN_SECONDS", "60"))
MOTCUA_OUTBOX_LEASE_SECONDS = int(os.environ.get("MOTCUA_OUTBOX_LEASE_SECONDS", "120"))
# Delivered messages hold personal data: they are purged after this many days (`motcua purge`, the scan), as
# are the rows the background tasks leave behind.
MOTCUA_OUTBOX_RETENTION_DAYS = int(os.environ.get("MOTCUA_OUTBOX_RETENTION_DAYS", "30"))
MOTCUA_TASK_RESULTS_RETENTION_DAYS = int(os.environ.get("MOTCUA_TASK_RESULTS_RETENTION_DAYS", "7"))

# The National Public Service Portal (DVCQG, docs/integrations/dvcqg.md). Without a URL, synchronisation is
# off and nothing is queued for it. The paths, the unit code and the name of the service listing new dossiers
# differ between portals and are the province's to set.
MOTCUA_DVCQG_URL = os.environ.get("MOTCUA_DVCQG_URL", "")
MOTCUA_DVCQG_USER = os.environ.get("MOTCUA_DVCQG_USER", "")
MOTCUA_DVCQG_PASSWORD = os.environ.get("MOTCUA_DVCQG_PASSWORD", "")
MOTCUA_DVCQG_DSTCODE = os.environ.get("MOTCUA_DVCQG_DSTCODE", "")
MOTCUA_DVCQG_MADONVI = os.environ.get("MOTCUA_DVCQG_MADONVI", "")
MOTCUA_DVCQG_AUTH_PATH = os.environ.get("MOTCUA_DVCQG_AUTH_PATH", "/login")
MOTCUA_DVCQG_SERVICE_PATH = os.environ.get("MOTCUA_DVCQG_SERVICE_PATH", "/service")
MOTCUA_DVCQG_TIMEOUT = float(os.environ.get("MOTCUA_DVCQG_TIMEOUT", "10"))
MOTCUA_DVCQG_FETCH_SERVICE = os.environ.get("MOTCUA_DVCQG_FETCH_SERVICE", "LayDanhSachHoSoMoi")
MOTCUA_DVCQG_FETCH_INTERVAL_SECONDS = int(os.environ.get("MOTCUA_DVCQG_FETCH_INTERVAL_SECONDS", "60"))
# Each fetch asks from this long before the latest filing time already taken in, so that a dossier the portal
# lists late (its clock, its own commit) is still seen; what is seen twice is recognised by its national code.
MOTCUA_DVCQG_FETCH_OVERLAP_SECONDS = int(os.environ.get("MOTCUA_DVCQG_FETCH_OVERLAP_SECONDS", "300"))
# The hosts whose links to an applicant's files are followed (comma-separated host[:port]); empty: the host of
# MOTCUA_DVCQG_URL. A file answering a required document is downloaded; the others stay links.
MOTCUA_DVCQG_FILE_HOSTS = os.environ.get("MOTCUA_DVCQG_FILE_HOSTS", "")
# The catalogue services: the list of national procedures, and one procedure's record.
MOTCUA_DVCQG_CATALOGUE_SERVICE = os.environ.get("MOTCUA_DVCQG_CATALOGUE_SERVICE", "LayDanhSachTTHC")
MOTCUA_DVCQG_PROCEDURE_SERVICE = os.environ.get("MOTCUA_DVCQG_PROCEDURE_SERVICE", "LayThuTuc")

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

# The public address of the portal: every absolute link (e-mails, QR codes, printed forms) is built from it,
# never from the request's Host header (motcua.core.links). Production requires an https one.
MOTCUA_PUBLIC_URL = (
    os.environ.get("MOTCUA_PUBLIC_URL") or ("" if PRODUCTION else "http://localhost:8000")
).rstrip("/")

# Vietnamese dates as offices write them (motcua/formats/vi); English keeps Django's.
FORMAT_MODULE_PATH = ["motcua.formats"]

# --- Signed results (issue 10) ---
# Where the built-in key-file signer finds each agency's key (`<identity code>.p12`, or `.key.pem` with
# `.cert.pem`, each 0600) and where `motcua pki demo` makes the demo CA and agency certificates (ADR 0017).
MOTCUA_SIGNING_KEYS_DIR = Path(os.environ.get("MOTCUA_SIGNING_KEYS_DIR", str(DATA_DIR / "pki"))).resolve()
# The signers that are on, asked in this order for an agency's key (signing/signers.py): comma-separated
# names, each with its default options; an HSM or remote-signing plugin is added here when it exists. Empty
# switches signing off (results are then issued unsigned and `motcua signresults` signs them later).
MOTCUA_SIGNERS = {
    name.strip(): {} for name in os.environ.get("MOTCUA_SIGNERS", "keyfile").split(",") if name.strip()
}
# The CA certificates (PEM files, comma-separated) a result's signature must chain to for the verifier to
# call it valid. Empty: the demo root in MOTCUA_SIGNING_KEYS_DIR, if there is one (never in production).
MOTCUA_SIGNING_TRUST_ROOTS = [
    p.strip() for p in os.environ.get("MOTCUA_SIGNING_TRUST_ROOTS", "").split(",") if p.strip()
]
# --- faults and backup (issue 10) ---
# While the database cannot be reached, requests answer 503 with this Retry-After (seconds): about the time a
# PostgreSQL restart or fail-over takes, so that clients come back when it is likely over (core/outage.py).
MOTCUA_RETRY_AFTER_SECONDS = int(os.environ.get("MOTCUA_RETRY_AFTER_SECONDS", "5"))
MIDDLEWARE.append("motcua.core.outage.DatabaseUnavailableMiddleware")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that does not answer at all (down, partitioned) fails a request after this many seconds
    # instead of holding a worker for the operating system's TCP timeout (minutes).
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = int(
        os.environ.get("MOTCUA_DB_CONNECT_TIMEOUT", "5")
    )

# --- the API and personal data (issue 10) ---
# How long a stored answer to an Idempotency-Key lasts: long enough for any client's retries, short enough
# that keys are not kept for ever (Law 91/2025: keep personal data no longer than needed). Expired answers are
# ignored and purged by `motcua purge` and the worker.
MOTCUA_IDEMPOTENCY_TTL_DAYS = int(os.environ.get("MOTCUA_IDEMPOTENCY_TTL_DAYS", "7"))
# How many days an API token works when issued without --days: a stolen token is worth a season at most, and
# an integration renews its token on a schedule. A password change or a deactivation ends tokens at once.
MOTCUA_API_TOKEN_DAYS = int(os.environ.get("MOTCUA_API_TOKEN_DAYS", "90"))
# --- personal data: access log, the citizen's own data, retention (issue 10) ---
# A citizen may download everything held about them once per this many minutes: building the archive reads
# every file they ever uploaded, and a stolen session must not be able to pull it over and over.
MOTCUA_SUBJECT_EXPORT_INTERVAL_MINUTES = int(os.environ.get("MOTCUA_SUBJECT_EXPORT_INTERVAL_MINUTES", "60"))
# How long each kind of record is kept and under which rule, shown to the citizen (Law 91/2025 asks that the
# data subject be told). The years and the basis are the province's archive schedule, not the software's:
# set them from the agency's list of records and retention periods. Nothing is deleted automatically yet.
MOTCUA_RETENTION = {
    "dossier": {
        "years": int(os.environ.get("MOTCUA_RETENTION_DOSSIER_YEARS", "10")),
        "basis": os.environ.get(
            "MOTCUA_RETENTION_DOSSIER_BASIS",
            "Luật Lưu trữ số 33/2024/QH15; Thông tư 10/2022/TT-BNV về thời hạn bảo quản tài liệu",
        ),
    },
    "access_log": {
        "years": int(os.environ.get("MOTCUA_RETENTION_ACCESS_LOG_YEARS", "5")),
        "basis": os.environ.get(
            "MOTCUA_RETENTION_ACCESS_LOG_BASIS",
            "Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15; Nghị định 85/2016/NĐ-CP về an toàn hệ thống",
        ),
    },
}
# --- Sign-in defences and two-factor sign-in (issue 10) ---
# ADR 0013. django-axes counts failed sign-ins on every sign-in (staff, portal, admin, API token): an
# account, or a client address, with MOTCUA_SIGNIN_FAILURE_LIMIT failures is locked out for
# MOTCUA_SIGNIN_COOLOFF_MINUTES from its last attempt, the right password included. Five tries is what a
# person mistyping needs; fifteen minutes makes guessing by hand hopeless without locking an officer out for
# the day.
MOTCUA_SIGNIN_FAILURE_LIMIT = int(os.environ.get("MOTCUA_SIGNIN_FAILURE_LIMIT", "5"))
MOTCUA_SIGNIN_COOLOFF_MINUTES = int(os.environ.get("MOTCUA_SIGNIN_COOLOFF_MINUTES", "15"))
# (The client address they are counted against: MOTCUA_TRUSTED_PROXY_HEADER, under "Production hardening".)
INSTALLED_APPS += ["axes", "django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"]
# django-otp's OTPMiddleware is left out: it loads the device on every request of a verified session, and the
# second step is enforced from the session by second_factor_gate instead (ADR 0013).
MIDDLEWARE += [
    "motcua.org.signin.staff_session_policy",
    "motcua.backoffice.twofactor_gate.second_factor_gate",
    "axes.middleware.AxesMiddleware",
]
AUTHENTICATION_BACKENDS = ["motcua.org.signin.SignInThrottle", *AUTHENTICATION_BACKENDS]
AXES_FAILURE_LIMIT = MOTCUA_SIGNIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = "motcua.org.signin.cool_off"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "motcua.org.signin.sign_in_name"
AXES_CLIENT_STR_CALLABLE = "motcua.org.signin.log_name"  # no personal ID number in the server log
AXES_CLIENT_IP_CALLABLE = "motcua.core.client.client_address"
AXES_LOCKOUT_CALLABLE = "motcua.org.signin.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # one audit row per failed or refused attempt (admin, read-only)
AXES_SENSITIVE_PARAMETERS = ["password", "otp", "token", "otp_token"]
AXES_VERBOSE = False

# E-mails a visitor can make us send (sign-up, password reset, verification resend): at most this many per
# address and per client address in a window, counted in the database so every process sees the same count.
MOTCUA_MAIL_LIMIT_PER_ADDRESS = int(os.environ.get("MOTCUA_MAIL_LIMIT_PER_ADDRESS", "3"))
MOTCUA_MAIL_LIMIT_PER_CLIENT = int(os.environ.get("MOTCUA_MAIL_LIMIT_PER_CLIENT", "10"))
MOTCUA_MAIL_LIMIT_WINDOW_MINUTES = int(os.environ.get("MOTCUA_MAIL_LIMIT_WINDOW_MINUTES", "60"))

# New and changed passwords: at least this long, and not common, all digits or like the account's name or
# e-mail. ASVS 2.1.1 asks for 12; 10 is what the brief chose for citizens typing at a counter (ADR 0013).
MOTCUA_PASSWORD_MIN_LENGTH = int(os.environ.get("MOTCUA_PASSWORD_MIN_LENGTH", "10"))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "motcua.org.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": MOTCUA_PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Two-factor sign-in (TOTP with recovery codes) is required of staff holding these roles ("admin" also covers
# Django superusers and staff users); by default the administrators, leaders and auditors in production, and
# nobody elsewhere, where anyone may still enrol.
MOTCUA_2FA_REQUIRED_ROLES = frozenset(
    r.strip()
    for r in os.environ.get(
        "MOTCUA_2FA_REQUIRED_ROLES", "admin,unit_leader,auditor" if PRODUCTION else ""
    ).split(",")
    if r.strip()
)
OTP_TOTP_ISSUER = os.environ.get("MOTCUA_SITE_NAME", "") or "motcua"

# Sessions: a citizen's lasts a day; an officer's at most MOTCUA_STAFF_SESSION_HOURS from sign-in and ends
# after MOTCUA_STAFF_IDLE_MINUTES without a request (a shared counter PC left open).
SESSION_COOKIE_AGE = int(os.environ.get("MOTCUA_CITIZEN_SESSION_HOURS", "24")) * 3600
MOTCUA_STAFF_SESSION_HOURS = float(os.environ.get("MOTCUA_STAFF_SESSION_HOURS", "8"))
MOTCUA_STAFF_IDLE_MINUTES = float(os.environ.get("MOTCUA_STAFF_IDLE_MINUTES", "30"))

# --- Production hardening (issue 10) ---
# Production refuses to start rather than run half-configured, naming each missing or unsafe value and why.
if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured(
            "DEBUG=1 is refused when MOTCUA_ENV=production: error pages would show settings, code and data."
        )
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must list the site's host names (comma-separated, never '*') when "
            "MOTCUA_ENV=production: any other Host header would be answered and could poison links."
        )
    if not MOTCUA_PUBLIC_URL.startswith("https://") or len(MOTCUA_PUBLIC_URL) <= len("https://"):
        raise ImproperlyConfigured(
            "MOTCUA_PUBLIC_URL must be the site's https address (e.g. https://dichvucong.example.vn) when "
            "MOTCUA_ENV=production: e-mails, QR codes and printed forms carry links built from it."
        )
    from django.http.request import split_domain_port, validate_host

    _public_host, _ = split_domain_port(MOTCUA_PUBLIC_URL.removeprefix("https://").split("/")[0])
    if not validate_host(_public_host, ALLOWED_HOSTS):
        raise ImproperlyConfigured(
            f"The host of MOTCUA_PUBLIC_URL ({_public_host}) is not in ALLOWED_HOSTS: the links the site "
            "sends would lead to an address it refuses."
        )
# Cookies travel over https only wherever the public address is https (always in production); a local http
# demo keeps plain cookies or it could not sign in. Neither cookie is readable by scripts; SameSite=Lax keeps
# them off cross-site posts.
HTTPS = MOTCUA_PUBLIC_URL.startswith("https://")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
# HSTS: browsers that saw the site once refuse plain http for this long (a year by default; 0 turns it off).
# Subdomains and preload are on by default, as the HSTS preload list asks; turn them off (0) when another
# site of the domain still serves plain http.
SECURE_HSTS_SECONDS = int(os.environ.get("MOTCUA_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("MOTCUA_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
SECURE_HSTS_PRELOAD = os.environ.get("MOTCUA_HSTS_PRELOAD", "1") == "1"
# The TLS proxy in front of the site (docs/operations/security.md). MOTCUA_TRUSTED_PROXY_HEADER names the
# header in which it passes the client's address (X-Forwarded-For, whose last entry is the one the proxy
# added, or X-Real-IP); empty means no proxy is trusted and the client address is the connection's
# (REMOTE_ADDR): sign-in lock-outs, lookup limits and the access log count by it (core/client.py).
# When a proxy is trusted, MOTCUA_TRUSTED_PROTO_HEADER
# (X-Forwarded-Proto by default) tells whether the client spoke https. Only set them when the proxy always
# overwrites these headers: otherwise a client could forge them.
MOTCUA_TRUSTED_PROXY_HEADER = os.environ.get("MOTCUA_TRUSTED_PROXY_HEADER", "").strip()
MOTCUA_TRUSTED_PROTO_HEADER = os.environ.get("MOTCUA_TRUSTED_PROTO_HEADER", "X-Forwarded-Proto").strip()
if MOTCUA_TRUSTED_PROXY_HEADER and MOTCUA_TRUSTED_PROTO_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + MOTCUA_TRUSTED_PROTO_HEADER.upper().replace("-", "_"), "https")
# Plain http is redirected to https in production; the health check stays reachable over http for probes.
SECURE_SSL_REDIRECT = PRODUCTION and os.environ.get("MOTCUA_SSL_REDIRECT", "1") == "1"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features no page of the site uses are switched off for it and for anything it could be made to load.
MOTCUA_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=()"
)
# Content-Security-Policy (django-csp): only the site's own scripts, styles, images and fonts; no inline
# script or style, no plugin, no framing, forms post to the site only; Chart.js and Swagger UI from static.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# Rate-limit counts are shared by every process through a database table (created by core's migrations); the
# default cache stays in each process's memory, for what may differ between processes.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "motcua_throttle",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
}
# The public dossier lookup: at most this many lookups per client address per window (finding 8).
MOTCUA_LOOKUP_LIMIT = int(os.environ.get("MOTCUA_LOOKUP_LIMIT", "30"))
MOTCUA_LOOKUP_WINDOW_SECONDS = int(os.environ.get("MOTCUA_LOOKUP_WINDOW_SECONDS", "600"))
