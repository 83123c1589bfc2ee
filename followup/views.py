"""Pages: a graduate's plan and inbox; a counselor's plans, overdue follow-ups and dead letters;
the scheduler's heartbeat for admins."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from core import divisions, listing, navigation, templating
from core.access import get_or_404, scope_filter
from core.auth import roles_required
from core.database import ServiceError
from core.extensions import db
from core.models import Message, Person, User
from core.schemas import load_form
from followup import replies, services
from followup.models import ACTION_KINDS, MessageReply, OfficeContact, Plan, PlanAction
from followup.schemas import ActionIn, OfficeContactIn, PlanUpdate, ReplyIn
from followup.timing import RETENTION_GOAL

bp = Blueprint("followup", __name__)

ACTION_LABELS = {
    "training": _l("Training"),
    "referral": _l("Referral to a job"),
    "interview_coaching": _l("Interview coaching"),
    "accommodation_request": _l("Accommodation request"),
    "job_search": _l("Job search"),
    "other": _l("Other"),
}

navigation.register(_l("My plan"), "followup.my_plan", ("graduate",), order=30)
navigation.register(_l("Follow-up plans"), "followup.plans", ("admin", "counselor"), order=40)
navigation.register(_l("Overdue follow-ups"), "followup.overdue", ("counselor",), order=41)
navigation.register(
    _l("Failed messages"), "followup.dead_letters", ("admin", "counselor"), order=42
)
navigation.register(_l("Scheduler"), "followup.scheduler_status", ("admin",), order=85)
navigation.register(_l("Replies to answer"), "followup.replies", ("counselor",), order=43)
navigation.register(_l("County office contacts"), "followup.office_contacts", ("admin",), order=86)
templating.add_person_section("followup/_person_plan.html", lambda person: True)
from followup import home  # noqa: E402, F401  (registers the home page tasks)


def plan_for_person(person):
    """Used by the person page's section."""
    return services.plan_of_person(person.id)


@bp.app_context_processor
def _helpers():
    return {
        "followup_plan_of": plan_for_person,
        "today": services.local_now().date(),
        "retention_goal": RETENTION_GOAL,
    }


def _my_plan_page(reply_errors=None, status=200):
    plan = services.plan_of_person(current_user.person_id)
    messages = services.inbox(current_user.person_id)
    return render_template(
        "followup/my_plan.html",
        plan=plan,
        messages=messages,
        threads=replies.threads([m.id for m in messages]),
        reply_errors=reply_errors or {},
        errors={},
    ), status


@bp.get("/my/plan")
@roles_required("graduate")
def my_plan():
    return _my_plan_page()


@bp.post("/my/messages/<int:message_id>/reply")
@roles_required("graduate")
def reply(message_id: int):
    """The graduate replies to one of their messages; their counselors see it in their tasks."""
    message = get_or_404(Message, message_id, current_user)
    data, errors = load_form(ReplyIn(), request.form)
    if not errors:
        try:
            replies.reply(current_user, message, data["body"])
            flash(_("Your reply was sent to your counselor."))
            return redirect(url_for("followup.my_plan") + f"#message-{message.id}")
        except ServiceError as error:
            errors = error.errors
    said = errors.get("body") or [text for texts in errors.values() for text in texts]
    return _my_plan_page({message.id: said}, 422)


@bp.post("/my/messages/<int:message_id>/read")
@roles_required("graduate")
def mark_read(message_id: int):
    message = get_or_404(Message, message_id, current_user)
    services.mark_read(message)
    return redirect(url_for("followup.my_plan") + f"#message-{message.id}")


PLANS_LIST = listing.ListSpec(
    "plans",
    {
        "due": Plan.next_due_on,
        "graduate": Person.name_pinyin,
        "status": Plan.status,
    },
    "due",
    (
        listing.Filter("q", _l("Graduate's name")),
        listing.Filter(
            "status",
            _l("Status"),
            "choice",
            lambda: [("active", _("In progress")), ("closed", _("Closed"))],
        ),
        listing.Filter("due_by", _l("Next follow-up on or before"), "date"),
    ),
    tiebreak=Plan.id,
)


def _plans_page(overdue_only: bool):
    state = PLANS_LIST.parse(request.args)
    stmt = services.plans_query(current_user, overdue_only)
    if state.get("q"):
        stmt = stmt.where(Person.name.contains(state.get("q")))
    if state.get("status"):
        stmt = stmt.where(Plan.status == state.get("status"))
    if state.get("due_by"):
        stmt = stmt.where(Plan.next_due_on <= state.get("due_by"))
    return listing.query_page(stmt, state), state


@bp.get("/followup/plans")
@roles_required("admin", "counselor")
def plans():
    page, state = _plans_page(overdue_only=False)
    return render_template("followup/plans.html", page=page, state=state)


@bp.get("/followup/overdue")
@roles_required("admin", "counselor")
def overdue():
    page, state = _plans_page(overdue_only=True)
    actions = services.overdue_actions(current_user)
    return render_template("followup/overdue.html", page=page, state=state, actions=actions)


def _counselors(county_code: str):
    """The counselors a plan may be given to: those of the person's county (services' rule)."""
    stmt = select(User).where(
        User.role == "counselor", User.active.is_(True), User.county_code == county_code
    )
    return [
        (u.id, u.display_name or u.username) for u in db.session.scalars(stmt.order_by(User.id))
    ]


