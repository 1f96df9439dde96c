"""API tokens expire: issued for a number of days, refused with 401 afterwards, shown as expired to the admin."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from tests import factories
from thuiszitters.accounts.models import ApiToken
from thuiszitters.extensions import db


def _api(client, token: str):
    return client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})


def test_a_token_works_until_its_last_day_and_is_refused_after(app, runner, client, clock, auth):
    w = factories.world()
    db.session.commit()
    clock.set_today(date(2026, 11, 2))
    result = runner.invoke(args=["users", "token", "coord1@example.nl", "--days", "30"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()  # only the token on stdout, for scripts
    assert "Geldig tot 02-12-2026" in result.stderr
    assert _api(client, token).status_code == 200

    clock.set_today(date(2026, 12, 1))
    assert _api(client, token).status_code == 200
    clock.set_today(date(2026, 12, 3))
    response = _api(client, token)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"

    auth.login("admin@example.nl")
    page = client.get(f"/beheer/gebruikers/{w.coordinator.id}").get_data(as_text=True)
    assert "Verlopen" in page and "Intrekken" not in page


def test_the_default_validity_comes_from_config_and_nonsense_is_refused(app, runner, clock):
    factories.world()
    db.session.commit()
    clock.set_today(date(2026, 11, 2))
    app.config["API_TOKEN_DAYS"] = 90
    assert runner.invoke(args=["users", "token", "coord1@example.nl"]).exit_code == 0
    row = db.session.scalar(select(ApiToken))
    assert row.expires_at - row.created_at == timedelta(days=90)

    for days in ("0", "-5", "5000"):
        refused = runner.invoke(args=["users", "token", "coord1@example.nl", "--days", days])
        assert refused.exit_code != 0 and "1 tot 1098 dagen" in refused.output
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 1
