"""Test data. Each factory commits nothing: tests commit when other code must see the data."""
from __future__ import annotations

import itertools
from datetime import date

from thuiszitters.accounts.services import UserInput, create_user, issue_token
from thuiszitters.cases.models import Case, Pupil
from thuiszitters.clock import now_utc
from thuiszitters.escalation.terms import return_deadline
from thuiszitters.extensions import db
from thuiszitters.reference.models import Gemeente, School, Swv

PASSWORD = "correct-horse-battery-9"
_seq = itertools.count(1)


def swv(code: str = "PO 27-01", name: str | None = None) -> Swv:
    obj = Swv(code=code, name=name or f"Samenwerkingsverband {code}", sector=code[:2].lower(),
              email=f"swv{next(_seq)}@example.nl")
    db.session.add(obj)
    db.session.flush()
    return obj


def gemeente(code: str = "GM0363", name: str = "Amsterdam") -> Gemeente:
    obj = Gemeente(code=code, name=name)
    db.session.add(obj)
    db.session.flush()
    return obj


def school(brin: str = "07NU00", *, school_type: str = "po", swv_obj: Swv | None = None,
           gemeente_obj: Gemeente | None = None, name: str | None = None) -> School:
    obj = School(brin=brin, name=name or f"School {brin}", school_type=school_type, swv=swv_obj,
                 gemeente=gemeente_obj)
    db.session.add(obj)
    db.session.flush()
    return obj


def user(role: str = "coordinator", *, email: str | None = None, swvs: tuple[str, ...] = (),
         gemeenten: tuple[str, ...] = (), name: str | None = None, password: str = PASSWORD):
    email = email or f"{role}{next(_seq)}@example.nl"
    return create_user(UserInput(email=email, name=name or email.split("@")[0].title(), role=role,
                                 swv_codes=swvs, gemeente_codes=gemeenten), password, actor_id=None)


def token(user_obj) -> str:
    return issue_token(user_obj, "test", actor_id=None).token


def case(swv_obj: Swv, gemeente_obj: Gemeente, *, out_of_school_since: date, status: str = "open",
         first_name: str = "Noah", last_name: str = "de Vries", date_of_birth: date = date(2014, 3, 1),
         bsn: str | None = None, absence_kind: str = "absoluut_verzuim", reference: str | None = None,
         school_obj: School | None = None) -> Case:
    """A case inserted directly (no audit trail), for tests about lists, scope and sweeps."""
    now = now_utc()
    obj = Case(
        reference=reference or f"TZ-TEST-{next(_seq):05d}", status=status,
        pupil=Pupil(first_name=first_name, last_name=last_name, date_of_birth=date_of_birth, bsn=bsn),
        swv=swv_obj, gemeente=gemeente_obj, school=school_obj, absence_kind=absence_kind,
        out_of_school_since=out_of_school_since,
        return_deadline=return_deadline(out_of_school_since),
        last_activity_on=out_of_school_since, created_at=now, updated_at=now,
    )
    db.session.add(obj)
    db.session.flush()
    return obj


def world():
    """Two swv's in two gemeenten with a coordinator, a leerplicht user, an inspectie user and an admin."""
    from types import SimpleNamespace

    s1, s2 = swv("PO 27-01"), swv("VO 27-02")
    g1, g2 = gemeente("GM0363", "Amsterdam"), gemeente("GM0479", "Zaanstad")
    return SimpleNamespace(
        swv1=s1, swv2=s2, gem1=g1, gem2=g2,
        coordinator=user("coordinator", email="coord1@example.nl", swvs=("PO 27-01",)),
        coordinator2=user("coordinator", email="coord2@example.nl", swvs=("VO 27-02",)),
        leerplicht=user("leerplicht", email="lp1@example.nl", gemeenten=("GM0363",)),
        inspectie=user("inspectie", email="insp@example.nl"),
        admin=user("admin", email="admin@example.nl"),
    )
