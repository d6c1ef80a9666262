"""pages: the site's standing texts at short addresses, and old addresses that lead to them

Revision ID: 0013_pages
Revises: 0012_names_and_featured_images
Create Date: 2026-12-03 06:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_pages'
down_revision = "0012_names_and_featured_images"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('slug', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('in_footer', sa.Boolean(), nullable=False),
    sa.Column('menu_order', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pages')),
    sa.UniqueConstraint('slug', name=op.f('uq_pages_slug'))
    )
    op.create_index('ix_pages_menu', 'pages', ['deleted_at', 'status', 'in_footer', 'menu_order', 'id'], unique=False)
    with op.batch_alter_table('redirects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('page_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_redirects_page_id'), ['page_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_redirects_page_id_pages'), 'pages', ['page_id'], ['id'], ondelete='CASCADE'
        )


def downgrade():
    with op.batch_alter_table('redirects', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_redirects_page_id_pages'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_redirects_page_id'))
        batch_op.drop_column('page_id')
    op.drop_index('ix_pages_menu', table_name='pages')
    op.drop_table('pages')
