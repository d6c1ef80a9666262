"""indexes for the dashboard's workflow lists

Revision ID: 0009_workflow_indexes
Revises: 0008_sitemap_covering_indexes
Create Date: 2026-12-02 16:45:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009_workflow_indexes'
down_revision = '0008_sitemap_covering_indexes'
branch_labels = None
depends_on = None

# The dashboard lists drafts, articles in review, scheduled ones and those due a medical review. Without these
# it read articles' rows (bodies included) until it found ten of each: 0.4-1 s per list at 100,000 articles.
_INDEXES = {
    'ix_articles_workflow': ['deleted_at', 'status', 'updated_at', 'id', 'author_id', 'published_at'],
    'ix_articles_review_due': ['deleted_at', 'reviewed_at', 'published_at', 'id', 'status'],
}


def upgrade():
    for name, columns in _INDEXES.items():
        op.create_index(name, 'articles', columns, unique=False)


def downgrade():
    for name in _INDEXES:
        op.drop_index(name, table_name='articles')
