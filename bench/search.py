"""Benchmark blogapp search on large synthetic corpora, next to SQLite FTS5 on the same documents.

Run from the project root:

    .venv/bin/python bench/search.py                      # N = 10,000; 200 queries of each type
    .venv/bin/python bench/search.py --sizes 10000 100000 --queries 200 --seed 42
    .venv/bin/python bench/search.py --instance bench/.data/10000 --runs 3   # a seeded instance, as it is

For each size N it seeds a fresh instance in a temporary directory with N synthetic articles, times
`SearchIndex.rebuild`, then the seeded queries of bench/search_queries.py (one and two words, common phrases;
then, blogapp only, the heavy types as the web caps them and the hostile texts) through `search_articles`
(never-seen searches: no result cache) and title prefixes through `suggest_titles`. Last it runs the first
three types on an FTS5 table (title, summary, body_text; bm25, a snippet and a count; words OR'ed).

It prints per N: build time, index size, peak RSS after each stage, p50/p95/max in ms per type and the ratios;
then one JSON line per N. --instance times a seeded instance folder as it is (nothing rebuilt, blogapp only);
--runs repeats the timing and prints the median over the runs of each figure.
"""

import argparse
import json
import os
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: the checkout's packages
from bench.search_queries import HEAVY_TYPES, HOSTILE_QUERIES, QUERY_TYPES, make_heavy_queries, make_queries
from bench.synthetic import insert_synthetic, make_vocabulary
from blogapp import create_app
from blogapp.extensions import db
from blogapp.models import Article, utcnow
from blogapp.search import get_index, suggest_titles
from blogapp.search import query as search_query

WARM_UP = 5
FTS_SQL = (
    "SELECT rowid, bm25(fts, 4.0, 1.5, 1.0) AS score, snippet(fts, 2, '<mark>', '</mark>', '…', 24) "
    "FROM fts WHERE fts MATCH ? ORDER BY score LIMIT 10"
)


