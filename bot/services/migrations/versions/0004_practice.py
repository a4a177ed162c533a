"""coaching practice record: session form fields, feedback links, reflections, weekly prompt

Revision ID: 0004_practice
Revises: 0004_hardening
Create Date: 2026-11-30
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0004_practice'
down_revision = '0004_hardening'
branch_labels = None
depends_on = None

_TEXT = ('goal', 'model', 'outcome', 'feedback', 'supervision')
_STAGES = ('description', 'feelings', 'evaluation', 'analysis', 'conclusion', 'action_plan')


def upgrade() -> None:
    with op.batch_alter_table('coachingsession', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        for name in _TEXT:
            batch_op.add_column(sa.Column(name, sqlmodel.sql.sqltypes.AutoString(),
                                          nullable=False, server_default=''))
        batch_op.add_column(sa.Column('form_step', sqlmodel.sql.sqltypes.AutoString(),
                                      nullable=True))

    with op.batch_alter_table('learner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('awaiting', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('reflect_weekday', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reflect_time', sqlmodel.sql.sqltypes.AutoString(), nullable=True))

    op.create_table('feedbackrequest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('opened_by', sa.BigInteger(), nullable=True),
    sa.Column('answer', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('answered_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('answered_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['learner_id'], ['learner.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['coachingsession.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('feedbackrequest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedbackrequest_learner_id'), ['learner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedbackrequest_session_id'), ['session_id'], unique=False)

    op.create_table('reflection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Integer(), nullable=False),
    *(sa.Column(name, sqlmodel.sql.sqltypes.AutoString(), nullable=False) for name in _STAGES),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['learner_id'], ['learner.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('reflection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reflection_learner_id'), ['learner_id'], unique=False)

    op.create_table('reflectionac',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('reflection_id', sa.Integer(), nullable=False),
    sa.Column('unit_code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('ref', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['learner_id'], ['learner.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reflection_id'], ['reflection.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('reflection_id', 'unit_code', 'ref')
    )
    with op.batch_alter_table('reflectionac', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reflectionac_learner_id'), ['learner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reflectionac_reflection_id'), ['reflection_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('reflectionac', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reflectionac_reflection_id'))
        batch_op.drop_index(batch_op.f('ix_reflectionac_learner_id'))

    op.drop_table('reflectionac')
    with op.batch_alter_table('reflection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reflection_learner_id'))

    op.drop_table('reflection')
    with op.batch_alter_table('feedbackrequest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedbackrequest_session_id'))
        batch_op.drop_index(batch_op.f('ix_feedbackrequest_learner_id'))

    op.drop_table('feedbackrequest')
    with op.batch_alter_table('learner', schema=None) as batch_op:
        batch_op.drop_column('reflect_time')
        batch_op.drop_column('reflect_weekday')
        batch_op.drop_column('awaiting')

    with op.batch_alter_table('coachingsession', schema=None) as batch_op:
        batch_op.drop_column('form_step')
        for name in reversed(_TEXT):
            batch_op.drop_column(name)
        batch_op.drop_column('kind')
