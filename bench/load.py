"""Load benchmark: the real app under gunicorn on 127.0.0.1, driven by wrk, over N synthetic articles.

Run from the project root (wrk comes from Debian's `wrk` package; run as root, the script installs it if missing):

    .venv/bin/python bench/load.py                                   # N = 10,000, 16 connections, 10 s per run
    .venv/bin/python bench/load.py --articles 10000 100000 --connections 16 --duration 10s --workers 5

For each N it builds, once, a seeded instance in DATA_DIR/N/ (default bench/.data/, gitignored): `flask init`
and `flask seed-synthetic --count N`, a few minutes for 10,000 articles and 16 or more for 100,000. Later runs
reuse it (running `flask init` again, which only applies newer migrations). The instance lives there entirely:
database, search index, synonyms and uploads are set through DATABASE_URL and BLOGAPP_* variables.

It then starts gunicorn with the production settings (gunicorn.conf.py; workers from the CPU count unless
--workers) and measures, with wrk, five page types: the home page, 50 different article pages, every category
page, searches matching many articles and searches matching few (five queries of each, picked by their result
counts on this corpus: common health words; invented title words, alone or a two-word phrase, with 1 to 10 results).
Each page type runs in three modes:

    cold         page cache off (BLOGAPP_PAGE_CACHE_BYTES=0) and no validators sent: every request is rendered;
    conditional  If-None-Match with the ETag each URL answered a first GET with: the 304 path. Pages that send
                 no ETag (searches, or every page before HTTP validators exist) are skipped, and the table says so;
    repeat       page cache on (the app's default) and plain GETs: after the first, answered from the page cache.

Cold and conditional share one server, repeat gets a second one. Each run is preceded by an unmeasured warm-up
(three times as long in repeat mode, so that every worker has rendered every URL into its own page cache).
It prints, per N, a table of requests/s, p50 and p99 latency, the count of answers that were not 2xx/3xx and
the statuses seen; the resident memory of each worker after the runs (VmRSS, of which private: RssAnon; the rest
is mostly the memory-mapped index and shared libraries); the issue's targets with the figures measured; with
several N, how much slower each run is at the larger N; and one JSON line per N.

wrk and the server share the machine: on 2 cores wrk's own CPU use lowers every figure a little. A shared
machine's speed also changes from minute to minute (by half, seen here), so before and after each N's runs the
same wrk runs measure bench/reference_app.py under the same gunicorn settings: Flask answering a constant 35 KB
page and an empty 304, the figures the issue quotes for its machine class (about 1,950 and 2,550 requests/s).
"""

import argparse
import itertools
import json
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the checkout's packages, and the tests' helpers
from bench.instances import Server, flask, instance_env  # noqa: E402
from bench.load_paths import first_answers, pick_paths, pick_searches  # noqa: E402
from bench.load_report import (  # noqa: E402
    TARGETS_AT,
    check_targets,
    compare_sizes,
    print_memory,
    print_reference,
    print_table,
)
from bench.load_wrk import Run, ensure_wrk, measure, measure_reference, parse_seconds  # noqa: E402

DEFAULT_SEED = 42
# Throughput of the search path itself: as many searches at once as there are connections. With the default
# SEARCH_MAX_CONCURRENT (one per CPU) most would be answered 503 "busy"; bench/endpoints.py measures that bound.
UNCAPPED = {"BLOGAPP_SEARCH_MAX_CONCURRENT": "64"}
PAGE_TYPES = ("home", "article", "category", "search-many", "search-few")
MODES = ("cold", "conditional", "repeat")


def prepare(data_dir: Path, count: int, seed: int) -> Path:
    """Return the folder of a seeded instance of `count` articles, building it on first use."""
    folder = data_dir / (str(count) if seed == DEFAULT_SEED else f"{count}-seed{seed}")
    marker = folder / "seeded.json"
    env = instance_env(folder)
    if marker.exists():
        flask(env, "init")  # newer migrations only; the articles and the index stay
        return folder
    if folder.exists():
        shutil.rmtree(folder)  # a build that did not finish
    folder.mkdir(parents=True)
    print(f"Seeding {count:,} synthetic articles into {folder} (once; later runs reuse it) …", flush=True)
    started = time.perf_counter()
    flask(env, "init")
    flask(env, "seed-synthetic", "--count", str(count), "--seed", str(seed))
    marker.write_text(json.dumps({"articles": count, "seed": seed, "seconds": round(time.perf_counter() - started)}))
    return folder


