"""A tag's listing reads a page one of two ways, by the share of articles that carry the tag: both list the same."""

from sqlalchemy import select

from blogapp.extensions import db
from blogapp.models import Tag, utcnow
from blogapp.reader import listings


def _tag_id(slug: str) -> int:
    return db.session.scalar(select(Tag.id).where(Tag.slug == slug))


def test_dense_and_sparse_tag_walks_list_the_same_articles(publish):
    for n in range(12):
        publish(f"Article {n}", hours_ago=n + 1, tags=["common", "rare"] if n % 4 == 0 else ["common"])
    for slug, expected in (
        ("common", [f"Article {n}" for n in range(12)]),
        ("rare", ["Article 0", "Article 4", "Article 8"]),
    ):
        key = _tag_id(slug)
        for offset in range(0, 12, 5):
            walks = [
                [card.title for card in listings.newest(kind, 5, key, offset=offset)] for kind in ("tag", "dense tag")
            ]
            assert walks[0] == walks[1] == expected[offset : offset + 5], (slug, offset)
        pages = [listings.listing("tag", page, 5, key).items for page in range(1, (len(expected) + 4) // 5 + 1)]
        assert [card.title for page in pages for card in page] == expected


def test_tag_on_most_articles_reads_its_first_page_through_the_live_index(publish):
    for n in range(12):
        publish(f"Article {n}", hours_ago=n + 1, tags=["common"] if n else ["common", "rare"])
    assert listings._walks_fewer_than(total=12, wanted=5, now=utcnow())  # 5 of 12 tagged: a few rows walked
    assert not listings._walks_fewer_than(total=1, wanted=5, now=utcnow())  # 1 of 12: the tag's ids first
