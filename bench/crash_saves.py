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
import http.client
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from sqlite3 import connect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from servers import Browser, form_fields, free_port, instance_env  # noqa: E402  (what the gunicorn tests use)

from blogapp import create_app  # noqa: E402
from blogapp.search import get_index  # noqa: E402

EMAIL = "crash-editor@example.org"
PASSWORD = "a long enough crash test password"
SECRET_KEY = "crash-test-secret-shared-by-every-worker"
EDIT_SHARE = 0.4  # the share of saves that edit one of the thread's own articles instead of writing a new one
SAVED = re.compile(r"/admin/articles/(\d+)/edit$")
TOKEN = re.compile(r"Crash save (crash\d{5})")


@dataclass
class Save:
    """One POST of the editor form: its token, the article it edits (None: new) and how it was answered."""

    token: str
    article_id: int | None
    status: int | None = None  # None: no answer (the server was killed)

    @property
    def acknowledged(self) -> bool:
        """Tell whether the editor was told the save worked."""
        return self.status == 302


@dataclass
class Ledger:
    """Every save of the run, in the order each article received them."""

    total: int
    attempted: int = 0
    saves: list[Save] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def claim(self) -> int | None:
        """Return the next save number, or None when all have been attempted."""
        with self.lock:
            if self.attempted == self.total:
                return None
            self.attempted += 1
            return self.attempted


class Server:
    """gunicorn in a process group of its own, so one signal reaches the master and every worker."""

    def __init__(self, env: dict, workers: int, log: Path):
        self.env, self.log, self.port = env, log, free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-w", str(workers)]
        self.command += ["-b", f"127.0.0.1:{self.port}", "wsgi:app"]
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start gunicorn and wait until it serves the home page."""
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdout=out, stderr=out, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited; see {self.log}")
            try:
                if Browser(self.base).request("/")[0] == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.1)
        sys.exit(f"gunicorn did not answer within 60 s; see {self.log}")

    def kill(self) -> None:
        """SIGKILL the master and its workers at once, as a power cut or the OOM killer would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        """Stop gunicorn gracefully."""
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)


