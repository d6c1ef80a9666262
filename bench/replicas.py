"""Several app nodes over one PostgreSQL database: how soon a save is searchable on the others, and search throughput.

Run from the project root (the database is emptied and migrated; use one of your own):

    .venv/bin/python bench/replicas.py postgresql+psycopg://blogapp:blogapp@127.0.0.1/blogapp_bench
    .venv/bin/python bench/replicas.py URL --rate 20 --seconds 15 --searchers 6 --keep

It starts three nodes (gunicorn, two workers each, its own instance folder and index) on 127.0.0.1. Editors save
articles through node a's newsroom at --rate saves a second for --seconds; a watcher on each other node searches
it for them (bench/replicas_watch.py): the propagation delay, printed as p50/p95/max, with every save and every
expected sighting accounted for (acknowledged or failed with its reason; seen or not within 10 s), and each
node's time per stage of applying the log during the saves (p50/p95, blogapp/search/stages.py). Then: node c
is SIGKILLed while --catch-up saves land on a and b, and restarted (time until it is healthy with nothing pending);
a fourth node starts with an empty index; the log's kept entries and each node's position before and after a
report interval (pruning). Last, --searchers threads search for --seconds against one, two and three nodes: on one
machine the nodes share its cores, so more nodes add no throughput; on separate machines each node brings its own
cores, so throughput should grow with the nodes while each node's index writes stay a few ms per save. It exits 1
when a save failed, a sighting is missing or a node's index is not clean. Node folders (gunicorn logs) are kept
with --keep, and always when something failed.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the checkout's packages, and the tests' helpers
from app_nodes import Node, prepare_site  # noqa: E402
from sqlalchemy import create_engine  # noqa: E402

from bench.replicas_phases import catch_up_after_kill, empty_start, log_state, throughput  # noqa: E402
from bench.replicas_watch import Ledger, run  # noqa: E402
from blogapp.search import stages  # noqa: E402

WINDOW = 10.0  # a save not seen on a node within this many seconds is missed there
REPORT_SECONDS = 1.0  # nodes report (and prune) this often here, so pruning shows within the run


def empty(url: str) -> None:
    """Drop and re-create the public schema of the database at `url`."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def print_propagation(ledger: Ledger, rate: float) -> bool:
    """Print what happened to every save and sighting; return True when nothing was lost or failed."""
    acked, failed = len(ledger.acked), sum(ledger.failed.values())
    made = ledger.attempted / ledger.took
    print(f"saves at {rate:g}/s asked, {made:.1f}/s made: {ledger.attempted} attempted = ", end="")
    print(f"{acked} acknowledged + {failed} failed")
    for why, count in ledger.failed.most_common():
        print(f"  save failed, {count}x: {why}")
    everything, ok = [], acked + failed == ledger.attempted and not failed
    for node in ledger.seen:
        delays, missed = ledger.delays(node, WINDOW)
        everything += delays
        ok = ok and not missed
        print(
            f"  {node}: {acked} expected = {len(delays)} seen + {len(missed)} not seen within {WINDOW:g} s; "
            f"p50 {percentile(delays, 0.5):.3f} s  p95 {percentile(delays, 0.95):.3f} s  "
            f"max {max(delays, default=0):.3f} s" + (f"; not seen: {sorted(missed)[:10]}" if missed else "")
        )
    for (node, why), count in ledger.search_errors.most_common():
        print(f"  {node}: watcher's search failed {count}x (retried): {why}")
    print(
        f"propagation, every other node: {len(everything)} sightings: p50 {percentile(everything, 0.5):.3f} s  "
        f"p95 {percentile(everything, 0.95):.3f} s  max {max(everything, default=0):.3f} s"
    )
    return ok


def print_stages(nodes: list[Node], since: float, until: float) -> None:
    """Print each node's apply stages (p50/p95) during the saves, from the timings it records beside its index."""
    print("stages inside each node during the saves, ms (blogapp/search/stages.py says what each one covers):")
    for node in nodes:
        records = [r for r in stages.read(str(node.folder / "search-index"), since) if r["at"] <= until]
        print(f"  {node.name}: {stages.describe(records)}")


def main() -> None:
    """Parse the options, start three nodes, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="a PostgreSQL database URL; the database is emptied")
    parser.add_argument("--rate", type=float, default=20.0, help="saves a second through node a")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--searchers", type=int, default=6)
    parser.add_argument("--catch-up", type=int, default=100, help="saves made while node c is down")
    parser.add_argument("--keep", action="store_true", help="keep the nodes' folders (gunicorn logs)")
    options = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, load average {' '.join(f'{n:.1f}' for n in os.getloadavg())} at start")
    empty(options.url)
    folder = Path(tempfile.mkdtemp(prefix="blogapp-replicas-"))
    prepare_site(options.url, folder / "setup")
    settings = {"SEARCH_REPORT_SECONDS": str(REPORT_SECONDS)}
    nodes = [Node(f"node-{name}", folder / name, options.url, **settings) for name in "abc"]
    ok = False
    try:
        for node in nodes:
            node.start()
        saves_started = time.time()
        ok = print_propagation(run(nodes, options.rate, options.seconds, WINDOW), options.rate)
        print_stages(nodes, saves_started, time.time())
        print(f"log right after the saves: {log_state(options.url)}")
        time.sleep(3 * REPORT_SECONDS)
        print(f"log {3 * REPORT_SECONDS:g} s later: {log_state(options.url)}")
        said, caught_up = catch_up_after_kill(nodes[:2], nodes[2], options.catch_up)
        print(f"node-c SIGKILLed during {options.catch_up} saves on a and b: {said}")
        said, started = empty_start(folder / "d", options.url)
        print(f"node-d started with an empty index ({log_state(options.url).split(';')[0]}): {said}")
        ok = ok and caught_up and started
        time.sleep(3 * REPORT_SECONDS)
        print(f"log after all that: {log_state(options.url)}")
        for count in (1, 2, 3):
            rate, failed = throughput(nodes[:count], options.searchers, options.seconds)
            print(f"search throughput, {count} node(s), {options.searchers} clients: {rate:.1f} answers/s", end="")
            print(f"; failed: {dict(failed)}" if failed else "")
            ok = ok and not failed
        print(f"load average at the end {' '.join(f'{n:.1f}' for n in os.getloadavg())}")
    finally:
        for node in nodes:
            node.stop()
        if options.keep or not ok:
            print(f"node folders and gunicorn logs kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
