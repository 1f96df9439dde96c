"""`flask seed synthetic`: national reference data and cases whose derived columns follow the rules."""
import re
from datetime import date

from sqlalchemy import delete, func, select

from thuiszitters.alerts.models import Alert
from thuiszitters.cases.models import Case, Pupil, Step
from thuiszitters.escalation import gate, spec, terms, validation
from thuiszitters.extensions import db
from thuiszitters.reference.models import Gemeente, School, Swv
from thuiszitters.seed.synthetic import load_synthetic

TODAY = date(2026, 11, 2)


def _fingerprint() -> list[tuple]:
    rows = db.session.execute(
        select(Case.out_of_school_since, Case.status, Case.stage, Case.outcome, Swv.code, Pupil.first_name)
        .join(Swv, Swv.id == Case.swv_id).join(Pupil, Pupil.id == Case.pupil_id).order_by(Case.id)
    ).all()
    return [tuple(r) for r in rows]


def test_command_loads_national_reference_data_and_cases(app, runner):
    result = runner.invoke(args=["seed", "synthetic", "--cases", "400", "--seed", "7", "--today", "2026-11-02",
                                 "--no-users"])
    assert result.exit_code == 0, result.output
    assert "400 casussen" in result.output
    assert db.session.scalar(select(func.count()).select_from(Swv)) == 225
    assert db.session.scalar(select(func.count()).select_from(Gemeente)) == 340
    brins = db.session.scalars(select(School.brin)).all()
    assert len(brins) == 8000 and len(set(brins)) == 8000
    assert all(re.fullmatch(r"\d{2}[A-Z]{2}\d{2}", b) for b in brins)
    assert db.session.scalar(select(func.count()).select_from(Case)) == 400


def test_cases_follow_the_rules_and_the_same_seed_gives_the_same_cases(app):
    load_synthetic(300, 11, TODAY, with_users=False)
    db.session.commit()
    first = _fingerprint()
    cases = db.session.scalars(select(Case)).all()
    assert any(c.status == "open" for c in cases) and any(c.status == "closed" for c in cases)
    assert any(c.outcome in spec.OFFER_OUTCOMES for c in cases)
    assert any(c.outcome in spec.OTHER_CASE_OUTCOMES for c in cases)
    for item in cases:
        assert item.return_deadline == terms.return_deadline(item.out_of_school_since)
        assert item.stage == gate.stage(item.steps)
        assert item.out_of_school_since <= TODAY
        # 5 to 17 on the first day out of school (issue 16).
        assert 5 <= terms.age_on(item.pupil.date_of_birth, item.out_of_school_since) <= 17
        if item.status == "closed":
            # Issue 16: only the offer outcomes have an offer start; the others end on their closing date.
            assert item.outcome in spec.CASE_OUTCOMES
            if item.outcome in spec.OFFER_OUTCOMES:
                assert item.out_of_school_since <= item.offer_started_on <= item.closed_on <= TODAY
            else:
                assert item.offer_started_on is None and item.out_of_school_since <= item.closed_on <= TODAY
        for step in item.steps:
            dates = [d for d in (step.received_on, step.decided_on, step.started_on, step.ended_on,
                                 step.requested_on, step.advice_on, step.filed_on, step.verdict_on,
                                 step.reported_on) if d is not None]
            assert all(item.out_of_school_since <= d <= TODAY for d in dates)
            assert validation.validate_step(
                step, today=TODAY, out_of_school_since=item.out_of_school_since,
                step_school_type=step.school.school_type if step.school else None,
                case_school_type=item.school.school_type if item.school else None) == []
        if any(s.kind == "interventieteam" for s in item.steps):
            assert gate.interventieteam_missing_steps(item.steps, TODAY) == []

    # Again on the same reference data: the same cases, and no second set of schools.
    for model in (Alert, Step, Case, Pupil):
        db.session.execute(delete(model))
    db.session.commit()
    load_synthetic(300, 11, TODAY, with_users=False)
    db.session.commit()
    assert _fingerprint() == first
    assert db.session.scalar(select(func.count()).select_from(School)) == 8000