def flask(env: dict, *args: str) -> subprocess.CompletedProcess:
    """Run a flask command on the instance; exit with its output if it fails."""
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "blogapp", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0 and args[:2] != ("search", "check"):
        sys.exit(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done


def prepare(folder: Path) -> dict[str, str]:
    """Create the instance: schema, demo categories and articles, one editor."""
    env = instance_env(folder, SECRET_KEY)  # sessions outlive restarts, as in production
    flask(env, "init")
    flask(env, "seed-demo")
    flask(env, "users", "create", "--email", EMAIL, "--role", "editor", "--name", "Crash Ed", "--password", PASSWORD)
    return env


def _get_form(browser: Browser, path: str) -> dict[str, str]:
    """Return the editor form at `path`, waiting while the server is down or restarting."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            status, _, html = browser.request(path)
        except (OSError, http.client.HTTPException):
            status, html = None, ""
        if status == 200:
            return form_fields(html)
        if status not in (None, 503):
            raise RuntimeError(f"GET {path} answered {status}")
        time.sleep(0.1)
    raise RuntimeError(f"GET {path} did not answer within 120 s")


def _save_once(browser: Browser, ledger: Ledger, number: int, mine: list[int], rng: random.Random) -> None:
    """Fill the editor form with a new token, POST it and record how it was answered."""
    article_id = rng.choice(mine) if mine and rng.random() < EDIT_SHARE else None
    path = f"/admin/articles/{article_id}/edit" if article_id else "/admin/articles/new"
    fields = _get_form(browser, path)
    save = Save(token=f"crash{number:05d}", article_id=article_id)
    fields.update(title=f"Crash save {save.token}", body=f"Written as {save.token}.", status="published", save="Save")
    try:
        save.status, headers, _ = browser.request(path, fields)
    except (OSError, http.client.HTTPException):
        headers = {}
    if save.acknowledged and article_id is None:
        save.article_id = int(SAVED.search(headers["Location"])[1])
        mine.append(save.article_id)
    with ledger.lock:
        ledger.saves.append(save)


def editor(base: str, ledger: Ledger, seed: int) -> None:
    """Sign in, then save until the ledger's saves are all attempted."""
    browser, rng, mine = Browser(base), random.Random(seed), []
    try:
        fields = _get_form(browser, "/login")
        status, _, _ = browser.request("/login", {**fields, "email": EMAIL, "password": PASSWORD})
        if status != 302:
            raise RuntimeError(f"sign-in answered {status}")
        while (number := ledger.claim()) is not None:
            _save_once(browser, ledger, number, mine, rng)
    except Exception as exc:  # reported at the end, not lost in the thread
        ledger.errors.append(f"{type(exc).__name__}: {exc}")


def drive(server: Server, ledger: Ledger, threads: int, kills: int, rng: random.Random) -> list[int]:
    """Run the editors; kill and restart the server at random points. Return after which saves it was killed."""
    workers = [threading.Thread(target=editor, args=(server.base, ledger, rng.random())) for _ in range(threads)]
    for worker in workers:
        worker.start()
    points = sorted(rng.sample(range(ledger.total // 10, ledger.total * 9 // 10), kills))
    for point in points:
        while ledger.attempted < point and any(worker.is_alive() for worker in workers):
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.05))  # land anywhere in a request: parsing, committing, draining the queue
        server.kill()
        server.start()
    for worker in workers:
        worker.join()
    return points


def wait_for_drained_queue(env: dict, timeout: float = 60) -> str:
    """Run `flask search check` until the queue is empty (the workers apply it); return its last output."""
    deadline = time.monotonic() + timeout
    while True:
        done = flask(env, "search", "check")
        output = done.stdout + done.stderr
        if "queued: 0" in output or time.monotonic() > deadline:
            return output
        time.sleep(0.5)


def lost_saves(db_path: Path, saves: list[Save]) -> tuple[list[str], dict[int, str]]:
    """Return the acknowledged saves missing from the database, and each saved-to article's current title."""
    with connect(db_path) as connection:
        revisions = set(connection.execute("SELECT article_id, title FROM revisions"))
        current = {row[0]: row[1:] for row in connection.execute("SELECT id, title, body, status FROM articles")}
    lost = [s.token for s in saves if s.acknowledged and (s.article_id, f"Crash save {s.token}") not in revisions]
    history: dict[int, list[Save]] = {}
    for save in saves:
        if save.article_id is not None:
            history.setdefault(save.article_id, []).append(save)
    titles = {}
    for article_id, edits in history.items():
        title, body, status = current.get(article_id, ("", "", ""))
        titles[article_id] = title
        last_ack = max((i for i, s in enumerate(edits) if s.acknowledged), default=-1)
        # The last acknowledged save, or a later one whose answer was cut off by a kill, must be what is stored.
        allowed = {edits[last_ack].token} if last_ack >= 0 else set()
        allowed |= {s.token for s in edits[last_ack + 1 :] if s.status is None}
        token = TOKEN.fullmatch(title)
        if not token or token[1] not in allowed or f"Written as {token[1]}." != body or status != "published":
            lost.append(f"article {article_id} holds {title!r}, not one of {sorted(allowed)}")
    return lost, titles


def index_titles(folder: Path) -> dict[int, list[str]]:
    """Return the stored titles of each article's documents in the instance's index (one, unless duplicated)."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'blog.sqlite'}",
            "SEARCH_INDEX_DIR": str(folder / "search-index"),
        }
        | {"SECRET_KEY": SECRET_KEY, "SEARCH_SYNONYMS_FILE": str(folder / "synonyms.txt")}
    )
    titles: dict[int, list[str]] = {}
    with app.app_context():
        stored = get_index().run(lambda searcher: list(searcher.all_stored_fields()))
    for fields in stored:
        titles.setdefault(int(fields["id"]), []).append(fields["title"])
    return titles


def server_errors(log: Path) -> list[str]:
    """Return the access-log lines of answers 500 and up other than 503 (busy), and any traceback."""
    text = log.read_text(errors="replace")
    answers = re.findall(r'"(?:GET|POST) (\S+) HTTP/1\.\d" (5\d\d) ', text)
    errors = [f"{path} {status}" for path, status in answers if status != "503"]
    return errors + re.findall(r"^Traceback.*$", text, re.M)


def report(ledger: Ledger, points: list[int], lost: list[str], in_index: int, articles: int, check: str, errors):
    """Print the counts; return whether the run passed."""
    answered: dict[str, int] = {}
    for save in ledger.saves:
        answered[str(save.status or "none")] = answered.get(str(save.status or "none"), 0) + 1
    drift = re.search(r"missing: (\d+)\s+stale: (\d+)\s+extra: (\d+)\s+queued: (\d+)", check)
    print(f"saves attempted: {ledger.attempted}  acknowledged: {answered.get('302', 0)}  answers: {answered}")
    print(f"kills: {len(points)} (after save {', '.join(map(str, points))})")
    print(f"lost: {len(lost)}")
    print(f"articles saved to: {articles}  in index once with their current title: {in_index}")
    print(f"search check: {check.strip()}")
    print(f"server errors: {len(errors)}  editor errors: {len(ledger.errors)}")
    for line in [*lost[:20], *errors[:20], *ledger.errors]:
        print(f"  {line}")
    clean = drift is not None and drift.groups() == ("0", "0", "0", "0")
    return not lost and clean and in_index == articles and not errors and not ledger.errors


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
    server = Server(env, options.workers, folder / "gunicorn.log")
    server.start()
    ledger = Ledger(total=options.saves)
    started = time.monotonic()
    points = drive(server, ledger, options.threads, options.kills, random.Random(seed))
    check = wait_for_drained_queue(env)
    server.stop()
    print(f"stream took {time.monotonic() - started:.1f} s")
    lost, titles = lost_saves(folder / "blog.sqlite", ledger.saves)
    indexed = index_titles(folder)
    acked = {s.article_id for s in ledger.saves if s.acknowledged}
    in_index = sum(1 for article_id in acked if indexed.get(article_id) == [titles[article_id]])
    passed = report(ledger, points, lost, in_index, len(acked), check, server_errors(server.log))
    if not passed:
        sys.exit(f"FAILED; the instance is kept in {folder}")
    if not options.keep:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
