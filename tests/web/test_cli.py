"""The command line: users, tokens, demo data and reference data import."""
from sqlalchemy import func, select

from tests import factories
from thuiszitters.accounts.models import User
from thuiszitters.cases.models import Case
from thuiszitters.extensions import db
from thuiszitters.reference.models import Gemeente, School, Swv


def test_users_create_reads_the_password_from_stdin_and_the_user_can_log_in(app, runner, auth):
    factories.swv("PO 27-01")
    db.session.commit()
    result = runner.invoke(args=["users", "create", "nieuw@example.nl", "--role", "coordinator",
                                 "--swv", "PO 27-01", "--name", "Nieuwe Coördinator"],
                           input="een-lang-wachtwoord-42\n")
    assert result.exit_code == 0, result.output
    assert auth.login("nieuw@example.nl", "een-lang-wachtwoord-42").status_code == 302


def test_users_create_refuses_a_weak_password_and_an_unknown_scope(app, runner):
    factories.swv("PO 27-01")
    db.session.commit()
    weak = runner.invoke(args=["users", "create", "a@example.nl", "--role", "coordinator", "--swv", "PO 27-01"],
                         input="wachtwoord123\n")
    assert weak.exit_code == 1
    unknown = runner.invoke(args=["users", "create", "b@example.nl", "--role", "coordinator", "--swv", "PO 99-99"],
                            input="een-lang-wachtwoord-42\n")
    assert unknown.exit_code == 1
    assert "PO 99-99" in unknown.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_users_token_prints_a_working_token(app, runner, client):
    factories.world()
    db.session.commit()
    result = runner.invoke(args=["users", "token", "coord1@example.nl"])
    assert result.exit_code == 0
    token = result.stdout.strip()
    response = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_seed_demo_is_idempotent_and_covers_every_step_and_status(app, runner):
    first = runner.invoke(args=["seed", "demo"])
    assert first.exit_code == 0, first.output
    assert "coordinator@demo.thuiszitters.nl" in first.output
    counts = (db.session.scalar(select(func.count(Case.id))), db.session.scalar(select(func.count(School.id))))
    second = runner.invoke(args=["seed", "demo"])
    assert second.exit_code == 0
    assert (db.session.scalar(select(func.count(Case.id))), db.session.scalar(select(func.count(School.id)))) == counts
    assert counts[0] == 64 and counts[1] >= 25  # with the case with a plan and an MDO (issue 19)
    stages = set(db.session.scalars(select(Case.stage).distinct()))
    assert {"aanmelding", "swv_inzet", "consulent", "geschillencommissie", "interventieteam"} <= stages
    # Issue 16: the demo shows a signal, an exemption and a pupil who moved beside the returns to school.
    assert set(db.session.scalars(select(Case.status).distinct())) == {"signaal", "open", "closed"}
    outcomes = set(db.session.scalars(select(Case.outcome).distinct()))
    assert {"vrijstelling", "verhuisd", "terug_naar_school"} <= outcomes
    others = db.session.scalars(select(Case).where(Case.outcome.in_(("vrijstelling", "verhuisd")))).all()
    assert all(c.offer_started_on is None and c.closed_on is not None for c in others)
    assert db.session.scalar(select(func.count(Swv.id))) == 3
    assert db.session.scalar(select(func.count(Gemeente.id))) == 6


def test_refdata_import_loads_a_good_file(app, runner, tmp_path):
    (tmp_path / "swv.csv").write_text("code;name;sector;email\nPO 27-01;SWV Amstelland;po;info@swv.nl\n")
    (tmp_path / "gem.csv").write_text("code,name\nGM0363,Amsterdam\n0479,Zaanstad\n")
    (tmp_path / "school.csv").write_text(
        "brin;name;school_type;swv_code;gemeente_code\n07NU00;De Regenboog;po;PO 27-01;GM0363\n")
    for kind, name in (("swv", "swv.csv"), ("gemeente", "gem.csv"), ("school", "school.csv")):
        result = runner.invoke(args=["refdata", "import", kind, str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    school = db.session.scalar(select(School).where(School.brin == "07NU00"))
    assert school.swv.code == "PO 27-01" and school.gemeente.name == "Amsterdam"
    assert db.session.scalar(select(Gemeente).where(Gemeente.code == "GM0479")) is not None


def test_refdata_import_refuses_a_file_with_a_bad_row_whole(app, runner, tmp_path):
    path = tmp_path / "gem.csv"
    path.write_text("code;name\nGM0363;Amsterdam\nXX12;Nergenshuizen\nGM0479;Zaanstad\n")
    result = runner.invoke(args=["refdata", "import", "gemeente", str(path)])
    assert result.exit_code == 1
    assert "regel 3" in result.output
    assert db.session.scalar(select(func.count(Gemeente.id))) == 0
