"""Synonym groups from an editable file, applied at query time so edits need no reindex."""

import hashlib
import os
import threading
from dataclasses import dataclass, field

from .. import caches
from .schema import ANALYZER

DEFAULT_FILE = os.path.join(os.path.dirname(__file__), "synonyms.txt")


def analyse(phrase: str) -> tuple[str, ...]:
    """Return the indexed form (folded, stemmed, no stop words) of a word or phrase."""
    return tuple(token.text for token in ANALYZER(phrase))


@dataclass(frozen=True)
class Synonyms:
    groups: dict[tuple[str, ...], tuple[tuple[str, ...], ...]]
    longest: int
    digest: str = ""  # the same for the same groups, in every process
    names: dict[tuple[str, ...], str] = field(default_factory=dict, compare=False)  # as the file spells them

    def expand(self, key: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
        """Return the other entries of the group holding `key` (analysed forms), or nothing."""
        return self.groups.get(key, ())

    def name(self, entry: tuple[str, ...]) -> str:
        """Return an entry as the file spells it (its analysed form when unknown)."""
        return self.names.get(entry, " ".join(entry))


def _entries(text: str, names: dict[tuple[str, ...], str]) -> set[tuple[str, ...]]:
    entries = set()
    for entry in text.split(","):
        analysed = analyse(entry)
        if analysed:
            entries.add(analysed)
            names.setdefault(analysed, " ".join(entry.split()))
    return entries


def parse_synonyms(text: str) -> Synonyms:
    """Build synonym groups from lines of comma-separated entries; # starts a comment.

    `a, b, c` is a group of equivalents: each finds the others. `a, b => c, d` is one way: a search for a or
    b also finds c and d, and one for c or d finds only what it says.
    """
    groups: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    names: dict[tuple[str, ...], str] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        if "=>" in line:
            typed, _, added = line.partition("=>")
            sources, targets = _entries(typed, names), _entries(added, names)
        else:
            sources = targets = _entries(line, names)
        for entry in sources:
            if targets - {entry}:
                groups.setdefault(entry, set()).update(targets - {entry})
    longest = max((len(key) for key in groups), default=1)
    fixed = {key: tuple(sorted(others)) for key, others in groups.items()}
    digest = hashlib.sha1(repr((sorted(fixed.items()), sorted(names.items()))).encode()).hexdigest()
    return Synonyms(fixed, longest, digest, names)


caches.declare(
    "search.synonyms",
    holds="the synonym groups in effect: the newsroom's list (a settings row) else the synonyms file, parsed",
    bound="one list and one file per app",
    cleared_by="a new content version (saving the list is one): the row is read again; the file changing on disk",
)


class SynonymFile:
    """A synonyms file re-read whenever it changes on disk."""

    def __init__(self, path: str):
        self.path = path
        self._lock = threading.Lock()
        self._stamp: tuple[str, int, int] | None = None
        self._synonyms = parse_synonyms("")

    def current(self) -> Synonyms:
        """Return the synonyms as the file says now (the shipped list while the file does not exist)."""
        path = self.path if os.path.exists(self.path) else DEFAULT_FILE
        try:
            stat = os.stat(path)
            stamp = (path, stat.st_mtime_ns, stat.st_size)
            if stamp != self._stamp:
                with self._lock, open(path, encoding="utf-8", errors="replace") as handle:
                    self._synonyms = parse_synonyms(handle.read())
                    self._stamp = stamp
        except OSError:
            return parse_synonyms("")
        return self._synonyms