def _plan_page(plan, errors=None, form=None, action_form=None, status=200):
    messages = services.messages_for(current_user, limit=50)
    messages = [m for m in messages if m.plan_id == plan.id]
    return render_template(
        "followup/plan.html",
        plan=plan,
        messages=messages,
        threads=replies.threads([m.id for m in messages]),
        errors=errors or {},
        form=form or _plan_form(plan),
        action_form=action_form or {},
        counselors=_counselors(plan.person.county_code),
        action_options=[(kind, str(ACTION_LABELS[kind])) for kind in ACTION_KINDS],
    ), status


def _plan_form(plan) -> dict:
    return {
        "counselor_id": plan.counselor_id or "",
        "goals": plan.goals,
        "cadence_days": plan.cadence_days,
        "status": plan.status,
    }


@bp.get("/followup/plans/<int:plan_id>")
@roles_required("admin", "counselor", "graduate")
def plan_detail(plan_id: int):
    plan = get_or_404(Plan, plan_id, current_user)
    return _plan_page(plan)


@bp.post("/followup/plans/<int:plan_id>")
@roles_required("admin", "counselor")
def plan_edit(plan_id: int):
    plan = get_or_404(Plan, plan_id, current_user)
    data, errors = load_form(PlanUpdate(), request.form)
    if not errors:
        try:
            services.update_plan(plan, data)
            flash(_("The plan was saved."))
            return redirect(url_for("followup.plan_detail", plan_id=plan.id))
        except ServiceError as error:
            errors = error.errors
    return _plan_page(plan, errors, request.form, status=422)


@bp.post("/followup/plans/<int:plan_id>/actions")
@roles_required("admin", "counselor")
def action_add(plan_id: int):
    plan = get_or_404(Plan, plan_id, current_user)
    data, errors = load_form(ActionIn(), request.form)
    if errors:
        return _plan_page(
            plan, {f"action_{k}": v for k, v in errors.items()}, None, request.form, 422
        )
    services.add_action(plan, data)
    flash(_("The action was added."))
    return redirect(url_for("followup.plan_detail", plan_id=plan.id))


@bp.post("/followup/actions/<int:action_id>/done")
@roles_required("admin", "counselor")
def action_done(action_id: int):
    action = get_or_404(PlanAction, action_id, current_user)
    services.update_action(action, {"status": "done"})
    flash(_("The action was marked done."))
    return redirect(url_for("followup.plan_detail", plan_id=action.plan_id))


@bp.get("/followup/dead-letters")
@roles_required("admin", "counselor")
def dead_letters():
    state = DEAD_LETTERS_LIST.parse(request.args)
    stmt = select(Message).where(scope_filter(Message, current_user), Message.status == "dead")
    if state.get("channel"):
        stmt = stmt.where(Message.channel == state.get("channel"))
    page = listing.query_page(stmt, state)
    return render_template(
        "followup/dead_letters.html", messages=page.items, page=page, state=state
    )


DEAD_LETTERS_LIST = listing.ListSpec(
    "dead_letters",
    {"failed": Message.updated_at, "attempts": Message.attempts},
    "-failed",
    (
        listing.Filter(
            "channel",
            _l("Channel"),
            "choice",
            lambda: [("email", _("E-mail")), ("sms", _("SMS")), ("in_app", _("In-app"))],
        ),
    ),
    tiebreak=Message.id.desc(),
)


@bp.post("/followup/messages/<int:message_id>/retry")
@roles_required("admin", "counselor")
def retry(message_id: int):
    message = get_or_404(Message, message_id, current_user)
    try:
        services.retry_dead_letter(message)
        flash(_("The message will be sent again."))
    except ServiceError:
        abort(409)
    return redirect(url_for("followup.dead_letters"))


@bp.get("/admin/scheduler")
@roles_required("admin")
def scheduler_status():
    return render_template("followup/scheduler.html", **services.scheduler_status())


def _replies_page(errors=None, errors_for=None, status=200):
    return render_template(
        "followup/replies.html",
        rows=replies.unanswered(current_user),
        errors=errors or {},
        errors_for=errors_for,
    ), status


@bp.get("/followup/replies", endpoint="replies")
@roles_required("admin", "counselor")
def replies_list():
    """Graduates' replies in the counselor's county that nobody answered yet, oldest first."""
    return _replies_page()


@bp.post("/followup/replies/<int:reply_id>/answer")
@roles_required("admin", "counselor")
def answer(reply_id: int):
    row = get_or_404(MessageReply, reply_id, current_user)
    data, errors = load_form(ReplyIn(), request.form)
    if not errors:
        try:
            replies.answer(current_user, row, data["body"])
            flash(_("Your answer was sent."))
            return redirect(url_for("followup.replies"))
        except ServiceError as error:
            errors, status = error.errors, error.status
            return _replies_page(errors, row.id, status)
    return _replies_page(errors, row.id, 422)


@bp.route("/admin/office-contacts", methods=["GET", "POST"])
@roles_required("admin")
def office_contacts():
    """The county offices' telephone and e-mail, shown where a counselor's account has none."""
    errors, form, status = {}, {}, 200
    if request.method == "POST":
        data, errors = load_form(OfficeContactIn(), request.form)
        if not errors:
            replies.set_office_contact(
                current_user, data["county_code"], data["phone"], data["email"]
            )
            flash(_("The contact was saved."))
            return redirect(url_for("followup.office_contacts"))
        form, status = request.form, 422
    contacts = db.session.scalars(select(OfficeContact).order_by(OfficeContact.county_code))
    return render_template(
        "followup/office_contacts.html",
        errors=errors,
        form=form,
        contacts=list(contacts),
        counties=divisions.counties(),
        county_name=divisions.full_name,
    ), status
