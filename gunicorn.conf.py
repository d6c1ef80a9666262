"""Gunicorn settings for blogapp: `gunicorn -c gunicorn.conf.py wsgi:app` (README, "Running in production").

Each value can be changed without editing this file: through the environment variables named below, or with
gunicorn's own command-line options, which win over this file (`gunicorn -c gunicorn.conf.py -w 2 wsgi:app`).
The app needs nothing at worker start: every worker builds its own app when it imports `wsgi`, opens the
database and the search index lazily, and starts its background index-drain thread only when it needs one.
"""

import json
import os
import tempfile
from datetime import UTC, datetime

from gunicorn.glogging import Logger


def _cpus() -> int:
    """Return how many CPUs this process may run on (honours taskset and cpusets, unlike os.cpu_count())."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


bind = [address.strip() for address in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")]
proc_name = "blogapp"

# Sync workers, one request at a time each: nginx buffers requests and responses, so a slow client never
# holds a worker, and the app keeps one Whoosh searcher per thread, which threads would multiply.
worker_class = "sync"
# 2 × CPUs + 1 (gunicorn's documented starting point): rendering is CPU-bound Python, one core per worker at
# most, but each request also waits on SQLite, index files and the socket to nginx, so a few more workers than
# cores keep every core busy; many more only add memory (each worker holds its app, page cache and searcher)
# and SQLite write contention. Containers limited by a CPU quota (not a cpuset) should set WEB_CONCURRENCY.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * _cpus() + 1))

# Not preloaded: the app is created in each worker after the fork, so no database connection, open index file,
# searcher or thread (the search-drain retry thread, the view counter) is shared between processes or lost in
# the fork; and `kill -HUP` (systemctl reload) starts new workers on the new code.
preload_app = False

# A worker silent for this long is killed and replaced; no page should take more than a second or two
# (index rebuilds run as `flask search rebuild`, never in a request).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
# On HUP (reload) or TERM (stop), workers finish the requests in hand within this time before being killed.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
# Replace each worker after this many requests (bounds any slow memory growth), staggered by the jitter so the
# workers do not all restart at once. Not much more often: a new worker starts with empty caches (rendered
# pages, related articles, search results), and at a few hundred answers a second 2,000 requests was every
# few seconds. Changes a recycled worker queued for the index stay in the database queue and are applied by
# the next commit or the new worker's first request.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 50_000))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 5_000))

# Bounds on what a request may send before the app sees it (gunicorn's defaults, stated so they are not lost):
# a request line (method, path and query) of 4,094 bytes, 100 header fields of 8,190 bytes each. A longer one gets
# 400 from gunicorn at once. Search queries are cut to SEARCH_MAX_QUERY_CHARS long before this.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# Access log on stdout (journald under systemd): the client as nginx saw it (X-Forwarded-For), the proxy's
# address, time, request, status, bytes, referrer, user agent, the time taken in microseconds (%(D)s), the
# request id the app answered with (X-Request-ID, also on the app's own log records) and the worker's pid (%(p)s,
# as <pid>). GUNICORN_ACCESSLOG_FORMAT=json writes the same as one JSON object a line.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
access_log_format = (
    '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)sus %({x-request-id}o)s %(p)s'
)


class JsonAccessLogger(Logger):
    """Gunicorn's logger, with each access log line a JSON object (values escaped, so any header is safe)."""

    def access(self, resp, req, environ, request_time):
        """Write one JSON line for an answered request."""
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        line = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "forwarded_for": atoms.get("{x-forwarded-for}i"),
            "remote_addr": atoms["h"],
            "method": atoms["m"],
            "path": environ.get("RAW_URI"),
            "protocol": atoms["H"],
            "status": int(atoms["s"]),
            "bytes": atoms["B"],
            "referrer": atoms.get("{referer}i"),
            "user_agent": atoms.get("{user-agent}i"),
            "duration_us": atoms["D"],
            "request_id": atoms.get("{x-request-id}o"),
            "pid": os.getpid(),
        }
        self.access_log.info(json.dumps(line))


if os.environ.get("GUNICORN_ACCESSLOG_FORMAT") == "json":
    logger_class = JsonAccessLogger
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")

# Addresses trusted to say the original request was HTTPS (X-Forwarded-Proto), which makes Flask build https
# URLs and lets the Secure session cookie work: nginx on this machine by default; set FORWARDED_ALLOW_IPS to the
# proxy's address when it runs elsewhere. It does not change REMOTE_ADDR (see README, "Running in production").
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Worker heartbeats in memory, not on disk (a heartbeat write on a busy disk can stall a worker).
worker_tmp_dir = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None

# Gunicorn 25.1+ opens a control socket under $HOME by default; the service account has no writable home and
# two instances would share it, so it is only opened where GUNICORN_CONTROL_SOCKET names a path.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True

# /metrics adds up every worker's counters: prometheus_client's multiprocess mode keeps each worker's values in
# files in PROMETHEUS_MULTIPROC_DIR (a new private folder unless set; set before any worker imports the app).
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="blogapp-metrics-")


def on_starting(server):
    """Start the metrics from zero: remove the values a previous server left in PROMETHEUS_MULTIPROC_DIR."""
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    os.makedirs(folder, mode=0o700, exist_ok=True)
    for name in os.listdir(folder):
        if name.endswith(".db"):
            os.remove(os.path.join(folder, name))


def child_exit(server, worker):
    """Drop a finished worker's live gauges (its counters stay in the totals)."""
    from prometheus_client import multiprocess  # after PROMETHEUS_MULTIPROC_DIR is set

    multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker):
    """Count the worker among the serving processes now: a scrape may come before it has answered anything."""
    from blogapp import metrics  # in the worker, after PROMETHEUS_MULTIPROC_DIR is set

    metrics.note_serving_process()
