"""best bets: articles editors recommend for a search, shown first

Revision ID: 0016_best_bets
Revises: 0015_search_change_log
Create Date: 2026-12-03 10:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_best_bets'
down_revision = '0015_search_change_log'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('best_bets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('query', sa.String(length=200), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_best_bets')),
    sa.UniqueConstraint('key', name=op.f('uq_best_bets_key'))
    )
    op.create_table('best_bet_articles',
    sa.Column('best_bet_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_best_bet_articles_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['best_bet_id'], ['best_bets.id'], name=op.f('fk_best_bet_articles_best_bet_id_best_bets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('best_bet_id', 'position', name=op.f('pk_best_bet_articles'))
    )
    with op.batch_alter_table('best_bet_articles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_best_bet_articles_article_id'), ['article_id'], unique=False)


def downgrade():
    with op.batch_alter_table('best_bet_articles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_best_bet_articles_article_id'))
    op.drop_table('best_bet_articles')
    op.drop_table('best_bets')
