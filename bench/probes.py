"""Attacker probes: what repeated requests that try to bypass caches and limits cost a worker, one at a time.

Run from the project root:

    .venv/bin/python bench/probes.py --articles 10000 --repeat 20

It reuses the seeded instance of bench/load.py in DATA_DIR/N/ (built once when missing), serves it with gunicorn
and gunicorn.conf.py on 127.0.0.1 (page cache on, as in production), and sends each probe of bench/probes_cases.py
one request at a time: repeated and near-verbatim searches, cache-busting query strings on reader pages, feeds
and sitemaps, page numbers far past the end, huge, negative and odd URL parts, the newsroom's lists as an author
(the least-privileged role that writes), repeated failed sign-ins and reset requests. It prints, per probe, the
statuses seen and the p50 and max time of its requests, and flags any 5xx or request over --slow-ms; then what
50 hot article pages cost before and after --busters cache-busting requests (`?cb=N` on 500 other articles:
each worker's page cache holds about a thousand pages). A last pass
turns the rate limits on and counts how many of a burst of searches, suggestions and sign-ins get through.
"""

import argparse
import secrets
import sqlite3
import statistics
import sys
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the checkout's packages, and the tests' helpers
import servers  # noqa: E402

from bench.endpoints_http import Client  # noqa: E402
from bench.instances import Server, flask, instance_env  # noqa: E402
from bench.load import DEFAULT_SEED, prepare  # noqa: E402
from bench.probes_cases import Probe, newsroom_probes, reader_probes, search_probes, targets  # noqa: E402

AUTHOR_EMAIL = "probes-author@example.org"
OTHER_EMAIL = "probes-target@example.org"  # the account the sign-in and reset probes attack


def forget_earlier_runs(folder: Path) -> None:
    """Delete the failed sign-ins and rate-limit counts an earlier run left (else 127.0.0.1 waits them out)."""
    with closing(sqlite3.connect(folder / "blog.sqlite")) as connection, connection:
        connection.execute("DELETE FROM login_failures")
    (folder / "locks" / "rate-limits.sqlite").unlink(missing_ok=True)


def run(client: Client, probe: Probe, slow_ms: float) -> bool:
    """Send a probe's requests and print one line; return whether it stayed bounded (no 5xx, none slow)."""
    answers = [client.get(path) for path in probe.paths]
    times = [answer.seconds * 1000 for answer in answers]
    statuses = sorted({answer.status for answer in answers})
    bounded = all(0 < status < 500 for status in statuses) and max(times) <= slow_ms
    mark = "ok " if bounded else "BAD"
    print(f"{mark} {probe.name:<58} {len(answers):>3} {statistics.median(times):>8.1f} {max(times):>8.1f}  {statuses}")
    return bounded


def eviction(client: Client, database: Path, busters: int) -> None:
    """Print what 50 hot article pages cost, kept, and again after `busters` cache-busting requests."""
    with closing(sqlite3.connect(database)) as connection:
        slugs = [row[0] for row in connection.execute("SELECT slug FROM articles WHERE status='published' LIMIT 550")]
    hot = [f"/articles/{slug}/" for slug in slugs[:50]]
    for _ in range(10):  # every worker keeps them
        for path in hot:
            client.get(path)
    kept = statistics.median(client.get(path).seconds * 1000 for path in hot)
    for n in range(busters):  # as many different pages and junk query strings as the attacker likes
        client.get(f"/articles/{slugs[50 + n % 500]}/?cb={n}")
    after = statistics.median(client.get(path).seconds * 1000 for path in hot)
    print(f"    hot article pages, p50 ms: kept {kept:.1f}, after {busters} cache busters {after:.1f}")


def sign_in(base: str, email: str, password: str) -> Client:
    """Return a client signed in through /login (CSRF token included)."""
    client = Client(base, keep_cookies=True)
    fields = {**servers.form_fields(client.get("/login").text), "email": email, "password": password}
    answer = client.post_form("/login", fields)
    if answer.status != 302:
        sys.exit(f"signing in as {email} answered {answer.status}")
    return client


def repeated_posts(base: str, path: str, fields, count: int) -> tuple[list[int], list[float]]:
    """POST the form fields(n) `count` times from one client with a valid CSRF token; return statuses and ms."""
    client = Client(base, keep_cookies=True)
    token = servers.form_fields(client.get(path).text).get("csrf_token", "")
    answers = [client.post_form(path, {**fields(n), "csrf_token": token}) for n in range(count)]
    return [answer.status for answer in answers], [answer.seconds * 1000 for answer in answers]


