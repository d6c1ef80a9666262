"""gunicorn over one database and one index: four workers saving and searching at once; saves surviving kill -9."""

import os
import random
import re
import signal
import sqlite3
import string
import subprocess
import sys
import threading
import time

import pytest
from servers import ROOT, Browser, flask, free_port, instance_env, wait_until_serving

EMAIL = "editor@example.org"
PASSWORD = "a long enough test password"
WORKERS = 4
THREADS = 8
ARTICLES_PER_THREAD = 5
VISIBLE_WITHIN = 1.0  # the goal, in seconds from the save's response to the first search that finds the article
# What fails the test: a shared 2-core CI machine can stretch the goal; the figures are printed (`-s`).
MUST_BE_VISIBLE_WITHIN = 5.0
FOLLOW_UP_SEARCHES = 8  # after that, every search (whichever worker answers) must find it too


@pytest.fixture
def site(tmp_path):
    """Serve a fresh instance (database, index, uploads in tmp_path) with `gunicorn -w 4`; yield its env."""
    # Searches check what every worker's index holds here, so none is turned away as "busy" (that has its tests);
    # each worker follows the change log, as in production (apps the tests start in process do not).
    env = instance_env(tmp_path, "gunicorn-test-secret", SEARCH_MAX_CONCURRENT="64", SEARCH_FOLLOW_SECONDS="0.5")
    for args in (
        ("init",),
        ("seed-demo",),
        ("users", "create", "--email", EMAIL, "--role", "editor", "--name", "Eddie Editor", "--password", PASSWORD),
    ):
        done = flask(env, *args)
        assert done.returncode == 0, done.stdout + done.stderr
    port = free_port()
    log = tmp_path / "gunicorn.log"
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-w", str(WORKERS)]
    command += ["-b", f"127.0.0.1:{port}", "wsgi:app"]
    with open(log, "wb") as log_file:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, server, log)
        yield {"base": base, "env": env, "log": log, "db": tmp_path / "blog.sqlite"}
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _unique_word(rng: random.Random) -> str:
    return "zq" + "".join(rng.choice(string.ascii_lowercase) for _ in range(10))


def _found(reader: Browser, word: str, slug: str, failures: list) -> bool:
    status, _, html = reader.request("/search?q=" + word)
    if status != 200:
        failures.append(f"/search?q={word} answered {status}")
    # Only the ranked results count: a page with none lists the most-read articles, newest first.
    results = re.search(r'<ol class="results".*?</ol>', html, re.S)
    return status == 200 and results is not None and f'href="/articles/{slug}/' in results.group(0)


def _write_and_find(base: str, rng: random.Random, start_together: threading.Barrier, results: list, failures: list):
    """Sign in, then save articles one after another; after each, time how soon a search finds it."""
    try:
        editor, reader = Browser(base), Browser(base)
        editor.sign_in(EMAIL, PASSWORD)
        for round_number in range(ARTICLES_PER_THREAD):
            word = _unique_word(rng)
            fields = editor.form("/admin/articles/new")
            fields.update(
                title=f"Concurrent save {word}",
                slug=f"probe-{word}",
                summary="Saved while other workers save too.",
                body=f"## Probe\n\nThis article mentions {word} once.",
                # An existing tag, one of its own, and one new to the site that every thread adds in this round.
                tags=f"harm reduction, {word}, round {round_number}",
                status="published",
                published_at="",
                references="",
                save="Save",
            )
            start_together.wait(timeout=120)
            status, _, _ = editor.request("/admin/articles/new", fields)
            saved = time.monotonic()
            lag = None
            while time.monotonic() - saved < 10:
                if _found(reader, word, f"probe-{word}", failures):
                    lag = time.monotonic() - saved
                    break
                time.sleep(0.05)
            follow_ups = [_found(reader, word, f"probe-{word}", failures) for _ in range(FOLLOW_UP_SEARCHES)]
            results.append({"slug": f"probe-{word}", "status": status, "lag": lag, "steady": all(follow_ups)})
    except Exception as exc:  # reported by the test, not lost in the thread
        start_together.abort()
        failures.append(f"{type(exc).__name__}: {exc}")


