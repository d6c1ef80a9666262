"""Built-in defaults; overridden by instance/config.py, BLOGAPP_* variables and test mappings."""

import os

SITE_NAME = "Treatment Notes"
SITE_TAGLINE = "Clear, careful writing on health and treatment"
SITE_URL = None  # e.g. "https://notes.example.org": absolute URLs in feeds and sitemaps behind a proxy
SECRET_KEY = None
SQLALCHEMY_DATABASE_URI = None  # filled in by create_app: DATABASE_URL or instance/blogapp.sqlite
SEARCH_INDEX_DIR = None  # filled in by create_app: instance/search-index
UPLOADS_DIR = None  # filled in by create_app: instance/uploads
# `flask backup` writes here and keeps the newest backup of each of the last BACKUP_KEEP_DAILY days and of the
# last BACKUP_KEEP_WEEKLY weeks (deploy/blogapp-backup.timer runs it nightly).
BACKUP_DIR = None  # filled in by create_app: instance/backups
BACKUP_KEEP_DAILY = 7
BACKUP_KEEP_WEEKLY = 4
# Folder of pg_dump, pg_restore and psql (of the server's major version) for PostgreSQL backups; None: the PATH.
POSTGRES_BIN_DIR = None
LOCKS_DIR = None  # filled in by create_app: instance/locks (the slots of costly work, see SEARCH_MAX_CONCURRENT)
ARTICLES_PER_PAGE = 10
SITEMAP_MAX_URLS = 50_000  # the sitemaps.org limit per file; more URLs make a sitemap index
SITEMAP_FILES_DIR = None  # filled in by create_app: instance/sitemaps (kept until the content changes)
SEARCH_RESULTS_PER_PAGE = 10
SEARCH_MAX_QUERY_CHARS = 500
SEARCH_MAX_TERMS = 32
# Searches (and other costly work: suggestions not kept, sitemap parts, related lists) running at once on this
# machine, over all worker processes; one more gets a fast 503 "busy, try again" with Retry-After instead of a
# queue. None: half the CPUs (at least one), so the other half always serves pages (bench/endpoints.py's flood:
# with every CPU searching, article pages' p99 went from 40 ms to 140-470 ms on 2 CPUs).
SEARCH_MAX_CONCURRENT = None
# Per-client limits (Flask-Limiter notation), counted over this machine's worker processes together (see
# RATELIMIT_STORAGE_URI); deploy/nginx.conf states the same limits for the whole site.
SEARCH_RATE_LIMIT = "30 per minute"
SUGGEST_RATE_LIMIT = "120 per minute"
# Result clicks counted per client (a reader opens a few results per search).
SEARCH_CLICK_RATE_LIMIT = "60 per minute"
RATELIMIT_ENABLED = True
# None: a counters file in LOCKS_DIR that every worker on this machine shares (web/rate_counts.py); "memory://"
# counts in each worker process (one client then gets each limit once per worker); redis:// shares machines.
RATELIMIT_STORAGE_URI = None
RATELIMIT_HEADERS_ENABLED = True  # Retry-After (and X-RateLimit-*) on limited answers
SEARCH_SYNONYMS_FILE = None  # filled in by create_app: instance/synonyms.txt (the shipped list until it exists)
SEARCH_LOG_DAYS = 180  # search log entries older than this are deleted
# Searches are logged in memory and written to the database at most this often (seconds).
SEARCH_LOG_FLUSH_SECONDS = 10.0
# Article views are counted in memory and written to the database at most this often (seconds).
VIEW_COUNT_FLUSH_SECONDS = 60.0
# How long a request waits for another writer's SQLite lock before the busy page (503, Retry-After) (seconds).
SQLITE_BUSY_TIMEOUT = 5.0
# How long the background drainer waits for Whoosh's writer lock before retrying later.
SEARCH_WRITER_TIMEOUT = 5.0
SEARCH_DRAIN_BATCH = 200
# Every node (machine) keeps its own index, applying the change log in the database from its own position: at once
# after its own commits, and when woken by another node's commit (PostgreSQL LISTEN/NOTIFY) or, failing that, by
# polling every this many seconds. 0 turns the follower thread off (tests): only a node's own commits apply.
SEARCH_FOLLOW_SECONDS = 0.5
SEARCH_NODE_NAME = None  # this node's name in the log; None: host name and index folder
SEARCH_REPORT_SECONDS = 10.0  # how often a node records its position (and prunes what every node has passed)
# A node silent for this long stops holding the log back; when it returns it is told to rebuild its index.
SEARCH_NODE_SILENT_SECONDS = 24 * 3600
# /healthz answers 503 while this node's oldest unapplied change is older than this (seconds).
SEARCH_MAX_LAG_SECONDS = 60.0
# Processes that analyse documents during `search rebuild` (Whoosh analysis is pure Python, one core each).
SEARCH_REBUILD_PROCS = min(2, os.cpu_count() or 1)
WTF_CSRF_TIME_LIMIT = None
MAX_CONTENT_LENGTH = 16 * 1024 * 1024
# Host names the site answers to (a foreign Host header gets 400); None: SITE_URL's host, or localhost when unset.
TRUSTED_HOSTS = None
# Largest urlencoded form an anonymous client may send (the sign-in form is well under 1 KB); signed-in members
# may send up to MAX_CONTENT_LENGTH.
ANONYMOUS_FORM_MAX_BYTES = 64 * 1024
# Multipart forms (uploads): at most this many fields, and this many bytes of fields that are not files (Flask's
# defaults, stated here): 150,000 fields are refused with 413 in about 70 ms instead of being parsed.
MAX_FORM_PARTS = 1000
MAX_FORM_MEMORY_SIZE = 500_000

