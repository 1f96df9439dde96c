"""A small, realistic demo dataset built through the real services, with dates relative to today, each event
written on the day it happened."""
from __future__ import annotations

import contextlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from thuiszitters.accounts.models import User
from thuiszitters.accounts.services import UserInput, create_user
from thuiszitters.cases import services
from thuiszitters.cases.models import Case
from thuiszitters.casework import plan_services as plan
from thuiszitters.casework import services as casework
from thuiszitters.clock import frozen_at, now_utc
from thuiszitters.errors import DomainError
from thuiszitters.escalation import spec
from thuiszitters.extensions import db
from thuiszitters.permissions import Capability, Role, can
from thuiszitters.reference.models import Gemeente, School, Swv
from thuiszitters.text import AMSTERDAM

DEMO_PASSWORD = "demo-Thuiszitters-2026"  # noqa: S105 - printed for the demo, refused in production

SWVS = [
    ("PO 27-01", "Samenwerkingsverband Passend Primair Onderwijs Amstelland", "po"),
    ("PO 27-02", "Stichting Passend Onderwijs Zaanstreek", "po"),
    ("VO 27-01", "Samenwerkingsverband VO Amsterdam-Diemen", "vo"),
]
GEMEENTEN = [
    ("GM0363", "Amsterdam"), ("GM0362", "Amstelveen"), ("GM0384", "Diemen"),
    ("GM0479", "Zaanstad"), ("GM0437", "Ouder-Amstel"), ("GM0415", "Landsmeer"),
]
SCHOOL_NAMES = {
    "po": ["De Regenboog", "Het Kompas", "De Vlinder", "Prinses Beatrix", "De Springplank", "Het Palet",
           "De Zonnewijzer", "Montessorischool Oost"],
    "sbo": ["SBO De Brug", "SBO Het Anker"],
    "so": ["Mytylschool De Poolster", "SO Het Baken", "SO De Witte Vogel"],
    "vo": ["Cygnus Gymnasium", "Montessori Lyceum", "Hervormd Lyceum Zuid", "Zaanlands Lyceum"],
    "vso": ["VSO De Atlas", "VSO Alphons Laudy"],
    "pro": ["Praktijkschool De Dreef", "Praktijkcollege Zaanstad"],
    "mbo": ["ROC Amsterdam Zuidoost", "MBO College Zaandam", "Hout- en Meubileringscollege", "ROC TOP"],
}
FIRST_NAMES = ["Noah", "Emma", "Mohammed", "Sara", "Łukasz", "Şahin", "Fenna", "Daan", "Yara", "Milan",
               "Aya", "Sem", "Zoë", "Levi", "Nora", "Őrs", "Julia", "Finn", "Liam", "Amira", "Jesse", "Ilse"]
LAST_NAMES = ["de Vries", "Jansen", "El Amrani", "Bakker", "Kowalski", "Yılmaz", "van Dijk", "Visser",
              "Smit", "Ærøe", "Mulder", "de Boer", "Öztürk", "Meijer", "Bos", "van den Berg", "Hendriks"]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    scope: str


DEMO_USERS = [
    ("coordinator@demo.thuiszitters.nl", "Carla Coördinator", Role.COORDINATOR, ("PO 27-01", "PO 27-02"), ()),
    ("coordinator.vo@demo.thuiszitters.nl", "Victor Voortgezet", Role.COORDINATOR, ("VO 27-01",), ()),
    ("leerplicht@demo.thuiszitters.nl", "Lotte Leerplicht", Role.LEERPLICHT, (), ("GM0363", "GM0384", "GM0437")),
    ("leerplicht.zaanstad@demo.thuiszitters.nl", "Ziggy Zaanstad", Role.LEERPLICHT, (), ("GM0479", "GM0415")),
    ("inspectie@demo.thuiszitters.nl", "Inge Inspectie", Role.INSPECTIE, (), ()),
    ("admin@demo.thuiszitters.nl", "Arjen Beheer", Role.ADMIN, (), ()),
]


