"""Spelling help from the index vocabulary: corrections for unknown words and "did you mean"."""

from .. import caches
from .schema import ANALYZER, CONTENT, SPELL_ANALYZER
from .vocabulary import words_within

# The vocabulary field holds the words of titles, summaries and tags as written (folded, not stemmed), so
# suggestions are real words; whether a typed word exists at all is asked of the whole indexed content.
SPELL_FIELD = "spell"
MIN_WORD_CHARS = 3
# Words of one search looked up for a correction or a "did you mean"; the rest stay as typed, so a search of
# thirty unknown words costs no more than one of four.
MAX_WORDS_CHECKED = 4
KEPT_PER_READER = 1000
_closest = caches.weak_map(
    "search.spelling_closest",
    holds="the closest known spelling found for each recently typed word, for one index reader",
    bound=f"{KEPT_PER_READER:,} words per open index reader",
    cleared_by="the reader closing: a new index version opens a new one",
)


def fold(word: str) -> str:
    """Return a word as the vocabulary stores it."""
    return "".join(token.text for token in SPELL_ANALYZER(word))


def frequency(reader, word: str) -> int:
    """Return how many documents contain the word anywhere (0 if any part of it is missing)."""
    tokens = [token.text for token in ANALYZER(word)]
    if not tokens:
        return reader.doc_count()  # a stop word: known, and never worth correcting
    return min(reader.doc_frequency(CONTENT, token) for token in tokens)


def closest(reader, word: str) -> str | None:
    """Return the most used vocabulary word within one edit (two for longer words), if any."""
    kept = _closest.setdefault(reader, lambda: caches.LRU(KEPT_PER_READER))
    found = kept.get(word, kept)
    if found is kept:
        found = _closest_in(reader, word)
        kept.put(word, found)
    return found


def _closest_in(reader, word: str) -> str | None:
    folded = fold(word)
    if len(folded) < MIN_WORD_CHARS or not folded.isalpha():
        return None
    for distance in (1, 2) if len(folded) >= 6 else (1,):
        candidates = words_within(reader, SPELL_FIELD, folded, distance)
        if candidates:
            return max(candidates, key=lambda c: (reader.doc_frequency(SPELL_FIELD, c), c))
    return None


def correct_unknown(reader, words: list[str]) -> dict[str, str]:
    """Map the first few words missing from the vocabulary to their closest known spellings."""
    fixes = {}
    unknown = [word for word in dict.fromkeys(words) if frequency(reader, word) == 0]
    for word in unknown[:MAX_WORDS_CHECKED]:
        better = closest(reader, word)
        if better:
            fixes[word] = better
    return fixes


def did_you_mean(reader, words: list[str], ratio: int = 5) -> dict[str, str]:
    """Map the first few words, if rare, to a much more common near spelling, for a "did you mean" link."""
    fixes = {}
    for word in list(dict.fromkeys(words))[:MAX_WORDS_CHECKED]:
        own = frequency(reader, word)
        better = closest(reader, word)
        if better and frequency(reader, better) >= max(3, own * ratio):
            fixes[word] = better
    return fixes
