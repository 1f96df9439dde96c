"""Everything that lists a step's fields is derived from the spec (thuiszitters.escalation.spec) and agrees with it:
the model's columns, the web forms, the API's input fields, serializer and OpenAPI schemas, the labels, what the
audit trail masks and retention empties, the export's columns, the step summary on the page and in the PDF.

Adding a field to a step kind therefore needs the spec, the model and a migration only (docs/architecture.md).
"""
from __future__ import annotations

import ast
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import Boolean, Date, Integer, String, Text
from wtforms.fields.core import UnboundField

from thuiszitters import text
from thuiszitters.api import cases as api_cases  # noqa: F401 - registers the case and step paths
from thuiszitters.api import steps as api_steps
from thuiszitters.api.inputs import ParseError
from thuiszitters.api.openapi import document
from thuiszitters.api.serializers import step_json
from thuiszitters.cases import forms, labels, services
from thuiszitters.cases.facts import StepFacts
from thuiszitters.cases.models import Step
from thuiszitters.cases.presenters import step_summary
from thuiszitters.escalation import gate, spec, terms, validation
from thuiszitters.exports import services as exports
from thuiszitters.reports.summary import _step as pdf_step
from thuiszitters.retention import services as retention

KINDS = spec.STEP_KINDS
FIELDS = [(kind, f) for kind in KINDS for f in spec.step_fields(kind)]


def _id(param: object) -> str:
    return param.name if isinstance(param, spec.Field) else str(param)


def full_step(kind: str) -> SimpleNamespace:
    """A step of ``kind`` with every field filled in, as the ORM model would carry it."""
    values = {}
    for f in spec.step_fields(kind):
        t = f.type
        values[f.name] = {
            spec.Date: date(2025, 9, 1), spec.Text: f"tekst {f.name}", spec.Flag: True, spec.Count: 2,
            spec.SchoolRef: "00AA",
        }.get(type(t)) if not isinstance(t, spec.Choice) else t.values[0]
    school = SimpleNamespace(name="De Brug", brin="00AA")
    return SimpleNamespace(id=1, kind=kind, school=school, **values)


# --- The spec itself ---------------------------------------------------------------------------------------


