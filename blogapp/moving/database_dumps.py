"""The database half of a backup: SQLite's online backup API, or pg_dump and psql for PostgreSQL."""

import os
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from alembic.migration import MigrationContext
from flask import current_app
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url

from ..extensions import db
from .export import ArchiveError

DUMP_FILES = {"sqlite": "blogapp.sqlite", "postgresql": "blogapp.pgdump"}
# Every relation of the live schema, dropped in the transaction that loads the dump: a table a newer migration
# added must not survive the restore of an older backup (the migrations run afterwards would meet it).
_RELATIONS = """
    SELECT CASE WHEN c.relkind IN ('v', 'm') THEN 'VIEW' WHEN c.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
           quote_ident(n.nspname) || '.' || quote_ident(c.relname)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
    ORDER BY c.relkind = 'S'
"""


def database_kind() -> str:
    """Return "sqlite" or "postgresql", the kinds of database a backup can hold."""
    kind = make_url(db.engine.url).get_backend_name()
    if kind not in DUMP_FILES:
        raise ArchiveError(f"backups handle SQLite and PostgreSQL, not {kind}; use the JSON export (`flask export`)")
    return kind


def schema_revision() -> str:
    """Return the live database's migration revision (heads joined by "+" in the rare case of several)."""
    with db.engine.connect() as connection:
        return "+".join(sorted(MigrationContext.configure(connection).get_current_heads())) or "none"


def dump_database(folder: Path) -> str:
    """Write a consistent copy of the live database into `folder` while the site serves; return its file name."""
    kind = database_kind()
    path = folder / DUMP_FILES[kind]
    if kind == "sqlite":
        with sqlite3.connect(_url().database) as source, sqlite3.connect(path) as copy:
            source.backup(copy)
        copy.close()
    else:
        with db.engine.connect() as connection:
            schema = connection.scalar(text("SELECT current_schema()"))
        args = ["--format=custom", "--no-owner", "--no-privileges", f"--schema={schema}", f"--file={path}"]
        _run("pg_dump", *args)
    return path.name


def check_dump(path: Path, kind: str) -> None:
    """Raise ArchiveError unless the dumped database can be read whole."""
    if kind == "sqlite":
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as copy:
            result = copy.execute("PRAGMA integrity_check").fetchone()[0]
        copy.close()
        if result != "ok":
            raise ArchiveError(f"{path} is damaged ({result})")
    else:
        _run("pg_restore", "--list", str(path))


def load_database(path: Path, kind: str) -> None:
    """Replace the live database with the dumped one, all or nothing."""
    db.session.remove()
    db.engine.dispose()
    if kind == "sqlite":
        with sqlite3.connect(path) as source, sqlite3.connect(_url().database) as live:
            source.backup(live)
        live.close()
        return
    with db.engine.connect() as connection:
        # A site still serving holds locks on its tables: fail with a reason rather than wait for ever.
        drops = "SET LOCAL lock_timeout = '30s';\n" + "".join(
            f"DROP {what} IF EXISTS {name} CASCADE;\n" for what, name in connection.execute(text(_RELATIONS))
        )
    db.engine.dispose()
    with tempfile.TemporaryDirectory(prefix="blogapp-restore-") as work:
        entries = _run("pg_restore", "--list", str(path))
        # The schema itself stays: the site's database user need not own it (PostgreSQL 15's public schema).
        kept = [line for line in entries.splitlines() if " SCHEMA - " not in line]
        Path(work, "entries").write_text("\n".join(kept) + "\n")
        Path(work, "drops.sql").write_text(drops)
        script = Path(work, "restore.sql")
        _run("pg_restore", "--no-owner", "--no-privileges", f"--use-list={work}/entries", f"--file={script}", str(path))
        _run(
            "psql",
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "--single-transaction",
            "-f",
            f"{work}/drops.sql",
            "-f",
            str(script),
        )


def _url() -> URL:
    return make_url(db.engine.url)


def _run(program: str, *args: str) -> str:
    """Run one of PostgreSQL's client programs against the live database; return its output or raise ArchiveError."""
    folder = current_app.config.get("POSTGRES_BIN_DIR")
    executable = os.path.join(folder, program) if folder else program
    try:
        done = subprocess.run([executable, *args], env=_libpq_environment(), capture_output=True, text=True)
    except FileNotFoundError:
        raise ArchiveError(
            f"{program} not found: install PostgreSQL's client programs or set POSTGRES_BIN_DIR"
        ) from None
    if done.returncode != 0:
        raise ArchiveError(f"{program} failed: {done.stderr.strip()[-1000:]}")
    return done.stdout


def _libpq_environment() -> dict[str, str]:
    """Return the environment that points libpq's programs at the live database (PGHOST, PGUSER, …)."""
    url = _url()
    query = {key: value if isinstance(value, str) else value[-1] for key, value in url.query.items()}
    values = {
        "PGHOST": url.host or query.get("host"),
        "PGPORT": str(url.port) if url.port else query.get("port"),
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
        "PGOPTIONS": query.get("options"),
        "PGSSLMODE": query.get("sslmode"),
    }
    return {**os.environ, **{key: value for key, value in values.items() if value}}
