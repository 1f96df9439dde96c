"""The audit trail is append-only: the app refuses to change it, and `flask audit verify` finds tampering."""
import pytest
from sqlalchemy import delete, select, text, update

from tests import factories
from thuiszitters.audit.guard import AuditTrailIsAppendOnly
from thuiszitters.audit.models import AuditEvent
from thuiszitters.audit.services import ACTIVITY_ADMIN, record
from thuiszitters.extensions import db


def _five_events() -> list[int]:
    ids = [record("test.event", actor_id=None, activity=ACTIVITY_ADMIN, object_type="user", object_id=i,
                  changes={"n": [None, i]}).id for i in range(5)]
    db.session.commit()
    return ids


def _tamper(sql: str, **params) -> None:
    """Change the table behind the app's back, as a DBA could (on PostgreSQL: past the trigger, too)."""
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text(sql), params)


def test_an_untouched_trail_verifies(app, runner):
    _five_events()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0
    assert "In orde: 5 gebeurtenissen" in result.output


def test_an_edited_row_is_reported(app, runner):
    ids = _five_events()
    _tamper("UPDATE audit_event SET object_id = 99 WHERE id = :id", id=ids[2])
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"id {ids[2]} is gewijzigd" in result.output


def test_a_deleted_row_is_reported(app, runner):
    ids = _five_events()
    _tamper("DELETE FROM audit_event WHERE id = :id", id=ids[1])
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"keten verbroken tussen id {ids[0]} en {ids[2]}" in result.output
    assert f"ontbrekende id's {ids[1]}" in result.output


def test_a_rewritten_row_with_a_fresh_hash_still_breaks_the_chain(app, runner):
    from thuiszitters.audit.services import compute_hash

    ids = _five_events()
    event = db.session.get(AuditEvent, ids[2])
    db.session.expunge(event)
    event.object_id = 99
    _tamper("UPDATE audit_event SET object_id = 99, row_hash = :h WHERE id = :id",
            h=compute_hash(event, event.prev_hash), id=ids[2])
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"keten verbroken tussen id {ids[2]} en {ids[3]}" in result.output


def test_the_app_cannot_change_or_delete_audit_events(app):
    ids = _five_events()
    event = db.session.get(AuditEvent, ids[0])
    event.reason = "edited"
    with pytest.raises(AuditTrailIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, ids[0]))
    with pytest.raises(AuditTrailIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(AuditTrailIsAppendOnly):
        db.session.execute(update(AuditEvent).values(reason="x"))
    with pytest.raises(AuditTrailIsAppendOnly):
        db.session.execute(delete(AuditEvent))
    db.session.rollback()
    assert len(db.session.scalars(select(AuditEvent)).all()) == 5


def test_postgresql_itself_refuses_updates_of_the_trail(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    ids = _five_events()
    from sqlalchemy.exc import DBAPIError

    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET reason = 'x' WHERE id = :id"), {"id": ids[0]})


def test_login_events_of_real_use_verify(app, auth, runner):
    factories.world()
    db.session.commit()
    auth.login("coord1@example.nl")
    auth.logout()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
