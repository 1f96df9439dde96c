"""Non-secret defaults. Secrets and deployment values come from THUISZITTERS_* environment variables."""

# "development", "testing" or "production". Production refuses weak settings at start-up.
ENV = "development"

# Replaced from THUISZITTERS_SECRET_KEY; production refuses this value.
SECRET_KEY = "dev-only-not-secret"

# Empty means: SQLite at instance/thuiszitters.db. DATABASE_URL overrides.
SQLALCHEMY_DATABASE_URI = ""
SQLALCHEMY_ENGINE_OPTIONS: dict = {}

# Pins the app's "today" (YYYY-MM-DD) for demos, training and tests. Refused in production.
FIXED_TODAY = ""

# Base URL used in mails (links to cases); no trailing slash.
BASE_URL = "http://127.0.0.1:5000"

# Legal terms (DOMAIN.md); weeks unless stated otherwise.
TERMS = {
    "decision_weeks": 6,
    "max_extension_weeks": 4,
    "temporary_enrolment_weeks": 10,
    "gpo_filing_weeks": 6,
    "gpo_verdict_weeks": 10,
    "gpo_follow_up_weeks": 5,
}

# Reminder offsets (DOMAIN.md "Reminders and alerts").
REMINDERS = {
    "halfway_weeks": 6,
    "deadline_approaching_weeks": 2,
    "overdue_repeat_weeks": 4,
    "aanmelding_before_due_weeks": 1,
    "stale_days": 14,
    # How far back a sweep still sends a missed advance notice (halfway, deadline approaching, aanmelding term
    # ending). Situations (overdue, undecided aanmelding, GPO follow-up, stale) are due however old they are.
    "catch_up_days": 30,
}

# Closed cases are anonymised this many years after closing.
RETENTION_YEARS = 5

# Mail (SMTP). An empty host keeps mail in the outbox.
MAIL_SERVER = ""
MAIL_PORT = 25
MAIL_USE_STARTTLS = False
MAIL_USERNAME = ""
MAIL_PASSWORD = ""
MAIL_SENDER = "thuiszitters@localhost"
MAIL_TIMEOUT_SECONDS = 10
# Attempts after which a permanently refused mail (5xx) is parked as "failed"; temporary failures retry forever.
MAIL_MAX_ATTEMPTS = 8
# CA bundle to verify the SMTP server's certificate for STARTTLS; empty means the system's CAs.
MAIL_CA_FILE = ""

# Inspectie export: where files are stored, and the HMAC key for pseudonyms (never in the database).
EXPORT_DIR = ""
INSPECTIE_KEY = "dev-only-inspectie-key"

# The largest request body (a reference-data CSV of every school in the country is under 1 MB).
MAX_CONTENT_LENGTH = 10 * 1024 * 1024
# The largest document on a case (DOMAIN.md "Documenten"); its upload routes accept this plus the form around it
# (http/inputs.py `Request.max_content_length`).
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024

# Pagination of lists.
PAGE_SIZE = 25
API_MAX_PAGE_SIZE = 100

# Sessions.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = False
PERMANENT_SESSION_LIFETIME = 12 * 60 * 60
SESSION_IDLE_MINUTES = 30

# API tokens expire this many days after they are issued (`flask users token --days` may shorten or lengthen it).
API_TOKEN_DAYS = 365

WTF_CSRF_TIME_LIMIT = None

MFA_REQUIRED = False
# A first MFA enrolment also needs a code sent to the user's e-mail address (always on in production).
MFA_ENROLMENT_MAIL_CODE = False

# How many reverse proxies in front of the app set X-Forwarded-For/-Proto (nginx on the same host: 1). Login
# throttling per address needs the client's address, not the proxy's. 0 trusts no such header.
TRUSTED_PROXY_COUNT = 0

# Sign-in through the organisation (OpenID Connect, docs/deploy.md). An empty issuer keeps password sign-in only.
# The provider returns to BASE_URL + /login/oidc/callback and, after a sign-out there, to BASE_URL + /login.
OIDC_ISSUER = ""
OIDC_CLIENT_ID = ""
OIDC_CLIENT_SECRET = ""
# The button's text on the login page; empty means "Inloggen via uw organisatie".
OIDC_LABEL = ""
# `acr` values (space-separated) that mean the provider asked a second factor, for providers that say so in `acr`
# rather than with "mfa" in `amr`.
OIDC_MFA_ACR = ""
# Every request to the provider (discovery, keys, token) gives up after this many seconds.
OIDC_TIMEOUT_SECONDS = 10

# debug, info (every request), warning or error. `make run` runs with warning unless LOG_LEVEL says otherwise.
LOG_LEVEL = "info"
