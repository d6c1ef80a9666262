"""The search benchmark's queries: words drawn by their frequency in the synthetic vocabulary, phrases, hostile text."""

import random

from bench.synthetic_text import COLLOCATIONS, STOP_RANKS, Vocabulary

QUERY_TYPES = ("one-word", "two-word", "phrase")
MID_FREQUENCY_RANKS = (STOP_RANKS, 2000)


def mid_frequency_words(vocab: Vocabulary) -> tuple[list[str], list[float]]:
    """Return realistic query words (below the function words) and their frequency weights."""
    low, high = MID_FREQUENCY_RANKS
    cum = vocab.cum_weights
    return vocab.words[low:high], [cum[i] - cum[i - 1] for i in range(low, high)]


def fts_quote(words: list[str]) -> str:
    """Quote words as one FTS5 string (a phrase if several), so no reader word is FTS5 syntax."""
    return '"' + " ".join(words).replace('"', '""') + '"'


def make_queries(rng: random.Random, vocab: Vocabulary, count: int) -> dict[str, list[tuple[str, str]]]:
    """Return (blogapp text, FTS5 MATCH expression) pairs per query type, sampled by word frequency."""
    words, weights = mid_frequency_words(vocab)
    queries: dict[str, list[tuple[str, str]]] = {kind: [] for kind in QUERY_TYPES}
    for _ in range(count):
        one = rng.choices(words, weights)[0]
        queries["one-word"].append((one, fts_quote([one])))
        first, second = rng.sample(rng.choices(words, weights, k=6), 2)
        queries["two-word"].append((f"{first} {second}", f"{fts_quote([first])} OR {fts_quote([second])}"))
        phrase = rng.choices(COLLOCATIONS, [1 / rank for rank in range(1, len(COLLOCATIONS) + 1)])[0]
        queries["phrase"].append((f'"{phrase}"', fts_quote(phrase.split())))
    return queries


# What a careless or hostile visitor may type; each must answer quickly (the tests check they never fail).
HOSTILE_QUERIES = [
    "*",
    "a*",
    "a* b* c* d*",
    "*:*",
    "[a TO z]",
    "x~3",
    "(" * 5_000,
    '"' * 3_000,
    "AND " * 2_000,
    "a" * 10_000,
    "migraine " * 2_000,
    "\x00\x01",
    "偏头痛 治疗",
    "😀 migraine",
    '"the of and to in"',
]
