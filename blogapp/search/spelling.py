"""Spelling help from the index vocabulary: corrections for unknown words and "did you mean"."""

from .schema import ANALYZER, CONTENT, SPELL_ANALYZER

# The vocabulary field holds the words of titles, summaries and tags as written (folded, not stemmed), so
# suggestions are real words; whether a typed word exists at all is asked of the whole indexed content.
SPELL_FIELD = "spell"
MIN_WORD_CHARS = 3


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
    folded = fold(word)
    if len(folded) < MIN_WORD_CHARS or not folded.isalpha():
        return None
    for distance in (1, 2) if len(folded) >= 6 else (1,):
        candidates = [c for c in reader.terms_within(SPELL_FIELD, folded, distance, prefix=1) if c != folded]
        if candidates:
            return max(candidates, key=lambda c: (reader.doc_frequency(SPELL_FIELD, c), c))
    return None


def correct_unknown(reader, words: list[str]) -> dict[str, str]:
    """Map each word missing from the vocabulary to its closest known spelling."""
    fixes = {}
    for word in dict.fromkeys(words):
        if frequency(reader, word) == 0:
            better = closest(reader, word)
            if better:
                fixes[word] = better
    return fixes


def did_you_mean(reader, words: list[str], ratio: int = 5) -> dict[str, str]:
    """Map known but rare words to a much more common near spelling, for a "did you mean" link."""
    fixes = {}
    for word in dict.fromkeys(words):
        own = frequency(reader, word)
        better = closest(reader, word)
        if better and frequency(reader, better) >= max(3, own * ratio):
            fixes[word] = better
    return fixes
