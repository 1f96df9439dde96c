"""The upload and removal forms. What a document may be is rules.py's and services.py's to say: the forms only read
what was sent, so every wrong field is told in one round (views.py)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField

from thuiszitters.cases.forms import DutchDateField
from thuiszitters.documents.content import TYPE_NAMES
from thuiszitters.documents.rules import DOCUMENT_KINDS, REASON_MAX_LENGTH, TITLE_MAX_LENGTH


class UploadForm(FlaskForm):
    file = FileField("Bestand", description=f"{TYPE_NAMES}; hoogstens 20 MB.")
    # Not checked here (validate_choice=False): rules.document_problems names an unknown or missing kind.
    kind = SelectField("Soort document", choices=[("", "Kies de soort document"), *DOCUMENT_KINDS.items()],
                       validate_choice=False)
    title = StringField("Titel", description="Niet verplicht; zonder titel krijgt het document de naam van het "
                                             "bestand.", render_kw={"maxlength": TITLE_MAX_LENGTH})
    document_date = DutchDateField("Datum van het document", description="Niet verplicht. Dag-maand-jaar, "
                                                                        "bijvoorbeeld 15-09-2026.")


class RemoveForm(FlaskForm):
    reason = TextAreaField("Reden", description="Waarom moet het document weg? De reden blijft bewaard in het "
                                                "logboek van de casus.", render_kw={"maxlength": REASON_MAX_LENGTH})
