"""The import form of the reference data page (Dutch labels)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField


class ReferenceImportForm(FlaskForm):
    """Upload of one CSV file of reference data (docs/reference-data.md)."""

    kind = SelectField("Soort gegevens", choices=[("swv", "Samenwerkingsverbanden"), ("gemeente", "Gemeenten"),
                                                  ("school", "Scholen")],
                       description="Importeer eerst samenwerkingsverbanden en gemeenten, dan scholen.")
    file = FileField("CSV-bestand", validators=[FileRequired("Kies een CSV-bestand.")],
                     description="UTF-8, met een kopregel; kolommen gescheiden door ; of ,.",
                     render_kw={"accept": ".csv,text/csv"})
