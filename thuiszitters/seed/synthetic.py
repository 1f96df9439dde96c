"""National-scale synthetic data for load tests and dashboards: every swv of the country, ten school years.

Deterministic for a seed (one ``random.Random``). Rows are written with SQLAlchemy Core ``executemany`` in chunks,
with ids assigned here, so 200,000 cases load in a few minutes on SQLite; the derived columns (return deadline,
stage) come from :mod:`thuiszitters.escalation` like everywhere else. Step dates follow the chain in order and
never lie after the case's end or ``today``; the interventieteam is only reached once its gate is open.

Reference data is get-or-create by code, so the command can run on top of the demo data.
"""
from __future__ import annotations

import functools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace

from dateutil.relativedelta import relativedelta
from sqlalchemy import Table, func, insert, select, text

from thuiszitters.accounts.models import User
from thuiszitters.accounts.services import UserInput, create_user
from thuiszitters.alerts.models import Alert
from thuiszitters.cases.models import Case, Pupil, Step, case_search_key
from thuiszitters.escalation import spec
from thuiszitters.escalation.gate import stage
from thuiszitters.escalation.terms import return_deadline
from thuiszitters.extensions import db
from thuiszitters.permissions import Role
from thuiszitters.reference.models import Gemeente, School, Swv

CHUNK = 5000
BENCH_PASSWORD = "bench-Thuiszitters-2026"  # noqa: S105 - synthetic load-test users only

PO_SWV_COUNT = 150
VO_SWV_COUNT = 75
GEMEENTE_COUNT = 340
SCHOOL_TYPE_COUNTS = {"po": 5800, "sbo": 200, "so": 250, "vo": 1250, "vso": 250, "pro": 150, "mbo": 100}
SCHOOL_YEARS = 10

_PREFIXES = ["Amster", "Rotter", "Zaan", "Groen", "Hoog", "Laag", "Noord", "Zuid", "Oost", "West", "Berg",
             "Bree", "Dijk", "Gel", "Hel", "Kamp", "Lee", "Mid", "Nieuw", "Oud", "Rijn", "Stee", "Ter", "Vee",
             "Wage", "Zeven", "Alk", "Bus", "Del", "Ede", "Har", "Lin"]
_SUFFIXES = ["dam", "veen", "wijk", "horst", "hoven", "broek", "meer", "stad", "burg", "lo", "woude", "kerk",
             "dorp", "haven", "dijk", "zijl"]
_SCHOOL_WORDS = ["De Regenboog", "Het Kompas", "De Vlinder", "De Springplank", "Het Palet", "De Zonnewijzer",
                 "De Wilgen", "Het Anker", "De Brug", "De Horizon", "Het Baken", "De Linde", "De Sterrenwacht",
                 "Het Mozaïek", "De Fontein", "De Wegwijzer", "Het Talent", "De Bron", "De Klimop", "Het Lyceum"]
_SCHOOL_TYPE_WORDS = {"po": "Basisschool", "sbo": "SBO", "so": "SO", "vo": "College", "vso": "VSO",
                      "pro": "Praktijkschool", "mbo": "MBO"}
FIRST_NAMES = ["Noah", "Emma", "Mohammed", "Sara", "Łukasz", "Fenna", "Daan", "Yara", "Milan", "Aya", "Sem",
               "Zoë", "Levi", "Nora", "Julia", "Finn", "Liam", "Amira", "Jesse", "Ilse", "Lucas", "Mila",
               "Adam", "Tess", "Bram", "Saar", "Ayoub", "Lina", "Thijs", "Evi", "Youssef", "Roos", "Luuk",
               "Hiba", "Ruben", "Fleur", "Stijn", "Nova", "Mees", "Elif"]
