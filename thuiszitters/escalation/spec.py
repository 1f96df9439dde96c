"""The escalation chain as one declarative spec: the step kinds, their fields, and the chain's vocabularies.

This is the one place a step kind's fields are written down. Everything that lists them derives from here: the
web forms (``cases/forms.py``), the API's input fields, serializer and OpenAPI schemas (``api/``), the Dutch labels
(``cases/labels.py``), what the audit trail masks and retention empties (free text), the step summary on the case
page and in the PDF, and the columns the inspectie export reads. ``tests/unit/test_escalation_spec.py`` proves
that every derived list agrees with this module and that every field is a column of ``cases.models.Step``.

Adding a field to a kind means adding a ``Field`` to that kind below, the column to the model and a migration;
nothing else (``docs/architecture.md`` shows an example).

Pure: no Flask, no database, no other module of the app.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# --- Vocabularies of the chain -----------------------------------------------------------------------------
# Each is written once as {code: Dutch label}; the tuples of codes are derived from the labels.

# A case starts as a signal (a dreigend thuiszitter, no first day out of school yet) or open; DOMAIN.md, "Case
# lifecycle". Only open cases can count as thuiszitters (``escalation.lifecycle``).
STATUS_LABELS = {"signaal": "Signaal (dreigend thuiszitter)", "open": "Open", "closed": "Gesloten"}
ABSENCE_LABELS = {
    "absoluut_verzuim": "Absoluut verzuim",
    "relatief_verzuim": "Langdurig relatief verzuim",
    "vrijstelling_5a": "Vrijstelling (art. 5 onder a Leerplichtwet)",
}


@dataclass(frozen=True)
class Outcome:
    """How a case was closed (DOMAIN.md, "Case outcomes").

    ``offer``: a passend aanbod started; the case records ``offer_started_on`` and the goal is met or not. Every
    other outcome records only ``closed_on`` and has no goal-met value: it is shown beside the goal-met rate, never
    inside it. ``closes_signal``: the outcome of a signal that never became an absence (and only of a signal).
    """

    code: str
    label: str
    offer: bool = False
    closes_signal: bool = False
    hint: str = ""


OUTCOME_KINDS: tuple[Outcome, ...] = (
    Outcome("terug_naar_school", "Terug naar school", offer=True,
            hint="Regulier of speciaal onderwijs; vul de school in."),
    Outcome("maatwerk", "Maatwerk", offer=True,
            hint="Een gedeeltelijk of alternatief programma onder verantwoordelijkheid van een school."),
    Outcome("onderwijszorgarrangement", "Onderwijszorgarrangement", offer=True),
    Outcome("vrijstelling", "Vrijstelling verleend",
            hint="Een vrijstelling is geen passend aanbod; het doel telt niet mee als gehaald."),
    Outcome("verhuisd", "Verhuisd (buiten bereik)",
            hint="Naar het buitenland of buiten bereik. Verhuist de leerling binnen Nederland, draag de casus "
                 "dan over aan het nieuwe samenwerkingsverband."),
    Outcome("einde_leerplicht", "Einde leer- of kwalificatieplicht",
            hint="De leerling werd 18 of haalde een startkwalificatie."),
    Outcome("geen_thuiszitter", "Geen thuiszitter geworden", closes_signal=True,
            hint="Alleen voor een signaal: de leerling is niet thuis komen te zitten."),
    Outcome("overig", "Overig", hint="Licht de uitkomst toe."),
)
OUTCOME_LABELS = {outcome.code: outcome.label for outcome in OUTCOME_KINDS}
OUTCOME = {outcome.code: outcome for outcome in OUTCOME_KINDS}
AANMELDING_DECISION_LABELS = {"toegelaten": "Toegelaten", "afgewezen": "Afgewezen"}
SWV_ACTION_LABELS = {
    "arrangement": "Arrangement",
    "tlv": "Toelaatbaarheidsverklaring (TLV)",
    "doorzettingsmacht": "Doorzettingsmacht",
    "overig": "Overig",
}
CONSULENT_TYPE_LABELS = {
    "onderwijsconsulent": "Onderwijsconsulent",
    "onderwijszorgconsulent": "Onderwijszorgconsulent",
}
GPO_SUBJECT_LABELS = {
    "toelating": "Toelating",
    "verwijdering": "Verwijdering",
    "opp": "Ontwikkelingsperspectief (OPP)",
}
GPO_VERDICT_LABELS = {
    "gegrond": "Gegrond",
    "deels_gegrond": "Deels gegrond",
    "ongegrond": "Ongegrond",
    "niet_ontvankelijk": "Niet-ontvankelijk",
    "ingetrokken": "Ingetrokken",
}
FOLLOW_UP_LABELS = {"opgevolgd": "Oordeel opgevolgd", "niet_opgevolgd": "Oordeel niet opgevolgd"}
# The school board's reaction that the inspectie asks about (a case warning, counted in the export).
NOT_FOLLOWED = "niet_opgevolgd"
# mbo is no part of a samenwerkingsverband: the WPO/WVO zorgplicht and the GPO do not apply, so an aanmelding or a
# GPO step about such a school is refused (DOMAIN.md, "Case lifecycle"). Codes of ``reference.models.SCHOOL_TYPES``.
SCHOOL_TYPES_OUTSIDE_CHAIN = frozenset({"mbo"})

CASE_STATUSES = tuple(STATUS_LABELS)
ABSENCE_KINDS = tuple(ABSENCE_LABELS)
OUTCOMES = tuple(OUTCOME_LABELS)
# Offer outcomes give goal met true/false; the goal-met rate is computed over these only.
OFFER_OUTCOMES = tuple(o.code for o in OUTCOME_KINDS if o.offer)
# The outcomes that close a thuiszitter case (an open one), and the one that closes a signal.
CASE_OUTCOMES = tuple(o.code for o in OUTCOME_KINDS if not o.closes_signal)
SIGNAL_OUTCOMES = tuple(o.code for o in OUTCOME_KINDS if o.closes_signal)
# Outcomes of a thuiszitter case without an offer: shown beside the goal-met rate.
OTHER_CASE_OUTCOMES = tuple(code for code in CASE_OUTCOMES if code not in OFFER_OUTCOMES)
AANMELDING_DECISIONS = tuple(AANMELDING_DECISION_LABELS)
SWV_ACTIONS = tuple(SWV_ACTION_LABELS)
CONSULENT_TYPES = tuple(CONSULENT_TYPE_LABELS)
GPO_SUBJECTS = tuple(GPO_SUBJECT_LABELS)
GPO_VERDICTS = tuple(GPO_VERDICT_LABELS)
# An oordeel proper: the school board must then say what it does with it. A withdrawn request has no oordeel.
GPO_OORDEEL_VERDICTS = tuple(v for v in GPO_VERDICTS if v != "ingetrokken")
FOLLOW_UPS = tuple(FOLLOW_UP_LABELS)


# --- Field types -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Date:
    """A local date (API: ``YYYY-MM-DD``; forms: dd-mm-jjjj)."""


@dataclass(frozen=True)
class Choice:
    """One code out of ``labels`` (code -> Dutch label).

    ``empty_label`` is the form's option for "not known yet"; without it a form insists on a choice. ``radio`` draws
    the options as radio buttons instead of a list. ``api_text_length`` set: the API takes any text up to that
    length instead of refusing an unknown code, so the rules can say why a value does not belong here (a TLV
    dispute is not for the GPO).
    """

    labels: Mapping[str, str]
    empty_label: str | None = None
    radio: bool = False
    api_text_length: int | None = None

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(self.labels)


@dataclass(frozen=True)
class Text:
    """Free text. It may describe the child, so the audit trail logs only that it changed and retention empties
    it."""

    max_length: int


@dataclass(frozen=True)
class Flag:
    """Yes or no (a check box)."""


@dataclass(frozen=True)
class Count:
    """A whole number; the API refuses anything outside ``minimum..maximum`` (the rules may be stricter)."""

    minimum: int
    maximum: int


@dataclass(frozen=True)
class SchoolRef:
    """A school by its BRIN code; the model stores it as ``school_id`` and reads it back as ``school_brin``."""

    max_length: int = 10


FieldType = Date | Choice | Text | Flag | Count | SchoolRef


@dataclass(frozen=True)
class Field:
    """One recorded fact of a step.

    ``name`` is the model attribute (and the form field); the API uses its camelCase. ``label`` names it on the
    case page, in the timeline and in change lists; ``question`` is the form's label where the form asks more
    precisely; ``hint`` is the form's help text; ``phrase`` is how a Dutch sentence names it in messages ("de
    besluitdatum"); ``short_label`` names it in the PDF's narrow chain table (without one the value stands alone
    there); ``in_summary`` False leaves it out of that table. ``required``: the API refuses a new step without it
    (the forms leave missing values to the rules, which word the message).
    """

    name: str
    type: FieldType
    label: str
    phrase: str = ""
    question: str | None = None
    hint: str | None = None
    short_label: str | None = None
    required: bool = False
    in_summary: bool = True

    @property
    def api_name(self) -> str:
        return camel_case(self.name)

    @property
    def form_label(self) -> str:
        return self.question or self.label

    @property
    def free_text(self) -> bool:
        """Logged as "changed" only, never its content, and emptied by retention."""
        return isinstance(self.type, Text)


@dataclass(frozen=True)
class Term:
    """A date the rules compute for a step (``escalation.terms.step_terms``), shown beside its recorded fields.

    ``reads`` names the fields its rule reads (a test holds the rule to it), so a reader of plain rows (the
    export) knows which columns to load.
    """

    name: str
    label: str
    short_label: str
    reads: tuple[str, ...]
    # The term applies only to a pupil enrolled at no school (temporary enrolment); None for an enrolled one.
    not_enrolled_only: bool = False
    # A deadline: the field whose value meets it (the case list's next deadline counts the term until then).
    # None for a date that is no deadline (the day a right starts).
    met_by: str | None = None

    @property
    def api_name(self) -> str:
        return camel_case(self.name)


@dataclass(frozen=True)
class Done:
    """When a step has run its course (DOMAIN.md), which is what the interventieteam gate counts.

    Done once every field in ``requires`` is recorded (a choice: one of its codes) and one of the dates in ``on``
    is: done on the earliest of them. ``lapses_after`` names a term: when it ends without that, the step is done
    the day after anyway (the school's silence must not block the chain).
    """

    on: tuple[str, ...]
    requires: tuple[str, ...] = ()
    lapses_after: str | None = None


@dataclass(frozen=True)
class StepKind:
    """A kind of step: its place in the chain, its fields in form order, its computed terms, when it is done.

    ``starts_on`` is the field the step dates itself by (the export's "reached"). ``mandatory``: a step of this
    kind must be done before the interventieteam may be called; the others are optional.
    """

    name: str
    label: str
    fields: tuple[Field, ...]
    starts_on: str
    done: Done
    terms: tuple[Term, ...] = ()
    mandatory: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        """The names of the kind's own fields, in form order."""
        return tuple(f.name for f in self.fields)

    def get(self, name: str) -> Field:
        """The field ``name`` of this kind (its own or a common one)."""
        return next(f for f in (*self.fields, *COMMON_FIELDS) if f.name == name)


def camel_case(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


# --- The chain ---------------------------------------------------------------------------------------------

# Fields every step has, after its own.
COMMON_FIELDS = (
    Field("out_of_order_reason", Text(2000), "Reden voor de afwijkende volgorde",
          hint="Alleen nodig als deze stap eerder komt dan de vorige stappen in de keten."),
)

KINDS: tuple[StepKind, ...] = (
    StepKind(
        "aanmelding", "Schriftelijke aanmelding",
        fields=(
            Field("school_brin", SchoolRef(), "School", question="School waar de leerling is aangemeld",
                  short_label="School"),
            Field("received_on", Date(), "Datum ontvangst aanmelding", phrase="de datum van ontvangst",
                  question="Datum waarop de school de schriftelijke aanmelding ontving", short_label="Ontvangen",
                  required=True),
            Field("extended_on", Date(), "Datum verlenging beslistermijn", phrase="de datum van verlenging",
                  hint="Alleen als de school de termijn verlengde (één keer, ten hoogste 4 weken).",
                  short_label="Verlengd op"),
            Field("extension_weeks", Count(1, 52), "Verlenging (weken)", in_summary=False),
            Field("decision", Choice(AANMELDING_DECISION_LABELS, empty_label="Nog geen besluit", radio=True),
                  "Besluit van de school"),
            Field("decided_on", Date(), "Besluitdatum", phrase="de besluitdatum", short_label="Besluit op"),
        ),
        starts_on="received_on",
        done=Done(on=("decided_on",), requires=("decision",), lapses_after="decision_due_on"),
        terms=(
            Term("decision_due_on", "Beslistermijn school tot en met", "Besluit uiterlijk",
                 reads=("received_on", "extended_on", "extension_weeks"), met_by="decided_on"),
            Term("temporary_enrolment_from", "Recht op tijdelijke inschrijving vanaf",
                 "Tijdelijke inschrijving vanaf", reads=("received_on", "decision", "decided_on"),
                 not_enrolled_only=True),
        ),
        mandatory=True,
    ),
    StepKind(
        "swv_inzet", "Inzet samenwerkingsverband",
        fields=(
            Field("started_on", Date(), "Startdatum", phrase="de startdatum", short_label="Gestart", required=True),
            Field("action", Choice(SWV_ACTION_LABELS, empty_label="Nog niet bekend"),
                  "Actie van het samenwerkingsverband"),
            Field("description", Text(5000), "Toelichting"),
            Field("ended_on", Date(), "Einddatum", phrase="de einddatum", short_label="Afgerond"),
        ),
        starts_on="started_on",
        done=Done(on=("ended_on",), requires=("action",)),
        mandatory=True,
    ),
    StepKind(
        "consulent", "Onderwijs(zorg)consulent",
        fields=(
            Field("consulent_type", Choice(CONSULENT_TYPE_LABELS, radio=True), "Soort consulent",
                  phrase="het soort consulent", required=True),
            Field("parental_consent", Flag(), "Toestemming van de ouders",
                  question="De ouders hebben toestemming gegeven om de consulent in te schakelen",
                  short_label="Toestemming ouders", required=True),
            Field("requested_on", Date(), "Aanvraagdatum", phrase="de aanvraagdatum", short_label="Aangevraagd",
                  required=True),
            Field("advice_on", Date(), "Adviesdatum", phrase="de adviesdatum", short_label="Advies"),
            Field("closed_on", Date(), "Datum afsluiting", phrase="de datum van afsluiting",
                  question="Datum waarop de aanvraag is afgesloten", short_label="Afgesloten"),
        ),
        starts_on="requested_on",
        done=Done(on=("advice_on", "closed_on")),
        mandatory=True,
    ),
    StepKind(
        "geschillencommissie", "Geschillencommissie passend onderwijs",
        fields=(
            Field("subject", Choice(GPO_SUBJECT_LABELS, radio=True, api_text_length=30),
                  "Onderwerp van het geschil", phrase="waarover het geschil gaat",
                  hint="Een geschil over een TLV gaat naar de bezwaarprocedure van het samenwerkingsverband, "
                       "niet naar de commissie.",
                  short_label="Onderwerp", required=True),
            Field("school_decision_on", Date(), "Datum besluit van de school",
                  phrase="de datum van het besluit van de school", short_label="Besluit school"),
            Field("filed_on", Date(), "Datum indienen verzoek", phrase="de datum van indienen",
                  short_label="Ingediend", required=True),
            Field("late_filing_reason", Text(5000), "Reden late indiening",
                  hint="Alleen als het verzoek later dan 6 weken na het besluit is ingediend.",
                  short_label="Reden late indiening"),
            Field("verdict", Choice(GPO_VERDICT_LABELS, empty_label="Nog geen oordeel"), "Oordeel",
                  short_label="Oordeel"),
            Field("verdict_on", Date(), "Datum oordeel", phrase="de datum van het oordeel", short_label="Oordeel"),
            Field("follow_up", Choice(FOLLOW_UP_LABELS, empty_label="Nog niet bekend"), "Reactie schoolbestuur",
                  hint="Wat het schoolbestuur met het oordeel doet. De termijn van 5 weken na het oordeel is een "
                       "praktijknorm, geen wettelijke termijn."),
            Field("follow_up_on", Date(), "Datum reactie schoolbestuur",
                  phrase="de datum van de reactie van het schoolbestuur", short_label="Reactie schoolbestuur"),
        ),
        starts_on="filed_on",
        done=Done(on=("verdict_on",), requires=("verdict",)),
        terms=(
            Term("filing_due_on", "Indienen uiterlijk", "Indienen uiterlijk", reads=("school_decision_on",),
                 met_by="filed_on"),
            Term("verdict_due_on", "Oordeel verwacht uiterlijk", "Oordeel verwacht", reads=("filed_on",),
                 met_by="verdict_on"),
            Term("follow_up_due_on", "Reactie schoolbestuur verwacht (praktijknorm, geen wettelijke termijn)",
                 "Reactie schoolbestuur verwacht (praktijknorm)", reads=("verdict", "verdict_on"),
                 met_by="follow_up"),
        ),
    ),
    StepKind(
        "interventieteam", "Interventieteam Onderwijs en Zorg",
        fields=(
            Field("reported_on", Date(), "Datum melding", phrase="de datum van melding",
                  question="Datum van melding bij het interventieteam", short_label="Gemeld", required=True),
            Field("outcome", Text(5000), "Uitkomst"),
            Field("closed_on", Date(), "Datum afsluiting", phrase="de datum van afsluiting", short_label="Afgesloten"),
        ),
        starts_on="reported_on",
        done=Done(on=("closed_on",)),
    ),
)


# --- Derived views of the spec -----------------------------------------------------------------------------

KIND: dict[str, StepKind] = {kind.name: kind for kind in KINDS}
STEP_KINDS = tuple(KIND)
STEP_LABELS = {kind.name: kind.label for kind in KINDS}
# The steps that must be done before the interventieteam may be called; the GPO is optional (seed 004 §1.4).
MANDATORY_STEP_KINDS = tuple(kind.name for kind in KINDS if kind.mandatory)


def step_fields(kind: str) -> tuple[Field, ...]:
    """Every field a step of ``kind`` takes, its own first, then the common ones (form and API order)."""
    return (*KIND[kind].fields, *COMMON_FIELDS)


def _unique_fields() -> dict[str, Field]:
    """Each step field name once, in chain order (a name two kinds share means the same thing in both)."""
    found: dict[str, Field] = {f.name: f for f in COMMON_FIELDS}
    for kind in KINDS:
        for f in kind.fields:
            found.setdefault(f.name, f)
    return found


STEP_FIELDS_BY_NAME = _unique_fields()
# Free text of any step: logged as "changed" only and emptied by retention.
FREE_TEXT_FIELDS = tuple(name for name, f in STEP_FIELDS_BY_NAME.items() if f.free_text)
# The Dutch labels of the codes a step field holds, by field name.
STEP_VALUE_LABELS = {name: f.type.labels for name, f in STEP_FIELDS_BY_NAME.items() if isinstance(f.type, Choice)}

