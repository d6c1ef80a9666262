"""Keep the index in step with the database through a change log written in the same transaction."""

from itertools import chain

from flask import current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ..models import Article, Author, Category, Page, Tag, article_tags
from . import changelog
from .index import for_app

_PENDING = "blogapp.search.pending"


def _affected_article_ids(session: Session) -> set[int]:
    """Collect the ids of articles whose index document this flush may have changed."""
    ids: set[int] = set()
    owners: dict[type, set[int]] = {Author: set(), Category: set(), Tag: set()}
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Article):
            ids.add(obj.id)
        # Only a renamed owner changes its articles' documents; a new article in its collection does not.
        elif type(obj) in owners and (obj in session.deleted or session.is_modified(obj, include_collections=False)):
            owners[type(obj)].add(obj.id)
    connection = session.connection()
    if owners[Author]:
        ids.update(connection.scalars(select(Article.id).where(Article.author_id.in_(owners[Author]))))
    if owners[Category]:
        ids.update(connection.scalars(select(Article.id).where(Article.category_id.in_(owners[Category]))))
    if owners[Tag]:
        stmt = select(article_tags.c.article_id).where(article_tags.c.tag_id.in_(owners[Tag]))
        ids.update(connection.scalars(stmt))
    ids.discard(None)
    return ids


def _affected_page_ids(session: Session) -> set[int]:
    """Collect the ids of pages this flush wrote or deleted (a page's document depends on nothing else)."""
    changed = chain(session.new, session.dirty, session.deleted)
    return {obj.id for obj in changed if isinstance(obj, Page) and obj.id is not None}


def _after_flush(session: Session, _flush_context) -> None:
    ids, page_ids = _affected_article_ids(session), _affected_page_ids(session)
    if ids or page_ids:
        changelog.append(session.connection(), sorted(ids), sorted(page_ids))
        session.info[_PENDING] = True


def _after_commit(session: Session) -> None:
    if session.info.pop(_PENDING, False) and has_app_context():
        app = current_app._get_current_object()
        for_app(app).drain_soon(app)


def _after_rollback(session: Session) -> None:
    # The log entries went with the rolled-back transaction; nothing is left to apply.
    session.info.pop(_PENDING, None)


def register(session_class: type[Session]) -> None:
    """Attach the logging hooks to a session class once."""
    for name, handler in (
        ("after_flush", _after_flush),
        ("after_commit", _after_commit),
        ("after_rollback", _after_rollback),
    ):
        if not event.contains(session_class, name, handler):
            event.listen(session_class, name, handler)