def demo_logins() -> list[DemoLogin]:
    return [DemoLogin(email, role, ", ".join(swvs + gemeenten) or "—")
            for email, _name, role, swvs, gemeenten in DEMO_USERS]


def load_demo(today: date) -> bool:
    """Load the demo dataset unless it is there already. Returns whether anything was loaded.

    Every case is written through the real services on the days its events happened (clock.frozen_at): its
    steps, decisions and closure carry those dates and their audit events that ``occurred_at``, appended to the
    hash chain like any other event, so histories, dashboards and the monthly export read as in real use.
    """
    if db.session.scalar(select(Swv).where(Swv.code == SWVS[0][0])) is not None:
        return False
    ceiling = now_utc()  # no event later than the moment of seeding
    rnd = random.Random(2026)
    with frozen_at(_office_hours(today - timedelta(days=HISTORY_DAYS), 0, ceiling)):
        users, swvs, gemeenten, schools = _reference_data_and_users(rnd)
    # Who registers the demo cases of each swv: its coordinator.
    coordinators = {code: user for user in users.values() if can(user, Capability.EDIT_CASES) for code in
                    (s.code for s in user.swvs)}
    for index in range(60):
        _demo_case(index, rnd, today, ceiling, swvs, gemeenten, schools, coordinators)
    _demo_other_outcomes(rnd, today, ceiling, swvs, gemeenten, schools, coordinators)
    _demo_plan(rnd, today, ceiling, schools, users, coordinators)
    db.session.flush()
    return True


# The oldest demo case went out of school this many days ago; users and reference data exist from then on.
HISTORY_DAYS = 320


def _office_hours(day: date, minutes: int, ceiling: datetime) -> datetime:
    """``minutes`` after 08:30 on ``day`` in Amsterdam, but never after the moment of seeding."""
    moment = datetime.combine(day, time(8, 30), tzinfo=AMSTERDAM) + timedelta(minutes=minutes)
    return min(moment.astimezone(UTC), ceiling)


def _reference_data_and_users(rnd: random.Random) -> tuple[dict[str, User], dict, dict, list[School]]:
    swvs = {code: Swv(code=code, name=name, sector=sector, email=f"{code[:2].lower()}{code[3:5]}{code[6:]}@demo.nl")
            for code, name, sector in SWVS}
    gemeenten = {code: Gemeente(code=code, name=name) for code, name in GEMEENTEN}
    db.session.add_all([*swvs.values(), *gemeenten.values()])
    schools: list[School] = []
    number = 10
    for school_type, names in SCHOOL_NAMES.items():
        for name in names:
            sector = "po" if school_type in {"po", "sbo", "so"} else "vo"
            swv_choices = [s for s in swvs.values() if s.sector == sector]
            brin = f"{number:02d}{'ABCDEFGHJKLMNPRSTVWXYZ'[number % 22]}{'ABCDEFGHJKLMNPRSTVWXYZ'[(number * 7) % 22]}00"
            number += 1
            schools.append(School(brin=brin, name=name, school_type=school_type,
                                  swv=rnd.choice(swv_choices), gemeente=rnd.choice(list(gemeenten.values()))))
    db.session.add_all(schools)
    db.session.flush()
    users: dict[str, User] = {}
    for email, name, role, swv_codes, gemeente_codes in DEMO_USERS:
        users[email] = create_user(UserInput(email=email, name=name, role=role, swv_codes=swv_codes,
                                             gemeente_codes=gemeente_codes), DEMO_PASSWORD, actor_id=None)
    return users, swvs, gemeenten, schools


