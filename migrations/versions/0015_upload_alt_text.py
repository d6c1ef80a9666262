"""alt text of uploaded images, asked for at upload and written by the editor's Insert

Revision ID: 0015_upload_alt_text
Revises: 0009_workflow_indexes
Create Date: 2026-12-03 06:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_upload_alt_text'
down_revision = '0009_workflow_indexes'
branch_labels = None
depends_on = None


def upgrade():
    # Images uploaded before this keep an empty alt text: the editor falls back to the file's name, as before.
    op.add_column('uploads', sa.Column('alt_text', sa.String(length=300), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('uploads') as batch_op:
        batch_op.drop_column('alt_text')
