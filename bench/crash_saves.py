"""Crash test: editor saves through gunicorn while the whole server is SIGKILLed; nothing acknowledged is lost.

Run from the project root:

    .venv/bin/python bench/crash_saves.py                          # 1,000 saves, 3 kills
    .venv/bin/python bench/crash_saves.py --saves 150 --kills 2 --seed 7

It builds a fresh instance in a temporary directory (`flask init`, `flask seed-demo` for the categories, one editor
from `flask users create`), serves it with gunicorn (gunicorn.conf.py) on 127.0.0.1 and has --threads signed-in
editors save articles through the real editor form: new articles and edits of their own, each save with a unique
token in its title and body. A save is acknowledged when its POST answers 302. At --kills random points of the
stream the server's process group (master and workers) gets SIGKILL, then gunicorn is started again on the same
port; editors whose request died go on with the next save once the server answers.

At the end it waits until the workers have applied the queue of index changes, stops the server and checks:
every acknowledged save is a revision of its article, and each article holds its last acknowledged save (or a
later one whose answer the kill swallowed); each such article has one index document, with its current title; and
`flask search check` finds no drift. It prints the counts and exits 1 on any loss, drift or server error. The
instance is deleted on success (unless --keep) and kept, its path printed, on failure.
"""

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the checkout's packages, and the tests' helpers
from servers import instance_env  # noqa: E402  (what the gunicorn tests use)

from bench.crash_checks import index_titles, lost_saves, report, server_errors, wait_for_drained_queue  # noqa: E402
from bench.crash_editors import EMAIL, PASSWORD, Ledger, drive  # noqa: E402
from bench.instances import Server, flask  # noqa: E402

SECRET_KEY = "crash-test-secret-shared-by-every-worker"


def prepare(folder: Path) -> dict[str, str]:
    """Create the instance: schema, demo categories and articles, one editor."""
    env = instance_env(folder, SECRET_KEY)  # sessions outlive restarts, as in production
    flask(env, "init", quiet=True)
    flask(env, "seed-demo", quiet=True)
    editor = ["--email", EMAIL, "--role", "editor", "--name", "Crash Ed", "--password", PASSWORD]
    flask(env, "users", "create", *editor, quiet=True)
    return env


def main() -> None:
    """Parse the options, run the stream with its kills, check and report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=1000)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the instance even when the run passes")
    options = parser.parse_args()
    seed = options.seed if options.seed is not None else random.randrange(10**6)
    folder = Path(tempfile.mkdtemp(prefix="crash-saves-"))
    print(f"instance: {folder}  seed: {seed}", flush=True)
    env = prepare(folder)
    server = Server(env, options.workers, folder / "gunicorn.log", own_group=True)
    ledger = Ledger(total=options.saves)
    started = time.monotonic()
    points = drive(server, ledger, options.threads, options.kills, random.Random(seed))
    check = wait_for_drained_queue(env)
    server.stop()
    print(f"stream took {time.monotonic() - started:.1f} s")
    lost, titles = lost_saves(folder / "blog.sqlite", ledger.saves)
    indexed = index_titles(folder, SECRET_KEY)
    acked = {s.article_id for s in ledger.saves if s.acknowledged}
    in_index = sum(1 for article_id in acked if indexed.get(article_id) == [titles[article_id]])
    passed = report(ledger, points, lost, in_index, len(acked), check, server_errors(server.log))
    if not passed:
        sys.exit(f"FAILED; the instance is kept in {folder}")
    if not options.keep:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
