"""The kinds of alert, by the reminder rule that opens them (reminders.rules.ALERT_RULES), with their Dutch names.

Pure: the review queue, the case page, the API and the PDF name an alert from here.
"""
from __future__ import annotations

# What an alert of each kind is called on the review queue, the case page and in the PDF.
ALERT_KIND_LABELS = {
    "overdue": "Terugkeerdoel niet gehaald",
    "temporary_enrolment": "Geen besluit op de aanmelding na tien weken: recht op tijdelijke inschrijving",
}
ALERT_STATUSES = ("open", "acknowledged")
