"""Writing the index: apply the change log (now, or from a background thread until it is all in), rebuild."""

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session
from whoosh.index import LockError
from whoosh.writing import CLEAR

from ..extensions import db
from ..models import Article
from . import applied, changelog, stages
from .errors import SearchUnavailable
from .page_docs import apply_pages, index_pages
from .rebuild_writer import rebuild_writer
from .schema import DOCUMENT_LOADS, document_for

if TYPE_CHECKING:
    from .index import SearchIndex

log = logging.getLogger(__name__)
# Separate segment files are memory-mapped; a compound file is read whole into memory by every reader.
SEGMENT_OPTIONS = {"compound": False}
# Drains add one small segment each; merging them (which holds the writer lock) waits until there are this
# many, so a save is searchable without waiting behind a merge.
MERGE_AT_SEGMENTS = 12
# Postings a rebuild's writer (each of its processes) holds before sorting them out to a run file. Whoosh's
# estimate counts about half of what the tuples take, so 256 grew each process to about 450 MB.
REBUILD_LIMITMB = 128


def position(index: "SearchIndex") -> int:
    """Return the change log position the index records (0, the whole log, when it records none)."""
    return applied.read(index.path)


def forget_position(index: "SearchIndex") -> None:
    """Drop the index's recorded position (an index created empty applies the whole log)."""
    applied.forget(index.path)
    index.applied_ahead = set()


def pending(index: "SearchIndex") -> tuple[int, datetime | None]:
    """Count log entries this index has not applied yet; return it with the time of the oldest."""
    with Session(db.engine) as session:
        return changelog.lag(session, applied.read(index.path), index.applied_ahead)


def drain(index: "SearchIndex", timeout: float, look_first: bool = True) -> int:
    """Apply the log from the index's position, each article once; return how many entries were applied.

    `look_first`: read the log before taking the apply lock, to take no lock when nothing is new (polling); a
    process woken by a notification knows there is, and saves those statements.
    """
    if look_first:
        with Session(db.engine) as session:
            _, entries = changelog.read_since(session, applied.read(index.path))
        if not [entry for entry in entries if entry.id not in index.applied_ahead]:
            return 0  # nothing new: no lock taken, the common case for a node polling the log
    with applied.held(index.path, timeout):
        count, article_ids = _drain_held(index, timeout)
    # Outside the apply lock: the related lists take longer than the apply, and another process may apply meanwhile.
    if count:
        index.changed(article_ids)
    return count


def _drain_held(index: "SearchIndex", timeout: float) -> tuple[int, list[int]]:
    """Apply the log under this node's apply lock; return the entries applied and the articles they changed."""
    timing = stages.Apply(index.path)
    with Session(db.engine) as session:
        # The log as it is once the apply lock is held; articles are read after it, so at least as new. Entries
        # added meanwhile are left to the next drain: a Whoosh writer cannot replace a document it added
        # itself, so applying an article a second time here would index it twice.
        position, entries = changelog.read_since(session, applied.read(index.path))
        new = [entry for entry in entries if entry.id not in index.applied_ahead]
        if not new:
            return 0, []  # another process of this node applied them first: no Whoosh writer opened
        article_ids = sorted({entry.article_id for entry in new if entry.page_id is None})
        timing.oldest(session, [entry.id for entry in new])
        writer = index.open().writer(timeout=timeout, **SEGMENT_OPTIONS)
        try:
            for start in range(0, len(article_ids), index.batch):
                _apply(session, writer, set(article_ids[start : start + index.batch]))
            apply_pages(session, writer, {entry.page_id for entry in new if entry.page_id is not None})
            session.rollback()
            timing.mark("build")
            # Merging is left to the follower between bursts (merge_when_due), unless segments pile up past twice
            # the bound.
            writer.commit(merge=len(writer.segments) >= 2 * MERGE_AT_SEGMENTS)
            timing.mark("commit")
        except BaseException:
            if not writer.is_closed:
                writer.cancel()
            raise
    applied.write(index.path, position)
    # Entries seen above the horizon are applied now and read again once it passes them; not applied twice here.
    index.applied_ahead = {entry.id for entry in entries if entry.id >= position}
    timing.done()
    return len(new), article_ids


