"""category names unique whatever their case; slugs transliterated; featured images

Revision ID: 0012_names_and_featured_images
Revises: 0011_audit_log
Create Date: 2026-12-03 06:40:00.000000

"""
import re
import unicodedata

from alembic import op
import sqlalchemy as sa
from slugify import slugify


# revision identifiers, used by Alembic.
revision = '0012_names_and_featured_images'
down_revision = "0011_audit_log"
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


def _ascii_slug(value, max_length):
    """The slug rule before this migration: letters outside ASCII dropped ("Straße" was "strae")."""
    text = unicodedata.normalize('NFKD', value).encode('ascii', 'ignore').decode()
    return re.sub(r'[^a-z0-9]+', '-', text.lower()).strip('-')[:max_length].rstrip('-')


def _reslug(connection, table, kind, column):
    """Give tags or categories whose slug the old rule made the transliterated slug; their old address redirects.

    Without this, saving an article tagged "Straße" would look for "strasse", miss "strae" and make a second tag.
    A slug someone chose by hand, or a new slug another row already has, is left as it is.
    """
    rows = connection.execute(sa.text(f'SELECT id, slug, name FROM {table} ORDER BY id')).all()
    taken = {slug for _, slug, _ in rows}
    for row_id, slug, name in rows:
        # Tags made from an article's tag list have 80 characters at most, those made in the newsroom 120.
        length = next((n for n in (80, 120) if slug == _ascii_slug(name, n)), None)
        new_slug = slugify(name, max_length=length).strip('-') if length else ''
        if not new_slug or new_slug == slug or new_slug in taken:
            continue
        old_path, new_path = f'/{kind}/{slug}/', f'/{kind}/{new_slug}/'
        connection.execute(
            sa.text('DELETE FROM redirects WHERE old_path IN (:old, :new)'), {'old': old_path, 'new': new_path}
        )
        connection.execute(sa.text(f'UPDATE {table} SET slug = :slug WHERE id = :id'), {'slug': new_slug, 'id': row_id})
        connection.execute(
            sa.text(f'INSERT INTO redirects (old_path, {column}) VALUES (:path, :id)'), {'path': old_path, 'id': row_id}
        )
        taken.add(new_slug)


def upgrade():
    connection = op.get_bind()
    _rename_duplicate_categories(connection)
    _reslug(connection, 'categories', 'category', 'category_id')
    _reslug(connection, 'tags', 'tag', 'tag_id')
    op.create_index('uq_categories_name_lower', 'categories', [sa.text('lower(name)')], unique=True)
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
    op.drop_index('uq_categories_name_lower', table_name='categories')
