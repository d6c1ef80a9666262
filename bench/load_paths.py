"""The URLs the load benchmark requests: reader pages from the seeded database, searches by their result counts."""

import itertools
import random
import re
import sqlite3
import sys
import urllib.parse
from pathlib import Path

from bench.instances import fetch
from bench.synthetic_text import COMMON_WORDS, HEALTH_WORDS

ARTICLE_URLS = 50
SEARCH_QUERIES = 5
# Health words the synthetic generator uses often: the candidates for searches that match many articles.
MANY_CANDIDATES = ("pain", "treatment", "sleep", "withdrawal", "therapy", "dose", "migraine", "anxiety", "relief")
RESULT_COUNT = re.compile(r'class="result-count"[^>]*>([\d,]+) result')


def pick_paths(database: Path, count: int, seed: int) -> dict[str, list[str]]:
    """Choose the reader URLs from the seeded database: the home page, 50 articles, every category."""
    rng = random.Random(seed)
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        slugs = [row[0] for row in connection.execute("SELECT slug FROM articles WHERE status = 'published'")]
        categories = connection.execute(
            "SELECT DISTINCT c.slug FROM categories c JOIN articles a ON a.category_id = c.id ORDER BY c.slug"
        ).fetchall()
        titles = [row[0] for row in connection.execute("SELECT title FROM articles ORDER BY id LIMIT 2000")]
    if len(slugs) < count:
        sys.exit(f"{database} has {len(slugs)} published articles, fewer than {count}; delete its folder to reseed")
    return {
        "home": ["/"],
        "article": [f"/articles/{slug}/" for slug in rng.sample(slugs, ARTICLE_URLS)],
        "category": [f"/category/{slug}/" for (slug,) in categories],
        "titles": titles,
    }


def result_count(base: str, query: str) -> int | None:
    """Return how many articles a search finds, or None if the page did not say (or corrected the words)."""
    status, _, html = fetch(f"{base}/search?{urllib.parse.urlencode({'q': query})}")
    match = RESULT_COUNT.search(html)
    if status != 200 or "Showing results for" in html or not match:
        return 0 if status == 200 and "zero-results" in html else None
    return int(match[1].replace(",", ""))


def narrow_candidates(titles: list[str], seed: int, tries: int = 300) -> list[str]:
    """Return invented title words to search for: alone, then two side by side as a phrase (for 100,000 articles)."""
    # At 100,000 articles one invented word matches more than ten, and two unquoted match either of them.
    known = set(HEALTH_WORDS) | set(COMMON_WORDS)
    rng = random.Random(seed)
    singles, pairs = set(), []
    for title in titles:
        words = [word if word.isalpha() and word not in known else "" for word in title.lower().split()]
        singles.update(filter(None, words))
        pairs += [f'"{a} {b}"' for a, b in itertools.pairwise(words) if a and b]
    singles = sorted(singles)
    rng.shuffle(singles)
    rng.shuffle(pairs)
    return singles[:tries] + pairs[:tries]


def pick_searches(base: str, titles: list[str], seed: int) -> tuple[dict[str, list[str]], dict[str, dict]]:
    """Choose searches that match many articles and searches that match few (1 to 10), by their result counts."""
    counts = {word: result_count(base, word) or 0 for word in MANY_CANDIDATES}
    many = sorted(counts, key=counts.get, reverse=True)[:SEARCH_QUERIES]
    few: dict[str, int] = {}
    for words in narrow_candidates(titles, seed):
        found = result_count(base, words)
        if found is not None and 1 <= found <= 10:
            few[words] = found
        if len(few) == SEARCH_QUERIES:
            break
    queries = {"search-many": many, "search-few": list(few)}
    paths = {kind: [f"/search?{urllib.parse.urlencode({'q': q})}" for q in words] for kind, words in queries.items()}
    return paths, {"search-many": {q: counts[q] for q in many}, "search-few": few}


def first_answers(base: str, paths: list[str]) -> list[tuple[str, str | None]]:
    """GET every path once (it also warms the workers); return each path with the ETag it answered with."""
    answered = []
    for path in paths:
        status, headers, _ = fetch(base + path)
        if status != 200:
            sys.exit(f"GET {path} answered {status}; see the gunicorn log")
        answered.append((path, headers.get("ETag")))
    return answered
