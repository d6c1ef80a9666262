"""Built-in defaults; overridden by instance/config.py, BLOGAPP_* variables and test mappings."""

import os

SITE_NAME = "Treatment Notes"
SITE_TAGLINE = "Clear, careful writing on health and treatment"
SITE_URL = None  # e.g. "https://notes.example.org": absolute URLs in feeds and sitemaps behind a proxy
SECRET_KEY = None
SQLALCHEMY_DATABASE_URI = None  # filled in by create_app: DATABASE_URL or instance/blogapp.sqlite
SEARCH_INDEX_DIR = None  # filled in by create_app: instance/search-index
UPLOADS_DIR = None  # filled in by create_app: instance/uploads
LOCKS_DIR = None  # filled in by create_app: instance/locks (the slots of costly work, see SEARCH_MAX_CONCURRENT)
ARTICLES_PER_PAGE = 10
SITEMAP_MAX_URLS = 50_000  # the sitemaps.org limit per file; more URLs make a sitemap index
SITEMAP_FILES_DIR = None  # filled in by create_app: instance/sitemaps (kept until the content changes)
SEARCH_RESULTS_PER_PAGE = 10
SEARCH_MAX_QUERY_CHARS = 500
SEARCH_MAX_TERMS = 32
# Searches (and other costly work: sitemap parts, related lists) running at once on this machine, over all worker
# processes; one more gets a fast 503 "busy, try again" with Retry-After instead of a queue. None: half the CPUs
# (at least one), so the other half always serves pages (bench/endpoints.py's flood: with every CPU searching,
# article pages' p99 went from 40 ms to 140-470 ms on 2 CPUs).
SEARCH_MAX_CONCURRENT = None
# Per-client limits (Flask-Limiter notation). Counted per worker process unless RATELIMIT_STORAGE_URI names a
# shared store (e.g. redis://); deploy/nginx.conf states the same limits for the whole site.
SEARCH_RATE_LIMIT = "30 per minute"
SUGGEST_RATE_LIMIT = "120 per minute"
RATELIMIT_ENABLED = True
RATELIMIT_STORAGE_URI = "memory://"
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
