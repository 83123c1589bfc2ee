"""An employer's reminders of the quota calendar (in-app)."""

from flask import abort, redirect, render_template, url_for
from flask_login import current_user

from core.access import get_or_404
from core.auth import roles_required
from quota.models import QuotaReminder
from quota.services import reminders
from quota.web.blueprint import bp


@bp.get("/reminders")
@roles_required("employer")
def reminders_page():
    if not current_user.employer_id:
        abort(404)
    return render_template(
        "quota/reminders.html", items=reminders.of_employer(current_user.employer_id)
    )


@bp.post("/reminders/<int:quota_reminder_id>/read")
@roles_required("employer")
def reminder_read(quota_reminder_id: int):
    reminders.mark_read(get_or_404(QuotaReminder, quota_reminder_id, current_user))
    return redirect(url_for("quota.reminders_page"))


@bp.context_processor
def _reminder_count():
    return {"unread_reminders": reminders.unread}
