"""SQL injection probe: sqlmap against every query, path and form parameter of a throwaway instance.

Run from the project root (sqlmap comes from Debian's `sqlmap` package):

    .venv/bin/python bench/sqlmap_probe.py                  # --level=3 --risk=2, all 44 targets
    .venv/bin/python bench/sqlmap_probe.py --quick          # --level=1 --risk=1, 10 of them, about 3 minutes
    .venv/bin/python bench/sqlmap_probe.py --only search --only sign-in   # targets whose names hold these

It builds an instance in a temporary folder (`flask init`, `flask seed-demo`, an admin and two authors made with
`flask users create`, two old addresses in the redirect table), serves it with gunicorn (3 workers) on a free
127.0.0.1 port, signs the admin in through the real form, uploads an image and makes the categories, tags and
trashed article that some forms act on. Then it runs sqlmap once per target, --jobs at a time (default 3):

    sqlmap -u URL [--data FORM] -p PARAMS --level=3 --risk=2 --batch --dbms=SQLite --flush-session --skip-waf
           --output-dir TMP/sqlmap/TARGET --user-agent "blogapp-sqlmap-probe (TARGET)"
           [--cookie session=… --drop-set-cookie --csrf-token=csrf_token --csrf-url=FORM PAGE]

- `-p` names each target's parameters. Without it --level=3 would also probe the User-Agent, Referer and
  cookies of every target; those are probed once, by targets of their own (`headers`, `session cookie`).
  Path parameters are marked with sqlmap's `*` in the URL.
- `--dbms=SQLite`: the instance runs on SQLite. Without it (`--all-dbms`) sqlmap also sends the payloads of
  every other engine it knows, several times the requests, none of which could work here.
- Signed-in targets carry the admin's session cookie and ignore Set-Cookie, so the session never changes under
  sqlmap (a flash message or a probe of the cookie itself cannot sign it out). Each form's CSRF token is read
  afresh from its page before every request, except for two forms whose page is gone after their first request
  (trash an article, delete a tag): those send the token read at setup, which stays valid for the session
  (WTF_CSRF_TIME_LIMIT = None). A redirect after a POST is followed with a GET, as a browser does.
- Sign-in throttling (5 failures per account, 20 per address in 15 minutes, then 429) would stop the probe of
  /login after 20 requests: the instance raises both limits (BLOGAPP_LOGIN_MAX_FAILURES_*), so every payload
  reaches the password check. The page cache is off (BLOGAPP_PAGE_CACHE_BYTES=0): every request is rendered.
- sqlmap changes data: saves create articles, categories, tags; the trash, restore and delete forms act on
  articles and tags kept for them. Targets that change what others read run last, one at a time.
- Not probed: the image upload form (a multipart body with a binary file, which sqlmap cannot carry), and
  sign-out (no parameter; it would end the session the other targets use).

It prints a table (target, parameters tested, requests the server logged for it, time, result) and exits 1 if
sqlmap found an injectable parameter, 2 if a target could not be probed (sqlmap stopped or tested nothing),
else 0. The folder with sqlmap's output and the server log is removed on success, kept otherwise or with --keep.
"""

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the checkout's packages, and the tests' helpers
from bench.instances import Server  # noqa: E402
from bench.sqlmap_runs import SQLMAP, count_requests, print_table, probe_all  # noqa: E402
from bench.sqlmap_site import build_instance, prepare_site  # noqa: E402
from bench.sqlmap_targets import newsroom_targets, reader_targets  # noqa: E402

WORKERS = 3


def parse_args() -> argparse.Namespace:
    """Return the command line's options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="level 1, risk 1, on a subset of the targets")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TEXT",
        help="only targets whose name has TEXT (with --quick: any target, not only the subset)",
    )
    parser.add_argument("--all-dbms", action="store_true", help="send the payloads of every engine, not only SQLite's")
    parser.add_argument("--jobs", type=int, default=3, help="sqlmap runs at a time (default 3)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (sqlmap's output, server log)")
    return parser.parse_args()


def main() -> int:
    """Build and serve the instance, probe the chosen targets, print the table; return the exit status."""
    args = parse_args()
    if not Path(SQLMAP).exists():
        sys.exit("sqlmap is not installed (Debian: `apt-get install sqlmap`).")
    folder = Path(tempfile.mkdtemp(prefix="blogapp-sqlmap-"))
    started = time.monotonic()
    env = build_instance(folder)
    log = folder / "gunicorn.log"
    server = Server(env, WORKERS, log)
    base = server.base
    try:
        site = prepare_site(base, folder / "blog.sqlite")
        chosen = reader_targets(site) + newsroom_targets(site)
        if args.only:
            chosen = [t for t in chosen if any(text in t.name for text in args.only)]
        elif args.quick:
            chosen = [t for t in chosen if t.quick]
        mode = "--level=1 --risk=1" if args.quick else "--level=3 --risk=2"
        print(
            f"sqlmap {mode}{'' if args.all_dbms else ' --dbms=SQLite'} on {base}: {len(chosen)} targets, "
            f"{sum(len(t.params) or 1 for t in chosen)} parameters; output in {folder}",
            flush=True,
        )
        outcomes = probe_all(chosen, base, site, folder, args)
    finally:
        server.stop()
    count_requests(outcomes, log)
    print_table(outcomes)
    injectable = [o for o in outcomes if o.injectable]
    failed = [o for o in outcomes if o.errors and not o.injectable]
    print(
        f"\n{len(outcomes)} targets, {sum(len(o.tested) for o in outcomes)} parameters, "
        f"{sum(o.requests for o in outcomes):,} requests in {(time.monotonic() - started) / 60:.1f} min: "
        f"{len(injectable)} injectable, {len(failed)} not probed."
    )
    if injectable or failed or args.keep:
        print(f"sqlmap's output and the server log are kept in {folder}")
    else:
        shutil.rmtree(folder)
    return 1 if injectable else 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
