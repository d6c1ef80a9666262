"""category and author listing indexes that also cover their count

Revision ID: 0007_covering_listing_indexes
Revises: 0006_related_lists
Create Date: 2026-11-26 09:40:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0007_covering_listing_indexes'
down_revision = '0006_related_lists'
branch_labels = None
depends_on = None

# With the status in the index, counting a category's or an author's visible articles reads the index alone
# (at 100,000 articles it read every row: 150-450 ms per category, seconds from a cold disk). The id before the
# status keeps the listings' order (published_at, id) readable straight from the index.
_INDEXES = {
    'ix_articles_category_published': 'category_id',
    'ix_articles_author_published': 'author_id',
}


def upgrade():
    for name, column in _INDEXES.items():
        op.drop_index(name, table_name='articles')
        op.create_index(name, 'articles', [column, 'deleted_at', 'published_at', 'id', 'status'], unique=False)


def downgrade():
    for name, column in _INDEXES.items():
        op.drop_index(name, table_name='articles')
        op.create_index(name, 'articles', [column, 'deleted_at', 'published_at'], unique=False)
