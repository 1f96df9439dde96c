"""The admin's pages in Chromium, each checked with axe-core: reference data import, mail outbox, users, log."""
from __future__ import annotations

from tests import factories
from thuiszitters.extensions import db


def test_admin_imports_reference_data_and_reviews_mail_users_and_the_log(app, journey, tmp_path):
    factories.world()
    db.session.commit()
    page = journey.page
    journey.login("admin@example.nl", factories.PASSWORD)

    journey.goto("/beheer/referentiegegevens")
    journey.check("referentiegegevens")
    bad = tmp_path / "gemeenten.csv"
    bad.write_text("code;name\nGM0518;'s-Gravenhage\nGM99999;Nergenshuizen\n", encoding="utf-8")
    page.get_by_label("Soort gegevens").select_option("gemeente")
    page.get_by_label("CSV-bestand").set_input_files(str(bad))
    page.get_by_role("button", name="Importeren").click()
    page.wait_for_load_state()
    assert "Bestand geweigerd" in page.inner_text("main") and "Regel 3" in page.inner_text("main")
    journey.check("import-geweigerd")

    good = tmp_path / "gemeenten-goed.csv"
    good.write_text("code;name\nGM0518;'s-Gravenhage\n", encoding="utf-8")
    page.get_by_label("Soort gegevens").select_option("gemeente")
    page.get_by_label("CSV-bestand").set_input_files(str(good))
    page.get_by_role("button", name="Importeren").click()
    page.wait_for_load_state()
    assert "Import geslaagd: 1 nieuw" in page.inner_text("main")
    journey.check("import-geslaagd")

    for path, label, heading in (("/beheer/mail", "mail", "Mail"), ("/beheer/gebruikers", "gebruikers", "Gebruikers"),
                                 ("/beheer/verwerkingen", "verwerkingen", "Verwerkingenlogboek")):
        journey.goto(path)
        assert page.get_by_role("heading", level=1).inner_text() == heading
        journey.check(label)
