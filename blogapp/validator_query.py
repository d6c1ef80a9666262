"""The statement behind every reader page's HTTP validators, compiled once and run on a bare driver cursor."""

from datetime import datetime

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.exc import DBAPIError

from .models import LIVE_STATUSES, Article, SiteVersion

# One statement, built once: it runs before every anonymous reader request, including each 304.
_NOW = bindparam("now")
# Not IN, which is compiled per call; plain text, which every driver sends as it is (psycopg sends enums by name).
_LIVE = or_(*(Article.status == str(status) for status in LIVE_STATUSES))
_VALIDATOR_QUERY = select(
    select(SiteVersion.version).where(SiteVersion.id == 1).scalar_subquery(),
    select(SiteVersion.changed_at).where(SiteVersion.id == 1).scalar_subquery(),
    # A scheduled article going live changes pages without any write, so its time is part of the validator.
    select(func.max(Article.published_at))
    .where(_LIVE, Article.published_at.is_not(None), Article.deleted_at.is_(None), Article.published_at <= _NOW)
    .scalar_subquery(),
)


class ValidatorQuery:
    """The validator statement compiled once for a database and run on a bare driver cursor.

    It is most of the work of a 304, and SQLAlchemy's execution machinery would cost more than the query.
    """

    def __init__(self, engine):
        self.engine = engine
        dialect = engine.dialect
        compiled = _VALIDATOR_QUERY.compile(dialect=dialect)
        self.sql = compiled.string
        self.names = compiled.positiontup if compiled.positional else None
        # Values go to the driver as SQLAlchemy would send them (enums as their text, datetimes as SQLite text).
        self.processors = {
            name: bind.type.bind_processor(dialect) or (lambda value: value) for name, bind in compiled.binds.items()
        }
        self.constants = {
            name: self.processors[name](value)
            for name, value in compiled.construct_params({"now": None}).items()
            if name != "now"
        }

    def run(self, now: datetime) -> tuple:
        """Return (version, changed_at, newest live publish time) as of `now`."""
        engine = self.engine
        params = {**self.constants, "now": self.processors["now"](now)}
        values = [params[name] for name in self.names] if self.names else params
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(self.sql, values)
            version, changed_at, live = cursor.fetchone()
            cursor.close()
        except engine.dialect.loaded_dbapi.Error as exc:
            # As SQLAlchemy would raise it, so a locked or unreachable database gets the busy page (503).
            raise DBAPIError.instance(self.sql, values, exc, engine.dialect.loaded_dbapi.Error) from exc
        finally:
            connection.close()  # back to the pool, which ends the read transaction
        return version, _as_datetime(changed_at), _as_datetime(live)


def _as_datetime(value) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else value  # SQLite returns text
