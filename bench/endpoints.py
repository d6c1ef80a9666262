"""Endpoint benchmark: every URL pattern the app serves, timed one request at a time, against its latency budget.

Run from the project root:

    .venv/bin/python bench/endpoints.py --articles 10000 100000
    .venv/bin/python bench/endpoints.py --articles 10000 --flood-seconds 20 --urls 20 --searches 30

For each N it reuses the seeded instance of bench/load.py in DATA_DIR/N/ (default bench/.data/; built once, as
load.py does, when missing), gives the newsroom admin endpoints-bench@example.org a new random password, and
serves the instance with gunicorn and gunicorn.conf.py on 127.0.0.1. Every GET route of `flask routes` is named
by one or more patterns (article, category last page, feed tag, search 32 prefixes, editor…), each with --urls
addresses picked from the instance's database (searches: --searches never-sent queries per class). Then:

    cold   page cache off; the patterns' spare addresses first, unmeasured (each worker's first template, searcher
           and connection), then each measured address once. A pattern with fewer addresses than --samples (the
           home page, robots.txt…) is requested again up to that count: with the page cache off each is rendered;
    warm   page cache on; the same addresses after --warm-passes unmeasured passes (every worker keeps its own
           cache, so a measured request may still reach one that has not rendered that page);
    parts  when the sitemap is one file at this N, a third server lists a third of its URLs per file, so the
           sitemap index and its parts are timed too;
    flood  page cache on, the search concurrency cap at its default: 8 threads of never-repeated 32-word searches
           and 2 threads of article and home pages for --flood-seconds.

Rate limits are off throughout (BLOGAPP_RATELIMIT_ENABLED=false), and the search cap is raised to 64 for the
timed passes, so that one client's sequential requests are never refused. The p95 budgets: reader pages 100 ms
(and at the largest N at most 2× the smallest N), sitemaps 1 s, newsroom pages 300 ms, one- and two-word searches
40 ms up to 10,000 articles and 150 ms above, other searches 300 ms. Any answer other than 2xx/3xx (404 where a
missing address is asked for on purpose) fails its pattern. Beside the figures, bench/reference_app.py's constant
page timed the same way says how fast the shared machine is at the moment. It prints a table per N, the flood's
figures, the misses, one JSON line per N, and exits 1 when a check failed.
"""

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the checkout's packages, and the tests' helpers
from bench.endpoints_flood import Flood, print_flood  # noqa: E402
from bench.endpoints_http import Client  # noqa: E402
from bench.endpoints_measure import measure_patterns, reference_latency, warm_up  # noqa: E402
from bench.endpoints_newsroom import (  # noqa: E402
    ensure_admin,
    ensure_best_bet,
    ensure_page,
    ensure_upload,
    newsroom_patterns,
    sign_in,
)
from bench.endpoints_queries import Unseen, Words, search_patterns, suggest_pattern  # noqa: E402
from bench.endpoints_report import compare_sizes, print_reference, print_routes, print_table  # noqa: E402
from bench.endpoints_urls import (  # noqa: E402
    article_paths,
    reader_patterns,
    served_routes,
    sitemap_patterns,
    sitemap_size,
)
from bench.instances import Server, instance_env  # noqa: E402
from bench.load import DEFAULT_SEED, prepare  # noqa: E402
from blogapp.config import SITEMAP_MAX_URLS  # noqa: E402

LATENCY = {"BLOGAPP_RATELIMIT_ENABLED": "false", "BLOGAPP_SEARCH_MAX_CONCURRENT": "64"}
FLOOD_ARTICLES = 2000  # distinct articles the flood's readers go through


def build_patterns(folder: Path, admin: Client, args, rng: random.Random, workers: int) -> tuple[list, Words]:
    """Return every pattern with its addresses (adding an image and a page if the instance has none), and the words."""
    database = folder / "blog.sqlite"
    uploads = ensure_upload(admin, database)
    ensure_page(admin, database)
    ensure_best_bet(admin, database)
    words = Words(database, rng)
    unseen = Unseen(folder)
    patterns = [
        *reader_patterns(database, args.urls, rng, uploads),
        suggest_pattern(words, args.urls),
        *sitemap_patterns(sitemap_size(database), SITEMAP_MAX_URLS),
        *search_patterns(words, unseen, args.searches, 2 * workers),
        *newsroom_patterns(database, args.urls, rng),
    ]
    unseen.save()
    return patterns, words


def timed_pass(server: Server, password: str, patterns: list, args, passes: int) -> dict:
    """Warm each worker up, then time every pattern on this server."""
    clients = {False: Client(server.base), True: sign_in(server.base, password)}
    warm_up(clients, patterns, 2 * len(server.worker_pids()))
    return measure_patterns(clients, patterns, args.samples, passes)


def sitemap_parts(folder: Path, password: str, args) -> tuple[list, dict]:
    """Time the sitemap index and its parts (three or four), if at this N the sitemap is one file."""
    size = sitemap_size(folder / "blog.sqlite")
    if sum(size) > SITEMAP_MAX_URLS:
        return [], {}
    per_part = math.ceil(max(size) / 2)  # listing pages and articles take parts of their own
    env = {**instance_env(folder, page_cache=False), **LATENCY, "BLOGAPP_SITEMAP_MAX_URLS": str(per_part)}
    patterns = sitemap_patterns(size, per_part, f" ({per_part:,} a file)")
    server = Server(env, args.workers, folder / "gunicorn-endpoints-parts.log")
    try:
        return patterns, timed_pass(server, password, patterns, args, 0)
    finally:
        server.stop()


