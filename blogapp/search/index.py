"""The index of one app: open or create it, share searchers per thread (writing it: writer.py; checks: check.py)."""

import os
import pickle
import re
import struct
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from flask import Flask
from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from .. import caches
from . import check, writer
from .errors import SearchUnavailable
from .lengths import KeptLengthsBM25F
from .schema import make_schema
from .stages import opened as searcher_opened
from .stages import told as listeners_told

_APP_KEY = "blogapp.search.index"
_FIELD_NAMES = sorted(make_schema().names())
T = TypeVar("T")
_TOC = re.compile(r"_MAIN_(\d+)\.toc")
# What reading through a searcher raises when another process's merge deleted files it had not opened yet.
_STALE = (TypeError, OSError, KeyError, EOFError, struct.error)
# What opening a missing, truncated or overwritten index raises (Whoosh unpickles its table of contents).
_UNREADABLE = (
    OSError,
    ValueError,
    EOFError,
    KeyError,
    IndexError,
    struct.error,
    pickle.UnpicklingError,
    whoosh_index.IndexError,
    whoosh_index.EmptyIndexError,
)

caches.declare(
    "search.searchers",
    holds="each thread's open searcher of the index, with the index version it reads",
    bound="one per thread",
    cleared_by="a new index version on disk (any commit or rebuild): the next search opens a fresh searcher",
)


def _same_fields(schema) -> bool:
    return sorted(schema.names()) == _FIELD_NAMES


