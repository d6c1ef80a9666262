"""Article queries for readers and the changes shared by commands, importers and editors."""

from datetime import datetime

from flask import abort
from sqlalchemy import Select, func, select
from sqlalchemy.orm import defer, joinedload

from . import freshness
from .extensions import db
from .markup import slugify
from .models import Article, ArticleStatus, Author, Category, Redirect, Revision, Tag, User, article_tags, utcnow
from .revisions import snapshot


def _listing_options(with_body: bool = False) -> tuple:
    body = () if with_body else (defer(Article.body), defer(Article.body_html), defer(Article.toc))
    return (joinedload(Article.category), joinedload(Article.author), defer(Article.references), *body)


def published(now: datetime | None = None, *, with_body: bool = False) -> Select:
    """Select articles readers may see, newest first, with what a listing shows (the body only if asked)."""
    return (
        select(Article)
        .where(Article.visible(now))
        .options(*_listing_options(with_body))
        .order_by(Article.published_at.desc(), Article.id.desc())
    )


# No listing has this many pages; a larger ?page= would overflow the database's integers as an offset.
MAX_PAGE = 1_000_000


def check_page(page: int, pages: int | None = None) -> None:
    """Answer 404 for a page number before the first, or after the last of `pages` (when known)."""
    if not 1 <= page <= MAX_PAGE or (pages is not None and page > max(pages, 1)):
        abort(404)


def paginate(stmt: Select, page: int, per_page: int):
    """Return a page of `stmt`, or 404 for pages before the first or after the last."""
    check_page(page)
    pagination = db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    check_page(page, pagination.pages)
    return pagination


def recent(limit: int = 5) -> list[Article]:
    """Return the newest visible articles."""
    return list(db.session.scalars(published().limit(limit)))


def newest_in_category(category_id: int, limit: int = 5) -> list[Article]:
    """Return the newest visible articles of a category."""
    return list(db.session.scalars(published().where(Article.category_id == category_id).limit(limit)))


def categories_with_counts() -> list[tuple[Category, int]]:
    """Return every category with its number of visible articles, by name."""
    count = (
        select(Article.category_id, func.count(Article.id).label("n"))
        .where(Article.visible())
        .group_by(Article.category_id)
        .subquery()
    )
    stmt = (
        select(Category, func.coalesce(count.c.n, 0))
        .outerjoin(count, count.c.category_id == Category.id)
        .order_by(Category.name, Category.id)
    )
    return [(category, n) for category, n in db.session.execute(stmt)]


TAG_NAME_CHARS = Tag.name.type.length  # PostgreSQL refuses longer names, where SQLite keeps them


def get_or_create_tag(name: str) -> Tag:
    """Return the tag whose slug matches `name`, creating it if needed."""
    slug = slugify(name)
    pending = (obj for obj in db.session.new if isinstance(obj, Tag) and obj.slug == slug)
    tag = next(pending, None) or db.session.scalar(select(Tag).where(Tag.slug == slug))
    if tag is None:
        tag = Tag(slug=slug, name=name.strip()[:TAG_NAME_CHARS])
        db.session.add(tag)
    return tag


def save_article(
    article: Article,
    *,
    title: str,
    body: str,
    summary: str,
    category: Category,
    author: Author,
    tags: list[str],
    status: ArticleStatus,
    published_at: datetime | None,
    slug: str | None = None,
    updated_at: datetime | None = None,
    references: list[dict] | None = None,
    editor: User | None = None,
    record_revision: bool = True,
) -> Article:
    """Apply an edit to an article (new or existing), record it as a revision; the caller commits."""
    names_by_slug = {slugify(name): name for name in tags if slugify(name)}
    with db.session.no_autoflush:
        article.tags = [get_or_create_tag(name) for name in names_by_slug.values()]
        _keep_old_address(article, slug or article.slug or slugify(title))
    article.title = title.strip()
    article.slug = slug or article.slug or slugify(title)
    article.summary = summary.strip()
    article.set_body(body)
    article.category = category
    article.author = author
    article.status = status
    article.published_at = published_at
    article.updated_at = updated_at or utcnow()
    if references is not None:
        article.references = references
    db.session.add(article)
    if record_revision:  # off when an archive brings the article's own history along
        db.session.add(Revision(article=article, user=editor, created_at=article.updated_at, **snapshot(article)))
    return article


