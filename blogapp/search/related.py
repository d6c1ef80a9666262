"""Related articles: the articles most like each one, worked out from the index and kept in the database.

Working a list out reads many posting lists (70–150 ms), so it is done once and shared by every worker: when
its article is indexed, or at the first view after the list was forgotten. A list is forgotten when its article
changes and when an article like it is indexed (which may now belong in it).
"""

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from whoosh.query import Or, Term
from whoosh.searching import Searcher

from ..extensions import db
from ..models import RelatedList, utcnow
from .page_docs import page_id_of
from .ranking import Scorer, best
from .schema import CONTENT

if TYPE_CHECKING:
    from .index import SearchIndex

log = logging.getLogger(__name__)
KEY_TERMS = 12  # the article's words that most set it apart, by Whoosh's key-terms model
CANDIDATES = 10  # more than a page shows: a list may name articles since unpublished or not yet live
# A drain of more articles than this (an import) forgets every list instead of working them out on the spot.
REFRESH_AT_MOST = 20
_KEPT = select(RelatedList.related_ids).where(RelatedList.article_id == bindparam("article_id"))


def related_ids(index: "SearchIndex", article_id: int) -> list[int]:
    """Return the ids of the articles most like this one, best first: as kept, else worked out and kept."""
    kept = db.session.scalar(_KEPT, {"article_id": article_id})
    if kept is not None:
        return kept
    found = index.run(lambda searcher: most_like(searcher, article_id))
    if found is None:  # not indexed yet
        return []
    _keep({article_id: found})
    return found


def most_like(searcher: Searcher, article_id: int) -> list[int] | None:
    """Return the ids of the articles most like an indexed one by their key body terms; None if it is not indexed."""
    docnum = searcher.document_number(id=str(article_id))
    if docnum is None:
        return None
    body = searcher.stored_fields(docnum)["body"]
    # Whoosh's more_like() query, scored from whole posting lists (ranking.Scorer): the same list for half the
    # time, as Whoosh's matchers step through the 12 terms' postings one document at a time.
    terms = searcher.key_terms_from_text(CONTENT, body, numterms=KEY_TERMS)
    scores = Scorer(searcher).scores(Or([Term(CONTENT, word, boost=weight) for word, weight in terms])) or {}
    scores.pop(docnum, None)
    ids = (searcher.stored_fields(found)["id"] for found in best(scores, CANDIDATES, scores.keys()))
    return [int(doc_id) for doc_id in ids if page_id_of(doc_id) is None]  # pages are not related articles


def refresh(index: "SearchIndex", article_ids: Iterable[int]) -> None:
    """Bring the lists in step after these articles were indexed or removed from the index."""
    changed = sorted(set(article_ids))
    if not changed:
        return
    try:
        if len(changed) > REFRESH_AT_MOST:
            forget(None)
            return
        # Through run(): another worker may merge segments meanwhile, and then a fresh searcher reads them.
        lists = index.run(lambda searcher: {article_id: most_like(searcher, article_id) for article_id in changed})
        found = {article_id: ids for article_id, ids in lists.items() if ids is not None}
        neighbours = {other for ids in found.values() for other in ids} - set(changed)
        forget(sorted(neighbours | (set(changed) - found.keys())))
        _keep(found)
    except Exception as exc:  # the lists are derived data: at worst a page shows an older list until it is forgotten
        log.warning("related articles not refreshed: %r", exc)


def follow(index: "SearchIndex") -> Callable[[list[int] | None], None]:
    """Return the index listener that keeps the lists in step with the documents that changed (None: all)."""

    def changed(article_ids: list[int] | None) -> None:
        if article_ids is None:
            forget(None)
        else:
            refresh(index, article_ids)

    return changed


def forget(article_ids: list[int] | None) -> None:
    """Forget the lists of these articles (of all articles for None), to be worked out again when next shown."""
    stmt = delete(RelatedList)
    if article_ids is not None:
        if not article_ids:
            return
        stmt = stmt.where(RelatedList.article_id.in_(article_ids))
    with Session(db.engine) as session:
        session.execute(stmt)
        session.commit()


def _keep(lists: dict[int, list[int]]) -> None:
    """Store lists in a transaction of their own; if that fails they are only worked out again later."""
    if not lists:
        return
    now = utcnow()
    rows = [{"article_id": key, "related_ids": ids, "computed_at": now} for key, ids in lists.items()]
    try:
        with Session(db.engine) as session:
            dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
            stmt = dialect.insert(RelatedList).values(rows)
            stmt = stmt.on_conflict_do_update(
                index_elements=[RelatedList.article_id],
                set_={"related_ids": stmt.excluded.related_ids, "computed_at": stmt.excluded.computed_at},
            )
            session.execute(stmt)
            session.commit()
    except SQLAlchemyError as exc:  # e.g. the database is locked, or the article was deleted meanwhile
        log.warning("related articles not kept: %s", exc)