class SearchIndex:
    """One Whoosh index directory, its per-thread searchers, and whom to tell when documents change."""

    def __init__(self, path: str, writer_timeout: float = 5.0, batch: int = 200, rebuild_procs: int = 1):
        self.path = path
        self.rebuild_procs = rebuild_procs
        self.writer_timeout = writer_timeout
        self.batch = batch
        # Told the ids of articles whose documents changed (None: every document) after each index commit.
        self.listeners: list[Callable[[list[int] | None], None]] = []
        self._local = threading.local()
        self.background = writer.BackgroundDrain(self)
        # Ids of log entries applied above the position (PostgreSQL, while an older transaction runs).
        self.applied_ahead: set[int] = set()
        self.merge_checked: tuple[int, int] | None = None  # the version whose segments were last counted for a merge

    def open(self) -> whoosh_index.Index:
        """Open the existing index or raise SearchUnavailable."""
        try:
            ix = whoosh_index.open_dir(self.path)
        except _UNREADABLE as exc:
            raise SearchUnavailable(str(exc)) from exc
        if not _same_fields(ix.schema):
            raise SearchUnavailable("the index was built by an older version; run `search rebuild`")
        return ix

    def exists(self) -> bool:
        """Tell whether the index directory holds an index (readable or not)."""
        try:
            return any(_TOC.fullmatch(name) for name in os.listdir(self.path))
        except OSError:
            return False

    def create(self) -> whoosh_index.Index:
        """Create an empty index, replacing whatever unreadable files were there."""
        os.makedirs(self.path, exist_ok=True)
        ix = whoosh_index.create_in(self.path, make_schema())
        writer.forget_position(self)
        return ix

    def ensure(self) -> whoosh_index.Index:
        """Open the index, creating an empty one when it is missing, unreadable or of older fields."""
        try:
            return self.open()
        except SearchUnavailable:
            return self.create()

    def writable(self) -> bool:
        """Tell whether this process can write the index: add files to its directory and take its lock file."""
        lock = os.path.join(self.path, "MAIN_WRITELOCK")  # Whoosh's writer lock, opened for writing by every writer
        return os.access(self.path, os.W_OK) and (not os.path.exists(lock) or os.access(lock, os.W_OK))

    def version(self) -> tuple[int, int]:
        """Return (generation, TOC file time) of the index on disk: changes with every commit or re-creation."""
        for _attempt in range(3):
            try:
                tocs = [name for name in os.listdir(self.path) if _TOC.fullmatch(name)]
                latest = max(tocs, key=lambda name: int(_TOC.fullmatch(name)[1]))
                return int(_TOC.fullmatch(latest)[1]), os.stat(os.path.join(self.path, latest)).st_mtime_ns
            except FileNotFoundError as exc:
                # Another process's commit replaced the table of contents between the listing and the stat.
                missing = exc
            except (OSError, ValueError) as exc:
                raise SearchUnavailable(str(exc)) from exc
        raise SearchUnavailable(str(missing)) from missing

    def searcher(self) -> Searcher:
        """Return this thread's searcher, reopened if the index changed since it was opened."""
        current = getattr(self._local, "searcher", None)
        version = self.version()
        if current is not None and self._local.version == version:
            return current
        # Not Searcher.refresh(): whoosh-reloaded's reader reuse keeps segments that a merge replaced, so
        # refreshed searchers return merged-away documents twice; and a re-created index restarts its
        # generations, so the TOC file's time is part of the version.
        self.close()
        opening = time.monotonic()
        try:
            self._local.searcher = self.open().searcher(weighting=KeptLengthsBM25F())
        except _UNREADABLE as exc:
            raise SearchUnavailable(str(exc)) from exc
        self._local.version = version
        if current is not None:  # a new version, not this thread's first searcher
            searcher_opened(self.path, version[1], time.monotonic() - opening)
        return self._local.searcher

    def run(self, search: Callable[[Searcher], T]) -> T:
        """Call `search` with this thread's searcher, once more with a fresh one if the first one went stale."""
        try:
            return search(self.searcher())
        except (*_STALE, SearchUnavailable):
            # Another process was committing (a table of contents being replaced) or merged segments and
            # deleted files this searcher had not opened yet: a moment later a fresh searcher reads it.
            self.close()
            time.sleep(0.05)
            return search(self.searcher())

    def close(self) -> None:
        """Close this thread's searcher."""
        current = getattr(self._local, "searcher", None)
        if current is not None:
            current.close()
            self._local.searcher = None

    def changed(self, article_ids: list[int] | None) -> None:
        """Tell the listeners which articles changed (None: every document), unless this thread holds them."""
        held = getattr(self._local, "held", None)
        if held is not None:
            if article_ids is not None:
                held.update(article_ids)
                return
            held.clear()  # every document changed: what was held is covered
        started = time.monotonic()
        for listener in self.listeners:
            listener(article_ids)
        listeners_told(self.path, len(article_ids or ()), time.monotonic() - started)

    def hold_changes(self) -> None:
        """Keep the ids this thread's applies changed, for release_changes() (the follower, while the log moves)."""
        if getattr(self._local, "held", None) is None:
            self._local.held = set()

    def held_changes(self) -> int:
        """Count the article ids this thread holds."""
        return len(getattr(self._local, "held", None) or ())

    def release_changes(self) -> None:
        """Tell the listeners every article id this thread held, and stop holding them."""
        held, self._local.held = getattr(self._local, "held", None), None
        if held:
            self.changed(sorted(held))

    def merge_when_due(self) -> None:
        """Merge the small segments applies leave, when there are enough and no other process is writing."""
        writer.merge_when_due(self)

    def position(self) -> int:
        """Return the change log position this index has applied up to (recorded inside the index)."""
        return writer.position(self)

    def lag(self) -> tuple[int, datetime | None]:
        """Return how many log entries this index has not applied yet, and when the oldest of them was made."""
        return writer.pending(self)

    def pending(self) -> int:
        """Count log entries not yet applied to this index."""
        return writer.pending(self)[0]

    def drain(self, timeout: float | None = None, look_first: bool = True) -> int:
        """Apply the change log from this index's position, each article once; return the entries applied."""
        return writer.drain(self, self.writer_timeout if timeout is None else timeout, look_first)

    def drain_soon(self, app: Flask) -> None:
        """Drain now without waiting for the lock; if that fails, retry from a background thread."""
        self.background.drain_soon(app)

    def retry_in_background(self, app: Flask) -> None:
        """Start (once per process) a thread that drains the log until this index has applied all of it."""
        self.background.start(app)

    def wait_for_retry(self, timeout: float = 10.0) -> None:
        """Wait until a running background drain has finished (for commands and tests)."""
        self.background.wait(timeout)

    def rebuild(self, progress: Callable[[int], None] | None = None) -> int:
        """Re-create the index from the database in one atomic commit; return the article count."""
        return writer.rebuild(self, progress)

    def check(self) -> check.Drift:
        """Compare the index with the database: missing, stale (or indexed twice) and extra articles."""
        return check.drift(self)


def for_app(app: Flask) -> SearchIndex:
    """Return the app's search index."""
    return app.extensions[_APP_KEY]


def init_app(app: Flask) -> SearchIndex:
    """Give the app its search index, as configured."""
    index = SearchIndex(
        app.config["SEARCH_INDEX_DIR"],
        writer_timeout=app.config["SEARCH_WRITER_TIMEOUT"],
        batch=app.config["SEARCH_DRAIN_BATCH"],
        rebuild_procs=app.config["SEARCH_REBUILD_PROCS"],
    )
    app.extensions[_APP_KEY] = index
    return index
