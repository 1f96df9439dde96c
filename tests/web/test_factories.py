"""Every model has a factory in tests/factories.py, and each factory makes a row the database accepts."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from tests import factories
from thuiszitters.extensions import db


def test_every_model_has_a_factory(app):
    models = {mapper.class_ for mapper in db.Model.registry.mappers}
    missing = sorted(model.__name__ for model in models - set(factories.FACTORIES))
    assert missing == [], f"models without a factory in tests/factories.py: {missing}"


def test_every_factory_makes_a_row_that_is_stored(app):
    w = factories.world()
    case = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 1))
    school = factories.school("12AB01", swv_obj=w.swv1, gemeente_obj=w.gem1)
    run = factories.export_run("2026-09")
    factories.token(w.coordinator)
    made = [
        w.swv1, w.gem1, school, w.coordinator, w.coordinator.tokens[-1], case, case.pupil,
        factories.step(case, "aanmelding", received_on=date(2026, 9, 7), school_id=school.id),
        factories.alert(case, due_on=date(2026, 12, 2)),
        factories.reminder(case, due_on=date(2026, 12, 2)),
        factories.notification(w.coordinator, case),
        factories.outbox_message(),
        factories.scheduler_state(),
        run,
        factories.export_file(run),
        factories.user_session(w.coordinator, idle=timedelta(minutes=5)),
        factories.login_attempt(),
        factories.oidc_identity(w.leerplicht),
        factories.audit_event(case, actor=w.coordinator, changes={"note": ["…", "…"]}),
        factories.audit_note(case),
        *factories.audit_event_case(case),
        (parent := factories.participant(case, w.coordinator)),
        (entry := factories.journal_entry(case, w.coordinator, participants=(parent,))),
        factories.journal_revision(entry),
        factories.document(case, uploaded_by=w.coordinator),
        factories.document_chunk(case),
        factories.meeting(case, w.coordinator, present=(parent,)),
        factories.action(case, w.coordinator, owner=parent),
    ]
    db.session.commit()
    made_types = {type(obj) for obj in made}
    assert made_types == set(factories.FACTORIES)
    for model in made_types:
        assert db.session.scalar(select(func.count()).select_from(model)) >= 1, model.__name__
