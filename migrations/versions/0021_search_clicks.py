"""result clicks counted per query, position and day; the search log notes when the safety panel was shown

Revision ID: 0021_search_clicks
Revises: 0020_tag_names_unique
Create Date: 2026-12-03 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021_search_clicks'
down_revision = '0020_tag_names_unique'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_clicks',
    sa.Column('query', sa.String(length=500), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('clicks', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('query', 'day', 'position', name=op.f('pk_search_clicks'))
    )
    with op.batch_alter_table('search_clicks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_clicks_day'), ['day'], unique=False)
    with op.batch_alter_table('search_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('safety_panel', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('search_log', schema=None) as batch_op:
        batch_op.drop_column('safety_panel')
    with op.batch_alter_table('search_clicks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_clicks_day'))
    op.drop_table('search_clicks')
