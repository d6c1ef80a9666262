"""Rendered pages kept per process for anonymous readers, each valid under the ETag it was rendered with."""

import threading
from collections import OrderedDict

from werkzeug.wrappers import Request

from .. import caches

# Query parameters that make a reader page other than its plain copy (reader/views.py reads no others): a
# search's highlighted words, and old WordPress addresses, which answer redirects. Such pages are never kept.
UNKEPT_PARAMETERS = ("hl", "p", "page_id")

caches.declare(
    "serving.page_cache",
    holds="rendered bodies of anonymous reader pages, feeds and sitemaps, by path, with their ETag",
    bound="PAGE_CACHE_BYTES per app (32 MiB by default); a page larger than an eighth of it is not kept",
    cleared_by="a new ETag (any content change, a scheduled article going live, a release); least recently used go",
)


def page_key(request: Request) -> str | None:
    """Return the key a reader page is kept under: its address and page number, whatever else the query holds.

    None for a page that is not kept. Any other parameter leaves the page unchanged, so `?cb=<random>` finds the
    kept copy instead of rendering one more and pushing the pages every reader wants out of the cache.
    """
    if any(request.args.get(name) for name in UNKEPT_PARAMETERS):
        return None
    path = request.script_root + request.path  # the links in a page follow the address the site is mounted at
    page = request.args.get("page", 1, type=int)  # as the views read it: not a whole number is the first page
    return path if page == 1 else f"{path}?page={page}"


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
