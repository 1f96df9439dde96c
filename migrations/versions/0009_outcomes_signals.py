"""outcomes and signals: honest outcomes, signals without a first day out of school, missed reminders

DOMAIN.md, "Case lifecycle" and "Case outcomes" (issue 16):

- ``case_file.out_of_school_since`` and ``return_deadline`` may be empty: a signal (``status = 'signaal'``, a
  dreigend thuiszitter) has no first day out of school and no return deadline yet. On SQLite this rebuilds
  ``case_file`` (batch mode; ``env.py`` keeps foreign keys off meanwhile so nothing cascades).
- Existing closed cases are migrated honestly. Only the offer outcomes (``terug_naar_school``, ``maatwerk``,
  ``onderwijszorgarrangement``) keep ``offer_started_on``. Before, ``vrijstelling``, ``verhuisd`` and ``overig``
  had to give an "offer" date too, and so counted as goal met; that date is when the absence ended, so it becomes
  ``closed_on`` and ``offer_started_on`` is emptied. Their goal met is then "not applicable". The audit trail is
  append-only and keeps the original close events; the export reads those with the same rule.
- ``reminder.missed``: a reminder found more than the catch-up window late is recorded as missed (shown on the
  case, never mailed). Existing reminders were all sent: false.
- The dashboards' covering indexes on closed cases and the national ones gain the columns the new counts read
  (outcome; absence kind and first day out of school, for relatief verzuim that counts only after 4 weeks).

Downgrade refuses while signals exist (the old schema cannot hold them); otherwise it puts the closing date back as
the "offer" date of the other outcomes.

Revision ID: 0009_outcomes_signals
Revises: 0008_oidc
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_outcomes_signals"
down_revision = "0008_oidc"
branch_labels = None
depends_on = None

# The outcomes without a passend aanbod that existed before this revision (spec.OFFER_OUTCOMES are the others).
OLD_OTHER_OUTCOMES = ("vrijstelling", "verhuisd", "overig")
# Outcomes new in this revision, which the old code cannot show.
NEW_OUTCOMES = ("einde_leerplicht", "geen_thuiszitter")

WIDENED = [
    ("ix_case_file_swv_closed",
     ["swv_id", "closed_on", "anonymised_at", "offer_started_on", "return_deadline"],
     ["swv_id", "closed_on", "anonymised_at", "offer_started_on", "return_deadline", "outcome", "absence_kind",
      "out_of_school_since"]),
    ("ix_case_file_gemeente_closed",
     ["gemeente_id", "closed_on", "anonymised_at", "offer_started_on", "return_deadline"],
     ["gemeente_id", "closed_on", "anonymised_at", "offer_started_on", "return_deadline", "outcome", "absence_kind",
      "out_of_school_since"]),
    ("ix_case_file_closed_swv",
     ["closed_on", "swv_id", "offer_started_on", "return_deadline"],
     ["closed_on", "swv_id", "offer_started_on", "return_deadline", "outcome", "absence_kind",
      "out_of_school_since"]),
    ("ix_case_file_status_deadline_swv",
     ["status", "return_deadline", "swv_id"],
     ["status", "return_deadline", "swv_id", "absence_kind", "out_of_school_since"]),
    ("ix_case_file_since_swv",
     ["out_of_school_since", "swv_id"],
     ["out_of_school_since", "swv_id", "absence_kind", "closed_on", "offer_started_on"]),
]

case_file = sa.table(
    "case_file",
    sa.column("status", sa.String),
    sa.column("outcome", sa.String),
    sa.column("offer_started_on", sa.Date),
    sa.column("closed_on", sa.Date),
    sa.column("out_of_school_since", sa.Date),
)


def upgrade() -> None:
    with op.batch_alter_table("case_file") as batch:
        batch.alter_column("out_of_school_since", existing_type=sa.Date(), nullable=True)
        batch.alter_column("return_deadline", existing_type=sa.Date(), nullable=True)
    with op.batch_alter_table("reminder") as batch:
        batch.add_column(sa.Column("missed", sa.Boolean(), server_default=sa.false(), nullable=False))

    op.execute(
        case_file.update()
        .where(case_file.c.outcome.in_(OLD_OTHER_OUTCOMES), case_file.c.offer_started_on.is_not(None))
        .values(closed_on=case_file.c.offer_started_on, offer_started_on=None)
    )

    for name, _old, new in WIDENED:
        op.drop_index(name, table_name="case_file")
        op.create_index(name, "case_file", new, unique=False)


def downgrade() -> None:
    bind = op.get_bind()
    signals = bind.execute(
        sa.select(sa.func.count()).select_from(case_file).where(case_file.c.out_of_school_since.is_(None))
    ).scalar()
    if signals:
        raise RuntimeError(
            f"{signals} signal(s) have no first day out of school; the schema before 0009_outcomes_signals cannot "
            f"hold them. Record their first day out of school or close them first."
        )
    for name, old, _new in WIDENED:
        op.drop_index(name, table_name="case_file")
        op.create_index(name, "case_file", old, unique=False)

    op.execute(
        case_file.update()
        .where(case_file.c.outcome.in_((*OLD_OTHER_OUTCOMES, *NEW_OUTCOMES)),
               case_file.c.offer_started_on.is_(None), case_file.c.closed_on.is_not(None))
        .values(offer_started_on=case_file.c.closed_on)
    )

    with op.batch_alter_table("reminder") as batch:
        batch.drop_column("missed")
    with op.batch_alter_table("case_file") as batch:
        batch.alter_column("return_deadline", existing_type=sa.Date(), nullable=False)
        batch.alter_column("out_of_school_since", existing_type=sa.Date(), nullable=False)
