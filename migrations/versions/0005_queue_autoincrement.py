"""search queue ids never reused (SQLite AUTOINCREMENT)

Revision ID: 0005_queue_autoincrement
Revises: 0004_listing_indexes
Create Date: 2026-11-26 01:05:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0005_queue_autoincrement'
down_revision = '0004_listing_indexes'
branch_labels = None
depends_on = None


def upgrade():
    # A drain deletes the ids it applied; with SQLite's default rowids a later change could get one of
    # those ids back and be deleted unapplied. Other databases never reuse sequence values.
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table('search_queue', recreate='always', table_kwargs={'sqlite_autoincrement': True}):
            pass


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table('search_queue', recreate='always', table_kwargs={'sqlite_autoincrement': False}):
            pass
