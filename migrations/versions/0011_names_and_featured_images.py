"""category names unique whatever their case; featured images; alt text of uploads

Revision ID: 0011_names_and_featured_images
Revises: 0009_workflow_indexes
Create Date: 2026-12-03 06:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_names_and_featured_images'
down_revision = '0009_workflow_indexes'
branch_labels = None
depends_on = None

_NAME_LENGTH = 120


def _rename_duplicate_categories(connection):
    """Give every category that shares a name (any case) with an older one its slug in brackets.

    Renaming keeps every article, address and redirect where it was; an editor can merge them afterwards.
    """
    rows = connection.execute(sa.text('SELECT id, name, slug FROM categories ORDER BY id')).all()
    taken = {name.lower() for _, name, _ in rows}
    seen = set()
    for category_id, name, slug in rows:
        if name.lower() not in seen:
            seen.add(name.lower())
            continue
        suffix, number = f' ({slug})', 2
        new_name = name[: _NAME_LENGTH - len(suffix)] + suffix
        while new_name.lower() in taken:
            suffix, number = f' ({slug} {number})', number + 1
            new_name = name[: _NAME_LENGTH - len(suffix)] + suffix
        taken.add(new_name.lower())
        seen.add(new_name.lower())
        connection.execute(
            sa.text('UPDATE categories SET name = :name WHERE id = :id'), {'name': new_name, 'id': category_id}
        )


def upgrade():
    _rename_duplicate_categories(op.get_bind())
    op.create_index('uq_categories_name_lower', 'categories', [sa.text('lower(name)')], unique=True)
    with op.batch_alter_table('uploads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('alt', sa.String(length=300), nullable=False, server_default=''))
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('featured_image_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_articles_featured_image_id_uploads'), 'uploads', ['featured_image_id'], ['id'],
            ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_articles_featured_image_id_uploads'), type_='foreignkey')
        batch_op.drop_column('featured_image_id')
    with op.batch_alter_table('uploads', schema=None) as batch_op:
        batch_op.drop_column('alt')
    op.drop_index('uq_categories_name_lower', table_name='categories')
