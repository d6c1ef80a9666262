"""tag names unique whatever their case

Revision ID: 0020_tag_names_unique
Revises: 0016_best_bets
Create Date: 2026-12-03 10:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_tag_names_unique'
down_revision = '0016_best_bets'
branch_labels = None
depends_on = None

_NAME_LENGTH = 120


def _rename_duplicate_tags(connection):
    """Give every tag that shares a name (any case) with an older one its slug in brackets.

    The same rule 0012 applied to categories: every article, address and redirect stays where it was, and an
    editor can merge the two tags afterwards in the newsroom.
    """
    rows = connection.execute(sa.text('SELECT id, name, slug FROM tags ORDER BY id')).all()
    taken = {name.lower() for _, name, _ in rows}
    seen = set()
    for tag_id, name, slug in rows:
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
        connection.execute(sa.text('UPDATE tags SET name = :name WHERE id = :id'), {'name': new_name, 'id': tag_id})


def upgrade():
    _rename_duplicate_tags(op.get_bind())
    op.create_index('uq_tags_name_lower', 'tags', [sa.text('lower(name)')], unique=True)


def downgrade():
    op.drop_index('uq_tags_name_lower', table_name='tags')
