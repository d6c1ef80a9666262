"""How far the index has drifted from the database: articles missing, stale (or indexed twice) and extra."""

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Article
from .schema import DOCUMENT_LOADS, document_for

if TYPE_CHECKING:
    from .index import SearchIndex


@dataclass
class Drift:
    """Article ids the index lacks, holds in an old (or doubled) version, or holds but should not."""

    missing: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """Tell whether the index matches the database exactly."""
        return not (self.missing or self.stale or self.extra)


def drift(index: "SearchIndex") -> Drift:
    """Compare the index with the database, by the digest of each article's document."""
    with Session(db.engine) as session:
        stmt = select(Article).where(Article.is_live).options(*DOCUMENT_LOADS)
        expected = {article.id: document_for(article)["digest"] for article in session.scalars(stmt)}
    with index.open().searcher() as searcher:
        stored = [(int(fields["id"]), fields["digest"]) for fields in searcher.all_stored_fields()]
    actual = dict(stored)
    twice = {article_id for article_id, count in Counter(k for k, _ in stored).items() if count > 1}
    return Drift(
        missing=sorted(expected.keys() - actual.keys()),
        stale=sorted(k for k in expected.keys() & actual.keys() if expected[k] != actual[k] or k in twice),
        extra=sorted(actual.keys() - expected.keys()),
    )
