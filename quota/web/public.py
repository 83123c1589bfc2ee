"""Public quota pages (no login): the levy calculator and the published lists."""

from flask import abort, render_template, request
from marshmallow import ValidationError

from core.auth import public
from core.codes import UNIT_TYPES
from core.database import ServiceError
from core.errors import translate_messages
from quota import access, excel  # noqa: F401  (access registers the access rules)
from quota.schemas import AssessIn
from quota.services import calculator, publication
from quota.web.blueprint import bp, download, excel_type, last_data_year
from quota.web.forms import calculator_input, flat_errors

# --- public --------------------------------------------------------------------------------------


@bp.route("/calculator", methods=["GET", "POST"])
@public
def calculator_page():
    result, errors = None, {}
    form = request.form if request.method == "POST" else {"year": last_data_year()}
    if request.method == "POST":
        try:
            result = calculator.calculate(AssessIn().load(calculator_input(request.form)))
        except ValidationError as error:
            errors = flat_errors(translate_messages(error.messages))
        except ServiceError as error:
            errors = flat_errors(error.errors)
    return render_template(
        "quota/calculator.html", form=form, errors=errors, result=result, unit_types=UNIT_TYPES
    ), 422 if errors else 200


@bp.get("/publication")
@public
def publication_page():
    year = request.args.get("year", last_data_year(), type=int)
    q = request.args.get("q", "")[:50]
    if not publication.known_year(year):
        abort(404)
    return render_template(
        "quota/publication.html",
        year=year,
        q=q,
        met=publication.met_quota(year, q),
        unpaid=publication.unpaid_levies(year, q),
        unpaid_published=publication.unpaid_published(year),
        deadline=publication.payment_deadline(year),
        not_filed=publication.not_filed(year, q),
        not_filed_published=publication.not_filed_published(year),
        filing_deadline=publication._deadline_text(year),
    )


@bp.get("/publication/<int:year>.csv")
@public
def publication_csv(year: int):
    if not publication.known_year(year):
        abort(404)
    body = publication.as_csv(year, request.args.get("q", "")[:50])
    return download(body.encode("utf-8"), f"quota-{year}.csv", "text/csv; charset=utf-8")


@bp.get("/publication/<int:year>.xlsx")
@public
def publication_xlsx(year: int):
    if not publication.known_year(year):
        abort(404)
    body = publication.as_xlsx(year, request.args.get("q", "")[:50])
    return download(body, f"quota-{year}.xlsx", excel_type())
