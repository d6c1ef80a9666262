"""search change log read by every node from its own position, instead of a queue emptied by one

Revision ID: 0015_search_change_log
Revises: 0014_alt_text_and_credentials
Create Date: 2026-12-03 06:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_search_change_log'
down_revision = '0014_alt_text_and_credentials'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_changes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_changes')),
    sqlite_autoincrement=True
    )
    op.create_table('search_nodes',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.BigInteger(), nullable=False),
    sa.Column('reported_at', sa.DateTime(), nullable=False),
    sa.Column('must_rebuild', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_search_nodes'))
    )
    # Changes still queued move into the log (an index without a recorded position applies the whole log).
    op.execute(
        "INSERT INTO search_changes (article_id, changed_at) SELECT article_id, queued_at FROM search_queue ORDER BY id"
    )
    with op.batch_alter_table('search_queue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_queue_article_id'))
    op.drop_table('search_queue')


def downgrade():
    op.create_table('search_queue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('queued_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_queue')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('search_queue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_queue_article_id'), ['article_id'], unique=False)
    op.drop_table('search_nodes')
    op.drop_table('search_changes')
