"""The change log every node follows: positions kept in the index, nothing skipped, pruning, rebuilds when told."""

from datetime import timedelta

import pytest
from databases import TEST_DATABASE_URL
from sqlalchemy import func, select, update

from blogapp.extensions import db
from blogapp.models import Article, SearchChange, SearchNode, utcnow
from blogapp.search import changelog, get_index
from blogapp.search.follower import Follower


def indexed_titles() -> set[str]:
    return get_index().run(lambda searcher: {fields["title"] for fields in searcher.all_stored_fields()})


def logged() -> int:
    return db.session.scalar(select(func.count(SearchChange.id)))


def follower(node: str, silent: float = 3600) -> Follower:
    return Follower(get_index(), node, poll=0.1, report_every=0, silent=silent)


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="SQLite hands out ids under its one write lock, in commit order")
@pytest.mark.parametrize("first_writer", ["slow", "fast"])
def test_change_committed_late_with_a_lower_log_id_is_not_skipped(ctx, publish, first_writer):
    """Two overlapping transactions: the one holding the lower log id commits second, after a drain."""
    slow_article, fast_article = publish("Slow original"), publish("Fast original")
    index = get_index()
    slow, fast = db.engine.connect(), db.engine.connect()
    slow_transaction, fast_transaction = slow.begin(), fast.begin()

    def rename(connection, article, title):
        connection.execute(update(Article).where(Article.id == article.id).values(title=title))

    if first_writer == "fast":
        rename(fast, fast_article, "Fast renamed")  # the fast one starts writing first
    rename(slow, slow_article, "Slow renamed")
    changelog.append(slow, [slow_article.id])  # the slow one takes the lower log id
    if first_writer == "slow":
        rename(fast, fast_article, "Fast renamed")
    changelog.append(fast, [fast_article.id])
    fast_transaction.commit()
    index.drain()
    assert indexed_titles() == {"Slow original", "Fast renamed"}
    slow_transaction.commit()
    index.drain()
    slow.close()
    fast.close()
    assert indexed_titles() == {"Slow renamed", "Fast renamed"}
    assert index.pending() == 0 and index.check().clean


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="SQLite hands out ids under its one write lock, in commit order")
def test_rebuild_keeps_a_change_committed_late_while_articles_are_read(ctx, publish):
    article = publish("Before")
    slow = db.engine.connect()
    slow_transaction = slow.begin()
    slow.execute(update(Article).where(Article.id == article.id).values(title="After"))
    changelog.append(slow, [article.id])

    def commit_the_slow_one_while_articles_are_read(_count):
        if slow_transaction.is_active:
            slow_transaction.commit()

    get_index().rebuild(progress=commit_the_slow_one_while_articles_are_read)
    slow.close()
    assert get_index().pending() == 1  # the rebuild may have read the article before the change: applied again
    get_index().drain()
    assert indexed_titles() == {"After"}


def test_position_is_kept_inside_the_index_and_a_copy_resumes_from_it(app, ctx, publish, tmp_path):
    import shutil

    publish("First")
    kept = get_index().position()
    assert kept > 0
    shutil.copytree(app.config["SEARCH_INDEX_DIR"], tmp_path / "copy")
    publish("Second")
    assert get_index().position() > kept
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    shutil.copytree(tmp_path / "copy", app.config["SEARCH_INDEX_DIR"])  # restored from the copy
    assert get_index().position() == kept and get_index().pending() == 1
    get_index().drain()
    assert indexed_titles() == {"First", "Second"} and get_index().check().clean


def test_every_node_applies_the_log_and_entries_are_pruned_once_all_passed(ctx, publish):
    publish("Seen by all")
    first, second = follower("node-a"), follower("node-b")
    first.step(), second.step()
    assert {node.name for node in changelog.nodes()} == {"node-a", "node-b"}
    publish("Second article")
    before = logged()
    assert before > 0
    # node-b reports an older position: nothing it has not passed may go.
    db.session.execute(update(SearchNode).where(SearchNode.name == "node-b").values(position=0))
    db.session.commit()
    first.step()
    assert changelog.prune(3600) == 0 and logged() == before
    second.step()  # reports, then prunes what both have passed
    assert logged() == 0


def test_silent_node_stops_holding_the_log_back_and_rebuilds_when_it_returns(ctx, publish):
    publish("Kept by everyone")
    active, silent = follower("active"), follower("silent")
    active.step(), silent.step()
    two_hours_ago = utcnow() - timedelta(hours=2)
    db.session.execute(update(SearchNode).where(SearchNode.name == "silent").values(reported_at=two_hours_ago))
    db.session.commit()
    away = publish("While it was away")
    active.step()  # reports, tells the silent node to rebuild, prunes what the active one has passed
    assert logged() == 0
    assert db.session.get(SearchNode, "silent").must_rebuild
    db.session.rollback()
    with get_index().open().writer() as writer:  # what the silent node lacks: the pruned change never reaches it
        writer.delete_by_term("id", str(away.id))
    silent.step()
    assert not db.session.get(SearchNode, "silent").must_rebuild
    assert indexed_titles() == {"Kept by everyone", "While it was away"} and get_index().check().clean


def test_node_started_with_no_index_builds_it_then_follows(app, ctx, publish):
    import shutil

    publish("Already there")
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    node = follower("fresh")
    node.step()
    assert indexed_titles() == {"Already there"}
    publish("Written after")
    db.session.execute(update(Article).values(title="Renamed behind its back"))
    changelog.append(db.session.connection(), [a.id for a in db.session.scalars(select(Article))])
    db.session.commit()
    node.step()
    assert indexed_titles() == {"Renamed behind its back"} and get_index().check().clean


def test_search_check_reports_position_lag_and_drift(runner, publish):
    publish("Checked")
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 0, result.output
    assert f"log position: {get_index().position()}  lag: 0.0 s" in result.output
    assert "missing: 0  stale: 0  extra: 0  queued: 0" in result.output


def test_index_restored_from_a_copy_older_than_the_pruned_log_is_rebuilt(app, ctx, publish, tmp_path):
    import shutil

    node = follower("restored")
    publish("First")
    node.step()
    shutil.copytree(app.config["SEARCH_INDEX_DIR"], tmp_path / "copy")
    publish("Second")
    node.step()  # the only node has passed the second change: it is pruned
    assert logged() == 0
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    shutil.copytree(tmp_path / "copy", app.config["SEARCH_INDEX_DIR"])
    node.step()
    assert indexed_titles() == {"First", "Second"} and get_index().check().clean
