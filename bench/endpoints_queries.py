"""Searches the endpoint benchmark sends: classes of never-seen queries built from the instance's own words.

Result pages are kept per worker and as files beside the index for ten minutes (blogapp/search/resultcache.py),
so a query sent before would be answered from there. Every query sent is added to a file in the instance folder
and never chosen again, and the run's own seed (from the clock) varies them from one run to the next.
"""

import random
import re
import urllib.parse
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from bench.endpoints_urls import VISIBLE, Pattern, categories_of, connect, now_text
from bench.load_paths import MANY_CANDIDATES
from bench.synthetic_text import COMMON_WORDS

SEEN_FILE = "endpoints-seen-queries.txt"
TEXT_ARTICLES = 400  # articles whose text gives the vocabulary: frequent words come up as often as in the corpus
MAX_TERMS = 32  # blogapp's SEARCH_MAX_TERMS: the longest query it takes whole
COMMON = frozenset(COMMON_WORDS)


class Words:
    """The instance's running text as lower-case words in order, drawn from random articles."""

    def __init__(self, database: Path, rng: random.Random):
        with closing(connect(database)) as connection:
            ids = [row[0] for row in connection.execute(f"SELECT a.id FROM articles a WHERE {VISIBLE}", (now_text(),))]
            chosen = rng.sample(ids, min(TEXT_ARTICLES, len(ids)))
            marks = ",".join("?" * len(chosen))
            texts = [
                row[0] for row in connection.execute(f"SELECT body_text FROM articles WHERE id IN ({marks})", chosen)
            ]
            self.categories = categories_of(connection, rng, now_text())
        self.tokens = [word for text in texts for word in re.findall(r"[a-z]+", text.lower())]
        self.content = [word for word in self.tokens if word not in COMMON and len(word) >= 3]
        self.rng = rng

    def word(self) -> str:
        """Return a content word, as often as the corpus uses it."""
        return self.rng.choice(self.content)

    def prefix(self) -> str:
        """Return the first three to five letters of a content word and `*`, as `pai*`."""
        word = self.word()
        return word[: self.rng.randint(3, min(5, len(word)))] + "*"

    def run_of(self, length: int, keep: Callable[[str], bool]) -> list[str]:
        """Return `length` consecutive words of the text that all pass `keep` (one of the tries, else any run)."""
        for _ in range(2000):
            start = self.rng.randrange(len(self.tokens) - length)
            words = self.tokens[start : start + length]
            if all(map(keep, words)):
                return words
        return self.tokens[start : start + length]


# Each class: its budget group and how one query is made. Short: what most readers type.
CLASSES: dict[str, tuple[str, Callable[[Words], str]]] = {
    "search one word": ("search-short", lambda w: w.word()),
    "search two words": ("search-short", lambda w: f"{w.word()} {w.word()}"),
    "search phrase": ("search", lambda w: '"' + " ".join(w.run_of(2, lambda t: t not in COMMON)) + '"'),
    "search common-word phrase": (
        "search",
        lambda w: '"' + " ".join(w.run_of(w.rng.randint(2, 3), COMMON.__contains__)) + '"',
    ),
    "search prefix": ("search", lambda w: w.prefix()),
    "search 32 words": ("search", lambda w: " ".join(w.word() for _ in range(MAX_TERMS))),
    "search 32 prefixes": ("search", lambda w: " ".join(w.prefix() for _ in range(MAX_TERMS))),
}


def search_url(query: str, **options: str) -> str:
    """Return the /search address of a query (with facets or order)."""
    return "/search?" + urllib.parse.urlencode({"q": query, **options})


class Unseen:
    """Queries never sent to this instance by this script before (nor by bench/load.py's frequent words)."""

    def __init__(self, folder: Path):
        self.file = folder / SEEN_FILE
        self.seen = set(self.file.read_text().splitlines()) if self.file.exists() else set()
        self.seen.update(MANY_CANDIDATES)
        self.new: list[str] = []

    def take(self, make: Callable[[], str], count: int) -> list[str]:
        """Return `count` new queries from `make` (fewer if it keeps repeating itself)."""
        found: list[str] = []
        for _ in range(count * 50):
            if len(found) == count:
                break
            query = make()
            if query not in self.seen:
                self.seen.add(query)
                found.append(query)
        self.new += found
        return found

    def save(self) -> None:
        """Remember the queries taken, so no later run sends them again."""
        with self.file.open("a") as handle:
            handle.writelines(f"{query}\n" for query in self.new)
        self.new = []


def search_patterns(words: Words, unseen: Unseen, count: int, warmups: int) -> list[Pattern]:
    """Return each class of searches: `count` measured queries and `warmups` others, all never sent before."""
    patterns = []
    for name, (group, make) in CLASSES.items():
        queries = unseen.take(lambda make=make: make(words), count + warmups)
        urls = [search_url(query) for query in queries]
        patterns.append(Pattern(name, "/search", group, urls[:count], urls[count:]))
    filtered = unseen.take(lambda: f"{words.word()} {words.word()}", count + warmups)
    urls = [search_url(query, category=words.rng.choice(words.categories), sort="newest") for query in filtered]
    patterns.append(Pattern("search two words + category, newest", "/search", "search", urls[:count], urls[count:]))
    return patterns


def suggest_pattern(words: Words, count: int) -> Pattern:
    """Return title suggestions for what a reader has typed so far: a word's first letters, or a word and some."""
    typed: set[str] = set()
    for _ in range(count * 50):
        if len(typed) > count:
            break
        word = words.word()[: words.rng.randint(3, 6)]
        typed.add(word if words.rng.random() < 0.7 else f"{words.word()} {word}")
    urls = ["/search/suggest?" + urllib.parse.urlencode({"q": text}) for text in sorted(typed)]
    words.rng.shuffle(urls)
    return Pattern("search suggest", "/search/suggest", "reader", urls[:count], urls[count:])