def post_probes(base: str, count: int) -> None:
    """Print what repeated anonymous POSTs cost and how they are answered."""
    for name, path, fields in (
        ("login: wrong password, one account", "/login", lambda n: {"email": OTHER_EMAIL, "password": "wrong"}),
        ("login: many accounts from one address", "/login", lambda n: {"email": f"n{n}@example.org", "password": "x"}),
        ("reset-password: one inbox", "/reset-password", lambda n: {"email": OTHER_EMAIL}),
        ("reset-password: many inboxes", "/reset-password", lambda n: {"email": f"n{n}@example.org"}),
    ):
        statuses, times = repeated_posts(base, path, fields, count)
        counts = {status: statuses.count(status) for status in sorted(set(statuses))}
        print(f"    {name:<58} {count:>3} {statistics.median(times):>8.1f} {max(times):>8.1f}  {counts}")


def bursts(base: str, count: int) -> None:
    """With the rate limits on, print how many of `count` quick requests of each kind got through."""
    client = Client(base)
    for name, path in (("search, distinct queries", "/search?q=probe{n}"), ("suggest", "/search/suggest?q=pro{n}")):
        statuses = [client.get(path.format(n=n)).status for n in range(count)]
        print(f"    burst {name:<52} {count:>3}  " + str({s: statuses.count(s) for s in sorted(set(statuses))}))


def warm_up(client: Client, workers: int = 16) -> None:
    """Give every worker its first searcher, templates and connection before anything is timed."""
    for n in range(workers):
        client.get(f"/search?q=warm+up+{n}")
        client.get(f"/?warm={n}")


# Reset links go to a mail server that refuses them (port 1): the app answers as if sent and logs the failure.
MAIL = {"BLOGAPP_MAIL_HOST": '"127.0.0.1"', "BLOGAPP_MAIL_PORT": "1", "BLOGAPP_MAIL_SECURITY": '"none"'}
MAIL |= {"BLOGAPP_MAIL_FROM": '"probes@example.org"', "BLOGAPP_MAIL_TIMEOUT": "1"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="corpus size (default 10000)")
    parser.add_argument("--repeat", type=int, default=20, help="requests of each repeated probe (default 20)")
    parser.add_argument("--busters", type=int, default=5000, help="cache-busting requests (default 5000)")
    parser.add_argument("--slow-ms", type=float, default=1000, help="a request slower than this is a miss")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py)")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "bench" / ".data", help="seeded instances")
    args = parser.parse_args()
    folder = prepare(args.data_dir.resolve(), args.articles, DEFAULT_SEED)
    env = instance_env(folder)
    password = secrets.token_urlsafe(18)
    done = servers.flask(
        env,
        "users",
        "create",
        "--email",
        AUTHOR_EMAIL,
        "--role",
        "author",
        "--name",
        "Probe Author",
        "--password",
        password,
    )
    if done.returncode:
        flask(env, "users", "set-password", AUTHOR_EMAIL, "--password", password, quiet=True)
    forget_earlier_runs(folder)
    t = targets(folder / "blog.sqlite")
    print(f"{'':4}{'probe (' + str(args.articles) + ' articles)':<58} {'n':>3} {'p50 ms':>8} {'max ms':>8}  statuses")
    bounded = True
    server = Server(env, args.workers, folder / "probes-gunicorn.log")
    try:
        reader = Client(server.base)
        warm_up(reader)
        for probe in search_probes(t, args.repeat) + reader_probes(t, args.repeat):
            bounded &= run(reader, probe, args.slow_ms)
        eviction(reader, folder / "blog.sqlite", args.busters)
        author = sign_in(server.base, AUTHOR_EMAIL, password)
        for probe in newsroom_probes(t):
            bounded &= run(author, probe, args.slow_ms)
    finally:
        server.stop()
    limited = Server({**env, **MAIL, "BLOGAPP_RATELIMIT_ENABLED": "true"}, args.workers, folder / "probes-gunicorn.log")
    try:
        post_probes(limited.base, args.repeat)
        bursts(limited.base, max(args.repeat, 200))
    finally:
        limited.stop()
    sys.exit(0 if bounded else 1)


if __name__ == "__main__":
    main()
