"""Rendered pages kept per process for anonymous readers, each valid under the ETag it was rendered with."""

import threading
from collections import OrderedDict

from .. import caches

caches.declare(
    "serving.page_cache",
    holds="rendered bodies of anonymous reader pages, feeds and sitemaps, by path, with their ETag",
    bound="PAGE_CACHE_BYTES per app (32 MiB by default); a page larger than an eighth of it is not kept",
    cleared_by="a new ETag (any content change, a scheduled article going live, a release); least recently used go",
)


class PageCache:
    """Rendered bodies of anonymous reader pages, keyed by path and validated by ETag; least recently used go."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._pages: OrderedDict[str, tuple[str, bytes, str, int | None]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str, etag: str) -> tuple[bytes, str, int | None] | None:
        """Return (body, mimetype, article id) if the page was stored under this ETag."""
        with self._lock:
            entry = self._pages.get(key)
            if entry is None or entry[0] != etag:
                return None
            self._pages.move_to_end(key)
            return entry[1:]

    def put(self, key: str, etag: str, body: bytes, mimetype: str, article_id: int | None) -> None:
        """Store a page, dropping the least recently used ones beyond the size limit."""
        if len(body) > self.max_bytes // 8:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            self._bytes += len(body) - (len(old[1]) if old else 0)
            self._pages[key] = (etag, body, mimetype, article_id)
            while self._bytes > self.max_bytes:
                _, (_, dropped, _, _) = self._pages.popitem(last=False)
                self._bytes -= len(dropped)