def test_the_kinds_are_written_once_in_chain_order():
    assert spec.STEP_KINDS == ("aanmelding", "swv_inzet", "consulent", "geschillencommissie", "interventieteam")
    assert spec.MANDATORY_STEP_KINDS == ("aanmelding", "swv_inzet", "consulent")
    assert list(spec.STEP_LABELS) == list(spec.STEP_KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_is_consistent(kind):
    k = spec.KIND[kind]
    names = [f.name for f in spec.step_fields(kind)]
    assert len(names) == len(set(names)), "a field twice in one kind"
    assert len({spec.camel_case(n) for n in names}) == len(names), "two fields with one API name"
    assert isinstance(k.get(k.starts_on).type, spec.Date)
    assert all(isinstance(k.get(n).type, spec.Date) for n in k.done.on) and k.done.on
    assert all(k.get(n) for n in k.done.requires)
    assert k.done.lapses_after in (None, *(t.name for t in k.terms))
    for term in k.terms:
        assert set(term.reads) <= set(names), term.name


@pytest.mark.parametrize("name", sorted(spec.STEP_FIELDS_BY_NAME))
def test_a_field_shared_by_kinds_means_the_same_in_each(name):
    shared = [(f.type, f.label, f.phrase, f.required) for _kind, f in FIELDS if f.name == name]
    assert shared == [shared[0]] * len(shared)


@pytest.mark.parametrize(("kind", "field"), FIELDS, ids=_id)
def test_messages_can_name_every_date_and_every_required_choice(kind, field):
    if isinstance(field.type, spec.Date) or (isinstance(field.type, spec.Choice) and field.type.empty_label is None):
        assert field.phrase, f"{kind}.{field.name} needs a phrase for its messages"


class Recorder:
    """A step that notes which fields are read."""

    def __init__(self, step: SimpleNamespace) -> None:
        self._step = step
        self.read: set[str] = set()

    def __getattr__(self, name: str) -> object:
        self.read.add(name)
        return getattr(self._step, name)


def test_every_computed_term_has_one_rule_and_reads_only_what_it_declares():
    declared = {term.name: term for kind in spec.KINDS for term in kind.terms}
    assert set(declared) == set(terms.TERM_RULES)
    for kind in spec.KINDS:
        for term in kind.terms:
            step = Recorder(full_step(kind.name))
            assert terms.term_on(step, term.name) is not None or term.name == "temporary_enrolment_from"
            assert step.read <= set(term.reads), f"{term.name} reads {step.read}, declares {term.reads}"


# --- The model ---------------------------------------------------------------------------------------------

COLUMN_TYPES = {spec.Date: Date, spec.Flag: Boolean, spec.Count: Integer}


@pytest.mark.parametrize(("kind", "field"), FIELDS, ids=_id)
def test_every_spec_field_is_a_column_of_the_step_model(kind, field):
    columns = Step.__table__.c
    if isinstance(field.type, spec.SchoolRef):
        assert next(iter(columns["school_id"].foreign_keys)).target_fullname == "school.id"
        assert Step.school_brin.fget is not None  # read back as a BRIN
        return
    column = columns[field.name]
    assert column.nullable, "a column other kinds leave empty"
    if isinstance(field.type, spec.Choice):
        assert isinstance(column.type, String)
        # Only a listed code is ever stored (the rules refuse any other, also one the API lets through).
        assert column.type.length >= max(len(v) for v in field.type.values)
    elif isinstance(field.type, spec.Text):
        assert isinstance(column.type, Text)
    else:
        assert isinstance(column.type, COLUMN_TYPES[type(field.type)])


# --- Forms -------------------------------------------------------------------------------------------------

FORM_FIELD_CLASSES = {
    spec.Date: forms.DutchDateField, spec.Text: forms.TextAreaField, spec.Flag: forms.BooleanField,
    spec.Count: forms.DutchIntegerField, spec.SchoolRef: forms.ChoiceField,
}


def _unbound(form_class: type) -> list[tuple[str, UnboundField]]:
    found = [(name, value) for name in dir(form_class)
             if isinstance(value := getattr(form_class, name), UnboundField) and name != "version"]
    return sorted(found, key=lambda item: item[1].creation_counter)


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_has_a_form_with_exactly_its_spec_fields_in_spec_order(kind):
    fields = _unbound(forms.STEP_FORMS[kind])
    own = [name for name, _ in fields if name not in {f.name for f in spec.COMMON_FIELDS}]
    assert own == list(spec.KIND[kind].names)
    assert {name for name, _ in fields} == {f.name for f in spec.step_fields(kind)}
    for name, unbound in fields:
        field = spec.KIND[kind].get(name)
        assert unbound.args[0] == field.form_label
        if isinstance(field.type, spec.Choice):
            expected = forms.RadioChoiceField if field.type.radio else forms.ChoiceField
            assert unbound.field_class is expected
            values = [value for value, _label in unbound.kwargs["choices"] if value]
            assert values == list(field.type.values)
        else:
            assert unbound.field_class is FORM_FIELD_CLASSES[type(field.type)]
        if isinstance(field.type, spec.Text):
            [length] = [v for v in unbound.kwargs["validators"] if isinstance(v, forms.Length)]
            assert length.max == field.type.max_length
        if field.hint:
            assert field.hint in unbound.kwargs["description"]


# --- API ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_the_api_takes_exactly_the_spec_fields_by_their_camel_case_names(kind):
    fields = api_steps.STEP_FIELDS[kind]
    assert [(f.name, f.attr, f.required) for f in fields] == [
        (f.api_name, f.name, f.required) for f in spec.step_fields(kind)]


@pytest.mark.parametrize(("kind", "field"), [(k, f) for k, f in FIELDS if isinstance(f.type, spec.Choice)],
                         ids=_id)
def test_the_api_refuses_a_code_outside_a_choice_unless_the_rules_explain_it(kind, field):
    [parser] = [f.parse for f in api_steps.STEP_FIELDS[kind] if f.attr == field.name]
    assert parser(field.type.values[0], field.api_name) == field.type.values[0]
    if field.type.api_text_length:
        assert parser("iets anders", field.api_name) == "iets anders"
    else:
        with pytest.raises(ParseError):
            parser("iets anders", field.api_name)


@pytest.mark.parametrize("kind", KINDS)
def test_the_serializer_writes_the_spec_fields_and_terms_as_the_response_schema_says(kind):
    step = full_step(kind)
    body = step_json(StepFacts(step=step, done=True, label="", terms=terms.step_terms(step)))
    expected = {"id", "kind", "done", *(f.api_name for f in spec.step_fields(kind)),
                *(t.api_name for t in spec.KIND[kind].terms)}
    assert set(body) == expected
    schema = api_steps.step_schema(kind)
    assert set(schema["properties"]) == expected == set(schema["required"])
    for f in spec.step_fields(kind):
        if isinstance(f.type, spec.Date):
            assert body[f.api_name] == "2025-09-01"


@pytest.mark.parametrize("kind", KINDS)
def test_the_openapi_document_has_a_post_body_a_patch_body_and_a_response_per_kind(kind):
    doc = document()
    schemas = doc["components"]["schemas"]
    name = "".join(part.title() for part in kind.split("_"))
    fields = spec.step_fields(kind)
    new, patch, step = schemas[f"NewStep{name}"], schemas[f"StepPatch{name}"], schemas[f"Step{name}"]
    assert set(new["properties"]) == {"kind", *(f.api_name for f in fields)} == set(patch["properties"])
    assert new["required"] == ["kind", *(f.api_name for f in fields if f.required)]
    assert "required" not in patch
    assert new["additionalProperties"] is False and patch["additionalProperties"] is False
    assert step["properties"]["kind"]["const"] == kind
    for f in fields:
        for schema in (new["properties"][f.api_name], step["properties"][f.api_name]):
            assert schema.get("type") not in (None, "object"), f.name
    ref = f"#/components/schemas/NewStep{name}"
    post = doc["paths"]["/cases/{caseId}/steps"]["post"]
    assert {"$ref": ref} in post["requestBody"]["content"]["application/json"]["schema"]["oneOf"]
    patch_op = doc["paths"]["/cases/{caseId}/steps/{stepId}"]["patch"]
    assert {"$ref": f"#/components/schemas/StepPatch{name}"} in (
        patch_op["requestBody"]["content"]["application/json"]["schema"]["anyOf"])
    for operation, status in ((post, "201"), (patch_op, "200")):
        response = operation["responses"][status]["content"]["application/json"]["schema"]
        assert {"$ref": f"#/components/schemas/Step{name}"} in response["oneOf"]
    assert {"$ref": f"#/components/schemas/Step{name}"} in schemas["Case"]["properties"]["steps"]["items"]["oneOf"]


# --- Labels, audit, retention, export ----------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "field"), FIELDS, ids=_id)
def test_labels_follow_the_spec(kind, field):
    assert labels.FIELD_LABELS[field.name] == field.label
    if isinstance(field.type, spec.Choice):
        assert labels.VALUE_LABELS[field.name] == field.type.labels
    for term in spec.KIND[kind].terms:
        assert labels.TERM_LABELS[term.name] == term.label


def test_labels_list_the_case_fields_then_the_step_fields_in_chain_order():
    step_names = [name for name in labels.FIELD_LABELS if name in spec.STEP_FIELDS_BY_NAME
                  and name not in labels._CASE_FIELD_LABELS]
    assert step_names == [n for n in spec.STEP_FIELDS_BY_NAME if n not in labels._CASE_FIELD_LABELS]
    assert labels.VALUE_LABELS["kind"] == spec.STEP_LABELS


def test_free_text_is_masked_in_the_trail_and_emptied_by_retention():
    free = {f.name for _kind, f in FIELDS if isinstance(f.type, spec.Text)}
    assert free == {"description", "late_filing_reason", "outcome", "out_of_order_reason"}
    assert set(spec.FREE_TEXT_FIELDS) == free
    assert set(services._FREE_TEXT) == free
    assert set(retention.STEP_TEXT_FIELDS) == free
    # The interventieteam's outcome is masked when logged; a case's coded outcome stays readable.
    assert free - {"outcome"} <= labels.CONCEALED_FIELDS and "outcome" not in labels.CONCEALED_FIELDS


def test_the_export_reads_the_start_and_done_columns_of_every_kind_and_no_free_text():
    columns = set(exports._StepRow._fields) - {"case_id", "kind"}
    expected = set()
    for kind in spec.KINDS:
        expected |= {kind.starts_on, *kind.done.on, *kind.done.requires}
        expected |= {n for t in kind.terms if t.name == kind.done.lapses_after for n in t.reads}
    # Issue 16: and the school board's reaction to a GPO oordeel (the export counts oordelen not followed).
    assert set(exports._FOLLOW_UP_FIELDS) <= set(spec.KIND["geschillencommissie"].names)
    expected |= set(exports._FOLLOW_UP_FIELDS)
    assert columns == expected
    assert not columns & set(spec.FREE_TEXT_FIELDS) and "school_brin" not in columns
    assert all(hasattr(Step, name) for name in exports._StepRow._fields)


@pytest.mark.parametrize("kind", KINDS)
def test_the_export_and_the_gate_agree_on_when_a_step_is_done(kind):
    step = full_step(kind)
    row = exports._StepRow(**{name: getattr(step, name, None) for name in exports._StepRow._fields} | {"case_id": 1})
    done_on = gate.done_on(step)
    assert done_on is not None
    assert exports.step_done_on(row, done_on, terms.DEFAULT_TERMS) == done_on
    assert exports.step_done_on(row, done_on - timedelta(days=1), terms.DEFAULT_TERMS) is None
    assert gate.step_done(step, done_on) and exports.export_step(row, done_on, terms.DEFAULT_TERMS).done_on == done_on


# --- What readers see --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_the_case_page_and_the_pdf_show_every_recorded_field(kind):
    step = full_step(kind)
    facts = StepFacts(step=step, done=True, label=spec.STEP_LABELS[kind], terms=terms.step_terms(step))
    page_labels = [label for label, _value in step_summary(facts)]
    k = spec.KIND[kind]
    assert page_labels[:len(k.fields)] == [f.label for f in k.fields]
    summary = pdf_step(facts)
    shown = [f for f in k.fields if f.in_summary]
    assert [label for label, _ in summary.dates] == [f.short_label or f.label for f in shown
                                                     if isinstance(f.type, spec.Date)]
    for f in shown:
        if not isinstance(f.type, spec.Date | spec.SchoolRef | spec.Flag):
            value = f.type.labels[step.__dict__[f.name]] if isinstance(f.type, spec.Choice) else step.__dict__[f.name]
            assert str(value) in summary.outcome, f.name


@pytest.mark.parametrize(("kind", "field"), [(k, f) for k, f in FIELDS if isinstance(f.type, spec.Date)], ids=_id)
def test_validation_refuses_every_date_field_in_the_future(kind, field):
    step = SimpleNamespace(kind=kind, **{field.name: date(2030, 1, 1)})
    found = [v for v in validation.validate_step(step, today=date(2025, 1, 1)) if v.code == "future_date"]
    assert [(v.field, v.message.split(" (")[0]) for v in found] == [(field.name, field.phrase.capitalize())]


# --- Purity ------------------------------------------------------------------------------------------------

PURE_MODULES = [*sorted((Path(spec.__file__).parent).glob("*.py")), Path(text.__file__)]
PURE_IMPORTS = ("__future__", "collections", "dataclasses", "datetime", "typing", "zoneinfo", "dateutil",
                "thuiszitters.escalation", "thuiszitters.text")


@pytest.mark.parametrize("path", PURE_MODULES, ids=lambda p: p.name)
def test_the_escalation_package_and_text_are_pure(path):
    """No Flask, no SQLAlchemy, no other area of the app: the chain's rules run on plain data."""
    imported = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            imported.append(node.module or "")
    impure = [name for name in imported if not name.startswith(PURE_IMPORTS)]
    assert impure == [], f"{path.name} imports {impure}"
