"""Faults while serving: a deleted or read-only index, and a database locked past its busy timeout."""

import os
import re
import shutil
import sqlite3
import subprocess
from contextlib import contextmanager

import pytest
from servers import form_fields
from sqlalchemy import event, select

from blogapp.extensions import db
from blogapp.models import Article
from blogapp.search import changelog, get_index

BUSY_SECONDS = 0.2
BUSY_TEXT = "The site is busy for a moment"


def save(client, publish, title: str):
    """Write a published article through the editor form, as a browser would submit it."""
    fields = form_fields(client.get("/admin/articles/new").get_data(as_text=True))
    fields.update(title=title, body=f"{title}, in the body too.", category=str(publish.category.id), status="published")
    return client.post("/admin/articles/new", data={**fields, "save": "Save"})


def stored(title: str) -> Article | None:
    """Return the article with this title as the database holds it now."""
    db.session.expire_all()
    return db.session.scalar(select(Article).where(Article.title == title))


def search_finds(client, words: str, slug: str) -> bool:
    """Tell whether /search for `words` ranks the article at `slug` among its results."""
    html = client.get("/search", query_string={"q": words}).get_data(as_text=True)
    results = re.search(r'<ol class="results".*?</ol>', html, re.S)
    return results is not None and f'href="/articles/{slug}/' in results.group(0)


def assert_reader_pages_work(client, article: Article) -> None:
    """The home, article and category pages answer 200 (none of them needs the index)."""
    for path in ("/", f"/articles/{article.slug}/", f"/category/{article.category.slug}/"):
        assert client.get(path).status_code == 200, path


def test_queue_longer_than_a_batch_indexes_each_article_once(publish):
    """An outage leaves more logged changes than one drain batch holds, one article in two of the batches.

    A Whoosh writer cannot replace a document it has not committed yet, so applying that article once per batch
    would index it twice; found by bench/crash_saves.py, where saves kept queueing while a drain ran.
    """
    index = get_index()
    edited, other = publish("Edited before and after many others"), publish("Edited many times")
    rows = [edited.id, *[other.id] * index.batch, edited.id]
    changelog.append(db.session.connection(), rows)
    db.session.commit()
    assert index.drain() == len(rows)
    ids = index.run(lambda searcher: [fields["id"] for fields in searcher.all_stored_fields()])
    assert sorted(ids) == sorted([str(edited.id), str(other.id)])
    assert index.check().clean


def test_deleted_index_keeps_pages_and_saves_working_until_rebuild(app, client, publish, editor, runner):
    """The index directory is deleted while serving: reading and writing go on, search says it is unavailable.

    The app does not re-create the directory by itself: an empty index would answer searches with most articles
    missing and /healthz would call it healthy. What a self-hoster is told (by /healthz and the 503 page) is to
    run `flask search rebuild`; it rebuilds from the database, so the save made during the fault is in it, and the
    queue of changes left meanwhile is emptied.
    """
    before = publish("Published before the fault")
    assert search_finds(client, "fault", before.slug)  # this thread now holds an open searcher
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])

    assert_reader_pages_work(client, before)
    response = client.get("/search?q=fault")
    assert response.status_code == 503
    assert "Search is unavailable right now" in response.get_data(as_text=True)
    assert client.get("/search/suggest?q=fau").status_code == 503
    assert save(client, publish, "Saved while the index was gone").status_code == 302
    assert stored("Saved while the index was gone") is not None
    assert get_index().pending() >= 1
    health = client.get("/healthz")
    assert health.status_code == 503
    assert "search rebuild" in health.get_json()["search_index"]["error"]
    assert not os.path.exists(app.config["SEARCH_INDEX_DIR"])

    result = runner.invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    get_index().wait_for_retry(10)
    assert get_index().pending() == 0
    assert search_finds(client, "gone", stored("Saved while the index was gone").slug)
    assert client.get("/healthz").status_code == 200
    assert runner.invoke(args=["search", "check"]).exit_code == 0


@contextmanager
def read_only(folder: str):
    """Make the index directory and its files unwritable: by permissions, or for root by the immutable attribute.

    Root ignores permission bits, so as root this uses `chattr +i`, which refuses writes, new files, renames and
    deletions to root too (ext4, XFS, btrfs); without it (tmpfs, no CAP_LINUX_IMMUTABLE) the test is skipped.
    """
    paths = [folder, *(os.path.join(folder, name) for name in os.listdir(folder))]
    if os.geteuid() != 0:
        for path in paths:
            os.chmod(path, 0o555 if os.path.isdir(path) else 0o444)
        undo = lambda: [os.chmod(path, 0o755 if os.path.isdir(path) else 0o644) for path in paths]  # noqa: E731
    else:
        try:
            done = subprocess.run(["chattr", "+i", *paths], capture_output=True, text=True)
        except FileNotFoundError:
            pytest.skip("running as root, where only `chattr +i` makes a directory read-only, and chattr is missing")
        if done.returncode != 0:
            subprocess.run(["chattr", "-i", *paths], capture_output=True)
            pytest.skip(f"running as root and `chattr +i` is refused here: {done.stderr.strip()}")
        undo = lambda: subprocess.run(["chattr", "-i", *paths], check=True)  # noqa: E731
    try:
        yield
    finally:
        undo()


