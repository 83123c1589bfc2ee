"""Admin pages of matching: the learned weights (retrain) and the fairness audit (page, CSV)."""

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core import divisions
from core.auth import roles_required
from core.database import ServiceError
from core.labels import category_name
from core.spreadsheet import csv_text
from jobmatch.engine import fairness
from jobmatch.engine.factors import DEFAULT_WEIGHTS, FACTORS
from jobmatch.engine.geography import COMMUTE_KM_RANGE, LEVELS, TRAVEL_MODES
from jobmatch.engine.weights import MIN_OUTCOMES, WEIGHT_BOUNDS
from jobmatch.labels import (
    commute_source_name,
    factor_name,
    travel_mode_options,
    weights_note,
)
from jobmatch.services import learning, reports
from jobmatch.services import matching as services
from jobmatch.web.blueprint import bp


@bp.get("/admin/weights")
@roles_required("admin")
def weights():
    sources = learning.outcome_sources()
    return render_template(
        "jobmatch/weights.html",
        active=learning.active_row(),
        current=services.active_weights(),
        history=learning.history(),
        outcomes=sum(sources.values()),
        sources=sources,
        minimum=MIN_OUTCOMES,
        factors=FACTORS,
        labels={f: factor_name(f) for f in FACTORS},
        defaults=DEFAULT_WEIGHTS,
        bounds=WEIGHT_BOUNDS,
        commute=services.commute_table(),
        commute_setting=services.commute_setting(),
        commute_range=COMMUTE_KM_RANGE,
        levels=LEVELS,
        travel_modes=travel_mode_options(),
        commute_source_name=commute_source_name,
        errors={},
        status_labels={
            "active": _("Active"),
            "candidate": _("Candidate (not activated)"),
            "retired": _("Retired"),
        },
    )


@bp.post("/admin/weights/retrain")
@roles_required("admin")
def retrain():
    result = learning.retrain()
    row = result.stored
    if row is not None:
        figures = dict(
            version=row.version,
            auc=f"{float(row.validation_auc):.3f}",
            base=f"{float(row.baseline_auc):.3f}",
            ndcg=f"{float(row.ndcg):.3f}",
            base_ndcg=f"{float(row.baseline_ndcg):.3f}",
        )
        if row.active:
            message = _(
                "New weights %(version)s are active: on held-out outcomes ROC AUC %(auc)s "
                "(previous %(base)s), NDCG %(ndcg)s (previous %(base_ndcg)s).",
                **figures,
            )
        else:
            message = _(
                "Weights %(version)s were kept as a candidate and not activated: on held-out "
                "outcomes ROC AUC %(auc)s (in use %(base)s), NDCG %(ndcg)s (in use "
                "%(base_ndcg)s) is not better than the weights in use.",
                **figures,
            )
        flash(message)
    else:
        flash(_("The weights were not changed: %(note)s", note=weights_note(result.weights)))
    return redirect(url_for("jobmatch.weights"))


@bp.post("/admin/commute")
@roles_required("admin")
def commute():
    values = {
        f"level_{level}_{mode}": request.form.get(f"level_{level}_{mode}", "")
        for level in LEVELS
        for mode in TRAVEL_MODES
    }
    try:
        services.set_commute_table(current_user, values)
    except ServiceError as error:
        for messages in error.errors.values():
            for message in messages:
                flash(message, "error")
        return redirect(url_for("jobmatch.weights"))
    flash(_("The default commute limits were saved."))
    return redirect(url_for("jobmatch.weights"))


def group_name(dimension: str, group: int) -> str:
    if dimension == "category":
        return category_name(group)
    return _("Level %(level)s", level=group)


@bp.get("/admin/fairness")
@roles_required("admin", "counselor")
def fairness_page():
    county = reports.report_county(current_user)
    rows, run = reports.fairness_report(county)
    return render_template(
        "jobmatch/fairness.html",
        rows=rows,
        run=run,
        group_name=group_name,
        measures=fairness.MEASURES,
        band=fairness.EXPOSURE_BAND,
        county=divisions.full_name(county) if county else None,
    )


@bp.get("/admin/fairness.csv")
@roles_required("admin", "counselor")
def fairness_csv():
    rows, _run = reports.fairness_report(reports.report_county(current_user))
    return Response(
        csv_text(fairness.csv_rows(rows)),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=matching-fairness.csv"},
    )
