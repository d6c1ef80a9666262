"""The statement behind every reader page's HTTP validators, run on a bare driver cursor."""

from datetime import datetime

from sqlalchemy import Engine, bindparam, func, select

from .models import Article, SiteVersion
from .raw_query import reading

_NOW = bindparam("now")
_VALIDATOR_QUERY = select(
    select(SiteVersion.version).where(SiteVersion.id == 1).scalar_subquery(),
    select(SiteVersion.changed_at).where(SiteVersion.id == 1).scalar_subquery(),
    # A scheduled article going live changes pages without any write, so its time is part of the validator.
    select(func.max(Article.published_at)).where(Article.visible_at(_NOW)).scalar_subquery(),
)


class ValidatorQuery:
    """The validator statement for one database.

    It is most of the work of a 304, and SQLAlchemy's execution machinery would cost more than the query.
    """

    def __init__(self, engine: Engine):
        self.engine = engine

    def run(self, now: datetime) -> tuple:
        """Return (version, changed_at, newest live publish time) as of `now`."""
        with reading(self.engine) as reader:
            return reader.first(_VALIDATOR_QUERY, now=now)
