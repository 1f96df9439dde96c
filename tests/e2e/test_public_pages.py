"""Pages without login: the login page and the accessibility statement, checked in a real browser."""
from tests import factories
from thuiszitters.extensions import db


def test_login_page_and_accessibility_statement_pass_axe(journey):
    journey.goto("/login")
    assert journey.page.title().startswith("Inloggen")
    journey.check("login")
    journey.page.get_by_role("link", name="Toegankelijkheidsverklaring").click()
    journey.page.wait_for_load_state()
    assert journey.page.get_by_role("heading", level=1).inner_text() == "Toegankelijkheidsverklaring"
    journey.check("toegankelijkheidsverklaring")


def test_a_failed_login_shows_an_accessible_error_and_a_good_one_lands_inside(app, journey):
    factories.world()
    db.session.commit()
    journey.login("coord1@example.nl", "verkeerd-wachtwoord-1")
    assert "Onbekende combinatie" in journey.page.inner_text("main")
    journey.check("login-fout")
    journey.login("coord1@example.nl", factories.PASSWORD)
    assert "/login" not in journey.page.url
    journey.check("na-inloggen")
