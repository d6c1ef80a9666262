"""Related articles: worked out once, kept in the database for every worker, refreshed as articles change."""

import shutil

from sqlalchemy import select

from blogapp import create_app
from blogapp.content.articles import set_body
from blogapp.extensions import db
from blogapp.models import ArticleStatus, RelatedList
from blogapp.search import get_index, related

NICOTINE = "Varenicline helps smokers quit nicotine with fewer cravings."
NEEDLES = "Acupuncture needles placed along the back ease chronic pain for some people."


def related_section(client, article) -> str:
    page = client.get(f"/articles/{article.slug}/").get_data(as_text=True)
    return page.split("Related articles")[1].split("</section>")[0] if "Related articles" in page else ""


def kept(article_id: int) -> list[int] | None:
    db.session.rollback()  # a fresh read: lists are written in transactions of their own
    return db.session.scalar(select(RelatedList.related_ids).where(RelatedList.article_id == article_id))


def test_a_list_worked_out_once_serves_every_worker_without_the_index(app, client, publish):
    guide = publish("Varenicline guide", NICOTINE)
    quitting = publish("Quitting nicotine", "Nicotine cravings ease; varenicline and patches help smokers quit.")
    assert kept(quitting.id) == [guide.id]  # worked out when it was indexed
    assert kept(guide.id) is None  # forgotten: the new article may belong in it
    assert "Quitting nicotine" in related_section(client, guide)
    assert kept(guide.id) == [quitting.id]
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    other_worker = create_app({**app.config, "TESTING": True})
    assert "Quitting nicotine" in related_section(other_worker.test_client(), guide)


def test_a_new_article_joins_the_lists_of_articles_like_it(client, publish):
    guide = publish("Varenicline guide", NICOTINE)
    publish("Acupuncture", NEEDLES)
    assert "Quitting nicotine" not in related_section(client, guide)
    assert kept(guide.id) is not None
    publish("Quitting nicotine", "Smokers quit nicotine with varenicline; cravings fade.")
    assert "Quitting nicotine" in related_section(client, guide)


def test_an_edited_article_gets_a_new_list(client, publish):
    guide = publish("Varenicline guide", NICOTINE)
    needles = publish("Acupuncture", NEEDLES)
    smoking = publish("Smoking", "Smokers who quit nicotine have cravings at first.")
    assert "Smoking" in related_section(client, guide)
    assert kept(guide.id)[0] == smoking.id
    set_body(guide, "Back pain and acupuncture: what the needles do for chronic pain.")
    db.session.commit()
    assert kept(guide.id)[0] == needles.id
    assert "Acupuncture" in related_section(client, guide)


def test_an_unpublished_article_leaves_the_lists_that_name_it(client, publish):
    guide = publish("Varenicline guide", NICOTINE)
    quitting = publish("Quitting nicotine", "Nicotine cravings ease; varenicline and patches help smokers quit.")
    assert "Quitting nicotine" in related_section(client, guide)
    quitting.status = ArticleStatus.DRAFT
    db.session.commit()
    assert kept(quitting.id) is None
    assert "Quitting nicotine" not in related_section(client, guide)


def test_many_changes_at_once_and_rebuilds_forget_every_list(client, publish, monkeypatch):
    monkeypatch.setattr(related, "REFRESH_AT_MOST", 1)
    guide = publish("Varenicline guide", NICOTINE)
    needles = publish("Acupuncture", NEEDLES)
    related_section(client, guide)
    assert kept(guide.id) is not None and kept(needles.id) is not None
    guide.title, needles.title = "Varenicline, updated", "Acupuncture, updated"
    db.session.commit()
    assert kept(guide.id) is None and kept(needles.id) is None
    related_section(client, guide)
    assert kept(guide.id) is not None
    get_index().rebuild()
    assert kept(guide.id) is None
