"""The words of each index segment's spelling field, and the known words within one or two edits of a typed one.

Whoosh finds near words by walking the whole term list of the first letter and measuring the distance to
each, in Python: 20–90 ms a word at 10,000 articles, seconds for a long search of unknown words. Here the
near words are looked up instead: every single edit of the typed word in a set of the segment's words, and
for two edits a sorted table of the hashes of each word with one letter deleted.
"""

from array import array
from bisect import bisect_left
from collections.abc import Iterator

from whoosh.support.levenshtein import distance

from .. import caches
from .lengths import segment_key

MAX_SEGMENTS = 64
_HASH_BITS = 43  # with a 20-bit word number, one signed 64-bit entry per deletion
_NUMBER_BITS = 20
_vocabularies = caches.lru(
    "search.spelling_vocabularies",
    maxsize=MAX_SEGMENTS,
    holds="the words of one index segment's spelling field, and hashes of each word with one letter deleted",
    cleared_by="nothing: a segment's words never change; the least recently used segments go",
)


def _deletes(word: str) -> Iterator[str]:
    yield word
    for i in range(len(word)):
        yield word[:i] + word[i + 1 :]


def _edits(word: str, alphabet: str) -> Iterator[str]:
    """Yield every string one deletion, transposition, replacement or insertion after the first letter away.

    Words that share their first letter are as far apart as the rest of them, so no edit needs to touch it.
    """
    for i in range(1, len(word) + 1):
        head, tail = word[:i], word[i:]
        if tail:
            yield head + tail[1:]
            if len(tail) > 1:
                yield head + tail[1] + tail[0] + tail[2:]
        for char in alphabet:
            yield head + char + tail
            if tail:
                yield head + char + tail[1:]


class SegmentVocabulary:
    """The known words of one segment's field; the table for two-edit lookups is built on first use."""

    def __init__(self, reader, fieldname: str):
        terms = reader.lexicon(fieldname) if reader is not None else ()
        self.words = [term.decode() if isinstance(term, bytes) else term for term in terms]
        self.known = frozenset(self.words)
        self.alphabet = "".join(sorted({char for word in self.words for char in word}))
        self.lengths = {(word[:1], len(word)) for word in self.words}
        self._table: array | None = None

    def _deletion_table(self) -> array:
        if self._table is None:
            mask = (1 << _HASH_BITS) - 1
            keys = (
                (hash(variant) & mask) << _NUMBER_BITS | number
                for number, word in enumerate(self.words[: 1 << _NUMBER_BITS])
                for variant in _deletes(word)
            )
            self._table = array("q", sorted(keys))
        return self._table

    def _words_with_deletion(self, variant: str) -> Iterator[str]:
        table, prefix = self._deletion_table(), (hash(variant) & ((1 << _HASH_BITS) - 1)) << _NUMBER_BITS
        position = bisect_left(table, prefix)
        while position < len(table) and table[position] >> _NUMBER_BITS == prefix >> _NUMBER_BITS:
            yield self.words[table[position] & ((1 << _NUMBER_BITS) - 1)]
            position += 1

    def within(self, word: str, maxdist: int) -> set[str]:
        """Return the known words within `maxdist` (1 or 2) edits of `word` that start with its first letter."""
        near = {edit for edit in _edits(word, self.alphabet) if edit in self.known}
        lengths = range(len(word) - maxdist, len(word) + maxdist + 1)
        if maxdist > 1 and any((word[:1], length) in self.lengths for length in lengths):
            # Two edits apart means one edit of `word` and the known word share a string with one letter deleted.
            variants = {variant for edit in _edits(word, self.alphabet) for variant in _deletes(edit)}
            near.update(known for variant in variants for known in self._words_with_deletion(variant))
        return {known for known in near if known[:1] == word[:1] and distance(known, word, maxdist) <= maxdist}


_EMPTY = SegmentVocabulary(None, "")


def segment_vocabulary(reader, fieldname: str) -> SegmentVocabulary:
    """Return the vocabulary of a one-segment reader's field, read once per segment."""
    if reader.segment() is None:  # an empty index
        return _EMPTY
    key = (*segment_key(reader), fieldname)
    found = _vocabularies.get(key)
    if found is None:
        found = SegmentVocabulary(reader, fieldname)
        _vocabularies.put(key, found)
    return found


def words_within(reader, fieldname: str, word: str, maxdist: int) -> set[str]:
    """Return the words of `fieldname` in any segment within `maxdist` edits of `word`, sharing its first letter."""
    found: set[str] = set()
    for leaf, _base in reader.leaf_readers():
        found |= segment_vocabulary(leaf, fieldname).within(word, maxdist)
    found.discard(word)
    return found
