"""The admin's mail page: how many mails wait, went out or failed, and sending failed ones again."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from thuiszitters.clock import now_utc
from thuiszitters.extensions import db
from thuiszitters.http.forms import ConfirmForm
from thuiszitters.mail.services import held_messages, outbox_overview, retry_failed
from thuiszitters.parsing import record_id
from thuiszitters.permissions import Capability, require

bp = Blueprint("mail", __name__, url_prefix="/beheer/mail")


@bp.before_request
def only_mail_managers():
    require(current_user, Capability.MANAGE_MAIL)


@bp.route("")
def outbox():
    """The outbox: how many mails wait, went out or failed, and the ones that need attention."""
    # Development without an SMTP server: mail never leaves, so the page shows it (a local mail catcher).
    held = held_messages() if not current_app.config["MAIL_SERVER"] and current_app.config["ENV"] != "production" \
        else None
    return render_template("mail/outbox.html", overview=outbox_overview(), form=ConfirmForm(), held=held)


@bp.post("/opnieuw")
def retry():
    """Send failed mail again: one (``message_id`` in the form) or every failed one."""
    raw = (request.form.get("message_id") or "").strip()
    message_id = record_id(raw) if raw else None
    if raw and message_id is None:
        abort(400)
    if ConfirmForm().validate_on_submit():
        count = retry_failed(now_utc(), actor_id=current_user.id, message_id=message_id)
        db.session.commit()
        if count:
            flash(f"{count} mail(s) opnieuw in de wachtrij gezet; de verzender probeert het binnen een minuut.",
                  "success")
        else:
            flash("Er was geen mislukte mail (meer) om opnieuw te versturen.", "info")
    return redirect(url_for("mail.outbox"))
