"""Every cache a worker process keeps, declared here: what it holds, its bound, and what clears it.

What a worker remembers between requests lives in caches made through this module and nowhere else, so
`flask --app blogapp caches` lists all of them. A module-level cache (one per process) is made with `lru`,
`weak_map` or `memoize`; a per-app one is declared with `declare` and kept with `for_app` in an area's
`init_app`, then found with `of`.
"""

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from flask import Flask

F = TypeVar("F", bound=Callable[..., Any])
_APP_KEY = "blogapp.caches"


@dataclass(frozen=True)
class CacheInfo:
    """What one cache holds, how large it may grow, and what makes its entries go."""

    name: str
    holds: str
    bound: str
    cleared_by: str


_DECLARED: dict[str, CacheInfo] = {}


def declare(name: str, *, holds: str, bound: str, cleared_by: str) -> CacheInfo:
    """Record a cache under a unique name (declaring it again with the same words is allowed)."""
    info = CacheInfo(name, holds, bound, cleared_by)
    if _DECLARED.setdefault(name, info) != info:
        raise ValueError(f"cache {name!r} is declared twice with different descriptions")
    return info


def declared() -> list[CacheInfo]:
    """Return every declared cache, by name."""
    return sorted(_DECLARED.values(), key=lambda info: info.name)


class LRU:
    """A thread-safe map that drops its least recently used entries beyond `maxsize`."""

    def __init__(self, maxsize: int):
        self.maxsize = maxsize
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        """Return the entry under `key` (now the most recently used), or `default`."""
        with self._lock:
            if key not in self._entries:
                return default
            self._entries.move_to_end(key)
            return self._entries[key]

    def put(self, key: Hashable, value: Any) -> None:
        """Store an entry, dropping the least recently used ones beyond the bound."""
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        """Drop every entry."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


class WeakMap:
    """A thread-safe map whose entries go when their key object is garbage collected."""

    def __init__(self):
        self._entries: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def get(self, key: object) -> Any:
        """Return the entry for `key`, or None."""
        with self._lock:
            return self._entries.get(key)

    def put(self, key: object, value: Any) -> None:
        """Store an entry for as long as `key` lives."""
        with self._lock:
            self._entries[key] = value

    def setdefault(self, key: object, make: Callable[[], Any]) -> Any:
        """Return the entry for `key`, storing `make()` first if there is none."""
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                found = self._entries[key] = make()
            return found


def lru(name: str, *, maxsize: int, holds: str, cleared_by: str) -> LRU:
    """Declare and return a process-wide LRU map."""
    declare(name, holds=holds, bound=f"{maxsize:,} entries", cleared_by=cleared_by)
    return LRU(maxsize)


def weak_map(name: str, *, holds: str, bound: str, cleared_by: str) -> WeakMap:
    """Declare and return a process-wide map keyed by objects that may go away."""
    declare(name, holds=holds, bound=bound, cleared_by=cleared_by)
    return WeakMap()


def memoize(name: str, *, maxsize: int, holds: str, cleared_by: str) -> Callable[[F], F]:
    """Declare a function's kept results and return the decorator that keeps them (functools.lru_cache)."""
    declare(name, holds=holds, bound=f"{maxsize:,} result" + ("s" if maxsize != 1 else ""), cleared_by=cleared_by)
    return lru_cache(maxsize=maxsize)


def for_app(app: Flask, name: str, cache: Any) -> Any:
    """Keep `cache` as the app's cache `name`, which must have been declared; return it."""
    if name not in _DECLARED:
        raise KeyError(f"cache {name!r} must be declared before it is kept")
    app.extensions.setdefault(_APP_KEY, {})[name] = cache
    return cache


def of(app: Flask, name: str) -> Any:
    """Return the app's cache `name`."""
    return app.extensions[_APP_KEY][name]
