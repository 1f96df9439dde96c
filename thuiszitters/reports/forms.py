"""The processing log's search form (Dutch labels)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class BsnSearchForm(FlaskForm):
    bsn = StringField("BSN van de leerling",
                      validators=[DataRequired("Vul een BSN in."), Length(max=20, message="Een BSN heeft 9 cijfers.")],
                      render_kw={"autocomplete": "off", "inputmode": "numeric"})