def _demo_other_outcomes(rnd: random.Random, today: date, ceiling: datetime, swvs: dict, gemeenten: dict,
                         schools: list[School], coordinators: dict[str, User]) -> None:
    """The lifecycle beyond a return to school (DOMAIN.md): a signal, an exemption and a pupil who moved, each
    event written on its own day."""
    swv = swvs["PO 27-01"]
    actor = coordinators[swv.code]
    po_schools = [s for s in schools if s.school_type == "po"]

    def pupil(age: int, since: date | None) -> dict:
        born = (since or today) - timedelta(days=age * 365 + rnd.randint(30, 300))
        return {"first_name": rnd.choice(FIRST_NAMES), "last_name": rnd.choice(LAST_NAMES), "date_of_birth": born,
                "gemeente_code": rnd.choice(list(gemeenten)), "swv_code": swv.code}

    def on(day: date) -> contextlib.AbstractContextManager:
        return frozen_at(_office_hours(day, rnd.randint(0, 480), ceiling))

    # A dreigend thuiszitter: in beeld before the absence starts (seed 004 §1.5).
    with on(today - timedelta(days=10)):
        services.create_case(services.CaseInput(
            **pupil(9, None), absence_kind="relatief_verzuim", out_of_school_since=None, status="signaal",
            school_brin=po_schools[0].brin,
            note="School meldt oplopend verzuim en buikpijnklachten; ouders zijn in gesprek."),
            actor=actor, today=today - timedelta(days=10))
    # An exemption (art. 5 onder a) granted after months at home: closed, but not a passend aanbod.
    since = today - timedelta(days=150)
    with on(since + timedelta(days=2)):
        exempted = services.create_case(services.CaseInput(
            **pupil(8, since), absence_kind="absoluut_verzuim", out_of_school_since=since), actor=actor,
            today=since + timedelta(days=2))
    closed = since + timedelta(days=120)
    with on(closed):
        services.close_case(exempted, outcome="vrijstelling", offer_started_on=None, closed_on=closed,
                            school_brin=None, note=None, expected_version=exempted.version, actor=actor, today=closed)
    # A pupil who moved abroad.
    since = today - timedelta(days=70)
    with on(since + timedelta(days=3)):
        moved = services.create_case(services.CaseInput(
            **pupil(11, since), absence_kind="relatief_verzuim", out_of_school_since=since,
            school_brin=po_schools[1].brin), actor=actor, today=since + timedelta(days=3))
    closed = since + timedelta(days=45)
    with on(closed):
        services.close_case(moved, outcome="verhuisd", offer_started_on=None, closed_on=closed,
                            school_brin=None, note=None, expected_version=moved.version, actor=actor, today=closed)


