"""The admin's pages in Chromium, each checked with axe-core: reference data import, mail outbox, users, log."""
from __future__ import annotations

from pathlib import Path

from tests import factories
from thuiszitters.extensions import db


def _import(page, path: Path, content: str) -> None:
    """Choose the kind and the file on the import form, as the admin does, and submit it."""
    path.write_text(content, encoding="utf-8")
    page.get_by_label("Soort gegevens").select_option("gemeente")
    page.get_by_label("CSV-bestand").set_input_files(str(path))
    page.get_by_role("button", name="Importeren").click()
    page.wait_for_load_state()


def test_admin_imports_reference_data_and_reviews_mail_users_and_the_log(app, journey, tmp_path):
    factories.world()
    db.session.commit()
    page = journey.page
    journey.login("admin@example.nl", factories.PASSWORD)

    journey.goto("/beheer/referentiegegevens")
    journey.check("referentiegegevens")
    _import(page, tmp_path / "gemeenten.csv", "code;name\nGM0518;'s-Gravenhage\nGM99999;Nergenshuizen\n")
    assert "Bestand geweigerd" in page.inner_text("main") and "Regel 3" in page.inner_text("main")
    journey.check("import-geweigerd")

    _import(page, tmp_path / "gemeenten-goed.csv", "code;name\nGM0518;'s-Gravenhage\n")
    assert "Import geslaagd: 1 nieuw" in page.inner_text("main")
    journey.check("import-geslaagd")

    for path, label, heading in (("/beheer/mail", "mail", "Mail"), ("/beheer/gebruikers", "gebruikers", "Gebruikers"),
                                 ("/beheer/verwerkingen", "verwerkingen", "Verwerkingenlogboek")):
        journey.goto(path)
        assert page.get_by_role("heading", level=1).inner_text() == heading
        journey.check(label)