def merge_when_due(index: "SearchIndex") -> None:
    """Merge small segments in a commit of their own when there are MERGE_AT_SEGMENTS; skip if a writer is busy."""
    version = index.version()
    if version == index.merge_checked:
        return  # no commit since the last look
    ix = index.open()
    if len(ix._segments()) < MERGE_AT_SEGMENTS:  # Whoosh's own count, read from the open TOC
        index.merge_checked = version
        return
    try:
        writer = ix.writer(timeout=0, **SEGMENT_OPTIONS)
    except LockError:
        return  # another process is writing; the next quiet moment merges
    started = time.monotonic()
    writer.commit(merge=True)
    stages.merged(index.path, time.monotonic() - started)


def _apply(session: Session, writer, article_ids: set[int]) -> None:
    stmt = select(Article).where(Article.id.in_(article_ids)).options(*DOCUMENT_LOADS)
    found = {article.id: article for article in session.scalars(stmt)}
    for article_id in sorted(article_ids):
        article = found.get(article_id)
        if article is not None and article.is_live:
            writer.update_document(**document_for(article))
        else:
            writer.delete_by_term("id", str(article_id))
    session.expunge_all()


class BackgroundDrain:
    """The one thread per process that retries a drain until the index has applied the whole log."""

    def __init__(self, index: "SearchIndex"):
        self.index = index
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def drain_soon(self, app: Flask) -> None:
        """Drain now without waiting for the lock; if that fails, retry from the background thread."""
        stages.woke()
        try:
            self.index.drain(timeout=0)
        except LockError:  # another worker (or its follower) is writing; it or the retry applies this too
            self.start(app)
        except Exception as exc:  # any failure leaves the position where it was, for the retry
            log.warning("search index update deferred: %s", exc)
            self.start(app)

    def start(self, app: Flask) -> None:
        """Start the thread unless it is running."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._thread = threading.Thread(target=self._loop, args=(app,), name="search-drain", daemon=True)
            self._thread.start()

    def _loop(self, app: Flask) -> None:
        delay = 0.1
        with app.app_context():
            while True:
                time.sleep(delay)
                try:
                    self.index.drain()
                    if pending(self.index)[0] == 0:
                        return
                except (LockError, SearchUnavailable, OSError) as exc:
                    log.info("search index still not writable: %s", exc)
                except Exception:
                    log.exception("search index drain failed")
                delay = min(delay * 2, 2.0)  # short: readers expect a save to be searchable within a second

    def wait(self, timeout: float) -> None:
        """Wait until a running background drain has finished."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)


def rebuild(index: "SearchIndex", progress: Callable[[int], None] | None = None) -> int:
    """Re-create the index from the database (articles, then pages) in one atomic commit; return the article count."""
    ix = index.ensure()
    writer = rebuild_writer(
        ix, index.rebuild_procs, timeout=index.writer_timeout, limitmb=REBUILD_LIMITMB, **SEGMENT_OPTIONS
    )
    count = 0
    try:
        with Session(db.engine) as session:
            # The log's horizon before the articles are read: every change below it is in what is read next.
            position = changelog.horizon(session)
            stmt = (
                select(Article)
                .where(Article.is_live)
                .options(*DOCUMENT_LOADS)
                .order_by(Article.id)
                .execution_options(yield_per=500)
            )
            for article in session.scalars(stmt):
                writer.add_document(**document_for(article))
                count += 1
                if progress is not None:
                    progress(1)
            index_pages(session, writer)
            session.rollback()
            writer.commit(mergetype=CLEAR)
        applied.forget(index.path)
        applied.write(index.path, position)
        index.applied_ahead = set()
        index.changed(None)  # related lists are worked out again as pages are shown, from the index as it is now
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise
    return count
