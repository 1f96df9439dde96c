"""A small, realistic demo dataset built through the real services, with dates relative to today."""
from __future__ import annotations

import contextlib
import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from thuiszitters.accounts.models import User
from thuiszitters.accounts.services import UserInput, create_user
from thuiszitters.cases import services
from thuiszitters.cases.models import Case
from thuiszitters.errors import DomainError
from thuiszitters.escalation import spec
from thuiszitters.extensions import db
from thuiszitters.permissions import Capability, Role, can
from thuiszitters.reference.models import Gemeente, School, Swv

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
    """Load the demo dataset unless it is there already. Returns whether anything was loaded."""
    if db.session.scalar(select(Swv).where(Swv.code == SWVS[0][0])) is not None:
        return False
    swvs = {code: Swv(code=code, name=name, sector=sector, email=f"{code[:2].lower()}{code[3:5]}{code[6:]}@demo.nl")
            for code, name, sector in SWVS}
    gemeenten = {code: Gemeente(code=code, name=name) for code, name in GEMEENTEN}
    db.session.add_all([*swvs.values(), *gemeenten.values()])
    rnd = random.Random(2026)
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
    # Who registers the demo cases of each swv: its coordinator.
    coordinators = {code: user for user in users.values() if can(user, Capability.EDIT_CASES) for code in
                    (s.code for s in user.swvs)}
    for index in range(60):
        _demo_case(index, rnd, today, swvs, gemeenten, schools, coordinators)
    _demo_other_outcomes(rnd, today, swvs, gemeenten, schools, coordinators)
    db.session.flush()
    return True


def _demo_other_outcomes(rnd: random.Random, today: date, swvs: dict, gemeenten: dict, schools: list[School],
                         coordinators: dict[str, User]) -> None:
    """The lifecycle beyond a return to school (DOMAIN.md): a signal, an exemption and a pupil who moved."""
    swv = swvs["PO 27-01"]
    actor = coordinators[swv.code]
    po_schools = [s for s in schools if s.school_type == "po"]

    def pupil(age: int, since: date | None) -> dict:
        born = (since or today) - timedelta(days=age * 365 + rnd.randint(30, 300))
        return {"first_name": rnd.choice(FIRST_NAMES), "last_name": rnd.choice(LAST_NAMES), "date_of_birth": born,
                "gemeente_code": rnd.choice(list(gemeenten)), "swv_code": swv.code}

    # A dreigend thuiszitter: in beeld before the absence starts (seed 004 §1.5).
    services.create_case(services.CaseInput(
        **pupil(9, None), absence_kind="relatief_verzuim", out_of_school_since=None, status="signaal",
        school_brin=po_schools[0].brin,
        note="School meldt oplopend verzuim en buikpijnklachten; ouders zijn in gesprek."),
        actor=actor, today=today - timedelta(days=10))
    # An exemption (art. 5 onder a) granted after months at home: closed, but not a passend aanbod.
    since = today - timedelta(days=150)
    exempted = services.create_case(services.CaseInput(
        **pupil(8, since), absence_kind="absoluut_verzuim", out_of_school_since=since), actor=actor,
        today=since + timedelta(days=2))
    services.close_case(exempted, outcome="vrijstelling", offer_started_on=None, closed_on=since + timedelta(days=120),
                        school_brin=None, note=None, expected_version=exempted.version, actor=actor, today=today)
    # A pupil who moved abroad.
    since = today - timedelta(days=70)
    moved = services.create_case(services.CaseInput(
        **pupil(11, since), absence_kind="relatief_verzuim", out_of_school_since=since,
        school_brin=po_schools[1].brin), actor=actor, today=since + timedelta(days=3))
    services.close_case(moved, outcome="verhuisd", offer_started_on=None, closed_on=since + timedelta(days=45),
                        school_brin=None, note=None, expected_version=moved.version, actor=actor, today=today)


def _demo_case(index: int, rnd: random.Random, today: date, swvs: dict, gemeenten: dict,
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
    case = services.create_case(data, actor=actor, today=since + timedelta(days=min(3, days_out)))
    depth = index % 7  # how far along the chain this case got
    day = since

    def step(kind: str, values: dict) -> None:
        # A generated combination the rules refuse is simply left out.
        with contextlib.suppress(DomainError):
            services.add_step(case, kind, values, expected_version=case.version, actor=actor, today=today)

    if depth >= 1:
        # A case that got no further than the aanmelding had it in early: after ten weeks without a decision the
        # demo shows the temporary-enrolment alert (DOMAIN.md) next to the overdue ones.
        day = min(today, since + timedelta(days=3 if depth == 1 else 7))
        decided = day + timedelta(days=30)
        values = {"school_brin": rnd.choice(chain_schools).brin, "received_on": day}
        if decided <= today and depth >= 2:
            values |= {"decision": "afgewezen", "decided_on": decided}
        step("aanmelding", values)
    if depth >= 2:
        start = min(today, since + timedelta(days=14))
        end = start + timedelta(days=35)
        values = {"started_on": start, "description": "Verkenning arrangement met school en ouders."}
        if end <= today and depth >= 3:
            values |= {"action": "arrangement", "ended_on": end}
        step("swv_inzet", values)
    if depth >= 3:
        requested = min(today, since + timedelta(days=50))
        values = {"consulent_type": rnd.choice(["onderwijsconsulent", "onderwijszorgconsulent"]),
                  "parental_consent": True, "requested_on": requested}
        if requested + timedelta(days=21) <= today and depth >= 4:
            values["advice_on"] = requested + timedelta(days=21)
        step("consulent", values)
    if depth >= 5:
        decision = since + timedelta(days=37)
        filed = decision + timedelta(days=20)
        if filed <= today:
            values = {"subject": "toelating", "school_decision_on": decision, "filed_on": filed}
            if filed + timedelta(days=60) <= today:
                values |= {"verdict": "gegrond", "verdict_on": filed + timedelta(days=60)}
            step("geschillencommissie", values)
    if depth >= 6 and days_out > 120:
        step("interventieteam", {"reported_on": today - timedelta(days=10)})
    # Older cases are mostly closed, some on time and some late.
    if days_out > 90 and index % 3 != 0:
        offer = since + timedelta(days=rnd.choice([60, 80, 100, 130]))
        if offer <= today:
            outcome = rnd.choice(["terug_naar_school", "maatwerk", "onderwijszorgarrangement", "terug_naar_school"])
            with contextlib.suppress(DomainError):
                services.close_case(case, outcome=outcome, offer_started_on=offer,
                                    school_brin=rnd.choice(own_schools).brin if outcome == "terug_naar_school"
                                    else None, note=None, expected_version=case.version, actor=actor, today=today)


def _bsn(rnd: random.Random) -> str:
    while True:
        digits = [rnd.randint(0, 9) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        if last < 10 and digits[0] != 0:
            return "".join(map(str, digits)) + str(last)


def demo_case_count() -> int:
    return len(db.session.scalars(select(Case.id)).all())
