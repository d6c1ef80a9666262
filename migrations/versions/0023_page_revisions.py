"""page revisions: every save of a page kept, to compare and restore; pages in the header menu and in search

Revision ID: 0023_page_revisions
Revises: 0022_author_photos
Create Date: 2026-12-03 09:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023_page_revisions'
down_revision = '0022_author_photos'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('page_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('page_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['page_id'], ['pages.id'], name=op.f('fk_page_revisions_page_id_pages'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_page_revisions_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_page_revisions'))
    )
    op.create_index(op.f('ix_page_revisions_page_id'), 'page_revisions', ['page_id'], unique=False)
    with op.batch_alter_table('pages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('in_header', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.drop_index('ix_pages_menu')
        # Both menus are read in one pass in menu order; which menu a page is in is checked in the index.
        batch_op.create_index(
            'ix_pages_menu', ['deleted_at', 'status', 'menu_order', 'id', 'in_header', 'in_footer'], unique=False
        )
    # A page's search change: article_id 0 and the page's id. A plain ADD COLUMN (no table copy on SQLite), so
    # the log's AUTOINCREMENT sequence, which must never hand out an id again, is left as it is.
    op.add_column('search_changes', sa.Column('page_id', sa.Integer(), nullable=True))


def downgrade():
    op.drop_column('search_changes', 'page_id')  # SQLite 3.35+ drops a column in place, keeping the sequence
    with op.batch_alter_table('pages', schema=None) as batch_op:
        batch_op.drop_index('ix_pages_menu')
        batch_op.create_index('ix_pages_menu', ['deleted_at', 'status', 'in_footer', 'menu_order', 'id'], unique=False)
        batch_op.drop_column('in_header')
    op.drop_index(op.f('ix_page_revisions_page_id'), table_name='page_revisions')
    op.drop_table('page_revisions')