def _demo_plan(rnd: random.Random, today: date, ceiling: datetime, schools: list[School], users: dict[str, User],
               coordinators: dict[str, User]) -> None:
    """A case with a network, an MDO three weeks ago and a plan van aanpak (DOMAIN.md, "Casework around the
    chain"): one action due today, one overdue (the school's), one for the leerplicht of Amsterdam, one done."""
    actor = coordinators["PO 27-01"]
    officer = next(user for user in users.values() if user.email == "leerplicht@demo.thuiszitters.nl")
    school = next(s for s in schools if s.school_type == "po")
    since = today - timedelta(days=45)

    def on(day: date) -> contextlib.AbstractContextManager:
        return frozen_at(_office_hours(day, rnd.randint(0, 480), ceiling))

    with on(since + timedelta(days=2)):
        case = services.create_case(services.CaseInput(
            first_name="Daan", last_name="Visser", date_of_birth=today - timedelta(days=10 * 365 + 120),
            gemeente_code="GM0363", swv_code="PO 27-01", absence_kind="relatief_verzuim",
            out_of_school_since=since, school_brin=school.brin), actor=actor, today=since + timedelta(days=2))
        parent = casework.add_participant(case, {"role": "ouder", "name": "Marieke Visser",
                                                 "email": "m.visser@example.nl", "consent_to_share": True},
                                          actor=actor)
        teacher = casework.add_participant(case, {"role": "school", "name": "Intern begeleider " + school.name,
                                                  "organisation": school.name}, actor=actor)
    held = today - timedelta(days=21)
    with on(held):
        plan.add_meeting(case, {"held_on": held, "kind": "mdo", "participant_ids": [parent.id, teacher.id],
                                "summary": "MDO met ouders en school: Daan wil terug, eerst in een kleine groep. "
                                           "School zoekt uit of dat kan met een arrangement."},
                         [{"description": "Mogelijkheden kleine groep uitzoeken en terugkoppelen.",
                           "owner_participant_id": teacher.id, "due_on": today - timedelta(days=4)},
                          {"description": "Ouders bellen over de uitkomst van het gesprek met school.",
                           "owner_user_id": actor.id, "due_on": today},
                          {"description": "Verzuimgesprek met ouders en Daan voeren.",
                           "owner_user_id": officer.id, "due_on": today + timedelta(days=6)}],
                         actor=actor, today=held)
    with on(held + timedelta(days=1)):
        done = plan.add_action(case, {"description": "Verslag van het MDO delen met ouders en school.",
                                      "owner_user_id": actor.id, "due_on": held + timedelta(days=3)},
                               actor=actor, today=held + timedelta(days=1))
    with on(held + timedelta(days=2)):
        plan.update_action(done, {"status": "gedaan", "done_on": held + timedelta(days=2)},
                           expected_version=done.version, actor=actor, today=held + timedelta(days=2))


