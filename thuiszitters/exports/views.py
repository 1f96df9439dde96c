"""The inspectie's exports page and file downloads. Only the inspectie and admin roles get here."""
from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, send_file, url_for
from flask_login import current_user

from thuiszitters.exports import services
from thuiszitters.extensions import db
from thuiszitters.permissions import Capability, require
from thuiszitters.text import MONTHS_NL

bp = Blueprint("exports", __name__, url_prefix="/inspectie")


@bp.before_request
def only_export_readers():
    require(current_user, Capability.READ_EXPORTS)


@bp.route("")
def start():
    return redirect(url_for("exports.index"))


@bp.route("/exports")
def index():
    return render_template("exports/index.html", runs=services.list_runs())


@bp.route("/exports/<month>/<file_name>")
def download(month: str, file_name: str):
    path, file = services.open_for_download(month, file_name, actor_id=current_user.id)
    db.session.commit()
    return no_store(send_file(path, as_attachment=True, download_name=file.name))


@bp.app_template_filter("month_label")
def month_label(month: str) -> str:
    """``2026-10`` as "oktober 2026"."""
    year, number = month.split("-")
    return f"{MONTHS_NL[int(number) - 1]} {year}"


@bp.app_template_filter("file_size")
def file_size(size: int) -> str:
    """A byte count the Dutch way: "812 bytes", "12,3 kB", "4,1 MB"."""
    if size < 1000:
        return f"{size} bytes"
    value, unit = size / 1000, "kB"
    for larger in ("MB", "GB"):
        if value < 1000:
            break
        value, unit = value / 1000, larger
    return f"{value:.1f} {unit}".replace(".", ",")


def no_store(response: Response) -> Response:
    """Export files must never sit in a browser or proxy cache."""
    response.headers["Cache-Control"] = "no-store"
    return response