def flood_pass(folder: Path, words: Words, args, rng: random.Random) -> dict:
    """Flood a server with searches (cap at its default, page cache on) while reading pages; return the figures."""
    env = {**instance_env(folder), "BLOGAPP_RATELIMIT_ENABLED": "false"}
    server = Server(env, args.workers, folder / "gunicorn-endpoints-flood.log")
    try:
        articles = article_paths(folder / "blog.sqlite", FLOOD_ARTICLES, rng)
        return Flood(server.base, words, articles).run(args.flood_seconds)
    finally:
        server.stop()


def cold_pass(folder: Path, env: dict, password: str, args, rng: random.Random) -> tuple[list, Words, int, dict]:
    """Pick every pattern's addresses and time them with the page cache off; return them, the words, the workers."""
    server = Server(env, args.workers, folder / "gunicorn-endpoints-cold.log")
    try:
        workers = len(server.worker_pids())
        patterns, words = build_patterns(folder, sign_in(server.base, password), args, rng, workers)
        print(f"\nN = {folder.name} articles · {workers} gunicorn workers · run seed {args.run_seed}", flush=True)
        print_routes(patterns)
        return patterns, words, workers, timed_pass(server, password, patterns, args, 0)
    finally:
        server.stop()


def bench_size(count: int, args) -> dict:
    """Time every pattern in each mode and flood one corpus size; print and return the figures."""
    folder = prepare(args.data_dir, count, args.seed)
    rng = random.Random(f"{args.run_seed}:{count}")
    env = {**instance_env(folder, page_cache=False), **LATENCY}
    password = ensure_admin(env)
    reference = {"before": reference_latency(folder, args.workers)}
    patterns, words, workers, cold = cold_pass(folder, env, password, args, rng)
    results = {"cold": cold}
    server = Server({**instance_env(folder), **LATENCY}, args.workers, folder / "gunicorn-endpoints-warm.log")
    try:
        results["warm"] = timed_pass(server, password, patterns, args, args.warm_passes)
    finally:
        server.stop()
    parts, found = sitemap_parts(folder, password, args)
    patterns += parts
    results["cold"].update(found)
    flood = flood_pass(folder, words, args, rng)
    reference["after"] = reference_latency(folder, args.workers)
    return report(count, workers, patterns, results, flood, reference, served_routes(env), args)


def report(count, workers, patterns, results, flood, reference, routes, args) -> dict:
    """Print the table, the routes left out, the reference and the flood; return the figures and misses."""
    print(f"\nN = {count:,} articles")
    verdicts = print_table(patterns, results, count)
    misses = [f"{name}: FAIL {v['why']}" for name, v in verdicts.items() if v["verdict"] == "FAIL"]
    named = {pattern.route for pattern in patterns}
    misses += [f"route with no pattern: {rule}" for rule in routes if rule not in named]
    # A pattern the instance has no address for (revision diff with no revisions) is a gap, listed apart.
    gaps = [f"{name}: {v['why']}" for name, v in verdicts.items() if v["verdict"] == "NOT MEASURED"]
    print_reference(reference)
    misses += print_flood(flood, args.flood_seconds)
    entries = {
        pattern.name: {
            "route": pattern.route,
            "group": pattern.group,
            "urls": len(pattern.urls),
            **verdicts[pattern.name],
            **{
                mode: found[pattern.name].as_dict() if pattern.name in found else None
                for mode, found in results.items()
            },
        }
        for pattern in patterns
    }
    return {
        "articles": count,
        "workers": workers,
        "run_seed": args.run_seed,
        "reference": reference,
        "patterns": entries,
        "flood": flood,
        "misses": misses,
        "not_measured": gaps,
    }


def main() -> None:
    """Measure every corpus size asked for, compare the largest with the smallest, print misses and JSON lines."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[10_000], help="corpus sizes (default 10000)")
    parser.add_argument("--urls", type=int, default=20, help="addresses per pattern where the site has them (20)")
    parser.add_argument("--searches", type=int, default=30, help="never-sent queries per search class (30)")
    parser.add_argument("--samples", type=int, default=10, help="requests at least per pattern but searches (10)")
    parser.add_argument("--warm-passes", type=int, default=3, help="unmeasured passes before the warm one (3)")
    parser.add_argument("--flood-seconds", type=float, default=20, help="length of the flood phase (20)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py, 2 × CPUs + 1)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the synthetic articles (default 42)")
    parser.add_argument("--run-seed", type=int, default=int(time.time()), help="seed of this run's choices")
    parser.add_argument(
        "--data-dir", type=Path, default=ROOT / "bench" / ".data", help="where seeded instances are kept"
    )
    args = parser.parse_args()
    results = [bench_size(count, args) for count in args.articles]
    if len(results) > 1:
        small, large = min(results, key=lambda r: r["articles"]), max(results, key=lambda r: r["articles"])
        large["misses"] += compare_sizes(small, large)
    for result in results:
        print(f"\nMisses at {result['articles']:,} articles: {len(result['misses'])}")
        for miss in result["misses"]:
            print(f"  {miss}")
        for gap in result["not_measured"]:
            print(f"  not measured (no such address in the instance): {gap}")
    print()
    for result in results:
        print(json.dumps(result))
    sys.exit(1 if any(result["misses"] for result in results) else 0)


if __name__ == "__main__":
    main()
