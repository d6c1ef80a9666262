"""How long each stage of applying the change log takes on this node, kept as lines in a file beside the index.

A save on node A becomes searchable on node B through these stages (seconds, per apply on B):

- wake: from the oldest entry of the apply being logged (A's flush, just before its commit) to B's process waking
  for it (a NOTIFY, a poll, or its own commit); it includes waiting behind B's previous apply. The two ends are
  read from the wall clocks of A and B: on one machine that is one clock, across machines add their difference.
- start: from waking to the apply starting under the node's apply lock (log read, position, lock).
- build: opening a Whoosh writer, reading the articles and analysing their documents.
- commit: Whoosh's commit, with a merge when it does one.
- record: writing the position into the index and telling the listeners.
- lists: the index's listeners after an apply (the related lists of the changed articles); a follower works
  them out once the log is all applied, outside the node's apply lock.
- merge: a merge of the small segments applies leave, done by the follower between bursts.
- refresh: from the index commit (its table of contents' time) to a searcher of this node opened on it, by the
  first search after it: it includes waiting for that search. `open` is the opening alone.

In-process stages use the monotonic clock; only `wake` and `refresh` cross processes and use the wall clock.
Each apply (and each searcher opened on a new version) appends one JSON line; the file is cut at MAX_BYTES.
"""

import json
import logging
import os
import threading
import time
from datetime import UTC, datetime
from itertools import pairwise

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import caches
from ..models import SearchChange

log = logging.getLogger(__name__)
APPLY_STAGES = ("wake", "start", "build", "commit", "record")
STAGES = (*APPLY_STAGES, "refresh", "open", "lists", "merge")
MAX_BYTES = 512 * 1024  # then the file is renamed to .1 (the one before is dropped): a few thousand applies kept
_local = threading.local()
caches.declare(
    "search.apply_woke",
    holds="when this thread last woke to apply the change log (wall and monotonic), for the stage timings",
    bound="one pair per thread",
    cleared_by="nothing: the thread's next wake replaces it",
)


def stages_path(index_path: str) -> str:
    """Return the file beside the index that holds its stage timings."""
    return os.path.normpath(index_path) + "-stages.jsonl"


def woke() -> None:
    """Mark that this thread woke to apply the log (a notification, a poll, or its own commit)."""
    _local.woke = (time.time(), time.monotonic())


class Apply:
    """The marks of one apply, from waking to the position recorded."""

    def __init__(self, index_path: str):
        self.index_path = index_path
        self.woke_wall, woke_mono = getattr(_local, "woke", None) or (time.time(), time.monotonic())
        self.marks = {"woke": woke_mono, "start": time.monotonic()}
        self.logged: float | None = None
        self.entries = 0

    def mark(self, stage: str) -> None:
        """Mark the end of `stage` now."""
        self.marks[stage] = time.monotonic()

    def oldest(self, session: Session, entry_ids: list[int]) -> None:
        """Read when the oldest of the applied entries was logged (one row, by its id)."""
        self.entries = len(entry_ids)
        if entry_ids:
            logged = session.scalar(select(SearchChange.changed_at).where(SearchChange.id == min(entry_ids)))
            self.logged = logged.replace(tzinfo=UTC).timestamp() if logged is not None else None

    def done(self) -> None:
        """Mark the position recorded and append the apply's stages to the file."""
        self.mark("record")
        names = ["woke", *APPLY_STAGES[1:]]
        spans = {stage: self.marks[stage] - self.marks[before] for before, stage in pairwise(names)}
        wake = None if self.logged is None else max(0.0, self.woke_wall - self.logged)
        _append(self.index_path, {"entries": self.entries, "wake": wake, **spans})
        log.debug("search log apply of %d entries: wake %s, %s", self.entries, wake, spans)


def told(index_path: str, articles: int, seconds: float) -> None:
    """Record how long the index's listeners (the related lists) took over `articles` changed articles."""
    if articles:
        _append(index_path, {"lists": seconds, "articles": articles})


def merged(index_path: str, seconds: float) -> None:
    """Record a merge of small segments done between applies."""
    _append(index_path, {"merge": seconds})


def opened(index_path: str, toc_time_ns: int, seconds: float) -> None:
    """Record a searcher opened on a new version in `seconds`, committed at `toc_time_ns` (wall clock).

    Only a search's: the follower's and background threads open searchers for the related lists, not for readers.
    """
    if threading.current_thread().name.startswith("search-"):
        return
    refresh = max(0.0, time.time() - toc_time_ns / 1e9)
    _append(index_path, {"refresh": refresh, "open": seconds})


def _append(index_path: str, fields: dict) -> None:
    """Append one line (whole: one short write to a file opened for appending); best effort."""
    path = stages_path(index_path)
    line = json.dumps({"at": round(time.time(), 3), **_rounded(fields)}) + "\n"
    try:
        if os.path.getsize(path) > MAX_BYTES:
            os.replace(path, path + ".1")
    except OSError:
        pass  # not there yet (or another process renamed it first)
    try:
        with open(path, "a", encoding="utf-8") as stages_file:
            stages_file.write(line)
    except OSError as exc:
        log.debug("search stage timings not written: %s", exc)


def _rounded(fields: dict) -> dict:
    return {key: round(value, 4) if isinstance(value, float) else value for key, value in fields.items()}


def read(index_path: str, since: float = 0.0) -> list[dict]:
    """Return the recorded lines at or after `since` (wall clock), oldest first, from the file and the one before."""
    path, lines = stages_path(index_path), []
    for name in (path + ".1", path):
        try:
            with open(name, encoding="utf-8") as stages_file:
                lines += stages_file.readlines()
        except OSError:
            continue
    records = []
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue  # a line cut by a crash
        if record.get("at", 0) >= since:
            records.append(record)
    return records


def percentile(values: list[float], share: float) -> float:
    """Return the value `share` of the way up the sorted values (nearest rank); NaN for none."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def summary(records: list[dict]) -> dict[str, tuple[int, float, float]]:
    """Return each stage's (samples, p50, p95) over `records`."""
    result = {}
    for stage in STAGES:
        values = [record[stage] for record in records if record.get(stage) is not None]
        result[stage] = (len(values), percentile(values, 0.5), percentile(values, 0.95))
    return result


def describe(records: list[dict]) -> str:
    """Return one line giving each stage's p50/p95 in milliseconds, and how many applies and entries."""
    applies = [record for record in records if "start" in record]
    stages = summary(records)
    parts = [f"{stage} {p50 * 1000:.0f}/{p95 * 1000:.0f}" for stage, (n, p50, p95) in stages.items() if n]
    entries = sum(record.get("entries", 0) for record in applies)
    started = datetime.fromtimestamp(records[0]["at"], UTC).strftime("%H:%M:%S") if records else "-"
    head = f"{len(applies)} applies of {entries} entries since {started} UTC"
    return f"{head}; p50/p95 ms: {', '.join(parts) or 'none'}"