def peak_rss_mb() -> float:
    """Return the peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dir_mb(path: str) -> float:
    """Return the size of the files under `path` in MB."""
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 1e6


def percentiles(times: list[float]) -> dict[str, float]:
    """Return p50, p95 and max of durations in seconds, as milliseconds."""
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": statistics.median(ordered) * 1e3, "p95_ms": p95 * 1e3, "max_ms": ordered[-1] * 1e3}


def time_calls(call, items: list) -> tuple[list[float], list[int]]:
    """Call `call` on a few items to warm up, then time it on each; return durations and result counts."""
    for item in items[:WARM_UP]:
        call(item)
    times, totals = [], []
    for item in items:
        started = time.perf_counter()
        totals.append(call(item))
        times.append(time.perf_counter() - started)
    return times, totals


def bench_blogapp(queries: dict, heavy: dict, prefixes: list[str]) -> dict:
    """Time the production search and suggestions on the prepared queries."""
    index, now = get_index(), utcnow()

    def search(text: str) -> int:
        return search_query.search_articles(
            index, search_query.SearchRequest(text=text, page=1, per_page=10), now
        ).total

    results = {}
    texts = {kind: [text for text, _ in queries[kind]] for kind in QUERY_TYPES} | heavy
    for kind, items in texts.items():
        times, totals = time_calls(search, items)
        results[kind] = {**percentiles(times), "avg_total": statistics.mean(totals)}
    times, _ = time_calls(search, HOSTILE_QUERIES)
    results["hostile"] = percentiles(times)
    times, _ = time_calls(lambda prefix: len(suggest_titles(index, prefix, now, limit=8)), prefixes)
    results["suggest"] = percentiles(times)
    return results


def bench_fts5(article_db: str, fts_db: str, queries: dict) -> dict:
    """Build an FTS5 table from the article rows and time the same queries on it."""
    connection = sqlite3.connect(fts_db)
    started = time.perf_counter()
    connection.execute(
        "CREATE VIRTUAL TABLE fts USING fts5(title, summary, body_text, "
        "tokenize='porter unicode61 remove_diacritics 2')"
    )
    connection.execute("ATTACH DATABASE ? AS blog", (article_db,))
    connection.execute(
        "INSERT INTO fts(rowid, title, summary, body_text) SELECT id, title, summary, body_text FROM blog.articles"
    )
    connection.commit()
    connection.execute("DETACH DATABASE blog")
    results: dict = {"build_s": time.perf_counter() - started, "db_mb": os.path.getsize(fts_db) / 1e6}

    def search(match: str) -> int:
        connection.execute(FTS_SQL, (match,)).fetchall()
        return connection.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (match,)).fetchone()[0]

    for kind in QUERY_TYPES:
        times, totals = time_calls(search, [match for _, match in queries[kind]])
        results[kind] = {**percentiles(times), "avg_total": statistics.mean(totals)}
    connection.close()
    return results


def prepare_queries(count: int, seed: int) -> tuple[dict, dict, list[str]]:
    """Return the seeded queries of every type, and 1-5 letter prefixes of the titles of random articles."""
    rng, vocab = random.Random(seed), make_vocabulary(seed)
    queries, heavy = make_queries(rng, vocab, count), make_heavy_queries(rng, vocab, count)
    titles = db.session.scalars(select(Article.title).order_by(func.random()).limit(count)).all()
    db.session.rollback()
    return queries, heavy, [rng.choice(title.split())[: rng.randint(1, 5)].lower() for title in titles]


def make_app(article_db: str, index_dir: str):
    """Return an app on this database file and index folder."""
    settings = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{article_db}", "SEARCH_INDEX_DIR": index_dir}
    return create_app({"SECRET_KEY": "search-benchmark-only", **settings})  # keys under 16 characters are refused


def run_size(count: int, query_count: int, seed: int) -> dict:
    """Seed a fresh instance with `count` articles and measure it; return the figures."""
    workdir = tempfile.mkdtemp(prefix=f"blogapp-bench-{count}-")
    article_db = os.path.join(workdir, "blog.sqlite")
    app = make_app(article_db, os.path.join(workdir, "index"))
    figures: dict = {"n": count, "workdir": workdir, "rss_mb": {}}
    with app.app_context():
        db.create_all()
        get_index().create()
        log(f"N={count}: inserting articles into {workdir}")
        started = time.perf_counter()
        insert_synthetic(count, seed)
        figures["insert_s"] = time.perf_counter() - started
        figures["rss_mb"]["after_insert"] = peak_rss_mb()
        log(f"N={count}: inserted in {figures['insert_s']:.1f}s; rebuilding the index")
        started = time.perf_counter()
        indexed = get_index().rebuild()
        figures["build_s"] = time.perf_counter() - started
        figures["docs_per_s"] = indexed / figures["build_s"]
        figures["index_mb"] = dir_mb(app.config["SEARCH_INDEX_DIR"])
        figures["rss_mb"]["after_build"] = peak_rss_mb()
        log(f"N={count}: indexed {indexed} in {figures['build_s']:.1f}s; timing queries")
        queries, heavy, prefixes = prepare_queries(query_count, seed)
        figures["blogapp"] = bench_blogapp(queries, heavy, prefixes)
        figures["rss_mb"]["after_queries"] = peak_rss_mb()
        get_index().close()
        db.engine.dispose()
    log(f"N={count}: FTS5")
    figures["fts5"] = bench_fts5(article_db, os.path.join(workdir, "fts.sqlite"), queries)
    figures["ratio"] = {
        kind: {
            p: figures["blogapp"][kind][f"{p}_ms"] / max(figures["fts5"][kind][f"{p}_ms"], 1e-9) for p in ("p50", "p95")
        }
        for kind in QUERY_TYPES
    }
    return figures


def log(message: str) -> None:
    """Print a progress line to stderr."""
    print(message, file=sys.stderr, flush=True)


def print_table(f: dict) -> None:
    """Print the figures of one size as a plain text table."""
    rss = f["rss_mb"]
    print(f"\n== N = {f['n']:,} ({f['workdir']})")
    print(f"insert (generate + render + SQL)  {f['insert_s']:8.1f} s")
    print(f"index build (rebuild)             {f['build_s']:8.1f} s   {f['docs_per_s']:8.1f} docs/s")
    print(f"index size                        {f['index_mb']:8.1f} MB")
    stages = " / ".join(f"{rss[stage]:.0f}" for stage in ("after_insert", "after_build", "after_queries"))
    print(f"peak RSS after insert/build/query {stages} MB")
    print(f"FTS5 build                        {f['fts5']['build_s']:8.1f} s   file {f['fts5']['db_mb']:.1f} MB")
    columns = ["query type", "blogapp p50", "p95", "max", "hits", "FTS5 p50", "p95", "max", "hits", "ratio p50", "p95"]
    print(" ".join(f"{name:>11}" for name in columns))
    for kind in QUERY_TYPES:
        b, s, r = f["blogapp"][kind], f["fts5"][kind], f["ratio"][kind]
        cells = [b["p50_ms"], b["p95_ms"], b["max_ms"], b["avg_total"], s["p50_ms"], s["p95_ms"], s["max_ms"]]
        cells += [s["avg_total"], r["p50"], r["p95"]]
        print(f"{kind:>11} " + " ".join(f"{cell:11.2f}" for cell in cells))
    print_rows(f["blogapp"], [*HEAVY_TYPES, "suggest", "hostile"])
    print(f"(latencies in ms; hits = mean total results; {len(HOSTILE_QUERIES)} hostile texts)", flush=True)


def print_rows(figures: dict, kinds: list[str]) -> None:
    """Print p50, p95, max and mean hits of blogapp alone for these query types."""
    for kind in kinds:
        cells = [figures[kind][key] for key in ("p50_ms", "p95_ms", "max_ms")] + [figures[kind].get("avg_total", 0)]
        print(f"{kind:>13} " + " ".join(f"{cell:11.2f}" for cell in cells), flush=True)


def run_instance(folder: str, query_count: int, seed: int, runs: int) -> dict:
    """Time every query type on a seeded instance as it is; return the medians over `runs` of each figure."""
    app = make_app(os.path.join(os.path.abspath(folder), "blog.sqlite"), os.path.join(folder, "search-index"))
    passes = []
    with app.app_context():
        count = db.session.scalar(select(func.count(Article.id)))
        for number in range(runs):
            log(f"{folder} ({count:,} articles): timing pass {number + 1} of {runs}")
            passes.append(bench_blogapp(*prepare_queries(query_count, seed + number)))  # new queries each pass
        get_index().close()
    kinds = [*QUERY_TYPES, *HEAVY_TYPES, "hostile", "suggest"]
    medians = {k: {p: statistics.median(run[k][p] for run in passes) for p in passes[0][k]} for k in kinds}
    return {"n": count, "folder": folder, "runs": runs, "queries": query_count, "blogapp": medians}


def main() -> None:
    """Measure every corpus size asked for; print a table per size, then one JSON line per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000], help="corpus sizes to test")
    parser.add_argument("--queries", type=int, default=200, help="queries per type (and suggest prefixes)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--instance", help="time this seeded instance folder as it is (nothing rebuilt)")
    parser.add_argument("--runs", type=int, default=1, help="timing passes over the queries (with --instance)")
    args = parser.parse_args()
    results = [run_instance(args.instance, args.queries, args.seed, args.runs)] if args.instance else []
    if args.instance:
        print(f"\n== {args.instance}: {results[0]['n']:,} articles, medians of {args.runs} runs (ms, mean hits)")
        print_rows(results[0]["blogapp"], list(results[0]["blogapp"]))
    for count in [] if args.instance else args.sizes:
        results.append(run_size(count, args.queries, args.seed))
        print_table(results[-1])
    for figures in results:
        print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
