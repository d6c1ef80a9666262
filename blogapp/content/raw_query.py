"""Hot read statements compiled once per database and run on a bare driver cursor, rows named by column label.

For the few statements behind every uncached reader page, SQLAlchemy's execution machinery (and the ORM's
entity building) costs several times the query itself. These run the same SQL, with the same conversions of
values in and out, straight on the driver. Every statement is reported to whoever watches (`watch_statements`,
for tests and profilers), so what is watched is what production runs.
"""

import threading
from collections import namedtuple
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, bindparam, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import Select

from .. import caches


def _identity(value):
    return value


class RawQuery:
    """One SELECT compiled for a dialect: its SQL text, how parameters go in and how rows come out, by label.

    The statement must not use expanding parameters (`in_()` of a list compiles per call): spell such a test
    out with `or_` or one bind parameter per value (`ids_in`). Its columns need distinct labels.
    """

    def __init__(self, engine: Engine, statement: Select):
        dialect = engine.dialect
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        self.names = compiled.positiontup if compiled.positional else None
        self.binds = {
            name: bind.type.dialect_impl(dialect).bind_processor(dialect) or _identity
            for name, bind in compiled.binds.items()
        }
        required = {name for name, bind in compiled.binds.items() if bind.required}
        self.constants = {
            name: self.binds[name](value)
            for name, value in compiled.construct_params(dict.fromkeys(required)).items()
            if name not in required
        }
        # Rows are named by column label: a column added anywhere shifts nothing (two alike labels fail here).
        self.row = namedtuple("Row", [column.key for column in statement.selected_columns])._make
        processors = [
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in statement.selected_columns
        ]
        # Only the columns the driver does not return as Python wants them (SQLite's dates and JSON, say).
        self.conversions = [(n, process) for n, process in enumerate(processors) if process is not None]

    def rows(self, execute: Callable[[str, Any], list], params: dict) -> list[Any]:
        """Run the statement with these parameters through `execute` and return its rows, converted and named."""
        values = dict(self.constants)
        for name, value in params.items():
            values[name] = self.binds[name](value)
        if self.names is not None:
            values = tuple(values[name] for name in self.names)
        fetched = execute(self.sql, values)
        if not self.conversions:
            return [self.row(row) for row in fetched]
        converted = []
        for row in fetched:
            values = list(row)
            for n, process in self.conversions:
                values[n] = process(values[n])
            converted.append(self.row(values))
        return converted


def ids_in(column, count: int):
    """Return `column IN (:id0, …)` for `count` ids: a statement built once per count then compiles once."""
    return column.in_([bindparam(f"id{n}") for n in range(count)])


def id_params(ids: list[int]) -> dict[str, int]:
    """Return the parameters of `ids_in` for these ids."""
    return {f"id{n}": id_ for n, id_ in enumerate(ids)}


# engine → {statement: RawQuery}
_COMPILED = caches.weak_map(
    "content.compiled_statements",
    holds="each hot statement compiled for each database engine (SQL text, parameter and column conversions)",
    bound="one per statement built at module level, and per id count (reader.queries)",
    cleared_by="never: a statement's SQL never changes; an engine's go with it",
)
_watchers: list[tuple[Engine, int | None, list]] = []


@contextmanager
def watch_statements(engine: Engine, all_threads: bool = False) -> Iterator[list[tuple[str, Any]]]:
    """Collect (SQL, parameters) of every statement sent to `engine` while inside, through SQLAlchemy or raw.

    Only this thread's, unless `all_threads` (the index writer drains in a background thread).
    """
    seen: list[tuple[str, Any]] = []
    thread = None if all_threads else threading.get_ident()

    def record(_connection, _cursor, statement, parameters, _context, _executemany):
        if thread in (None, threading.get_ident()):
            seen.append((statement, parameters))

    watcher = (engine, thread, seen)
    event.listen(engine, "before_cursor_execute", record)
    _watchers.append(watcher)
    try:
        yield seen
    finally:
        _watchers.remove(watcher)
        event.remove(engine, "before_cursor_execute", record)


def _report(engine: Engine, sql: str, values: Any) -> None:
    thread = threading.get_ident()
    for watched, only, seen in list(_watchers):
        if watched is engine and only in (None, thread):
            seen.append((sql, values))


class RawReader:
    """Runs statements on one pooled connection (see `reading`)."""

    def __init__(self, engine: Engine, execute: Callable[[str, Any], list]):
        self.compiled = _COMPILED.setdefault(engine, dict)
        self.engine = engine
        self.execute = execute

    def rows(self, statement: Select, **params) -> list[Any]:
        """Return the rows of a statement built once (module level), compiled at its first use here."""
        query = self.compiled.get(statement)
        if query is None:
            query = self.compiled[statement] = RawQuery(self.engine, statement)
        return query.rows(self.execute, params)

    def first(self, statement: Select, **params) -> Any:
        """Return the first row of a statement, or None."""
        found = self.rows(statement, **params)
        return found[0] if found else None


@contextmanager
def reading(engine: Engine) -> Iterator[RawReader]:
    """Lend a reader on a connection from the engine's pool; the connection goes back (ending its read) after."""
    dbapi_error = engine.dialect.loaded_dbapi.Error
    try:
        # A new pooled connection runs its set-up statements (SQLite's PRAGMAs), which a lock can refuse too.
        connection = engine.raw_connection()
    except dbapi_error as exc:
        raise DBAPIError.instance(None, None, exc, dbapi_error) from exc
    cursor = connection.cursor()

    def execute(sql: str, values) -> list:
        if _watchers:
            _report(engine, sql, values)
        try:
            cursor.execute(sql, values)
            return cursor.fetchall()
        except dbapi_error as exc:
            # As SQLAlchemy would raise it, so a locked or unreachable database gets the busy page (503).
            raise DBAPIError.instance(sql, values, exc, dbapi_error) from exc

    try:
        yield RawReader(engine, execute)
    finally:
        cursor.close()
        connection.close()
