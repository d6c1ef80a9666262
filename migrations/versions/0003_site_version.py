"""site version: a change counter for HTTP validators and the page cache

Revision ID: 0003_site_version
Revises: 0002_newsroom
Create Date: 2026-11-26 00:30:00

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_site_version'
down_revision = '0002_newsroom'
branch_labels = None
depends_on = None


def upgrade():
    site_version = op.create_table('site_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_version'))
    )
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    op.bulk_insert(site_version, [{'id': 1, 'version': 1, 'changed_at': now}])


def downgrade():
    op.drop_table('site_version')
