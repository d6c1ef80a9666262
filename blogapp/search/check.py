"""How far the index has drifted from the database: articles missing, stale (or indexed twice) and extra."""

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Article
from .page_docs import page_id_of, visible_page_digests
from .schema import DOCUMENT_LOADS, document_for

if TYPE_CHECKING:
    from .index import SearchIndex


@dataclass
class Drift:
    """Document ids (an article's number, or "page-<id>") the index lacks, holds in an old or doubled version, or
    holds but should not."""

    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """Tell whether the index matches the database exactly."""
        return not (self.missing or self.stale or self.extra)


def drift(index: "SearchIndex") -> Drift:
    """Compare the index with the database, by the digest of each article's and page's document."""
    with Session(db.engine) as session:
        stmt = select(Article).where(Article.is_live).options(*DOCUMENT_LOADS)
        expected = {str(article.id): document_for(article)["digest"] for article in session.scalars(stmt)}
        expected |= visible_page_digests(session)
    with index.open().searcher() as searcher:
        stored = [(fields["id"], fields["digest"]) for fields in searcher.all_stored_fields()]
    actual = dict(stored)
    twice = {article_id for article_id, count in Counter(k for k, _ in stored).items() if count > 1}
    return Drift(
        missing=sorted(expected.keys() - actual.keys(), key=_order),
        stale=sorted(
            (k for k in expected.keys() & actual.keys() if expected[k] != actual[k] or k in twice), key=_order
        ),
        extra=sorted(actual.keys() - expected.keys(), key=_order),
    )


def _order(doc_id: str) -> tuple[int, int]:
    """Sort articles by number, then pages by number."""
    page_id = page_id_of(doc_id)
    return (0, int(doc_id)) if page_id is None else (1, page_id)
