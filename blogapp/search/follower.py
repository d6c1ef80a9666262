"""The thread per process that keeps this node's index in step with the change log and reports its position.

Other nodes' commits wake it through PostgreSQL's LISTEN/NOTIFY; polling every SEARCH_FOLLOW_SECONDS is the
fallback (and the only way on SQLite, one machine). An index that is missing is built from the database first,
and so is one this node was told to rebuild (it fell silent past SEARCH_NODE_SILENT_SECONDS and the log was
pruned without it); several workers of one node take turns through a lock file, so one of them builds it.
"""

import fcntl
import logging
import os
import socket
import threading
import time

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError
from whoosh.index import LockError

from ..extensions import db
from . import changelog, stages
from .errors import SearchUnavailable
from .index import SearchIndex

log = logging.getLogger(__name__)
_APP_KEY = "blogapp.search.follower"
_QUIET = (LockError, SearchUnavailable, OSError, SQLAlchemyError)
# Changed articles whose related lists wait while notifications keep coming; past this many they are worked out.
HOLD_AT_MOST = 10


def node_name(app: Flask) -> str:
    """Return this node's name in the log: SEARCH_NODE_NAME, or the host and the index's folder."""
    configured = app.config["SEARCH_NODE_NAME"]
    return configured or f"{socket.gethostname()}:{os.path.realpath(app.config['SEARCH_INDEX_DIR'])}"


class Follower:
    """Apply the log when woken or every poll interval; report, prune and rebuild when told to."""

    def __init__(self, index: SearchIndex, node: str, poll: float, report_every: float, silent: float):
        self.index, self.node = index, node
        self.poll, self.report_every, self.silent = poll, report_every, silent
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.notified = False  # woken by a notification: the log has something new, no need to look first

    def start(self, app: Flask) -> None:
        """Start the thread unless it is running (once per process)."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, args=(app,), name="search-follow", daemon=True)
                self._thread.start()

    def _loop(self, app: Flask) -> None:
        with app.app_context():
            listener, next_report = None, 0.0
            while True:
                listener = listener or _listen()
                self.index.hold_changes()
                next_report = self._quietly(self.step, next_report) or next_report
                # More of the log waiting: apply it first; the related lists and merges wait for a quiet moment.
                listener, self.notified = _wait(listener, 0)
                if not self.notified or self.index.held_changes() >= HOLD_AT_MOST:
                    self._quietly(self.index.release_changes)
                    self._quietly(self.index.merge_when_due)
                if not self.notified:
                    listener, self.notified = _wait(listener, self.poll)
                stages.woke()

    @staticmethod
    def _quietly(work, *args):
        """Call `work`; log what it raises (briefly when the index or database is busy or not there yet)."""
        try:
            return work(*args)
        except _QUIET as exc:
            log.info("search log not applied yet: %s", exc)
        except Exception:
            log.exception("search log follower failed")
        return None

    def step(self, next_report: float = 0.0) -> float:
        """Build a missing index, report (rebuilding when told), prune, apply the log; return the next report time."""
        if not self.index.exists():
            self._build(lambda: not self.index.exists())
        now = time.monotonic()
        if now >= next_report:
            if changelog.report(self.node, self.index.position()):
                self._build(lambda: changelog.report(self.node, self.index.position()))
            changelog.prune(self.silent)
            next_report = now + self.report_every
        self.index.drain(timeout=0, look_first=not self.notified)
        return next_report

    def _build(self, still_needed) -> None:
        """Rebuild the index from the database, unless another worker of this node has done it meanwhile."""
        os.makedirs(os.path.dirname(os.path.abspath(self.index.path)), exist_ok=True)
        with open(os.path.abspath(self.index.path) + ".build-lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if still_needed():
                log.warning("search index of node %s is built from the database", self.node)
                self.index.rebuild()
                changelog.rebuilt(self.node, self.index.position())


def _listen():
    """Return a connection listening for other nodes' commits, or None (SQLite, or a driver without it)."""
    if db.engine.dialect.name != "postgresql":
        return None
    try:
        connection = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        driver = connection.connection.driver_connection
        if not hasattr(driver, "notifies"):
            connection.close()
            return None
        driver.execute(f"LISTEN {changelog.CHANNEL}")
        return connection
    except Exception as exc:
        log.info("search log notifications unavailable, polling: %s", exc)
        return None


def _wait(listener, seconds: float) -> tuple[object, bool]:
    """Wait until notified or `seconds` have passed; return the listener (None once it failed) and if notified.

    Every notification already received is taken with the first: a burst of commits wakes the follower once.
    """
    if listener is None:
        time.sleep(seconds)
        return None, False
    try:
        driver = listener.connection.driver_connection
        woken = False
        for _ in driver.notifies(timeout=seconds, stop_after=1):
            woken = True
        if woken:
            for _ in driver.notifies(timeout=0):
                pass
        return listener, woken
    except Exception as exc:
        log.info("search log notifications lost, polling: %s", exc)
        listener.invalidate()
        listener.close()
        time.sleep(seconds)
        return None, False


def init_app(app: Flask, index: SearchIndex) -> Follower:
    """Give the app its follower, as configured (started by the first request when SEARCH_FOLLOW_SECONDS > 0)."""
    follower = Follower(
        index,
        node_name(app),
        poll=app.config["SEARCH_FOLLOW_SECONDS"] or 1.0,
        report_every=app.config["SEARCH_REPORT_SECONDS"],
        silent=app.config["SEARCH_NODE_SILENT_SECONDS"],
    )
    app.extensions[_APP_KEY] = follower
    return follower


def for_app(app: Flask) -> Follower:
    """Return the app's follower."""
    return app.extensions[_APP_KEY]
