"""The what-if simulator: an employer's levy with any number of further hires, and its candidates."""

from flask import abort, render_template, request
from flask_login import current_user
from marshmallow import ValidationError

from core.access import get_or_404
from core.auth import roles_required
from core.errors import translate_messages
from core.models import Employer
from quota.schemas_year import MAX_SIMULATED_HIRES, WhatIfIn
from quota.services import dues, overview
from quota.web.blueprint import bp
from quota.web.forms import flat_errors

SHOWN_ROWS = 3  # empty rows offered at first; "more rows" adds as many again


def hires_input(form) -> list[dict]:
    """Rows h-<i>-level / h-<i>-months with a level chosen, as the schema's input."""
    hires = []
    for i in range(MAX_SIMULATED_HIRES):
        level = form.get(f"h-{i}-level", "").strip()
        if level:
            hires.append({"level": level, "months": form.get(f"h-{i}-months", "").strip() or "12"})
    return hires


@bp.get("/employers/<int:employer_id>/what-if/<int:year>")
@roles_required("admin", "counselor", "employer")
def what_if_page(employer_id: int, year: int):
    employer = get_or_404(Employer, employer_id, current_user)
    assessment = dues.current_assessment(employer.id, year)
    if assessment is None:
        abort(404)
    form = request.args
    shown = min(form.get("rows", SHOWN_ROWS, type=int) or SHOWN_ROWS, MAX_SIMULATED_HIRES)
    if form.get("action") == "more":
        shown = min(shown + SHOWN_ROWS, MAX_SIMULATED_HIRES)
    result, errors, status = None, {}, 200
    hires = hires_input(form)
    if hires and form.get("action") != "more":
        try:
            data = WhatIfIn().load({"data_year": year, "hires": hires})
            result = overview.simulate(
                assessment, [(h["level"], h["months"]) for h in data["hires"]]
            )
        except ValidationError as error:
            errors, status = _row_errors(translate_messages(error.messages)), 422
    return render_template(
        "quota/what_if.html",
        employer=employer,
        assessment=assessment,
        year=year,
        form=form,
        rows=max(shown, len(hires)),
        result=result,
        errors=errors,
        candidates=overview.candidate_links(employer),
    ), status


def _row_errors(messages: dict) -> dict:
    flat = {}
    for index, fields in (messages.get("hires") or {}).items():
        if isinstance(fields, dict):
            for name, text in fields.items():
                flat[f"h-{index}-{name}"] = text if isinstance(text, list) else [str(text)]
    return flat or flat_errors(messages)
