"""Result pages of recent searches, reused while the index, the site's content and the synonyms stay the same."""

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable

from .index import SearchIndex
from .synonyms import Synonyms

MAX_PAGES = 512  # per process; a page holds ten snippets, a few kilobytes


class ResultCache:
    """A least-recently-used map from a search to its result page, valid for one index and content version."""

    def __init__(self, size: int = MAX_PAGES):
        self.size = size
        self._pages: OrderedDict[Hashable, tuple[Synonyms, object]] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_compute(self, key: Hashable, synonyms: Synonyms, compute: Callable[[], object]) -> object:
        """Return the page stored under `key` for these synonyms, or compute and store it."""
        with self._lock:
            stored = self._pages.get(key)
            if stored is not None and stored[0] is synonyms:  # a changed synonyms file is a new object
                self._pages.move_to_end(key)
                return stored[1]
        page = compute()
        with self._lock:
            self._pages[key] = (synonyms, page)
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)
        return page


_caches: "weakref.WeakKeyDictionary[SearchIndex, ResultCache]" = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def cache_for(index: SearchIndex) -> ResultCache:
    """Return the result cache of this index object (one per app and process)."""
    with _caches_lock:
        cache = _caches.get(index)
        if cache is None:
            cache = _caches[index] = ResultCache()
        return cache