def _queue_drained_without_drift(env: dict) -> subprocess.CompletedProcess:
    deadline = time.monotonic() + 30
    while True:
        check = flask(env, "search", "check")
        if (check.returncode == 0 and "queued: 0" in check.stdout) or time.monotonic() > deadline:
            return check
        time.sleep(0.5)


@pytest.mark.slow
@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="serves its own SQLite instance")
def test_concurrent_saves_on_four_workers_land_in_database_and_index(site):
    results: list[dict] = []
    failures: list[str] = []  # every problem is listed, so one run shows all of them
    start_together = threading.Barrier(THREADS)  # each round's saves go in at the same moment
    threads = [
        threading.Thread(
            target=_write_and_find, args=(site["base"], random.Random(n), start_together, results, failures)
        )
        for n in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    for r in results:
        if r["status"] != 302:
            failures.append(f"saving {r['slug']} answered {r['status']}")
    with sqlite3.connect(site["db"]) as connection:
        stored = dict(connection.execute("SELECT slug, status FROM articles WHERE slug LIKE 'probe-%'").fetchall())
    if len(results) != THREADS * ARTICLES_PER_THREAD or stored != {r["slug"]: "published" for r in results}:
        failures.append(f"{len(results)} saves answered, {len(stored)} probe articles published in the database")
    check = _queue_drained_without_drift(site["env"])
    if check.returncode != 0 or "queued: 0" not in check.stdout:
        failures.append(f"search check: {check.stdout} {check.stderr}")
    saved = [r for r in results if r["status"] == 302]
    lags = sorted(r["lag"] for r in saved if r["lag"] is not None)
    if lags:
        on_time = sum(lag <= VISIBLE_WITHIN for lag in lags)
        print(
            f"\nsearchable after save: {on_time} of {len(saved)} within {VISIBLE_WITHIN} s; "
            f"median {lags[len(lags) // 2]:.2f} s, max {lags[-1]:.2f} s"
        )
    late = [None if r["lag"] is None else round(r["lag"], 2) for r in saved]
    late = [lag for lag in late if lag is None or lag > MUST_BE_VISIBLE_WITHIN]
    if late:
        failures.append(
            f"{len(late)} of {len(saved)} saved articles were found by search later than "
            f"{MUST_BE_VISIBLE_WITHIN} s after their save (seconds, None = not within 10 s): {late}"
        )
    flickered = [r["slug"] for r in saved if r["lag"] is not None and not r["steady"]]
    if flickered:
        failures.append(f"found, then missing from a later search: {flickered}")
    log = site["log"].read_text()
    served = re.findall(r'"(?:GET|POST) (\S+) HTTP/1\.\d" (\d{3}) .* <(\d+)>$', log, re.M)
    server_errors = [f"{path} {status}" for path, status, _ in served if status.startswith("5")]
    if server_errors:
        failures.append(f"{len(server_errors)} server errors in the access log: {server_errors[:20]}")
    search_workers = {pid for path, _, pid in served if path.startswith("/search")}
    if len(search_workers) < WORKERS:
        failures.append(f"searches were answered by {len(search_workers)} workers, not all {WORKERS}")
    raised = re.findall(r"^(?:\w+\.)*\w+(?:Error|Exception): .*$", log, re.M)
    if raised:
        failures.append(f"the server log ({site['log']}) holds {len(raised)} exceptions: {sorted(set(raised))}")
    assert not failures, "\n".join(failures)


@pytest.mark.slow
@pytest.mark.sqlite_only("the script serves its own SQLite instance")
def test_acknowledged_saves_survive_kill_9_of_the_whole_server():
    """150 saves through gunicorn, the master and workers SIGKILLed twice: none acknowledged is lost or unindexed."""
    saves, kills, threads = 150, 2, 4
    options = {"--saves": saves, "--kills": kills, "--threads": threads}
    command = [sys.executable, "bench/crash_saves.py", *(str(part) for pair in options.items() for part in pair)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^lost: 0$", done.stdout, re.M), done.stdout
    assert f"kills: {kills} " in done.stdout
    # A kill can cut off at most one request per editor thread; every other save must be acknowledged.
    acknowledged = int(re.search(r"acknowledged: (\d+)", done.stdout)[1])
    assert acknowledged >= saves - kills * threads, done.stdout
    assert "\nmissing: 0  stale: 0  extra: 0  queued: 0\n" in done.stdout
