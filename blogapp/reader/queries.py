"""Reader queries that several pages share: which articles a listing or feed holds, links by id, names by slug."""

from datetime import datetime

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import defer, joinedload

from .. import caches
from ..content.raw_query import RawReader, id_params, ids_in, reading
from ..content.slugs import slugify
from ..content.taxonomy import category_counts
from ..content.version import remember
from ..extensions import db
from ..models import Article, Category, Tag, Upload, article_tags, utcnow
from .rows import IMAGE_COLUMNS, Link, Named, Topic, featured_image

# Which articles each listing and feed shows, as a condition on the key of its category, author or tag.
FILTERS = {
    "home": None,
    "category": lambda key: Article.category_id == key,
    "author": lambda key: Article.author_id == key,
    # The tag's article ids read once (uncorrelated), not an EXISTS per article: counting a tag's articles at
    # 100,000 took 80-85 ms that way, 18-41 ms this way (a tag of 290 or of 37,674 articles).
    "tag": lambda key: Article.id.in_(select(article_tags.c.article_id).where(article_tags.c.tag_id == key)),
}


def published(now: datetime | None = None, *, with_body: bool = False) -> Select:
    """Select articles readers may see, newest first, with what a listing shows (the body only if asked)."""
    body = () if with_body else (defer(Article.body), defer(Article.body_html), defer(Article.toc))
    return (
        select(Article)
        .where(Article.is_visible(now))
        .options(joinedload(Article.category), joinedload(Article.author), defer(Article.references), *body)
        .order_by(Article.published_at.desc(), Article.id.desc())
    )


@caches.memoize(
    "reader.links_by_id_count",
    maxsize=64,
    holds="the statement that reads links to N articles by id, for each N",
    cleared_by="nothing: a statement never changes",
)
def _links_by_ids(count: int):
    # Visibility is a column, not a condition: as a condition SQLite would read the live articles' index from end
    # to end instead of looking up the few ids. The featured image (search results' thumbnails) comes along.
    return (
        select(Article.id, Article.slug, Article.title, Article.published_at)
        .add_columns(Category.slug.label("category_slug"), Category.name.label("category_name"))
        .add_columns(Article.is_visible(bindparam("now")).label("visible"), *IMAGE_COLUMNS)
        .join(Category, Category.id == Article.category_id)
        .outerjoin(Upload, Upload.id == Article.featured_image_id)
        .where(ids_in(Article.id, count))
    )


def visible_links(reader: RawReader, ids: list[int], now: datetime) -> list[Link]:
    """Return links to the visible articles among `ids`, in their order, with their date, category and image."""
    if not ids:
        return []
    rows = reader.rows(_links_by_ids(len(ids)), now=now, **id_params(ids))
    found = {
        row.id: Link(
            row.id,
            row.slug,
            row.title,
            row.published_at,
            Named(row.category_slug, row.category_name),
            image=featured_image(row),
        )
        for row in rows
        if row.visible
    }
    return [found[i] for i in ids if i in found]  # rows come back in the database's order


def find_links(ids: list[int]) -> list[Link]:
    """Return links to the visible articles among `ids` in their order (search relevance, say)."""
    if not ids:
        return []
    with reading(db.engine) as reader:
        return visible_links(reader, ids, utcnow())


def slugs_by_id(ids: list[int]) -> dict[int, str]:
    """Return the slugs of the visible articles among `ids`."""
    return {link.id: link.slug for link in find_links(ids)}


def topic_counts() -> tuple[tuple[Topic, int], ...]:
    """Return every category, by name, with its number of visible articles, worked out once per content version."""
    # Counting every visible article by category took 45-50 ms of CPU at 100,000 articles, on each request of
    # the topics page, of a search with no results and of the sidebar.
    return remember("lists:topic-counts", _topic_counts)


def _topic_counts() -> tuple[tuple[Topic, int], ...]:
    return tuple((Topic(c.slug, c.name, c.description), n) for c, n in category_counts(visible_only=True))


def related_categories(text: str, limit: int = 6) -> list[tuple[Topic, int]]:
    """Return the categories whose name or description shares a word with `text`, else the largest ones."""
    words = {word for word in slugify(text).split("-") if len(word) >= 3}
    # Counted once per content version: every search with no results shows them (a count of every article).
    counted = remember("lists:category-words", _category_words)
    ranked = sorted(counted, key=lambda item: (-len(words & item[1]), -item[2]))
    return [(category, n) for category, _, n in ranked if n][:limit]


def _category_words() -> tuple[tuple[Topic, frozenset[str], int], ...]:
    """Return each category with the words of its name and description and its visible articles."""
    return tuple(
        (topic, frozenset(slugify(f"{topic.name} {topic.description}").split("-")), n) for topic, n in topic_counts()
    )


def taxonomy_names() -> dict[str, dict[str, str]]:
    """Return the name of every category and tag by slug, as search facets and filters show them."""
    # Once per content version: every search page shows facets, and the names change only with the content.
    return {
        kind: remember(f"names:{kind}", lambda model=model: _names_by_slug(model))
        for kind, model in (("category", Category), ("tag", Tag))
    }


def _names_by_slug(model) -> dict[str, str]:
    return dict(db.session.execute(select(model.slug, model.name)).all())
