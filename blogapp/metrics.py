"""What the site counts for /metrics (Prometheus): requests, their time, searches; in every gunicorn worker.

Under gunicorn each worker writes its values to files in PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py makes it),
and /metrics adds them up (prometheus_client's multiprocess mode); without it, values are this process's.
"""

import os

if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # a process started beside the server (e.g. `flask …`) may be first
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], mode=0o700, exist_ok=True)

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, generate_latest, multiprocess

_SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUESTS = Counter(
    "blogapp_http_requests", "HTTP requests answered, by endpoint, method and status", ["endpoint", "method", "status"]
)
REQUEST_SECONDS = Histogram(
    "blogapp_http_request_duration_seconds", "Time to answer a request, by endpoint", ["endpoint"], buckets=_SECONDS
)
SEARCH_SECONDS = Histogram("blogapp_search_duration_seconds", "Time to work out a search's results", buckets=_SECONDS)
SEARCH_RESULTS = Histogram(
    "blogapp_search_results", "Articles found per search", buckets=(0, 1, 3, 10, 30, 100, 300, 1000, 10_000)
)
# How anonymous reader pages were answered before rendering: 304, a stored page, or rendered (a miss).
PAGE_CACHE = Counter("blogapp_page_cache_answers", "Anonymous reader pages by how they were answered", ["result"])
PAGE_NOT_MODIFIED, PAGE_HIT, PAGE_MISS = (PAGE_CACHE.labels(result) for result in ("not_modified", "hit", "miss"))
SIGN_IN_FAILURES = Counter(
    "blogapp_sign_in_failures", "Refused sign-ins: a wrong password or code, or a wait imposed", ["reason"]
)
WORKERS = Gauge("blogapp_worker_processes", "Processes serving the app (gunicorn workers)", multiprocess_mode="livesum")


def note_serving_process() -> None:
    """Count this process among the serving ones (on its first request: commands like `flask init` never serve)."""
    WORKERS.set(1)
    WORKER_STARTED.set_to_current_time()


# One series a live worker (prometheus_client labels it with the pid under gunicorn; dead workers' go away).
WORKER_STARTED = Gauge(
    "blogapp_worker_start_time_seconds", "When each serving process started (Unix time)", multiprocess_mode="liveall"
)


def exposition(extra: CollectorRegistry) -> bytes:
    """Return every worker's metrics and those in `extra` (worked out for this scrape) in the text format."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return generate_latest(registry) + generate_latest(extra)
