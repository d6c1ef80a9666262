"""The bench's other measures: search throughput, catch-up after SIGKILL, a node started empty, the log's pruning."""

import random
import threading
import time
from collections import Counter
from pathlib import Path

from app_nodes import Node, editor, found, save
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from bench.replicas_watch import reason

WORDS = ["ketamine", "migraine", "naltrexone", "treatment", "dose", "sleep", "pain", "therapy"]


def throughput(nodes: list[Node], searchers: int, seconds: float) -> tuple[float, Counter]:
    """Search from `searchers` threads spread over `nodes` for `seconds`; return answers a second and the failures."""
    done, failed, lock = [0] * searchers, Counter(), threading.Lock()
    stop = time.monotonic() + seconds

    def search(slot: int) -> None:
        node = nodes[slot % len(nodes)]
        while time.monotonic() < stop:
            try:
                found(node, random.choice(WORDS))
                done[slot] += 1
            except Exception as error:  # counted, and the client goes on
                with lock:
                    failed[reason(error)] += 1

    threads = [threading.Thread(target=search, args=(slot,)) for slot in range(searchers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / seconds, failed


def log_state(url: str) -> str:
    """Describe the change log: entries kept, their id range, and each node's reported position."""
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as connection:
        count, low, high = connection.execute(text("SELECT count(*), min(id), max(id) FROM search_changes")).one()
        rows = connection.execute(text("SELECT name, position, must_rebuild FROM search_nodes ORDER BY name"))
        positions = ", ".join(f"{name} {position}{' (must rebuild)' if flag else ''}" for name, position, flag in rows)
    engine.dispose()
    return f"{count} entries kept (ids {low}-{high}); node positions: {positions}"


def _saves(nodes: list[Node], count: int, failures: Counter) -> None:
    """Make `count` saves through `nodes`, two editors on each (new articles, then edits of them)."""

    def edit(node: Node, prefix: str, saves: int) -> None:
        try:
            browser = editor(node)
            article_id = save(browser, f"{prefix} article", "First version.")
            for number in range(saves - 1):
                save(browser, f"{prefix} article version {number}", "Edited.", article_id)
        except Exception as error:
            failures[reason(error)] += 1

    editors = [(node, f"Catch-up {node.name} {n} {random.randrange(10**6)}") for node in nodes for n in range(2)]
    threads = [threading.Thread(target=edit, args=(*who, count // len(editors))) for who in editors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def catch_up_after_kill(writers: list[Node], victim: Node, saves: int) -> tuple[str, bool]:
    """SIGKILL `victim`, make `saves` saves on `writers`, restart it; say how long until it caught up, and if clean."""
    victim.kill()
    failures: Counter = Counter()
    _saves(writers, saves, failures)
    restarted, logged_before = time.monotonic(), len(victim.log.read_text())
    victim.start()  # returns once /healthz answers 200 with nothing pending
    took = time.monotonic() - restarted
    check = victim.wait_clean(timeout=120)
    clean = check.returncode == 0 and "queued: 0" in check.stdout
    failed = f"; saves failed: {dict(failures)}" if failures else ""
    rebuilt = "built from the database" in victim.log.read_text()[logged_before:]
    rebuilt = "rebuilt from the database" if rebuilt else "from its position, no rebuild"
    said = f"healthy with nothing pending {took:.1f} s after restart ({rebuilt}); search check "
    return said + ("clean" if clean else f"NOT clean: {check.stdout}") + failed, clean and not failures


def empty_start(folder: Path, url: str) -> tuple[str, bool]:
    """Start a fourth node with no index; say how long until it served with nothing pending, and if clean."""
    node = Node("node-d", folder, url, SEARCH_REPORT_SECONDS="1")
    started = time.monotonic()
    try:
        node.start()
        serving = time.monotonic() - started  # built from the database, /healthz 200 with nothing pending
        check = node.wait_clean(timeout=120)
        clean = check.returncode == 0 and "queued: 0" in check.stdout
        said = f"healthy with nothing pending {serving:.1f} s after start; search check "
        return said + ("clean" if clean else f"NOT clean: {check.stdout}"), clean
    finally:
        node.stop()
