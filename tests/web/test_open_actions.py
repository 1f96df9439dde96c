"""`open_actions_for(user, until)`, the werkvoorraad's source of a user's open actions: scoped, soonest first, each
with its case's reference, in one statement; a coordinator also gets its cases' actions owned by participants."""
from datetime import date

from sqlalchemy import event

from tests import factories
from thuiszitters.casework.plan_services import open_actions_for
from thuiszitters.extensions import db


def test_each_user_gets_its_own_open_actions_in_scope_soonest_first(app, clock):
    clock.set_today(date(2026, 10, 1))
    w = factories.world()
    case = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 1), first_name="Noah")
    other = factories.case(w.swv2, w.gem2, out_of_school_since=date(2026, 9, 1))
    parent = factories.participant(case, w.coordinator)
    late = factories.action(case, w.coordinator, description="Te laat", due_on=date(2026, 9, 28))
    soon = factories.action(case, w.coordinator, description="Morgen", due_on=date(2026, 10, 2))
    far = factories.action(case, w.coordinator, description="Later", due_on=date(2026, 11, 30))
    theirs = factories.action(case, w.coordinator, owner=parent, description="Ouder", due_on=date(2026, 10, 3))
    officer = factories.action(case, w.coordinator, owner=w.leerplicht, description="Leerplicht",
                               due_on=date(2026, 10, 4))
    done = factories.action(case, w.coordinator, description="Gedaan", due_on=date(2026, 9, 29))
    done.status, done.done_on = "gedaan", date(2026, 9, 30)
    factories.action(other, w.coordinator2, description="Elders", due_on=date(2026, 10, 2))
    db.session.commit()
    db.session.expire_all()

    until = date(2026, 10, 8)
    assert [row.id for row in open_actions_for(w.coordinator, until)] == [late.id, soon.id, theirs.id]
    assert [row.id for row in open_actions_for(w.leerplicht, until)] == [officer.id]
    assert open_actions_for(w.inspectie, until) == []
    assert far.id in [row.id for row in open_actions_for(w.coordinator, date(2026, 12, 1))]

    # One statement for the whole list, each row with what the werkvoorraad shows: no query per action.
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        found = open_actions_for(w.coordinator, until)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) == 1
    assert [(row.due_on, row.reference, row.description, row.case_id) for row in found] == [
        (date(2026, 9, 28), case.reference, "Te laat", case.id),
        (date(2026, 10, 2), case.reference, "Morgen", case.id),
        (date(2026, 10, 3), case.reference, "Ouder", case.id),
    ]
