"""A bound on costly work running at once on this machine, over every worker process: past it, a fast 503.

Sync gunicorn workers serve one request each; if slow searches may take them all, every page waits behind them.
Each kind of costly work gets N slots, each a lock file in LOCKS_DIR. A request takes a free slot without
waiting or answers 503 "busy, try again" with Retry-After at once: no queue of seconds forms. The kernel frees
a dead worker's locks, so a crash never leaks a slot.
"""

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app
from werkzeug.exceptions import ServiceUnavailable

from .. import caches

RETRY_AFTER_SECONDS = 2


class Busy(ServiceUnavailable):
    """Every slot for this kind of work is taken: try again in a moment."""

    description = "Too many searches are running right now. Please try again in a few seconds."

    def __init__(self, description: str | None = None):
        super().__init__(description, retry_after=RETRY_AFTER_SECONDS)


class Slots:
    """`count` slots for one kind of work, shared by the processes that use the same folder."""

    def __init__(self, folder: str, name: str, count: int):
        self.paths = [os.path.join(folder, f"{name}.{n}.lock") for n in range(count)]
        self.folder = folder
        # flock belongs to an open file, which a process's threads share: a thread lock per slot as well.
        self.threads = [threading.Lock() for _ in self.paths]
        self._files: dict[int, list[int]] = {}  # pid → descriptors opened by that process, never inherited

    def _descriptors(self) -> list[int]:
        pid = os.getpid()
        if pid not in self._files:
            os.makedirs(self.folder, exist_ok=True)
            self._files = {pid: [os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600) for path in self.paths]}
        return self._files[pid]

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Run the block in a free slot; raise Busy at once when there is none."""
        descriptors = self._descriptors()
        start = os.getpid() % len(descriptors)  # workers start their search at different slots
        for n in (*range(start, len(descriptors)), *range(start)):
            if not self.threads[n].acquire(blocking=False):
                continue
            try:
                fcntl.flock(descriptors[n], fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                self.threads[n].release()
                continue
            try:
                yield
            finally:
                fcntl.flock(descriptors[n], fcntl.LOCK_UN)
                self.threads[n].release()
            return
        raise Busy()


def costly_work() -> Slots:
    """Return this app's slots for costly work (searches, sitemap parts, related lists)."""
    return caches.of(current_app, "web.busy_slots")


def suggestion_work() -> Slots:
    """Return this app's slots for title suggestions worked out, as many as for costly work and apart from them."""
    # Apart: the suggestion a reader's typing asked for must not turn the search they submit next into a 503.
    return caches.of(current_app, "web.suggestion_slots")


caches.declare(
    "web.busy_slots",
    holds="the open lock files of the slots for costly work (searches, sitemap parts)",
    bound="SEARCH_MAX_CONCURRENT descriptors per process",
    cleared_by="nothing: one set per process, opened on first use after the fork",
)
caches.declare(
    "web.suggestion_slots",
    holds="the open lock files of the slots for title suggestions worked out",
    bound="SEARCH_MAX_CONCURRENT descriptors per process",
    cleared_by="nothing: one set per process, opened on first use after the fork",
)


def init_app(app: Flask) -> None:
    """Give the app SEARCH_MAX_CONCURRENT slots (None: half the CPUs) for costly work, and as many for suggestions."""
    count = app.config["SEARCH_MAX_CONCURRENT"] or len(os.sched_getaffinity(0)) // 2
    caches.for_app(app, "web.busy_slots", Slots(app.config["LOCKS_DIR"], "costly", max(1, count)))
    caches.for_app(app, "web.suggestion_slots", Slots(app.config["LOCKS_DIR"], "suggestions", max(1, count)))