LAST_NAMES = ["de Vries", "Jansen", "El Amrani", "Bakker", "Kowalski", "Yılmaz", "van Dijk", "Visser",
              "Smit", "Mulder", "de Boer", "Öztürk", "Meijer", "Bos", "van den Berg", "Hendriks", "Dekker",
              "van Leeuwen", "Brouwer", "de Wit", "Dijkstra", "Kaya", "Peters", "Vos", "Bulut", "Willems",
              "Jacobs", "de Graaf", "Koster", "Postma", "Haddou", "van der Meer", "Kuipers", "Schouten"]
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class SyntheticResult:
    cases: int
    steps: int
    alerts: int
    logins: list[tuple[str, str, str]]  # (email, role, scope)


@dataclass
class _Swv:
    id: int
    code: str
    sector: str
    weight: float
    gemeenten: list[int]
    gemeente_weights: list[float]
    schools: list[int]


def school_year_start(day: date) -> date:
    """1 August of the school year that holds ``day``."""
    return date(day.year if day.month >= 8 else day.year - 1, 8, 1)


@functools.lru_cache(maxsize=8192)
def _deadline(since: date) -> date:
    return return_deadline(since)


@functools.lru_cache(maxsize=65536)
def _years_before(day: date, years: int) -> date:
    return day - relativedelta(years=years)


# How synthetic cases close, per thuiszitter outcome (spec.CASE_OUTCOMES): mostly a return to education.
_OUTCOME_SHARES = {"terug_naar_school": 50, "maatwerk": 18, "onderwijszorgarrangement": 14, "vrijstelling": 6,
                   "verhuisd": 8, "einde_leerplicht": 2, "overig": 4}
_OUTCOMES = tuple(_OUTCOME_SHARES)
_OUTCOME_WEIGHTS = tuple(_OUTCOME_SHARES.values())


@functools.lru_cache(maxsize=64)
def _stage(kinds: tuple[str, ...]) -> str | None:
    return stage([SimpleNamespace(kind=k) for k in kinds])


