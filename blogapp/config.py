"""Built-in defaults; overridden by instance/config.py, BLOGAPP_* variables and test mappings."""

import os

SITE_NAME = "Treatment Notes"
SITE_TAGLINE = "Clear, careful writing on health and treatment"
SITE_URL = None  # e.g. "https://notes.example.org": absolute URLs in feeds and sitemaps behind a proxy
SECRET_KEY = None
SQLALCHEMY_DATABASE_URI = None  # filled in by create_app: DATABASE_URL or instance/blogapp.sqlite
SEARCH_INDEX_DIR = None  # filled in by create_app: instance/search-index
UPLOADS_DIR = None  # filled in by create_app: instance/uploads
ARTICLES_PER_PAGE = 10
SITEMAP_MAX_URLS = 50_000  # the sitemaps.org limit per file; more URLs make a sitemap index
SEARCH_RESULTS_PER_PAGE = 10
SEARCH_MAX_QUERY_CHARS = 500
SEARCH_MAX_TERMS = 32
SEARCH_SYNONYMS_FILE = None  # filled in by create_app: instance/synonyms.txt (the shipped list until it exists)
SEARCH_LOG_DAYS = 180  # search log entries older than this are deleted
# Article views are counted in memory and written to the database at most this often (seconds).
VIEW_COUNT_FLUSH_SECONDS = 60.0
# How long the background drainer waits for Whoosh's writer lock before retrying later.
SEARCH_WRITER_TIMEOUT = 5.0
SEARCH_DRAIN_BATCH = 200
# Processes that analyse documents during `search rebuild` (Whoosh analysis is pure Python, one core each).
SEARCH_REBUILD_PROCS = min(2, os.cpu_count() or 1)
WTF_CSRF_TIME_LIMIT = None
MAX_CONTENT_LENGTH = 16 * 1024 * 1024
