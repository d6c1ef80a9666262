"""Index lifecycle: open or create it, share searchers per thread, apply the pending queue."""

import logging
import os
import pickle
import re
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, joinedload, selectinload
from whoosh import index as whoosh_index
from whoosh.index import LockError
from whoosh.searching import Searcher
from whoosh.writing import CLEAR

from ..extensions import db
from ..models import Article, SearchQueueItem
from . import related
from .lengths import KeptLengthsBM25F
from .schema import document_for, make_schema

log = logging.getLogger(__name__)
# Separate segment files are memory-mapped; a compound file is read whole into memory by every reader.
SEGMENT_OPTIONS = {"compound": False}
# Drains add one small segment each; merging them (which holds the writer lock) waits until there are this
# many, so a save is searchable without waiting behind a merge.
MERGE_AT_SEGMENTS = 12


class SearchUnavailable(Exception):
    """The search index is missing, unreadable or locked."""


@dataclass
class Drift:
    missing: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """Tell whether the index matches the database exactly."""
        return not (self.missing or self.stale or self.extra)


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


def _same_fields(schema) -> bool:
    return sorted(schema.names()) == _FIELD_NAMES


def _load_options():
    return (joinedload(Article.category), joinedload(Article.author), selectinload(Article.tags))


class SearchIndex:
    """One Whoosh index directory, its per-thread searchers and its durable change queue."""

    def __init__(self, path: str, writer_timeout: float = 5.0, batch: int = 200, rebuild_procs: int = 1):
        self.path = path
        self.rebuild_procs = rebuild_procs
        self.writer_timeout = writer_timeout
        self.batch = batch
        self._local = threading.local()
        self._retry_lock = threading.Lock()
        self._retry_thread: threading.Thread | None = None

    def open(self) -> whoosh_index.Index:
        """Open the existing index or raise SearchUnavailable."""
        try:
            ix = whoosh_index.open_dir(self.path)
        except _UNREADABLE as exc:
            raise SearchUnavailable(str(exc)) from exc
        if not _same_fields(ix.schema):
            raise SearchUnavailable("the index was built by an older version; run `search rebuild`")
        return ix

    def create(self) -> whoosh_index.Index:
        """Create an empty index, replacing whatever unreadable files were there."""
        os.makedirs(self.path, exist_ok=True)
        return whoosh_index.create_in(self.path, make_schema())

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
        try:
            self._local.searcher = self.open().searcher(weighting=KeptLengthsBM25F())
        except _UNREADABLE as exc:
            raise SearchUnavailable(str(exc)) from exc
        self._local.version = version
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

    def pending(self) -> int:
        """Count queued changes not yet applied to the index."""
        with Session(db.engine) as session:
            return session.scalar(select(func.count(SearchQueueItem.id))) or 0

    def drain(self, timeout: float | None = None) -> int:
        """Apply every queued change to the index, each article once; return how many entries were applied."""
        writer = self.open().writer(timeout=self.writer_timeout if timeout is None else timeout, **SEGMENT_OPTIONS)
        try:
            with Session(db.engine) as session:
                # The queue as it is once the lock is held; articles are read after it, so at least as new. Rows
                # queued meanwhile are left to the drain their own commit starts: a Whoosh writer cannot replace a
                # document it added itself, so applying an article a second time here would index it twice.
                rows = session.execute(select(SearchQueueItem.id, SearchQueueItem.article_id)).all()
                article_ids = sorted({article_id for _, article_id in rows})
                for start in range(0, len(article_ids), self.batch):
                    self._apply(session, writer, set(article_ids[start : start + self.batch]))
                session.rollback()  # end the read snapshot before writing (SQLite cannot upgrade it)
                if not rows:
                    writer.cancel()
                    return 0
                writer.commit(merge=len(writer.segments) >= MERGE_AT_SEGMENTS)
                applied = [row_id for row_id, _ in rows]
                for start in range(0, len(applied), 500):
                    chunk = applied[start : start + 500]
                    session.execute(delete(SearchQueueItem).where(SearchQueueItem.id.in_(chunk)))
                session.commit()
        except BaseException:
            if not writer.is_closed:
                writer.cancel()
            raise
        related.refresh(self, article_ids)
        return len(rows)

    def _apply(self, session: Session, writer, article_ids: set[int]) -> None:
        stmt = select(Article).where(Article.id.in_(article_ids)).options(*_load_options())
        found = {article.id: article for article in session.scalars(stmt)}
        for article_id in sorted(article_ids):
            article = found.get(article_id)
            if article is not None and article.is_indexable:
                writer.update_document(**document_for(article))
            else:
                writer.delete_by_term("id", str(article_id))
        session.expunge_all()

    def drain_soon(self, app) -> None:
        """Drain now without waiting for the lock; if that fails, retry from a background thread."""
        try:
            self.drain(timeout=0)
        except Exception as exc:  # any failure leaves the queue intact for the retry
            log.warning("search index update deferred: %s", exc)
            self.retry_in_background(app)

    def retry_in_background(self, app) -> None:
        """Start (once per process) a thread that drains the queue until it is empty."""
        with self._retry_lock:
            if self._retry_thread is not None and self._retry_thread.is_alive():
                return
            self._retry_thread = threading.Thread(
                target=self._retry_loop, args=(app,), name="search-drain", daemon=True
            )
            self._retry_thread.start()

    def _retry_loop(self, app) -> None:
        delay = 0.1
        with app.app_context():
            while True:
                time.sleep(delay)
                try:
                    self.drain()
                    if self.pending() == 0:
                        return
                except (LockError, SearchUnavailable, OSError) as exc:
                    log.info("search index still not writable: %s", exc)
                except Exception:
                    log.exception("search index drain failed")
                delay = min(delay * 2, 2.0)  # short: readers expect a save to be searchable within a second

    def wait_for_retry(self, timeout: float = 10.0) -> None:
        """Wait until a running background drain has finished (for commands and tests)."""
        thread = self._retry_thread
        if thread is not None:
            thread.join(timeout)

    def rebuild(self, progress: Callable[[int], None] | None = None) -> int:
        """Re-create the index from the database in one atomic commit; return the article count."""
        ix = self.ensure()
        # Several processes analyse documents in parallel; their segments are kept as they are (no merge).
        parallel = {"procs": self.rebuild_procs, "multisegment": True} if self.rebuild_procs > 1 else {}
        writer = ix.writer(timeout=self.writer_timeout, limitmb=256, **SEGMENT_OPTIONS, **parallel)
        count = 0
        try:
            with Session(db.engine) as session:
                # The rows committed before the articles are read, by id: on PostgreSQL a transaction still
                # open can hold a lower id than a committed one, so "every id up to the highest" could drop it.
                queued = list(session.scalars(select(SearchQueueItem.id)))
                stmt = (
                    select(Article)
                    .where(Article.indexable())
                    .options(*_load_options())
                    .order_by(Article.id)
                    .execution_options(yield_per=500)
                )
                for article in session.scalars(stmt):
                    writer.add_document(**document_for(article))
                    count += 1
                    if progress is not None:
                        progress(1)
                session.rollback()
                writer.commit(mergetype=CLEAR)
                for start in range(0, len(queued), 500):
                    session.execute(delete(SearchQueueItem).where(SearchQueueItem.id.in_(queued[start : start + 500])))
                session.commit()
            related.forget(None)  # worked out again as pages are shown, from the index as it is now
        except BaseException:
            if not writer.is_closed:
                writer.cancel()
            raise
        return count

    def check(self) -> Drift:
        """Compare the index with the database: missing, stale (or indexed twice) and extra articles."""
        with Session(db.engine) as session:
            stmt = select(Article).where(Article.indexable()).options(*_load_options())
            expected = {article.id: document_for(article)["digest"] for article in session.scalars(stmt)}
        with self.open().searcher() as searcher:
            stored = [(int(fields["id"]), fields["digest"]) for fields in searcher.all_stored_fields()]
        actual = dict(stored)
        twice = {article_id for article_id, count in Counter(k for k, _ in stored).items() if count > 1}
        return Drift(
            missing=sorted(expected.keys() - actual.keys()),
            stale=sorted(k for k in expected.keys() & actual.keys() if expected[k] != actual[k] or k in twice),
            extra=sorted(actual.keys() - expected.keys()),
        )
