"""Rate-limit counters in one SQLite file per machine, so every worker process counts a client's requests together.

Flask-Limiter's memory:// storage counts in each process: under gunicorn's five workers one client got five
times each limit (150 never-seen searches a minute against SEARCH_RATE_LIMIT's 30; bench/probes.py). This store
keeps fixed-window counters in LOCKS_DIR, beside the slots of costly work, at about a tenth of a millisecond a
counted request (WAL, no fsync: counters lost in a power cut only start again from zero).
"""

import os
import sqlite3
import threading
import time
from typing import ClassVar
from urllib.parse import urlsplit

from limits.storage import Storage

from .. import caches

SCHEME = "sqlitecounts"
SWEEP_EVERY = 1000  # counted requests of a process between two deletions of expired counters

_SCHEMA = "CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires REAL NOT NULL)"
# One statement: a counter whose window has passed starts again at `amount`.
_INCR = """
INSERT INTO counters (key, count, expires) VALUES (:key, :amount, :now + :expiry)
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN expires <= :now THEN :amount ELSE count + :amount END,
    expires = CASE WHEN expires <= :now THEN :now + :expiry ELSE expires END
RETURNING count
"""

caches.declare(
    "web.rate_counts",
    holds="each thread's open connection to the rate-limit counters file (the counters themselves are in the file)",
    bound="one connection per thread that counted a request",
    cleared_by="nothing: opened again in a process after a fork",
)


def init_app(app) -> None:
    """Count rate limits in LOCKS_DIR's counters file unless RATELIMIT_STORAGE_URI names another store."""
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = storage_uri(app.config["LOCKS_DIR"])


def storage_uri(folder: str) -> str:
    """Return the RATELIMIT_STORAGE_URI of a counters file in `folder`."""
    return f"{SCHEME}:///{os.path.join(os.path.abspath(folder), 'rate-limits.sqlite').lstrip('/')}"


class SQLiteCounts(Storage):
    """Fixed-window counters (Flask-Limiter's default strategy) in a SQLite file shared by this machine's workers."""

    STORAGE_SCHEME: ClassVar[list[str]] = [SCHEME]  # registered with `limits` by this class's definition

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions, **options)
        self.path = "/" + urlsplit(uri).path.lstrip("/")
        self._local = threading.local()
        self._counted = 0

    @property
    def base_exceptions(self) -> type[Exception]:
        """Return the errors the store may raise (Flask-Limiter lets requests through on them when told to)."""
        return sqlite3.Error

    def _connection(self) -> sqlite3.Connection:
        """Return this thread's connection, opened after any fork (a connection must not cross one)."""
        pid = os.getpid()
        if getattr(self._local, "pid", None) != pid:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=5, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=OFF")
            connection.execute(_SCHEMA)
            self._local.pid, self._local.connection = pid, connection
        return self._local.connection

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        """Add `amount` to the key's counter (a new window of `expiry` seconds once the last has passed)."""
        connection = self._connection()
        now = time.time()
        count = connection.execute(_INCR, {"key": key, "amount": amount, "now": now, "expiry": expiry}).fetchone()[0]
        self._counted += 1
        if self._counted % SWEEP_EVERY == 0:
            connection.execute("DELETE FROM counters WHERE expires <= ?", (now,))
        return count

    def get(self, key: str) -> int:
        """Return the key's count in its current window (0 when none)."""
        row = self._connection().execute(
            "SELECT count FROM counters WHERE key = ? AND expires > ?", (key, time.time())
        ).fetchone()
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        """Return when the key's window ends (now when it has none)."""
        row = self._connection().execute("SELECT expires FROM counters WHERE key = ?", (key,)).fetchone()
        return max(row[0], time.time()) if row else time.time()

    def check(self) -> bool:
        """Tell whether the counters file can be read."""
        try:
            self._connection().execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int:
        """Delete every counter; return how many there were."""
        return self._connection().execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        """Delete one key's counter."""
        self._connection().execute("DELETE FROM counters WHERE key = ?", (key,))
