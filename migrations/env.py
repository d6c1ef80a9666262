import logging
from logging.config import fileConfig

from flask import current_app
from sqlalchemy import event

from alembic import context

# this is the Alembic Config object, which provides
# access to the values within the .ini file in use.
config = context.config

# Interpret the config file for Python logging.
# This line sets up loggers basically.
fileConfig(config.config_file_name, disable_existing_loggers=False)  # keep blogapp's loggers
logger = logging.getLogger('alembic.env')


def get_engine():
    return current_app.extensions['migrate'].db.engine


def get_engine_url():
    try:
        return get_engine().url.render_as_string(hide_password=False).replace(
            '%', '%%')
    except AttributeError:
        return str(get_engine().url).replace('%', '%%')


# add your model's MetaData object here
# for 'autogenerate' support
# from myapp import mymodel
# target_metadata = mymodel.Base.metadata
config.set_main_option('sqlalchemy.url', get_engine_url())
target_db = current_app.extensions['migrate'].db

# other values from the config, defined by the needs of env.py,
# can be acquired:
# my_important_option = config.get_main_option("my_important_option")
# ... etc.


def get_metadata():
    if hasattr(target_db, 'metadatas'):
        return target_db.metadatas[None]
    return target_db.metadata


def run_migrations_offline():
    """Run migrations in 'offline' mode.

    This configures the context with just a URL
    and not an Engine, though an Engine is acceptable
    here as well.  By skipping the Engine creation
    we don't even need a DBAPI to be available.

    Calls to context.execute() here emit the given string to the
    script output.

    """
    url = config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url, target_metadata=get_metadata(), literal_binds=True
    )

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Run migrations in 'online' mode.

    In this scenario we need to create an Engine
    and associate a connection with the context.

    """

    # this callback is used to prevent an auto-migration from being generated
    # when there are no changes to the schema
    # reference: http://alembic.zzzcomputing.com/en/latest/cookbook.html
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, 'autogenerate', False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info('No changes in schema detected.')

    conf_args = current_app.extensions['migrate'].configure_args
    if conf_args.get("process_revision_directives") is None:
        conf_args["process_revision_directives"] = process_revision_directives

    connectable = get_engine()

    with connectable.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch migrations copy a table and drop the old one; with foreign keys on, SQLite would
            # cascade that drop into the rows that point at it (article tags, redirects, revisions).
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()  # close the transaction the PRAGMA opened, so Alembic's own one commits
            _begin_explicitly(connection)
        context.configure(
            connection=connection,
            target_metadata=get_metadata(),
            # SQLite can roll back schema changes too: a failing upgrade then leaves the database as it was.
            transactional_ddl=True,
            **conf_args
        )
        try:
            with context.begin_transaction():
                context.run_migrations()
        finally:
            if sqlite:
                _restore_driver_transactions(connection)


def _begin_explicitly(connection):
    """Make SQLAlchemy's transaction a real SQLite one that covers DDL too.

    Python's sqlite3 module opens a transaction only before INSERT/UPDATE/DELETE, so CREATE, ALTER and DROP
    would each commit on their own and a failing migration would leave the schema half changed.
    """
    connection.connection.driver_connection.isolation_level = None
    event.listen(connection, "begin", _emit_begin)


def _emit_begin(connection):
    connection.exec_driver_sql("BEGIN")


def _restore_driver_transactions(connection):
    event.remove(connection, "begin", _emit_begin)
    connection.connection.driver_connection.isolation_level = ""  # the module's default, for the pool


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
