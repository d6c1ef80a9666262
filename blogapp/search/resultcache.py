"""Result pages of recent searches, reused while the index, the site's content and the synonyms stay the same.

Each worker keeps its recent pages in memory; a page one worker worked out is also written as a file beside the
index, so the other workers read it instead of searching again (a never-seen search over most of 100,000
articles costs a third of a second, and every worker would pay it).
"""

import contextlib
import hashlib
import json
import os
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

from .. import caches
from .synonyms import Synonyms

MAX_PAGES = 512  # per process; a page holds ten snippets, a few kilobytes
SHARED_SECONDS = 600  # a shared page is kept this long at most (older versions' pages are never read again)
SHARED_FILES = 5000  # and at most this many are kept
SWEEP_EVERY = 50  # pages written by a process between two clean-ups of the folder

caches.declare(
    "search.result_pages",
    holds="result pages of recent searches (highlighted hits, counts, facets), also as files beside the index",
    bound=f"{MAX_PAGES} pages per process; {SHARED_FILES:,} files kept at most {SHARED_SECONDS} s",
    cleared_by="a new index or content version or synonyms list: the key changes, old pages fall out unread",
)


class SharedPages:
    """Result pages as JSON files in a folder that every worker of the site reads and writes."""

    def __init__(self, folder: str, dump: Callable[[object], dict], load: Callable[[dict], object]):
        self.folder = folder
        self.dump = dump
        self.load = load
        self._written = 0

    def _path(self, key: Hashable, synonyms: Synonyms) -> str:
        name = hashlib.sha256(repr((key, synonyms.digest)).encode()).hexdigest()
        return os.path.join(self.folder, f"{name}.json")

    def get(self, key: Hashable, synonyms: Synonyms) -> object | None:
        """Return the page another worker stored under this key, if any."""
        try:
            with open(self._path(key, synonyms), encoding="utf-8") as handle:
                return self.load(json.load(handle))
        except (OSError, ValueError, TypeError, KeyError):
            return None  # not there yet, or unreadable: worked out again

    def put(self, key: Hashable, synonyms: Synonyms, page: object) -> None:
        """Store a page for the other workers (whole or not at all); best effort."""
        temporary = None
        try:
            os.makedirs(self.folder, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", dir=self.folder, suffix=".tmp", delete=False) as handle:
                temporary = handle.name
                json.dump(self.dump(page), handle)
            os.replace(temporary, self._path(key, synonyms))
        except (OSError, TypeError, ValueError):
            if temporary:
                with contextlib.suppress(OSError):
                    os.remove(temporary)
            return
        self._written += 1
        if self._written % SWEEP_EVERY == 0:
            self.sweep()

    def sweep(self) -> None:
        """Delete pages older than SHARED_SECONDS and the oldest beyond SHARED_FILES."""
        try:
            entries = [(entry.stat().st_mtime, entry.path) for entry in os.scandir(self.folder)]
        except OSError:
            return
        entries.sort(reverse=True)
        cutoff = time.time() - SHARED_SECONDS
        for number, (modified, path) in enumerate(entries):
            if number >= SHARED_FILES or modified < cutoff:
                with contextlib.suppress(OSError):  # another worker removed it first
                    os.remove(path)


class ResultCache:
    """A least-recently-used map from a search to its result page, valid for one index and content version."""

    def __init__(self, size: int = MAX_PAGES, shared: SharedPages | None = None):
        self.size = size
        self.shared = shared
        self._pages: OrderedDict[Hashable, tuple[Synonyms, object]] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_compute(self, key: Hashable, synonyms: Synonyms, compute: Callable[[], object]) -> object:
        """Return the page stored under `key` for these synonyms, else another worker's, else compute and store."""
        with self._lock:
            stored = self._pages.get(key)
            if stored is not None and stored[0] is synonyms:  # a changed synonyms list is a new object
                self._pages.move_to_end(key)
                return stored[1]
        page = self.shared.get(key, synonyms) if self.shared else None
        if page is None:
            page = compute()
            if self.shared:
                self.shared.put(key, synonyms, page)
        with self._lock:
            self._pages[key] = (synonyms, page)
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)
        return page
