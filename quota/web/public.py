"""Public quota pages (no login): the levy calculator and the published lists."""

from datetime import date

from flask import abort, render_template, request
from flask_babel import gettext as _
from marshmallow import ValidationError

from core import listing
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


LIST_NAMES = publication.LISTS


def _publication_state(year: int):
    """The chosen list (?list=) and its checked state; a bad value is refused with a 400."""
    if not publication.known_year(year):
        abort(404)
    chosen = request.args.get("list", "met_quota")
    if chosen not in LIST_NAMES:
        raise listing.ListError(
            {"list": [_("“%(value)s” is not one of the published lists.", value=chosen[:40])]}
        )
    return chosen, publication.PUBLIC_LISTS[chosen].parse(request.args)


@bp.get("/publication")
@public
def publication_page():
    year = request.args.get("year", last_data_year(), type=int)
    chosen, state = _publication_state(year)
    lists = publication.published_lists(year)
    counts = {
        name: None if lists[name] is None else len(publication.matching(lists[name], state))
        for name in LIST_NAMES
    }
    rows = publication.matching(lists[chosen] or [], state)
    return render_template(
        "quota/publication.html",
        year=year,
        chosen=chosen,
        state=state,
        counts=counts,
        page=listing.rows_page(rows, state),
        published=lists[chosen] is not None,
        deadline=date.fromisoformat(lists["payment_deadline"]),
        filing_deadline=lists["filing_deadline"],
    )


def _export_tables(year: int):
    """The lists an export carries: with ?list=, that list as filtered and sorted on the page;
    without, every published list with the same filters."""
    chosen, state = _publication_state(year)
    lists = publication.published_lists(year)
    names = [chosen] if "list" in request.args else LIST_NAMES
    filters = {key: request.args.get(key, "") for key in ("q", "city")}  # the others' own sort
    return [
        publication.filtered_table(lists, name, publication.PUBLIC_LISTS[name].parse(filters))
        if name != chosen
        else publication.filtered_table(lists, name, state)
        for name in names
        if lists[name] is not None
    ]


@bp.get("/publication/<int:year>.csv")
@public
def publication_csv(year: int):
    body = publication.as_csv(year, tables=_export_tables(year))
    return download(body.encode("utf-8"), f"quota-{year}.csv", "text/csv; charset=utf-8")


@bp.get("/publication/<int:year>.xlsx")
@public
def publication_xlsx(year: int):
    body = publication.as_xlsx(year, tables=_export_tables(year))
    return download(body, f"quota-{year}.xlsx", excel_type())