def _chunks(rows: list[dict], size: int = CHUNK) -> Iterator[list[dict]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _bulk(table: Table, rows: list[dict]) -> None:
    for chunk in _chunks(rows):
        db.session.execute(insert(table), chunk)


def _next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def _bsn(rnd: random.Random) -> str:
    """A random number that passes the 11-proef."""
    while True:
        digits = [rnd.randint(0, 9) for _ in range(8)]
        last = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if last < 10 and digits[0] != 0:
            return "".join(map(str, digits)) + str(last)


def _reference_data(rnd: random.Random) -> tuple[list[_Swv], dict[int, str]]:
    """Swv's, gemeenten and schools: created when missing, reused by code when present."""
    existing_swv = dict(db.session.execute(select(Swv.code, Swv.id)).all())
    existing_gem = dict(db.session.execute(select(Gemeente.code, Gemeente.id)).all())
    existing_brin = set(db.session.scalars(select(School.brin)).all())

    swv_codes = [("PO", f"PO {20 + i // 15}-{i % 15 + 1:02d}") for i in range(PO_SWV_COUNT)]
    swv_codes += [("VO", f"VO {20 + i // 5}-{i % 5 + 1:02d}") for i in range(VO_SWV_COUNT)]
    next_swv = _next_id(Swv)
    swv_rows = []
    for sector, code in swv_codes:
        if code not in existing_swv:
            existing_swv[code] = next_swv
            swv_rows.append({"id": next_swv, "code": code, "sector": sector.lower(),
                             "name": f"Samenwerkingsverband passend onderwijs {code}",
                             "email": f"info-{sector.lower()}{code[3:].replace('-', '')}@swv.example.nl"})
            next_swv += 1
    _bulk(Swv.__table__, swv_rows)

    names = [p + s for p in _PREFIXES for s in _SUFFIXES]
    rnd.shuffle(names)
    next_gem = _next_id(Gemeente)
    gem_rows = []
    gemeente_ids = []
    for index in range(GEMEENTE_COUNT):
        code = f"GM{index + 1:04d}"
        if code not in existing_gem:
            existing_gem[code] = next_gem
            gem_rows.append({"id": next_gem, "code": code, "name": names[index]})
            next_gem += 1
        gemeente_ids.append(existing_gem[code])
    _bulk(Gemeente.__table__, gem_rows)
    # Gemeenten differ in size: a few big cities, many small towns.
    gemeente_weight = {gid: rnd.lognormvariate(0, 0.9) for gid in gemeente_ids}

    swvs: list[_Swv] = []
    for sector, code in swv_codes:
        # VO swv's are fewer and larger, and secondary pupils are more often out of school.
        weight = rnd.lognormvariate(0, 0.5) * (2.6 if sector == "VO" else 1.0)
        swvs.append(_Swv(existing_swv[code], code, sector.lower(), weight, [], [], []))
    # Every gemeente belongs to one po and one vo swv (regions), so the two sectors cover the whole country.
    for sector in ("po", "vo"):
        own = [s for s in swvs if s.sector == sector]
        shuffled = gemeente_ids[:]
        rnd.shuffle(shuffled)
        for index, gid in enumerate(shuffled):
            swv = own[index % len(own)]
            swv.gemeenten.append(gid)
            swv.gemeente_weights.append(gemeente_weight[gid])
    swv_of = {(s.sector, gid): s for s in swvs for gid in s.gemeenten}

    total_schools = sum(SCHOOL_TYPE_COUNTS.values())
    by_id = {s.id: s for s in swvs}
    present = db.session.execute(
        select(School.id, School.swv_id, School.school_type).where(School.swv_id.in_(list(by_id)))
        .order_by(School.id)
    ).all()
    if len(present) >= total_schools:
        # A second run: reuse the schools, so reruns add cases and not another 8,000 schools.
        for school_id, swv_id, school_type in present:
            if school_type not in spec.SCHOOL_TYPES_OUTSIDE_CHAIN:
                by_id[swv_id].schools.append(school_id)
        return swvs, {gid: code for code, gid in existing_gem.items()}
    # BRIN: 2 digits + 2 letters, plus a 2-digit vestiging; all distinct.
    candidates = rnd.sample(range(100 * 26 * 26), total_schools + len(existing_brin))
    next_school = _next_id(School)
    school_rows = []
    position = 0
    for school_type, count in SCHOOL_TYPE_COUNTS.items():
        sector = "po" if school_type in {"po", "sbo", "so"} else "vo"
        for _ in range(count):
            while True:
                n = candidates[position]
                position += 1
                brin = f"{n // 676:02d}{_LETTERS[(n // 26) % 26]}{_LETTERS[n % 26]}00"
                if brin not in existing_brin:
                    break
            gid = rnd.choice(gemeente_ids)
            swv = swv_of[(sector, gid)]
            school_rows.append({"id": next_school, "brin": brin, "school_type": school_type, "swv_id": swv.id,
                                "gemeente_id": gid,
                                "name": f"{_SCHOOL_TYPE_WORDS[school_type]} {rnd.choice(_SCHOOL_WORDS)}"})
            # The swv's own schools, for enrolments, aanmeldingen and returns: mbo is outside the chain.
            if school_type not in spec.SCHOOL_TYPES_OUTSIDE_CHAIN:
                swv.schools.append(next_school)
            next_school += 1
    _bulk(School.__table__, school_rows)
    return swvs, {gid: code for code, gid in existing_gem.items()}


def _since_dates(rnd: random.Random, count: int, today: date) -> list[date]:
    """First days out of school over ten school years; later years hold more cases (better registration)."""
    first_year = school_year_start(today) - timedelta(days=0)
    starts = [date(first_year.year - offset, 8, 1) for offset in range(SCHOOL_YEARS - 1, -1, -1)]
    weights = [1.0 + 0.08 * index for index in range(SCHOOL_YEARS)]
    result = []
    for _ in range(count):
        year_start = rnd.choices(starts, weights)[0]
        last = min(today, date(year_start.year + 1, 7, 31))
        span = (last - year_start).days
        while True:
            day = year_start + timedelta(days=rnd.randint(0, span))
            # Fewer pupils drop out during the summer holiday.
            if day.month not in (7, 8) or rnd.random() < 0.35:
                break
        result.append(day)
    return result


def _duration(rnd: random.Random) -> int:
    """Days until a passend aanbod starts: most within three months, a long tail of stuck cases."""
    draw = rnd.random()
    if draw < 0.33:
        return rnd.randint(10, 60)
    if draw < 0.62:
        return rnd.randint(60, 92)
    if draw < 0.84:
        return rnd.randint(93, 180)
    if draw < 0.95:
        return rnd.randint(181, 365)
    return rnd.randint(366, 1000)


_STEP_BLANK = {column.name: None for column in Step.__table__.columns if column.name != "id"}  # ids from the database


def _steps(rnd: random.Random, case_id: int, since: date, duration: int, horizon: date, school_ids: list[int],
           created: datetime) -> list[dict]:
    """The chain as far as the case got by ``horizon`` (its end, or today), dates in order."""
    if duration < 25:
        depth = rnd.choice((0, 1, 1))
    elif duration < 60:
        depth = rnd.choice((1, 1, 2))
    elif duration < 120:
        depth = rnd.choice((1, 2, 2, 3))
    elif duration < 240:
        depth = rnd.choice((2, 3, 3, 4))
    else:
        depth = rnd.choice((3, 4, 5, 5))
    planned: list[dict] = []

    def add(kind: str, start: date, **values) -> dict | None:
        if start > horizon:
            return None
        row = dict(_STEP_BLANK, case_id=case_id, kind=kind, created_at=created)
        row.update({k: (None if isinstance(v, date) and v > horizon else v) for k, v in values.items()})
        planned.append(row)
        return row

    if depth == 0:
        return planned
    received = since + timedelta(days=rnd.randint(2, 14))
    decided = received + timedelta(days=rnd.randint(14, 42))
    admitted = depth == 1 and rnd.random() < 0.6
    aanmelding = add("aanmelding", received, school_id=rnd.choice(school_ids) if school_ids else None,
                     received_on=received, decided_on=decided)
    if aanmelding is None:
        return planned
    if aanmelding["decided_on"] is not None:
        aanmelding["decision"] = "toegelaten" if admitted else "afgewezen"
    if depth < 2:
        return planned
    started = decided - timedelta(days=rnd.randint(0, 10))
    ended = started + timedelta(days=rnd.randint(20, 60))
    inzet = add("swv_inzet", started, started_on=started, ended_on=ended,
                description="Verkenning van een passend arrangement met school en ouders.")
    if inzet is None:
        return planned
    if inzet["ended_on"] is not None:
        inzet["action"] = rnd.choice(("arrangement", "arrangement", "tlv", "doorzettingsmacht"))
    if depth < 3:
        return planned
    requested = ended + timedelta(days=rnd.randint(1, 14))
    advice = requested + timedelta(days=rnd.randint(14, 45))
    consulent = add("consulent", requested, consulent_type=rnd.choice(spec.CONSULENT_TYPES),
                    parental_consent=True, requested_on=requested, advice_on=advice)
    if consulent is None or depth < 4:
        return planned
    last_done = advice
    if rnd.random() < 0.35:
        filed = decided + timedelta(days=rnd.randint(10, 40))
        verdict_on = filed + timedelta(days=rnd.randint(35, 70))
        follow_up_on = verdict_on + timedelta(days=rnd.randint(10, 35))
        gpo = add("geschillencommissie", filed, subject=rnd.choice(spec.GPO_SUBJECTS),
                  school_decision_on=decided, filed_on=filed, verdict_on=verdict_on, follow_up_on=follow_up_on,
                  late_filing_reason="Ouders kregen het besluit pas laat." if filed > decided + timedelta(weeks=6)
                  else None)
        if gpo is not None:
            if gpo["verdict_on"] is not None:
                gpo["verdict"] = rnd.choice(("gegrond", "deels_gegrond", "ongegrond", "ongegrond"))
                if gpo["follow_up_on"] is not None:
                    gpo["follow_up"] = rnd.choice(spec.FOLLOW_UPS)
            else:
                gpo["follow_up_on"] = None
            last_done = max(last_done, verdict_on)
    if depth < 5:
        return planned
    # The gate: every mandatory step and any GPO procedure done before the report.
    if any(row["kind"] == "geschillencommissie" and row["verdict"] is None for row in planned):
        return planned
    if consulent["advice_on"] is None or inzet["ended_on"] is None or aanmelding["decided_on"] is None:
        return planned
    reported = last_done + timedelta(days=rnd.randint(5, 30))
    add("interventieteam", reported, reported_on=reported,
        closed_on=reported + timedelta(days=rnd.randint(30, 120)))
    return planned


def _users(swvs: list[_Swv], gemeente_codes: dict[int, str],
           case_counts: dict[int, int], gemeente_counts: dict[int, int]) -> list[tuple[str, str, str]]:
    """A few users for load tests: the busiest swv's coordinator, leerplicht of the busiest gemeenten."""
    busiest_swv = max(swvs, key=lambda s: case_counts.get(s.id, 0))
    top_gemeenten = sorted(gemeente_counts, key=lambda g: -gemeente_counts[g])[:3]
    wanted = [
        ("coordinator@bench.thuiszitters.nl", "Bench Coördinator", Role.COORDINATOR, (busiest_swv.code,), ()),
        ("leerplicht@bench.thuiszitters.nl", "Bench Leerplicht", Role.LEERPLICHT, (),
         tuple(gemeente_codes[g] for g in top_gemeenten)),
        ("inspectie@bench.thuiszitters.nl", "Bench Inspectie", Role.INSPECTIE, (), ()),
        ("admin@bench.thuiszitters.nl", "Bench Beheer", Role.ADMIN, (), ()),
    ]
    logins = []
    for email, name, role, swv_codes, gemeente_codes_ in wanted:
        if db.session.scalar(select(User.id).where(User.email == email)) is None:
            create_user(UserInput(email=email, name=name, role=role, swv_codes=swv_codes,
                                  gemeente_codes=gemeente_codes_), BENCH_PASSWORD, actor_id=None)
        logins.append((email, role, ", ".join(swv_codes + gemeente_codes_) or "—"))
    return logins


def _sync_sequences() -> None:
    """PostgreSQL: ids were assigned here, so move the sequences past them."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in ("swv", "gemeente", "school", "pupil", "case_file", "case_step", "alert"):
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - fixed table names
            f"COALESCE((SELECT MAX(id) FROM {table}), 1))"))


def load_synthetic(cases: int, seed: int, today: date, *, with_users: bool = True) -> SyntheticResult:
    """Add ``cases`` synthetic cases (and the national reference data when missing). The caller commits."""
    # Two streams: the cases do not depend on whether the reference data was created now or reused.
    swvs, gemeente_codes = _reference_data(random.Random(seed))
    rnd = random.Random(seed + 1)
    swv_weights = [s.weight for s in swvs]
    since_dates = _since_dates(rnd, cases, today)
    since_dates.sort()  # ids then follow time, as in real life

    next_pupil, next_case = _next_id(Pupil), _next_id(Case)
    next_alert = _next_id(Alert)
    pupils: list[dict] = []
    case_rows: list[dict] = []
    step_rows: list[dict] = []
    alert_rows: list[dict] = []
    case_counts: dict[int, int] = {}
    gemeente_counts: dict[int, int] = {}
    steps_total = 0
    for since in since_dates:
        swv = rnd.choices(swvs, swv_weights)[0]
        gid = rnd.choices(swv.gemeenten, swv.gemeente_weights)[0]
        case_counts[swv.id] = case_counts.get(swv.id, 0) + 1
        gemeente_counts[gid] = gemeente_counts.get(gid, 0) + 1
        age = rnd.randint(5, 11) if swv.sector == "po" else rnd.randint(12, 17)
        # Exactly `age` on the first day out of school (DOMAIN.md: 5 to 17 then).
        born = _years_before(since, age) - timedelta(days=rnd.randint(0, 364))
        pupil_id, case_id = next_pupil, next_case
        next_pupil += 1
        next_case += 1
        first_name, last_name = rnd.choice(FIRST_NAMES), rnd.choice(LAST_NAMES)
        pupils.append({"id": pupil_id, "first_name": first_name, "last_name": last_name,
                       "date_of_birth": born, "bsn": _bsn(rnd) if rnd.random() < 0.4 else None})
        duration = _duration(rnd)
        offer = since + timedelta(days=duration)
        closed = offer <= today
        horizon = offer if closed else today
        created = datetime.combine(since + timedelta(days=rnd.randint(0, 6)), time(9, 0), tzinfo=UTC)
        created = min(created, datetime.combine(today, time(8, 0), tzinfo=UTC))
        steps = _steps(rnd, case_id, since, duration, horizon, swv.schools, created)
        step_rows.extend(steps)
        steps_total += len(steps)
        deadline = _deadline(since)
        outcome = None
        closed_on = None
        if closed:
            outcome = rnd.choices(_OUTCOMES, _OUTCOME_WEIGHTS)[0]
            lag = rnd.randint(0, 10)
            # An offer outcome is closed a few days after the offer started; the others on the day it ended.
            closed_on = min(today, offer + timedelta(days=lag)) if outcome in spec.OFFER_OUTCOMES else offer
        step_dates = [d for row in steps for d in (row["received_on"], row["decided_on"], row["started_on"],
                                                    row["ended_on"], row["advice_on"], row["verdict_on"],
                                                    row["reported_on"]) if d is not None]
        last_activity = max([since, *step_dates, *([closed_on] if closed_on else [])])
        case_rows.append({
            "id": case_id, "reference": f"TZ-{since.year}-{case_id:06d}", "status": "closed" if closed else "open",
            "search_key": case_search_key(f"TZ-{since.year}-{case_id:06d}", first_name, last_name),
            "pupil_id": pupil_id, "swv_id": swv.id, "gemeente_id": gid,
            "school_id": rnd.choice(swv.schools) if swv.schools and rnd.random() < 0.75 else None,
            "coordinator_id": None,
            "absence_kind": rnd.choices(spec.ABSENCE_KINDS, (35, 50, 15))[0],
            "out_of_school_since": since, "return_deadline": deadline,
            "stage": _stage(tuple(row["kind"] for row in steps)), "note": None,
            "outcome": outcome,
            "outcome_school_id": rnd.choice(swv.schools) if outcome == "terug_naar_school" and swv.schools
            else None,
            "outcome_note": "Maatwerk in overleg met ouders." if outcome == "overig" else None,
            "offer_started_on": offer if closed and outcome in spec.OFFER_OUTCOMES else None,
            "closed_on": closed_on,
            "last_activity_on": last_activity, "created_at": created, "updated_at": created,
            "anonymised_at": None, "version": 1,
        })
        # An overdue alert for every case that passed its deadline while open; most were acknowledged.
        alert_due = deadline + timedelta(days=1)
        if alert_due <= horizon and (not closed or offer > deadline):
            acknowledged_at = None
            if rnd.random() < 0.7:
                ack_day = alert_due + timedelta(days=rnd.randint(0, 25))
                if ack_day <= today:
                    acknowledged_at = datetime.combine(ack_day, time(10, 30), tzinfo=UTC)
            alert_rows.append({
                "id": next_alert, "case_id": case_id, "kind": "overdue", "due_on": alert_due,
                "created_at": datetime.combine(alert_due, time(6, 0), tzinfo=UTC),
                "status": "acknowledged" if acknowledged_at else "open", "acknowledged_by_id": None,
                "acknowledged_at": acknowledged_at,
                "note": "Contact opgenomen met ouders en school." if acknowledged_at else None,
            })
            next_alert += 1

    _bulk(Pupil.__table__, pupils)
    _bulk(Case.__table__, case_rows)
    _bulk(Step.__table__, step_rows)
    _bulk(Alert.__table__, alert_rows)
    _sync_sequences()
    logins = _users(swvs, gemeente_codes, case_counts, gemeente_counts) if with_users else []
    db.session.flush()
    return SyntheticResult(cases=len(case_rows), steps=steps_total, alerts=len(alert_rows), logins=logins)