def _keep_old_address(article: Article, new_slug: str) -> None:
    """Redirect the old URL of a live article whose slug changes; free the new URL if it was a redirect."""
    new_path = normalise_old_path(f"/articles/{new_slug}/")
    db.session.execute(db.delete(Redirect).where(Redirect.old_path == new_path))
    if article.id is not None and article.slug != new_slug and article.is_indexable:
        old_path = normalise_old_path(f"/articles/{article.slug}/")
        db.session.execute(db.delete(Redirect).where(Redirect.old_path == old_path))
        db.session.add(Redirect(old_path=old_path, article=article))


def taxonomy_names() -> dict[str, dict[str, str]]:
    """Return the name of every category and tag by slug, as search facets and filters show them."""
    # Once per content version: every search page shows facets, and the names change only with the content.
    return {
        kind: freshness.remember(f"names:{kind}", lambda model=model: _names_by_slug(model))
        for kind, model in (("category", Category), ("tag", Tag))
    }


def _names_by_slug(model) -> dict[str, str]:
    return dict(db.session.execute(select(model.slug, model.name)).all())


def slugs_by_id(ids: list[int]) -> dict[int, str]:
    """Return the slugs of the visible articles among `ids`."""
    if not ids:
        return {}
    stmt = select(Article.id, Article.slug, Article.visible().label("visible")).where(Article.id.in_(ids))
    return {row.id: row.slug for row in db.session.execute(stmt) if row.visible}


def related_categories(text: str, limit: int = 6) -> list[tuple[Category, int]]:
    """Return the categories whose name or description shares a word with `text`, else the largest ones."""
    words = {word for word in slugify(text).split("-") if len(word) >= 3}

    def overlap(item: tuple[Category, int]) -> int:
        category, _ = item
        return len(words & set(slugify(f"{category.name} {category.description}").split("-")))

    ranked = sorted(categories_with_counts(), key=lambda item: (-overlap(item), -item[1]))
    return [item for item in ranked if item[1]][:limit]


def sitemap_entries(offset: int, limit: int) -> list[tuple[str, dict, datetime | None]]:
    """Return (endpoint, url values, last modified) for sitemap URLs offset..offset+limit, pages before articles."""
    latest = func.max(Article.updated_at)
    visible = Article.visible()
    # Correlated by hand: Article.tags.any() would bring its own `tags` into the EXISTS, not this row's tag.
    tagged = select(article_tags.c.article_id).where(article_tags.c.tag_id == Tag.id).correlate(Tag)
    pages: list[tuple[str, dict, datetime | None]] = [
        ("reader.index", {}, db.session.scalar(select(latest).where(visible))),
        ("reader.categories", {}, db.session.scalar(select(latest).where(visible))),
    ]
    for model, endpoint, condition in (
        (Category, "reader.category", Article.category_id == Category.id),
        (Author, "reader.author", Article.author_id == Author.id),
        (Tag, "reader.tag", Article.id.in_(tagged)),
    ):
        modified = select(latest).where(visible, condition).correlate(model).scalar_subquery()
        rows = db.session.execute(select(model.slug, modified).order_by(model.id))
        pages += [(endpoint, {"slug": slug}, when) for slug, when in rows]
    chosen = pages[offset : offset + limit]
    skip = max(0, offset - len(pages))
    remaining = limit - len(chosen)
    if remaining > 0:
        stmt = select(Article.slug, Article.updated_at).where(visible).order_by(Article.id)
        rows = db.session.execute(stmt.offset(skip).limit(remaining))
        chosen += [("reader.article", {"slug": slug}, modified) for slug, modified in rows]
    return chosen


def normalise_old_path(path: str, query: str = "") -> str:
    """Return the form old addresses are stored in: a leading slash, a trailing slash, `?p=N` kept."""
    path = "/" + path.strip("/") + ("/" if path.strip("/") else "")
    return f"{path}?{query}" if query else path


def redirect_target(path: str, query: str = "") -> Redirect | None:
    """Return the redirect for an old address if its article is visible or it points to a category or tag."""
    stmt = (
        select(Redirect)
        .outerjoin(Redirect.article)
        .where(
            Redirect.old_path == normalise_old_path(path, query),
            Article.visible() | Redirect.article_id.is_(None),
        )
    )
    return db.session.scalar(stmt)
