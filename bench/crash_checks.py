"""What the crash test checks after the run: lost saves, the index's documents, the server's errors; the report."""

import re
import time
from pathlib import Path
from sqlite3 import connect

import servers

from bench.crash_editors import Ledger, Save
from blogapp import create_app
from blogapp.search import get_index
from blogapp.search.page_docs import page_id_of

TOKEN = re.compile(r"Crash save (crash\d{5})")


def wait_for_drained_queue(env: dict, timeout: float = 60) -> str:
    """Run `flask search check` until the queue is empty (the workers apply it); return its last output."""
    deadline = time.monotonic() + timeout
    while True:
        done = servers.flask(env, "search", "check")  # exits 1 on drift, which the report shows
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


def index_titles(folder: Path, secret_key: str) -> dict[int, list[str]]:
    """Return the stored titles of each article's documents in the instance's index (one, unless duplicated)."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'blog.sqlite'}",
            "SEARCH_INDEX_DIR": str(folder / "search-index"),
        }
        | {"SECRET_KEY": secret_key, "SEARCH_SYNONYMS_FILE": str(folder / "synonyms.txt")}
    )
    titles: dict[int, list[str]] = {}
    with app.app_context():
        stored = get_index().run(lambda searcher: list(searcher.all_stored_fields()))
    for fields in stored:
        if page_id_of(fields["id"]) is None:  # the demo's pages are indexed too; the checks are about articles
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