def test_read_only_index_keeps_search_and_queues_saves_until_writable(app, client, publish, editor):
    """The index directory turns read-only while serving (a restore as another user, a read-only mount).

    Unlike a deleted index, this one still opens: search keeps answering 200 with what it held, the save
    succeeds and its index change waits in the queue, and /healthz stays 200 (taking every server out of rotation
    would stop the reader pages too) but says the index is not writable. Once it is writable again, the
    background retry applies the queue without anyone running a command.
    """
    before = publish("Published before the fault")
    with read_only(app.config["SEARCH_INDEX_DIR"]):
        assert_reader_pages_work(client, before)
        assert search_finds(client, "fault", before.slug)
        assert save(client, publish, "Saved while read only").status_code == 302
        written = stored("Saved while read only")
        assert written is not None
        assert get_index().pending() >= 1
        assert not search_finds(client, "saved", written.slug)
        health = client.get("/healthz")
        assert health.status_code == 200
        assert health.get_json()["search_index"]["writable"] is False
    get_index().wait_for_retry(10)
    assert get_index().pending() == 0
    assert search_finds(client, "saved", written.slug)
    assert "writable" not in client.get("/healthz").get_json()["search_index"]


@pytest.fixture
def quick_busy(ctx):
    """Make SQLite give up on a lock after BUSY_SECONDS rather than the app's 5 s, and return the engine.

    The engine exists already with SQLITE_BUSY_TIMEOUT's 5 s as its connect timeout; its pool is emptied and
    new connections get the short one.
    """
    engine = db.engine
    db.session.close()  # a connection it held would go back to the disposed pool and stay open there

    def connect_quickly(_dialect, _record, _args, params):
        params["timeout"] = BUSY_SECONDS

    event.listen(engine, "do_connect", connect_quickly)
    engine.dispose()
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_SECONDS * 1000
    return engine


@contextmanager
def database_locked(engine, keep_readers_out: bool):
    """Hold SQLite's write lock from another connection; with `keep_readers_out`, lock the file against readers too.

    In WAL mode a writer's lock leaves readers alone; a connection in exclusive locking mode (as a maintenance
    tool might open the file) keeps everyone out, which it can only take while no other connection is open.
    """
    if keep_readers_out:
        db.session.close()
        engine.dispose()
    holder = sqlite3.connect(engine.url.database, isolation_level=None)
    try:
        if keep_readers_out:
            holder.execute("PRAGMA locking_mode=EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        yield
    finally:
        holder.close()  # ends the transaction and, in exclusive locking mode, the lock on the file


def assert_busy(response) -> None:
    """The busy page: 503, Retry-After, and no traceback."""
    body = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert BUSY_TEXT in body
    assert "Traceback" not in body and "OperationalError" not in body


@pytest.mark.sqlite_only("holds SQLite's own file locks")
def test_locked_database_refuses_a_save_with_the_busy_page_and_readers_go_on(client, publish, editor, quick_busy):
    """A writer holds the lock past the busy timeout: the save answers 503 busy, reader pages still answer 200."""
    article = publish("Published before the lock")
    with database_locked(quick_busy, keep_readers_out=False):
        assert_busy(save(client, publish, "Saved while locked"))
        assert_reader_pages_work(client, article)
    assert stored("Saved while locked") is None
    assert save(client, publish, "Saved while locked").status_code == 302
    assert stored("Saved while locked") is not None


@pytest.mark.sqlite_only("holds SQLite's own file locks")
def test_database_locked_against_readers_answers_busy_everywhere(client, publish, editor, quick_busy):
    """Even readers are locked out: reader pages and saves answer 503 busy; after the lock goes, both work."""
    article = publish("Published before the lock")
    path, fields = f"/category/{article.category.slug}/", form_fields(client.get("/admin/articles/new").text)
    fields.update(title="Saved while locked", category=str(publish.category.id), status="published", save="Save")
    with database_locked(quick_busy, keep_readers_out=True):
        assert_busy(client.get(path))
        assert_busy(client.post("/admin/articles/new", data=fields))
    assert client.get(path).status_code == 200
    assert stored("Saved while locked") is None
    assert client.post("/admin/articles/new", data=fields).status_code == 302
    assert stored("Saved while locked") is not None
