"""The werkvoorraad's date chooser (read from the query string: a GET form, so no CSRF token)."""
from __future__ import annotations

from wtforms import Form

from thuiszitters.cases.forms import DutchDateField


class UntilForm(Form):
    tot = DutchDateField("Tot en met")
