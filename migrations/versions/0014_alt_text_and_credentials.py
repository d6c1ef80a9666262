"""alt text of uploaded images (asked for at upload, written by the editor's Insert) and authors' credentials

Revision ID: 0014_alt_text_and_credentials
Revises: 0013_pages
Create Date: 2026-12-03 06:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_alt_text_and_credentials'
down_revision = '0013_pages'
branch_labels = None
depends_on = None


def upgrade():
    # Images uploaded before this keep an empty alt text: the editor falls back to the file's name, as before.
    op.add_column('uploads', sa.Column('alt_text', sa.String(length=300), nullable=False, server_default=''))
    op.add_column('authors', sa.Column('credentials', sa.String(length=200), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('authors') as batch_op:
        batch_op.drop_column('credentials')
    with op.batch_alter_table('uploads') as batch_op:
        batch_op.drop_column('alt_text')
