"""Admin pages of matching: the learned weights (retrain) and the fairness audit (page, CSV)."""

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from core.auth import roles_required
from core.i18n import lang
from core.spreadsheet import csv_text
from jobmatch.engine import fairness
from jobmatch.engine.factors import FACTOR_LABELS, FACTORS
from jobmatch.engine.functional_model import CATEGORIES
from jobmatch.engine.weights import MIN_OUTCOMES
from jobmatch.services import learning, reports
from jobmatch.services import matching as services
from jobmatch.web.blueprint import bp


@bp.get("/admin/weights")
@roles_required("admin")
def weights():
    return render_template(
        "jobmatch/weights.html",
        active=learning.active_row(),
        current=services.active_weights(),
        history=learning.history(),
        outcomes=len(learning.outcomes()),
        minimum=MIN_OUTCOMES,
        factors=FACTORS,
        labels=FACTOR_LABELS[lang()],
    )


@bp.post("/admin/weights/retrain")
@roles_required("admin")
def retrain():
    result = learning.retrain()
    if result.stored is not None:
        auc = f"{float(result.stored.validation_auc):.3f}"
        message = _(
            "New weights %(version)s are active (validation ROC AUC %(auc)s).",
            version=result.stored.version,
            auc=auc,
        )
        flash(message)
    else:
        note = result.weights.note_zh if lang() == "zh" else result.weights.note_en
        flash(_("The weights were not changed: %(note)s", note=note))
    return redirect(url_for("jobmatch.weights"))


def group_name(dimension: str, group: int) -> str:
    if dimension == "category":
        return CATEGORIES[group][0 if lang() == "zh" else 1]
    return _("Level %(level)s", level=group)


@bp.get("/admin/fairness")
@roles_required("admin")
def fairness_page():
    rows, run = reports.fairness_report()
    return render_template(
        "jobmatch/fairness.html",
        rows=rows,
        run=run,
        group_name=group_name,
        measures=fairness.MEASURES,
    )


@bp.get("/admin/fairness.csv")
@roles_required("admin")
def fairness_csv():
    rows, _run = reports.fairness_report()
    return Response(
        csv_text(fairness.csv_rows(rows)),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=matching-fairness.csv"},
    )
