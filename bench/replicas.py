"""Several app nodes over one PostgreSQL database: how soon a save is searchable on the others, and search throughput.

Run from the project root (the database is emptied and migrated; use one of your own):

    .venv/bin/python bench/replicas.py postgresql+psycopg://blogapp:blogapp@127.0.0.1/blogapp_bench
    .venv/bin/python bench/replicas.py URL --rate 20 --seconds 15 --searchers 6

It starts three nodes (gunicorn, two workers each, its own instance folder and index) on 127.0.0.1. Editors save
articles through node a's newsroom at --rate saves a second for --seconds; every save holds a unique word, and a
watcher on each other node searches for it until found: the propagation delay, printed as p50/p95/max. Then
--searchers threads search for --seconds against one, two and three nodes in turn: searches a second. On one
machine the nodes share its cores, so more nodes add no throughput; on separate machines each node brings its
own cores, so throughput should grow with the nodes while each node's index writes stay a few ms per save.
"""

import argparse
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the checkout's packages, and the tests' helpers
from app_nodes import Node, editor, found, prepare_site, save, seconds_until_found  # noqa: E402
from sqlalchemy import create_engine  # noqa: E402

WORDS = ["ketamine", "migraine", "naltrexone", "treatment", "dose", "sleep", "pain", "therapy"]


def empty(url: str) -> None:
    """Drop and re-create the public schema of the database at `url`."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def propagation(nodes: list[Node], rate: float, seconds: float) -> tuple[list[float], int, int]:
    """Save at `rate` a second through the first node; return the delays seen on the others, saves, misses."""
    writers = [editor(nodes[0]) for _ in range(4)]
    delays: list[float] = []
    missed = [0]
    failed: list[str] = []
    watchers: list[threading.Thread] = []

    def watch(node: Node, word: str, saved: float) -> None:
        delay = seconds_until_found(node, word, saved, timeout=10)
        if delay is None:
            missed[0] += 1
        else:
            delays.append(delay)

    def write(number: int) -> None:
        word = f"replica{number}x{random.randrange(10**9)}"
        try:
            save(writers[number % len(writers)], f"Replica save {number}", f"This article mentions {word}.")
        except AssertionError as refused:  # the answer's status and the start of its page
            failed.append(str(refused)[:3])
            return
        saved = time.monotonic()
        for node in nodes[1:]:
            watcher = threading.Thread(target=watch, args=(node, word, saved))
            watcher.start()
            watchers.append(watcher)

    started, number, savers = time.monotonic(), 0, []
    while time.monotonic() - started < seconds:
        saver = threading.Thread(target=write, args=(number,))
        saver.start()
        savers.append(saver)
        number += 1
        time.sleep(max(0.0, started + number / rate - time.monotonic()))
    for thread in savers + watchers:
        thread.join()
    if failed:
        print(f"saves not acknowledged: {len(failed)} (answers {sorted(set(failed))})")
    return delays, number - len(failed), missed[0]


def throughput(nodes: list[Node], searchers: int, seconds: float) -> float:
    """Search from `searchers` threads spread over `nodes` for `seconds`; return searches a second."""
    done = [0] * searchers
    stop = time.monotonic() + seconds

    def search(slot: int) -> None:
        node = nodes[slot % len(nodes)]
        while time.monotonic() < stop:
            found(node, random.choice(WORDS))
            done[slot] += 1

    threads = [threading.Thread(target=search, args=(slot,)) for slot in range(searchers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / seconds


def main() -> None:
    """Parse the options, start three nodes, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="a PostgreSQL database URL; the database is emptied")
    parser.add_argument("--rate", type=float, default=20.0, help="saves a second through node a")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--searchers", type=int, default=6)
    options = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    empty(options.url)
    with tempfile.TemporaryDirectory(prefix="blogapp-replicas-") as folder:
        prepare_site(options.url, Path(folder) / "setup")
        nodes = [Node(f"node-{name}", Path(folder) / name, options.url) for name in "abc"]
        try:
            for node in nodes:
                node.start()
            delays, saves, missed = propagation(nodes, options.rate, options.seconds)
            print(
                f"propagation at {options.rate:g} saves/s ({saves} saves, {len(delays)} sightings, {missed} missed "
                f"within 10 s): p50 {percentile(delays, 0.5):.3f} s  p95 {percentile(delays, 0.95):.3f} s  "
                f"max {max(delays):.3f} s"
            )
            for count in (1, 2, 3):
                rate = throughput(nodes[:count], options.searchers, options.seconds)
                print(f"search throughput, {count} node(s), {options.searchers} clients: {rate:.1f} searches/s")
            print(f"load average at the end {os.getloadavg()[0]:.1f}")
        finally:
            for node in nodes:
                node.stop()


if __name__ == "__main__":
    main()
