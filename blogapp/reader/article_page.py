"""An article as its page shows it, read as plain rows: the page readers load most."""

from sqlalchemy import bindparam, select
from sqlalchemy.orm import aliased

from ..content.raw_query import reading
from ..extensions import db
from ..models import Article, Author, Category, RelatedList, Tag, Upload, User, article_tags, utcnow
from .queries import visible_links
from .rows import IMAGE_COLUMNS, WITH_CATEGORY_AND_AUTHOR, ArticlePage, Image, Named, featured_image

_REVIEWER = aliased(Author)
_PHOTO = aliased(Upload)  # the author's photo beside the byline, read with the author: no statement of its own
_PAGE = (
    select(
        Article.id,
        Article.slug,
        Article.title,
        Article.summary,
        Article.body_html,
        Article.body_text,
        Article.toc,
        Article.references,
        Article.published_at,
        Article.updated_at,
        Article.category_id,
        Category.slug.label("category_slug"),
        Category.name.label("category_name"),
        Author.slug.label("author_slug"),
        Author.name.label("author_name"),
        _PHOTO.filename.label("photo_filename"),
        _PHOTO.width.label("photo_width"),
        _PHOTO.height.label("photo_height"),
        _REVIEWER.slug.label("reviewer_slug"),
        _REVIEWER.name.label("reviewer_name"),
        Article.reviewed_at,
        RelatedList.related_ids,
        *IMAGE_COLUMNS,
    )
    .select_from(WITH_CATEGORY_AND_AUTHOR)
    .outerjoin(_PHOTO, _PHOTO.id == Author.photo_id)
    .outerjoin(User, User.id == Article.reviewer_id)
    .outerjoin(_REVIEWER, _REVIEWER.id == User.author_id)
    .outerjoin(RelatedList, RelatedList.article_id == Article.id)
    .where(Article.slug == bindparam("slug"), Article.is_visible(bindparam("now")))
)
_TAGS = (
    select(Tag.slug, Tag.name)
    .join(article_tags, article_tags.c.tag_id == Tag.id)
    .where(article_tags.c.article_id == bindparam("article_id"))
    .order_by(Tag.name)
)


def find_visible(slug: str) -> ArticlePage | None:
    """Return the visible article with this slug as its page shows it, if there is one."""
    now = utcnow()
    with reading(db.engine) as reader:
        row = reader.first(_PAGE, slug=slug, now=now)
        if row is None:
            return None
        tags = tuple(Named(tag.slug, tag.name) for tag in reader.rows(_TAGS, article_id=row.id))
        related = None if row.related_ids is None else tuple(visible_links(reader, row.related_ids, now))
    return ArticlePage(
        id=row.id,
        slug=row.slug,
        title=row.title,
        summary=row.summary,
        body_html=row.body_html,
        body_text=row.body_text,
        toc=row.toc,
        references=row.references,
        published_at=row.published_at,
        updated_at=row.updated_at,
        category_id=row.category_id,
        category=Named(row.category_slug, row.category_name),
        author=Named(row.author_slug, row.author_name),
        author_photo=_author_photo(row),
        reviewer=Named(row.reviewer_slug, row.reviewer_name) if row.reviewer_slug is not None else None,
        reviewed_at=row.reviewed_at,
        related=related,
        tags=tags,
        image=featured_image(row),
    )


def _author_photo(row) -> Image | None:
    """Return the author's photo of an article row, its alt text the author's name, or None."""
    if row.photo_filename is None:
        return None
    return Image(row.photo_filename, row.photo_width, row.photo_height, row.author_name)
