"""Writes that reader requests cause (view counts, the search log), gathered in memory and made in batches.

A reader's request then never waits for the database's write lock, which other workers' readers and the team's
saves contend for. What is gathered is best effort: written when a batch falls due, when the process exits,
and dropped (with a warning) if the database refuses it.
"""

import atexit
import logging
import random
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..extensions import db

log = logging.getLogger(__name__)
T = TypeVar("T")


class Batch(Generic[T]):
    """Items added by requests and written together, at most every `interval` seconds."""

    def __init__(self, app: Flask, name: str, interval: float, write: Callable[[Session, list[T]], None]):
        self.app = app
        self.name = name
        self.interval = interval
        self.write = write
        self._items: list[T] = []
        self._lock = threading.Lock()
        # Workers started together would otherwise all write at the same moments, queueing for the write lock.
        self._last_flush = time.monotonic() - random.uniform(0, interval)

    def add(self, item: T) -> None:
        """Gather one item, writing the batch when it is due (with or without a Flask request)."""
        with self._lock:
            self._items.append(item)
            due = time.monotonic() - self._last_flush >= self.interval
        if due:
            self.flush()

    def pending(self) -> list[T]:
        """Return what is gathered and not written yet."""
        with self._lock:
            return list(self._items)

    def flush(self) -> None:
        """Write what is gathered, in its own session and transaction."""
        with self._lock:
            items, self._items = self._items, []
            self._last_flush = time.monotonic()
        if not items:
            return
        try:
            with self.app.app_context(), Session(db.engine) as session:
                self.write(session, items)
                session.commit()
        except SQLAlchemyError as exc:
            log.warning("%s not saved: %s", self.name, exc)


def start_batch(app: Flask, key: str, name: str, interval: float, write: Callable[[Session, list[T]], None]) -> None:
    """Give the app a batch under `app.extensions[key]`, written once more when the process exits."""
    batch = Batch(app, name, interval, write)
    app.extensions[key] = batch
    atexit.register(batch.flush)
