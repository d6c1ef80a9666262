"""indexes for an author's newsroom list and the most-read list

Revision ID: 0024_author_and_views_indexes
Revises: 0023_page_revisions
Create Date: 2026-12-03 15:20:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0024_author_and_views_indexes'
down_revision = '0023_page_revisions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_articles_author_updated', 'articles', ['author_id', 'deleted_at', 'updated_at', 'id'])
    op.create_index('ix_articles_views', 'articles', ['view_count', 'published_at', 'id'])


def downgrade():
    op.drop_index('ix_articles_views', table_name='articles')
    op.drop_index('ix_articles_author_updated', table_name='articles')
