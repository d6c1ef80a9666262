"""The index follows the database through the change log: on commit, not on rollback, after a failed index write."""

import os

import pytest
from sqlalchemy import select

from blogapp.extensions import db
from blogapp.models import Article, ArticleStatus, SearchChange
from blogapp.search import changelog, get_index


def indexed_titles() -> set[str]:
    with get_index().open().searcher() as searcher:
        return {fields["title"] for fields in searcher.all_stored_fields()}


def test_create_update_delete_follow_commits(publish):
    article = publish("Naltrexone basics", "How naltrexone works.")
    assert indexed_titles() == {"Naltrexone basics"}
    article.title = "Naltrexone explained"
    db.session.commit()
    assert indexed_titles() == {"Naltrexone explained"}
    db.session.delete(article)
    db.session.commit()
    assert indexed_titles() == set()
    assert get_index().pending() == 0


def test_unpublishing_removes_from_index(publish):
    article = publish("Soon a draft")
    article.status = ArticleStatus.DRAFT
    db.session.commit()
    assert indexed_titles() == set()


def test_rollback_leaves_index_and_log_untouched(publish):
    article = publish("Stable title")
    logged = db.session.scalar(select(db.func.count(SearchChange.id)))
    article.title = "Rolled back title"
    db.session.flush()
    assert db.session.scalar(select(db.func.count(SearchChange.id))) == logged + 1
    db.session.rollback()
    assert indexed_titles() == {"Stable title"}
    assert get_index().pending() == 0


def test_category_rename_reindexes_its_articles(client, publish):
    publish("Patch guide", "About patches.")
    publish.category.name = "Smoking cessation"
    db.session.commit()
    assert "1 result" in client.get("/search?q=cessation").get_data(as_text=True)


def test_tag_added_to_article_is_searchable(client, publish):
    article = publish("Oxygen therapy", "High-flow oxygen.", tags=["cluster headache"])
    assert "1 result" in client.get("/search?q=cluster").get_data(as_text=True)
    assert article.tags[0].slug == "cluster-headache"


def test_failed_index_write_is_kept_and_applied_later(app, publish):
    index = get_index()
    publish("First article")
    blocker = index.open().writer()  # another process holding Whoosh's lock
    try:
        publish("Written while locked")
        assert index.pending() == 1
        assert indexed_titles() == {"First article"}
    finally:
        blocker.cancel()
    index.wait_for_retry(10)
    assert index.pending() == 0
    assert indexed_titles() == {"First article", "Written while locked"}


def test_change_left_by_a_dead_process_is_drained_on_next_request(app, client, publish):
    index = get_index()
    article = publish("Before the crash")
    # A bulk update fires no per-object hook: this commit leaves a log entry that nobody applied,
    # as when a process is killed between its commit and its index write.
    db.session.execute(db.update(Article).values(title="After the crash"))
    changelog.append(db.session.connection(), [article.id])
    db.session.commit()
    assert index.pending() == 1
    assert indexed_titles() == {"Before the crash"}
    client.get("/")
    index.wait_for_retry(10)
    assert index.pending() == 0
    assert indexed_titles() == {"After the crash"}


def test_check_finds_drift_and_rebuild_fixes_it(runner, publish):
    keep = publish("Kept article")
    publish("Deleted behind the index's back")
    writer = get_index().open().writer()
    writer.delete_by_term("id", str(keep.id))
    writer.commit()
    db.session.execute(db.update(Article).where(Article.id != keep.id).values(title="Silently renamed"))
    db.session.info.clear()  # nothing logged: the rename is behind the index's back
    db.session.commit()

    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1
    assert "missing: 1  stale: 1  extra: 0" in result.output

    result = runner.invoke(args=["search", "rebuild"])
    assert result.exit_code == 0 and "Indexed 2 articles" in result.output
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 0, result.output
    assert indexed_titles() == {"Kept article", "Silently renamed"}


def test_rebuild_restores_a_deleted_index(app, runner, client, publish):
    import shutil

    publish("Comes back")
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    assert client.get("/search?q=comes").status_code == 503
    assert runner.invoke(args=["search", "check"]).exit_code == 1
    assert runner.invoke(args=["search", "rebuild"]).exit_code == 0
    assert "1 result" in client.get("/search?q=comes").get_data(as_text=True)


@pytest.mark.parametrize("status", [ArticleStatus.PUBLISHED, ArticleStatus.SCHEDULED])
def test_indexable_statuses_are_indexed(publish, status):
    publish("Indexed kind", status=status, hours_ago=-1 if status == ArticleStatus.SCHEDULED else 1)
    assert indexed_titles() == {"Indexed kind"}


def test_repeated_updates_never_show_an_article_twice(client, publish):
    article = publish("Naltrexone guide", "About naltrexone.")
    for round_ in range(12):
        assert client.get("/search?q=naltrexone").get_data(as_text=True).count('class="result"') == 1, round_
        article.title = f"Naltrexone guide, revision {round_}"
        db.session.commit()
    page = client.get("/search?q=naltrexone").get_data(as_text=True)
    assert page.count('class="result"') == 1 and "revision 11" in page


def test_new_article_queues_only_itself_not_its_category(publish):
    from blogapp.content.articles import save_article
    from blogapp.models import utcnow

    for number in range(3):
        publish(f"Existing {number}", tags=["shared"])
    assert len(publish.category.articles) == 3  # a loaded collection is what the new article joins
    logged = db.session.scalar(select(db.func.count(SearchChange.id)))
    save_article(
        Article(),
        title="Newcomer",
        body="x",
        summary="",
        category=publish.category,
        author=publish.author,
        tags=["shared"],
        status=ArticleStatus.PUBLISHED,
        published_at=utcnow(),
    )
    db.session.flush()
    assert db.session.scalar(select(db.func.count(SearchChange.id))) == logged + 1
    db.session.commit()


def test_overwritten_index_files_make_search_503_and_pages_keep_working(app, client, publish):
    publish("Still readable")
    folder = app.config["SEARCH_INDEX_DIR"]
    for name in os.listdir(folder):
        with open(os.path.join(folder, name), "wb") as damaged:
            damaged.write(b"not a whoosh file" * 8)
    assert client.get("/articles/still-readable/").status_code == 200
    assert client.get("/").status_code == 200
    assert client.get("/search?q=readable").status_code == 503


def test_index_version_survives_a_commit_replacing_its_table_of_contents(client, publish, monkeypatch):
    publish("Nicotine gum", "Nicotine gum helps.")
    expected = get_index().version()
    real_stat = os.stat
    vanished = []

    def stat_after_another_commit(path, *args, **kwargs):
        if "_MAIN_" in str(path) and not vanished:  # the listed table of contents was replaced meanwhile
            vanished.append(path)
            raise FileNotFoundError(path)
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat_after_another_commit)
    assert get_index().version() == expected and vanished
    assert "1 result" in client.get("/search?q=nicotine").get_data(as_text=True)
