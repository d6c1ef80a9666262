"""The search benchmark's queries: words drawn by their frequency in the synthetic vocabulary, phrases, hostile text."""

import random
import string

from bench.synthetic_text import COLLOCATIONS, COMMON_WORDS, STOP_RANKS, Vocabulary
from blogapp.search.parse import clean_text

QUERY_TYPES = ("one-word", "two-word", "phrase")
# Searches only blogapp is timed on (no FTS5 twin): each as long or as broad as the web's caps let through.
HEAVY_TYPES = ("prefix", "common-phrase", "32-words", "32-prefixes", "random-500")
MAX_QUERY_CHARS, MAX_TERMS = 500, 32  # the web's SEARCH_MAX_QUERY_CHARS and SEARCH_MAX_TERMS
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


def _random_terms(rng: random.Random) -> str:
    """Return up to MAX_QUERY_CHARS of random letter strings, most of them words no article has."""
    terms: list[str] = []
    while sum(len(term) + 1 for term in terms) < MAX_QUERY_CHARS:
        terms.append("".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 30))))
    return " ".join(terms)


def make_heavy_queries(rng: random.Random, vocab: Vocabulary, count: int) -> dict[str, list[str]]:
    """Return blogapp query texts per heavy type (prefixes, phrases of common words, 32 words or prefixes, noise).

    Each as the web passes it on: cut to MAX_QUERY_CHARS characters and MAX_TERMS words.
    """
    words, weights = mid_frequency_words(vocab)
    common = [word for word in COMMON_WORDS[STOP_RANKS:] if len(word) > 3]
    queries: dict[str, list[str]] = {kind: [] for kind in HEAVY_TYPES}
    for _ in range(count):
        queries["prefix"].append(rng.choices(words, weights)[0][:3] + "*")
        queries["common-phrase"].append('"' + " ".join(rng.sample(common, rng.randint(2, 4))) + '"')
        queries["32-words"].append(" ".join(rng.choices(words, weights, k=MAX_TERMS)))
        queries["32-prefixes"].append(" ".join(word[:3] + "*" for word in rng.choices(words, weights, k=MAX_TERMS)))
        queries["random-500"].append(_random_terms(rng))
    return {
        kind: [clean_text(text, MAX_QUERY_CHARS, MAX_TERMS)[0] for text in items] for kind, items in queries.items()
    }


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