def bench_size(wrk: str, count: int, args) -> dict:
    """Measure every page type and mode for one corpus size; print and return the figures."""
    folder = prepare(args.data_dir, count, args.seed)
    paths = pick_paths(folder / "blog.sqlite", count, args.seed)
    runs: list[Run] = []
    memory: dict[str, list[dict]] = {}

    reference = {"before": measure_reference(wrk, folder, paths["article"], args)}
    server = Server({**instance_env(folder, page_cache=False), **UNCAPPED}, args.workers, folder / "gunicorn-cold.log")
    try:
        searches, search_counts = pick_searches(server.base, paths.pop("titles"), args.seed)
        paths.update(searches)
        workers = len(server.worker_pids())
        print(
            f"\nN = {count:,} articles · {workers} gunicorn workers · {args.connections} connections · "
            f"{args.duration} per run · {os.cpu_count()} CPUs",
            flush=True,
        )
        for kind, found in search_counts.items():
            print(f"  {kind}: " + ", ".join(f"{q!r} ({n:,} results)" for q, n in found.items()))
        for page in PAGE_TYPES:
            if not paths[page]:
                runs += [Run(page, mode, skipped="no query with 1-10 results found") for mode in MODES[:2]]
                continue
            answered = first_answers(server.base, paths[page])
            runs.append(measure(wrk, server, page, "cold", [path for path, _ in answered], args))
            if all(etag for _, etag in answered):
                conditional = [f"{path}\t{etag}" for path, etag in answered]
                runs.append(measure(wrk, server, page, "conditional", conditional, args))
            else:
                runs.append(Run(page, "conditional", skipped="no ETag on the first GET: skipped"))
        memory["page cache off"] = server.memory()
    finally:
        server.stop()

    server = Server({**instance_env(folder), **UNCAPPED}, args.workers, folder / "gunicorn-repeat.log")
    try:
        for page in PAGE_TYPES:
            if paths[page]:
                first_answers(server.base, paths[page])
                runs.append(measure(wrk, server, page, "repeat", paths[page], args))
            else:
                runs.append(Run(page, "repeat", skipped="no query with 1-10 results found"))
        memory["page cache on"] = server.memory()
    finally:
        server.stop()

    reference["after"] = measure_reference(wrk, folder, paths["article"], args)
    runs.sort(key=lambda run: (PAGE_TYPES.index(run.page), MODES.index(run.mode)))
    print_table(runs, paths)
    print_memory(memory)
    print_reference(reference)
    return {
        "articles": count,
        "workers": workers,
        "runs": [run.__dict__ for run in runs],
        "memory_mb": memory,
        "reference": reference,
    }


def main() -> None:
    """Measure every corpus size asked for, then print the targets, the comparison of sizes and the JSON lines."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[10_000], help="corpus sizes (default 10000)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections (default 16)")
    parser.add_argument("--duration", default="10s", help="length of each measured run (default 10s)")
    parser.add_argument("--warmup", default="2s", help="unmeasured run before each measured one (default 2s)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py, 2 × CPUs + 1)")
    parser.add_argument("--wrk-threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the synthetic articles (default 42)")
    parser.add_argument(
        "--data-dir", type=Path, default=ROOT / "bench" / ".data", help="where seeded instances are kept"
    )
    args = parser.parse_args()
    parse_seconds(args.duration)
    parse_seconds(args.warmup)
    wrk = ensure_wrk()
    results = [bench_size(wrk, count, args) for count in args.articles]
    for result in results:
        if result["articles"] == TARGETS_AT:
            check_targets(result)
    for small, large in itertools.pairwise(results):
        compare_sizes(small, large)
    print()
    for result in results:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