# Session cookies: HttpOnly and SameSite always; Secure unless turned off for plain-HTTP local use
# (`make serve` sets BLOGAPP_SESSION_COOKIE_SECURE=false for http://127.0.0.1:5000).
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
PERMANENT_SESSION_LIFETIME = 12 * 3600
# Sign-in throttling. An address with no failure in the window always gets its sign-in checked. One that has
# failed waits LOGIN_DELAY_SECONDS, doubling with each further failure (at most the window), once the account has
# this many failures from it or from all addresses together; an address that failed on this many sign-ins in the
# window (one address trying many accounts) is refused until the window has passed.
LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
LOGIN_MAX_FAILURES_PER_ADDRESS = 20
LOGIN_FAILURE_WINDOW_MINUTES = 15
LOGIN_DELAY_SECONDS = 15
# Outgoing mail (invitations, password resets; `flask mail test ADDRESS`): none is sent while MAIL_HOST or MAIL_FROM
# is unset. MAIL_SECURITY: "starttls" (port 587 by default), "tls" (implicit TLS, 465) or "none" (a local relay, 25).
MAIL_HOST = None
MAIL_PORT = None
MAIL_SECURITY = "starttls"
MAIL_USERNAME = None
MAIL_PASSWORD = None
MAIL_FROM = None  # e.g. "Treatment Notes <newsroom@notes.example.org>"
MAIL_TIMEOUT = 10
MAIL_CA_FILE = None  # a CA bundle to trust instead of the system's (e.g. a private relay's certificate)
# How long an invitation link and a password-reset link stay good (hours); each is good once.
INVITATION_HOURS = 72
PASSWORD_RESET_HOURS = 1
# Reset links one client may ask for (Flask-Limiter notation), so nobody floods a team member's inbox.
PASSWORD_RESET_RATE_LIMIT = "5 per 15 minutes"
# And links asked for one address, from every client together, so requests spread over many client addresses
# cannot flood one inbox either; counted the same for any address, known or not (nothing is told).
PASSWORD_RESET_ADDRESS_RATE_LIMIT = "3 per hour"
# How long the second step of a sign-in (the code) may come after the password (seconds).
TWO_FACTOR_STEP_SECONDS = 300
# Audit log events older than this are deleted (by `flask audit prune`, and by the first event each worker process
# records each day); 0 keeps them for ever.
AUDIT_RETENTION_DAYS = 365
# Articles not medically reviewed for this long are listed as due on the dashboard (editable in settings).
REVIEW_DUE_MONTHS = 12
ARTICLE_MAX_BODY_CHARS = 500_000
UPLOAD_MAX_BYTES = 8 * 1024 * 1024
UPLOAD_MAX_PIXELS = 40_000_000
# HTTP caching of anonymous reader pages, feeds and sitemaps (validators follow every content change).
CACHE_MAX_AGE = 60
CACHE_STALE_WHILE_REVALIDATE = 600
# Rendered pages kept per process for anonymous readers (bytes; 0 turns the page cache off).
PAGE_CACHE_BYTES = 32 * 1024 * 1024
# Number of reverse proxies in front of the app (1 behind deploy/nginx.conf): their X-Forwarded-For and
# X-Forwarded-Proto are then trusted, so sign-in throttling sees each reader's own address. 0 trusts none.
PROXY_FIX_X_FOR = 0

# Logging (blogapp/logs.py): records of blogapp's modules at LOG_LEVEL and up go to stderr (the journal under
# systemd) as text or, with LOG_FORMAT "json", one JSON object a line; each carries its request's id. LOG_ACCESS
# adds one line a request from the app (gunicorn writes its own access log, JSON with GUNICORN_ACCESSLOG_FORMAT).
# LOGGING_CONFIG, a whole logging.config.dictConfig dictionary, replaces all of this.
LOG_LEVEL = "INFO"
LOG_FORMAT = "text"
LOG_ACCESS = False
LOGGING_CONFIG = None
# /metrics answers scrapers on these addresses (networks allowed, e.g. "10.0.0.0/8"; the reader's own address
# behind PROXY_FIX_X_FOR) or bearing "Authorization: Bearer <METRICS_TOKEN>"; anyone else gets 404.
METRICS_ALLOWED_ADDRESSES = ["127.0.0.1", "::1"]
METRICS_TOKEN = None
