"""The search change log in the database: appended in the writer's transaction, read from a node's own position.

A position P means "every entry whose id is below P is applied". On SQLite one writer at a time hands out ids in
commit order, so the visible ids are always a prefix. On PostgreSQL a transaction can commit after one holding a
higher id, so a reader moves its position only up to the horizon: the lowest id a transaction still running may
hold. Before taking ids a writer takes a shared advisory lock (held until it ends) keyed by the sequence's last
value plus one, the lowest id it can get; the horizon is the lowest such key held in this database, or, with none
held, the sequence's last value read before the locks, plus one. Entries already visible above the horizon are applied
at once all the same, and again once the position passes them (applying an article is idempotent).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import SearchChange, SearchNode, utcnow

CHANNEL = "blogapp_search_changes"
_LAST_ID = "coalesce(pg_sequence_last_value(pg_get_serial_sequence('search_changes', 'id')::regclass), 0)"
_CLAIM = text(f"SELECT pg_advisory_xact_lock_shared({_LAST_ID} + 1)")
_SEQUENCE = text(f"SELECT {_LAST_ID}")
# Advisory locks of this database (bigint keys are split into classid and objid); any other user's only lowers it.
_CLAIMS = text(
    "SELECT min((classid::bigint << 32) | objid::bigint) FROM pg_locks WHERE locktype = 'advisory' "
    "AND objsubid = 1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)


@dataclass
class Entry:
    """One change read from the log."""

    id: int
    article_id: int  # 0 for a page's entry
    page_id: int | None = None


def _postgres(bind) -> bool:
    return bind.dialect.name == "postgresql"


def append(connection, article_ids: list[int], page_ids: list[int] = ()) -> None:
    """Add one entry per article and page to the log inside the caller's transaction (PostgreSQL: and wake nodes)."""
    now = utcnow()
    if _postgres(connection):
        connection.execute(_CLAIM)  # before the ids are taken: readers stop below them until this transaction ends
    rows = [{"article_id": i, "page_id": None, "changed_at": now} for i in article_ids]
    rows += [{"article_id": 0, "page_id": i, "changed_at": now} for i in page_ids]
    connection.execute(insert(SearchChange.__table__), rows)
    if _postgres(connection):
        # Delivered when the transaction commits, never for a rolled-back one; repeats in one transaction fold.
        connection.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})


def horizon(session: Session) -> int:
    """Return the position below which every entry is visible now and no new one can appear."""
    if _postgres(session.get_bind()):
        last = session.scalar(_SEQUENCE)
        claimed = session.scalar(_CLAIMS)
        return min(last + 1, claimed) if claimed is not None else last + 1
    return (session.scalar(select(func.max(SearchChange.id))) or 0) + 1


def read_since(session: Session, position: int) -> tuple[int, list[Entry]]:
    """Return the new position (the horizon, never lower than `position`) and every visible entry from it."""
    below = horizon(session)
    # Read after the horizon (PostgreSQL, read committed): every transaction that held an id below it has ended.
    columns = (SearchChange.id, SearchChange.article_id, SearchChange.page_id)
    stmt = select(*columns).where(SearchChange.id >= position).order_by(SearchChange.id)
    return max(position, below), [Entry(*row) for row in session.execute(stmt)]


def lag(session: Session, position: int, applied_ahead: set[int] = frozenset()) -> tuple[int, datetime | None]:
    """Return how many visible entries at or above `position` are not applied yet, and when the oldest was made."""
    stmt = select(func.count(SearchChange.id), func.min(SearchChange.changed_at)).where(SearchChange.id >= position)
    if applied_ahead:
        stmt = stmt.where(SearchChange.id.not_in(sorted(applied_ahead)))
    count, oldest = session.execute(stmt).one()
    return count or 0, oldest


def report(node: str, position: int) -> bool:
    """Record this node's position; return True when it must rebuild (the log may be pruned past it)."""
    with Session(db.engine) as session:
        row = session.get(SearchNode, node)
        if row is not None and row.must_rebuild:
            return True
        # A node new to the log, or whose index went back (restored from an older copy), may start below
        # entries pruned already: every pruned id is below the lowest one left (or the next one, when none is).
        if (row is None or position < row.position) and position < _lowest_unpruned(session):
            return True
        if row is None:
            session.add(SearchNode(name=node, position=position, reported_at=utcnow()))
        else:
            row.position, row.reported_at = position, utcnow()
        try:
            session.commit()
        except IntegrityError:  # another worker of this node registered it first; it reports next time
            session.rollback()
    return False


def _lowest_unpruned(session: Session) -> int:
    """Return the lowest id left in the log, or the next id to be handed out when it is empty."""
    lowest = session.scalar(select(func.min(SearchChange.id)))
    if lowest is not None:
        return lowest
    if _postgres(session.get_bind()):
        return session.scalar(_SEQUENCE) + 1
    last = session.scalar(text("SELECT seq FROM sqlite_sequence WHERE name = 'search_changes'"))
    return (last or 0) + 1


def rebuilt(node: str, position: int) -> None:
    """Record that this node rebuilt its index up to `position`: it holds the log back again."""
    with Session(db.engine) as session:
        row = session.get(SearchNode, node)
        if row is None:
            session.add(SearchNode(name=node, position=position, reported_at=utcnow()))
        else:
            row.position, row.reported_at, row.must_rebuild = position, utcnow(), False
        session.commit()


def prune(silent_seconds: float) -> int:
    """Tell nodes silent past the bound to rebuild, then delete entries every other node has passed."""
    with Session(db.engine) as session:
        cutoff = utcnow() - timedelta(seconds=silent_seconds)
        session.execute(
            update(SearchNode)
            .where(SearchNode.reported_at < cutoff, SearchNode.must_rebuild.is_(False))
            .values(must_rebuild=True)
        )
        floor = session.scalar(select(func.min(SearchNode.position)).where(SearchNode.must_rebuild.is_(False)))
        deleted = 0
        if floor is not None:
            deleted = session.execute(delete(SearchChange).where(SearchChange.id < floor)).rowcount
        session.commit()
    return deleted


def nodes() -> list[SearchNode]:
    """Return every registered node, by name."""
    with Session(db.engine) as session:
        return list(session.scalars(select(SearchNode).order_by(SearchNode.name)))
