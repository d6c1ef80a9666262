"""author photos: a portrait chosen from the uploads for each author

Revision ID: 0022_author_photos
Revises: 0021_search_clicks
Create Date: 2026-12-03 10:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022_author_photos'
down_revision = '0021_search_clicks'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('authors') as batch_op:
        batch_op.add_column(sa.Column('photo_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_authors_photo_id_uploads'), 'uploads', ['photo_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('authors') as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_authors_photo_id_uploads'), type_='foreignkey')
        batch_op.drop_column('photo_id')
