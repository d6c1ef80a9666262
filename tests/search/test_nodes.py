"""Three app nodes over one PostgreSQL database, each with its own index kept in step from the change log.

Each node is a gunicorn on its own 127.0.0.1 port with its own instance folder. The figures (propagation delay,
catch-up time) are printed: run with `-s` to see them.
"""

import random
import threading
import time

import pytest
from app_nodes import Node, editor, found, prepare_site, save, seconds_until_found
from databases import TEST_DATABASE_URL
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not TEST_DATABASE_URL, reason="several machines share a PostgreSQL database"),
]
VISIBLE_WITHIN = 1.0  # the goal: a save on one node is found on every other within a second
# What fails the test: a shared 2-core machine running three nodes can stretch the goal; the figures are printed.
MUST_BE_VISIBLE_WITHIN = 3.0


@pytest.fixture
def start_nodes(tmp_path, migrated_database):
    """Return a function starting nodes named a, b, c … over a fresh database with the demo site; stop them after."""
    url = migrated_database.fresh_url(tmp_path)
    prepare_site(url, tmp_path / "setup")
    started: list[Node] = []

    def start(count: int = 3, **settings: str) -> list[Node]:
        nodes = [Node(f"node-{chr(97 + n)}", tmp_path / f"node-{chr(97 + n)}", url, **settings) for n in range(count)]
        started.extend(nodes)
        return [node.start() for node in nodes]

    yield start
    for node in started:
        node.stop()


def _time_until_found(node: Node, word: str, saved: float, delays: list) -> None:
    delays.append(seconds_until_found(node, word, saved))


def test_save_on_one_node_is_found_on_the_others_within_a_second(start_nodes):
    a, b, c = start_nodes()
    writer = editor(a)
    for node in (b, c):
        for _ in range(node.workers * 2):  # each worker's first search opens its searcher: not what is measured
            found(node, "ketamine")
    delays: list[float | None] = []
    for number in range(5):
        word = f"propagated{number}x{random.randrange(10**6)}"
        save(writer, f"Saved on node a {number}", f"This article mentions {word}.")
        saved = time.monotonic()
        watchers = [threading.Thread(target=_time_until_found, args=(n, word, saved, delays)) for n in (b, c)]
        for watcher in watchers:
            watcher.start()
        for watcher in watchers:
            watcher.join()
    print(f"\nfound on the other nodes after (s): {[None if d is None else round(d, 3) for d in delays]}")
    assert all(d is not None and d <= MUST_BE_VISIBLE_WITHIN for d in delays), delays
    assert sorted(delays)[len(delays) // 2] <= VISIBLE_WITHIN, delays


def _edit_many(node: Node, prefix: str, saves: int, failures: list) -> None:
    """Create three articles on `node`, then edit them in turn until `saves` saves are made."""
    try:
        browser = editor(node)
        ids = [save(browser, f"{prefix} article {n}", "First version.") for n in range(3)]
        for number in range(saves - len(ids)):
            article_id = ids[number % len(ids)]
            save(browser, f"{prefix} article {number % len(ids)} version {number}", "Edited.", article_id)
    except Exception as exc:  # reported by the test, not lost in the thread
        failures.append(f"{prefix}: {type(exc).__name__}: {exc}")


def test_concurrent_saves_over_three_nodes_leave_every_index_clean(start_nodes):
    nodes = start_nodes()
    failures: list[str] = []
    # Two editors per node, 200 saves in all (each editor 33 or 34).
    threads = [
        threading.Thread(target=_edit_many, args=(nodes[n % 3], f"Editor {n}", 33 + (n < 2), failures))
        for n in range(6)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    took = time.monotonic() - started
    assert not failures, failures
    for node in nodes:
        check = node.wait_clean(timeout=30)
        assert check.returncode == 0 and "queued: 0" in check.stdout, f"{node.name}: {check.stdout} {check.stderr}"
    print(f"\n200 saves over three nodes in {took:.1f} s; every index clean")


def test_node_killed_while_saves_land_elsewhere_catches_up_on_restart(start_nodes):
    a, b, c = start_nodes()
    c.kill()
    failures: list[str] = []
    # Two editors on each of the other nodes, 100 saves in all.
    threads = [
        threading.Thread(target=_edit_many, args=(node, f"{node.name} {n}", 25, failures))
        for n in range(2)
        for node in (a, b)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not failures, failures
    restarted, logged_before = time.monotonic(), len(c.log.read_text())
    c.start()
    check = c.wait_clean(timeout=60)
    caught_up = time.monotonic() - restarted
    assert check.returncode == 0 and "queued: 0" in check.stdout, check.stdout + check.stderr
    assert "built from the database" not in c.log.read_text()[logged_before:]  # caught up from its position
    print(f"\nnode killed during 100 saves: serving and caught up {caught_up:.1f} s after its restart")


def _must_rebuild(engine, node: str, timeout: float = 10) -> bool | None:
    """Return the node's must_rebuild flag once it has registered (None if it has not within `timeout`)."""
    deadline = time.monotonic() + timeout
    while True:
        with engine.connect() as connection:
            flag = connection.scalar(text("SELECT must_rebuild FROM search_nodes WHERE name = :n"), {"n": node})
        if flag is not None or time.monotonic() > deadline:
            return flag
        time.sleep(0.2)


def test_node_silent_past_the_bound_is_told_to_rebuild_and_does(start_nodes):
    a, b = start_nodes(2, SEARCH_REPORT_SECONDS="0.5", SEARCH_NODE_SILENT_SECONDS="3")
    engine = create_engine(TEST_DATABASE_URL, poolclass=NullPool)
    assert _must_rebuild(engine, "node-b") is False  # registered: it holds the log back
    b.kill()
    writer = editor(a)
    article_id = save(writer, "Written while b was away", "First version.")
    time.sleep(4)  # past the bound: a's next report tells b to rebuild and prunes what a has passed
    save(writer, "Written while b was away, edited", "Second version.", article_id)
    assert _must_rebuild(engine, "node-b") is True
    started, logged_before = time.monotonic(), len(b.log.read_text())
    b.start()
    check = b.wait_clean(timeout=60)
    assert check.returncode == 0 and "queued: 0" in check.stdout, check.stdout + check.stderr
    assert "built from the database" in b.log.read_text()[logged_before:]
    assert _must_rebuild(engine, "node-b") is False
    engine.dispose()
    print(f"\nsilent node rebuilt and clean {time.monotonic() - started:.1f} s after its restart")
