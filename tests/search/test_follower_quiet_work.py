"""A follower applies the log first: related lists and segment merges wait until no notification is pending."""

from sqlalchemy import select

from blogapp.extensions import db
from blogapp.models import RelatedList
from blogapp.search import get_index, writer

NICOTINE = "Varenicline helps smokers quit nicotine with fewer cravings."


def kept(article_id: int) -> list[int] | None:
    db.session.rollback()
    return db.session.scalar(select(RelatedList.related_ids).where(RelatedList.article_id == article_id))


def test_held_changes_are_searchable_at_once_and_their_lists_come_on_release(ctx, publish):
    guide = publish("Varenicline guide", NICOTINE)
    index = get_index()
    index.hold_changes()
    try:
        quitting = publish("Quitting nicotine", "Nicotine cravings ease; varenicline and patches help smokers quit.")
        assert index.run(lambda searcher: searcher.doc_count()) == 2  # applied: searchable
        assert kept(quitting.id) is None and index.held_changes() == 1
    finally:
        index.release_changes()
    assert kept(quitting.id) == [guide.id] and index.held_changes() == 0


def test_applies_leave_merging_to_a_quiet_moment(ctx, publish, monkeypatch):
    monkeypatch.setattr(writer, "MERGE_AT_SEGMENTS", 4)
    index = get_index()
    for number in range(6):
        publish(f"Article {number}")
    assert len(index.open()._segments()) == 6  # not merged on the way: each apply only adds its segment
    index.merge_when_due()
    assert len(index.open()._segments()) < 6
    assert index.run(lambda searcher: searcher.doc_count()) == 6 and index.check().clean


def test_segments_piling_up_past_twice_the_bound_are_merged_by_the_apply(ctx, publish, monkeypatch):
    monkeypatch.setattr(writer, "MERGE_AT_SEGMENTS", 2)
    for number in range(8):
        publish(f"Article {number}")
    assert len(get_index().open()._segments()) < 8 and get_index().check().clean
