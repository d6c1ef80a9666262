"""Saving an article: the one change shared by the editor, importers, the demo loader and restores."""

from datetime import datetime

from ..extensions import db
from ..models import Article, ArticleStatus, Author, Category, Revision, Tag, User, utcnow
from .body_images import with_image_sizes
from .markup import render_markdown
from .redirects import keep_old_address
from .revisions import snapshot
from .slugs import get_or_create, slugify
from .taxonomy import tag_named

TAG_NAME_CHARS = Tag.name.type.length  # PostgreSQL refuses longer names, where SQLite keeps them


def get_or_create_tag(name: str) -> Tag:
    """Return the tag whose slug matches `name`, else the one with this name in any case, else a new one."""
    name = name.strip()[:TAG_NAME_CHARS]
    tag, created = get_or_create(Tag, slugify(name), add=False, name=name)
    if created and (same := tag_named(name)) is not None:
        return same  # a tag whose slug was chosen by hand: "Sleep" may live at /tag/rest/
    if created:
        db.session.add(tag)
    return tag


def set_body(article: Article, markdown: str) -> None:
    """Store the Markdown body with its sanitised HTML, plain text and table of contents."""
    rendered = render_markdown(markdown)
    article.body = markdown
    article.body_html = with_image_sizes(rendered.html)
    article.body_text = rendered.text
    article.toc = rendered.toc


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
    names_by_slug: dict[str, str] = {}
    for name in tags:
        if slugify(name):
            names_by_slug.setdefault(slugify(name), name)  # "Pain, PAIN": the first spelling typed names a new tag
    with db.session.no_autoflush:
        article.tags = [get_or_create_tag(name) for name in names_by_slug.values()]
        keep_old_address(article, slug or article.slug or slugify(title))
    article.title = title.strip()
    article.slug = slug or article.slug or slugify(title)
    article.summary = summary.strip()
    set_body(article, body)
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