def _demo_case(index: int, rnd: random.Random, today: date, ceiling: datetime, swvs: dict, gemeenten: dict,
               schools: list[School], coordinators: dict[str, User]) -> None:
    swv = list(swvs.values())[index % 3]
    actor = coordinators[swv.code]
    sector_types = {"po", "sbo", "so"} if swv.sector == "po" else {"vo", "vso", "pro", "mbo"}
    own_schools = [s for s in schools if s.school_type in sector_types]
    # mbo is outside the chain: no aanmelding there (escalation.validation refuses it).
    chain_schools = [s for s in own_schools if s.school_type not in spec.SCHOOL_TYPES_OUTSIDE_CHAIN]
    # 5 to 17 on the first day out of school (DOMAIN.md, who counts).
    age = rnd.randint(6, 11) if swv.sector == "po" else rnd.randint(12, 17)
    # Spread the start over the last ten months so every state shows: fresh, halfway, overdue, closed.
    days_out = [5, 20, 40, 60, 75, 85, 95, 120, 160, 240, 300][index % 11] + rnd.randint(0, 4)
    since = today - timedelta(days=days_out)
    data = services.CaseInput(
        first_name=rnd.choice(FIRST_NAMES), last_name=rnd.choice(LAST_NAMES),
        date_of_birth=today - timedelta(days=age * 365 + rnd.randint(0, 300)),
        gemeente_code=rnd.choice(list(gemeenten)), swv_code=swv.code,
        absence_kind=rnd.choice(["absoluut_verzuim", "relatief_verzuim", "relatief_verzuim", "vrijstelling_5a"]),
        out_of_school_since=since, bsn=None if index % 3 else _bsn(rnd),
        school_brin=rnd.choice(own_schools).brin if index % 4 else None,
        note="Ouders willen graag een school dichter bij huis." if index % 5 == 0 else None,
    )
    registered = since + timedelta(days=min(3, days_out))
    last = _office_hours(registered, rnd.randint(0, 240), ceiling)
    with frozen_at(last):
        case = services.create_case(data, actor=actor, today=registered)
    depth = index % 7  # how far along the chain this case got
    events: list[tuple[date, int, Callable[[date], object]]] = []  # (day, order within the day, action)

    def event(day: date, action: Callable[[date], object]) -> None:
        if day <= today:
            events.append((day, len(events), action))

    def new_step(kind: str, values: dict) -> Callable[[date], object]:
        return lambda day: services.add_step(case, kind, values, expected_version=case.version, actor=actor,
                                             today=day)

    def later(kind: str, values: dict) -> Callable[[date], object]:
        def update(day: date) -> object:
            step = next((s for s in case.steps if s.kind == kind), None)
            if step is None:  # the rules refused the step itself (an mbo school has no chain, say)
                return None
            return services.update_step(case, step.id, values, expected_version=case.version, actor=actor, today=day)
        return update

    if depth >= 1:
        # A case that got no further than the aanmelding had it in early: after ten weeks without a decision the
        # demo shows the temporary-enrolment alert (DOMAIN.md) next to the overdue ones.
        received = min(today, since + timedelta(days=3 if depth == 1 else 7))
        event(received, new_step("aanmelding", {"school_brin": rnd.choice(chain_schools).brin,
                                                "received_on": received}))
        if depth >= 2:
            decided = received + timedelta(days=30)
            event(decided, later("aanmelding", {"decision": "afgewezen", "decided_on": decided}))
    if depth >= 2:
        start = min(today, since + timedelta(days=14))
        event(start, new_step("swv_inzet", {"started_on": start,
                                            "description": "Verkenning arrangement met school en ouders."}))
        if depth >= 3:
            end = start + timedelta(days=35)
            event(end, later("swv_inzet", {"action": "arrangement", "ended_on": end}))
    if depth >= 3:
        requested = min(today, since + timedelta(days=50))
        event(requested, new_step("consulent", {
            "consulent_type": rnd.choice(["onderwijsconsulent", "onderwijszorgconsulent"]),
            "parental_consent": True, "requested_on": requested}))
        if depth >= 4:
            advice = requested + timedelta(days=21)
            event(advice, later("consulent", {"advice_on": advice}))
    if depth >= 5:
        decision = since + timedelta(days=37)
        filed = decision + timedelta(days=20)
        event(filed, new_step("geschillencommissie", {"subject": "toelating", "school_decision_on": decision,
                                                      "filed_on": filed}))
        verdict = filed + timedelta(days=60)
        event(verdict, later("geschillencommissie", {"verdict": "gegrond", "verdict_on": verdict}))
    if depth >= 6 and days_out > 120:
        # Once every earlier step is done (the GPO's verdict last); these hard cases stay open.
        reported = since + timedelta(days=120)
        event(reported, new_step("interventieteam", {"reported_on": reported}))
    # Older cases are mostly closed, some on time and some late, a few days after the offer started.
    if days_out > 90 and index % 3 != 0 and depth < 6:
        offer = since + timedelta(days=rnd.choice([60, 80, 100, 130]))
        outcome = rnd.choice(["terug_naar_school", "maatwerk", "onderwijszorgarrangement", "terug_naar_school"])
        school = rnd.choice(own_schools).brin if outcome == "terug_naar_school" else None
        event(min(today, offer + timedelta(days=rnd.randint(0, 6))), lambda day: services.close_case(
            case, outcome=outcome, offer_started_on=offer, school_brin=school, note=None,
            expected_version=case.version, actor=actor, today=day))
    for day, _order, action in sorted(events, key=lambda item: (item[0], item[1])):
        # Later in the day than the case's previous event, when it falls on the same day.
        moment = _office_hours(day, rnd.randint(0, 480), ceiling)
        last = moment if moment > last else min(last + timedelta(minutes=rnd.randint(10, 60)), ceiling)
        with frozen_at(last), contextlib.suppress(DomainError):
            # A generated combination the rules refuse (a step after the closure, say) is simply left out.
            action(day)


def _bsn(rnd: random.Random) -> str:
    while True:
        digits = [rnd.randint(0, 9) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        if last < 10 and digits[0] != 0:
            return "".join(map(str, digits)) + str(last)


def demo_case_count() -> int:
    return len(db.session.scalars(select(Case.id)).all())
