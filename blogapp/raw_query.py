"""Hot read statements compiled once per database and run on a bare driver cursor.

For the few statements behind every uncached reader page, SQLAlchemy's execution machinery (and the ORM's
entity building) costs several times the query itself. These run the same SQL, with the same conversions of
values in and out, straight on the driver.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, bindparam
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import Select


def _identity(value):
    return value


class RawQuery:
    """One SELECT compiled for a dialect: its SQL text, how its parameters go in and how its columns come out.

    The statement must not use expanding parameters (`in_()` of a list compiles per call): spell such a test
    out with `or_` or one bind parameter per value.
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
        processors = [
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in statement.selected_columns
        ]
        # Only the columns the driver does not return as Python wants them (SQLite's dates and JSON, say).
        self.conversions = [(n, process) for n, process in enumerate(processors) if process is not None]

    def rows(self, execute: Callable[[str, Any], list], params: dict) -> list[tuple]:
        """Run the statement with these parameters through `execute` and return its rows, converted."""
        values = dict(self.constants)
        for name, value in params.items():
            values[name] = self.binds[name](value)
        if self.names is not None:
            values = tuple(values[name] for name in self.names)
        fetched = execute(self.sql, values)
        if not self.conversions:
            return fetched
        converted = []
        for row in fetched:
            values = list(row)
            for n, process in self.conversions:
                values[n] = process(values[n])
            converted.append(tuple(values))
        return converted


def ids_in(column, count: int):
    """Return `column IN (:id0, …)` for `count` ids: a statement built once per count then compiles once."""
    return column.in_([bindparam(f"id{n}") for n in range(count)])


def id_params(ids: list[int]) -> dict[str, int]:
    """Return the parameters of `ids_in` for these ids."""
    return {f"id{n}": id_ for n, id_ in enumerate(ids)}


_COMPILED: WeakKeyDictionary = WeakKeyDictionary()


class RawReader:
    """Runs statements on one pooled connection (see `reading`)."""

    def __init__(self, engine: Engine, execute: Callable[[str, Any], list]):
        self.compiled = _COMPILED.setdefault(engine, {})
        self.engine = engine
        self.execute = execute

    def rows(self, statement: Select, **params) -> list[tuple]:
        """Return the rows of a statement built once (module level), compiled at its first use here."""
        query = self.compiled.get(statement)
        if query is None:
            query = self.compiled[statement] = RawQuery(self.engine, statement)
        return query.rows(self.execute, params)

    def first(self, statement: Select, **params) -> tuple | None:
        """Return the first row of a statement, or None."""
        found = self.rows(statement, **params)
        return found[0] if found else None


@contextmanager
def reading(engine: Engine) -> Iterator[RawReader]:
    """Lend a reader on a connection from the engine's pool; the connection goes back (ending its read) after."""
    if engine.dispatch.before_cursor_execute or engine.dispatch.after_cursor_execute:
        # Something watches the statements (a profiler, a test counting them): let SQLAlchemy run them, events
        # and all. Its driver-level execution returns the rows unconverted, as the driver does.
        with engine.connect() as connection:
            yield RawReader(engine, lambda sql, values: connection.exec_driver_sql(sql, values).fetchall())
        return
    dbapi_error = engine.dialect.loaded_dbapi.Error
    try:
        # A new pooled connection runs its set-up statements (SQLite's PRAGMAs), which a lock can refuse too.
        connection = engine.raw_connection()
    except dbapi_error as exc:
        raise DBAPIError.instance(None, None, exc, dbapi_error) from exc
    cursor = connection.cursor()

    def execute(sql: str, values) -> list:
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
