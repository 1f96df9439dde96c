"""The documents of a case: the section on the case page, the upload page, the download, the removal page."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.datastructures import FileStorage

from thuiszitters.cases.models import Case
from thuiszitters.cases.scope import get_visible_case
from thuiszitters.clock import today
from thuiszitters.documents.content import ALLOWED_TYPES
from thuiszitters.documents.forms import RemoveForm, UploadForm
from thuiszitters.documents.models import Document
from thuiszitters.documents.rules import (
    DOCUMENT_KINDS,
    content_disposition,
    download_name,
    may_remove,
    may_remove_any_kind,
)
from thuiszitters.documents.services import (
    DocumentInput,
    add_document,
    case_documents,
    document_chunk,
    get_document,
    read_document,
    remove_document,
    upload_problems,
)
from thuiszitters.errors import Forbidden
from thuiszitters.extensions import db
from thuiszitters.http.errors import Refusal, refusals_shown_on
from thuiszitters.permissions import Capability, can, require

bp = Blueprint("documents", __name__, url_prefix="/casussen")

MAX_BYTES_SETTING = "DOCUMENT_MAX_BYTES"
# Only the upload takes a body larger than the app's MAX_CONTENT_LENGTH (http/inputs.py).
bp.record_once(lambda state: state.app.upload_limits.update({"documents.new": MAX_BYTES_SETTING}))


# --- the download, shared with the API ------------------------------------------------------------------------


def attachment_response(document: Document) -> Response:
    """The document as a download, streamed chunk by chunk from the database. Never shown inline: an attachment,
    `nosniff` (the browser keeps the recognised type) and a sandboxing CSP (no script, no same origin, should it be
    opened in the browser after all)."""
    name = download_name(document.file_name, document.title, ALLOWED_TYPES.get(document.media_type, ""))
    response = Response(_chunks(current_app._get_current_object(), document.id), content_type=document.media_type)
    response.headers["Content-Length"] = str(document.size)
    response.headers["Content-Disposition"] = content_disposition(name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["Cache-Control"] = "no-store"
    return response


def _chunks(app: Flask, document_id: int) -> Iterator[bytes]:
    """The document's bytes as the server sends them, after the view has returned: each piece is read in an app
    context (and database session) of its own, opened and closed before the piece is handed on."""
    seq = 0
    while True:
        with app.app_context():
            chunk = document_chunk(document_id, seq)
        if chunk is None:
            return
        yield chunk
        seq += 1


# --- the case page's section ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentRow:
    document: Document
    kind_label: str
    removable: bool


@dataclass(frozen=True)
class DocumentSection:
    rows: list[DocumentRow]
    may_add: bool


@bp.app_template_global("document_section")
def document_section(case: Case) -> DocumentSection | None:
    """The case page's list of documents (the caller loaded the case in scope), None for who may not read them."""
    if not can(current_user, Capability.READ_DOCUMENTS):
        return None
    rows = [DocumentRow(document, DOCUMENT_KINDS.get(document.kind, document.kind),
                        may_remove(current_user, document.uploaded_by_id, current_user.id))
            for document in case_documents(current_user, case)]
    return DocumentSection(rows=rows, may_add=can(current_user, Capability.ADD_DOCUMENTS))


def _case_page(case: Case) -> str:
    return url_for("cases.show", case_id=case.id, _anchor="documenten")


# --- upload --------------------------------------------------------------------------------------------------


def _upload() -> FileStorage | None:
    """The posted file; a file box left empty (no name, no bytes) is no file."""
    upload = request.files.get("file")
    if upload is None:
        return None
    upload.stream.seek(0, 2)
    empty = upload.stream.tell() == 0
    upload.stream.seek(0)
    return None if empty and not upload.filename else upload


@bp.route("/<int:case_id>/documenten/nieuw", methods=["GET", "POST"])
def new(case_id: int):
    require(current_user, Capability.ADD_DOCUMENTS)
    case = get_visible_case(current_user, case_id)
    form = UploadForm()

    def page(refusal: Refusal | None = None):
        return render_template("documents/new.html", form=form, case=case), refusal.status if refusal else 200

    if request.method != "POST":
        return page()
    form.validate()  # reads the fields; a date that cannot be read is its only complaint (the rest: the service)
    upload = _upload()
    data = DocumentInput(kind=form.kind.data or None, title=form.title.data, document_date=form.document_date.data,
                         file_name=upload.filename if upload else None, stream=upload.stream if upload else None)
    max_bytes = int(current_app.config[MAX_BYTES_SETTING])
    if form.errors:
        # The date could not be read: tell everything else that is wrong too, in the same round.
        problems, refusal = upload_problems(data, today=today(), max_bytes=max_bytes)
        for problem in problems:
            getattr(form, problem.name).errors = [*getattr(form, problem.name).errors, problem.reason]
        return page(Refusal(refusal(problems), refusal.status))
    refusals_shown_on(form, page)
    add_document(current_user, case, data, today=today(), max_bytes=max_bytes)
    db.session.commit()
    flash("Het document is toegevoegd.", "success")
    return redirect(_case_page(case))


# --- download ------------------------------------------------------------------------------------------------


@bp.get("/<int:case_id>/documenten/<int:document_id>")
def download(case_id: int, document_id: int):
    require(current_user, Capability.READ_DOCUMENTS)
    case = get_visible_case(current_user, case_id)
    document = read_document(current_user, case, document_id)
    response = attachment_response(document)
    db.session.commit()  # the read is logged before the first byte goes out
    return response


# --- removal -------------------------------------------------------------------------------------------------


@bp.route("/<int:case_id>/documenten/<int:document_id>/verwijderen", methods=["GET", "POST"])
def remove(case_id: int, document_id: int):
    if not may_remove_any_kind(current_user):
        raise Forbidden()
    case = get_visible_case(current_user, case_id)
    document = get_document(case, document_id)
    if not may_remove(current_user, document.uploaded_by_id, current_user.id):
        raise Forbidden("U kunt alleen documenten verwijderen die u zelf heeft toegevoegd.")
    form = RemoveForm()

    def page(refusal: Refusal | None = None):
        return render_template("documents/remove.html", form=form, case=case, document=document,
                               kind_label=DOCUMENT_KINDS.get(document.kind, document.kind)), \
            refusal.status if refusal else 200

    if request.method != "POST":
        return page()
    refusals_shown_on(form, page)
    remove_document(current_user, case, document_id, form.reason.data)
    db.session.commit()
    flash("Het document is verwijderd.", "success")
    return redirect(_case_page(case))
