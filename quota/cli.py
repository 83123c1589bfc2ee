"""Flask commands of the quota review: the annual review, payments, flags and year parameters."""

from decimal import Decimal
from pathlib import Path

import click
from flask.cli import AppGroup

from core.database import ServiceError
from quota.services import payments, review
from quota.services.year_settings import set_year_parameters

quota = AppGroup("quota", help="The annual quota review.")


def _fail(error: ServiceError):
    raise click.ClickException("; ".join(f"{k}: {' '.join(v)}" for k, v in error.errors.items()))


@quota.command("review")
@click.option("--year", type=int, required=True, help="The data year to review.")
def review_command(year: int):
    """Verify, assess and store every filing of a data year (non-filers recorded)."""
    try:
        summary = review.run_review(year)
    except ServiceError as error:
        _fail(error)
    for key, value in summary.items():
        click.echo(f"{key}: {value}")


@quota.command("import-payments")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_payments_command(path: Path):
    """Import the tax bureau's payments CSV (columns: see quota/payments.py)."""
    try:
        result = payments.import_payments(path.read_text(encoding="utf-8-sig"))
    except ServiceError as error:
        _fail(error)
    click.echo(f"imported: {result['imported']}, skipped: {result['skipped']}")


@quota.command("import-official")
@click.option("--year", type=int, required=True, help="The data year of the figures.")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_official_command(year: int, path: Path):
    """Import official headcounts and wage totals (CSV in UTF-8 or .xlsx; columns credit_code,
    headcount, wage_total, source)."""
    from quota.services import official

    try:
        result = official.import_file(year, path.read_bytes(), path.name)
    except ServiceError as error:
        _fail(error)
    click.echo(f"imported: {result['imported']}")
    if result["unknown_credit_codes"]:
        click.echo("unknown credit codes: " + ", ".join(result["unknown_credit_codes"]))


@quota.command("flags")
@click.option("--year", type=int, required=True)
def flags_command(year: int):
    """Raise and lift credit flags of a data year by the rules."""
    result = payments.evaluate_flags(year)
    click.echo(f"raised: {result['raised']}, lifted: {result['lifted']}")


@quota.command("export-flags")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json")
def export_flags_command(fmt: str):
    """Print the credit flags in the exchange format."""
    import json

    if fmt == "csv":
        click.echo(payments.flags_csv().lstrip("\ufeff"), nl=False)
    else:
        click.echo(json.dumps(payments.flags_json(), ensure_ascii=False, indent=2))


@quota.command("set-year")
@click.option("--year", type=int, required=True)
@click.option("--social-wage", type=Decimal, default=None)
@click.option("--reward", type=Decimal, default=None, help="Reward per person over the quota.")
@click.option("--window", type=click.Choice(["open", "closed", "calendar"]), default=None)
def set_year_command(year, social_wage, reward, window):
    """Set a data year's parameters (social average wage, reward, filing window)."""
    values = {}
    if social_wage is not None:
        values["social_average_wage"] = social_wage
    if reward is not None:
        values["reward_per_excess_person"] = reward
    if window is not None:
        values["window_open"] = {"open": True, "closed": False, "calendar": None}[window]
    try:
        set_year_parameters(year, values)
    except ServiceError as error:
        _fail(error)
    click.echo(f"saved parameters of {year}")


@quota.command("notices")
@click.option("--year", type=int, required=True, help="The data year.")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(["assessment_notice", "payment_notice", "reward_notice"]),
    help="Kinds to issue (default: assessment and payment notices).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also write each current notice of the year as <number>.pdf into this folder.",
)
def notices_command(year, kinds, out):
    """Issue the year's notices (idempotent) and optionally render them to PDF files."""
    import time

    from quota.services import documents

    started = time.perf_counter()
    counts = documents.issue_year(year, kinds or ("assessment_notice", "payment_notice"))
    for kind, count in counts.items():
        click.echo(f"{kind}: {count}")
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        rendered = 0
        for document in documents.current_documents(year, tuple(counts)):
            (out / f"{document.number}.pdf").write_bytes(documents.render_pdf(document))
            rendered += 1
        click.echo(f"rendered: {rendered} in {time.perf_counter() - started:.1f} s")


@quota.command("export-levies")
@click.option("--year", type=int, required=True)
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None)
def export_levies_command(year, fmt, out):
    """Write the year's levies for the tax bureau (layout: quota/services/levy_export.py)."""
    from quota.services import levy_export

    try:
        body = (
            levy_export.levies_xlsx(year)
            if fmt == "xlsx"
            else levy_export.levies_csv(year).encode("utf-8")
        )
    except ServiceError as error:
        _fail(error)
    if out is None:
        if fmt == "xlsx":
            raise click.ClickException("give --out for an .xlsx file")
        click.echo(body.decode("utf-8").lstrip("\ufeff"), nl=False)
    else:
        out.write_bytes(body)
        click.echo(f"written: {out}")


@quota.command("set-terms")
@click.option("--year", type=int, required=True)
@click.option("--issuer", required=True)
@click.option("--payee", required=True)
@click.option("--how", "how_to_pay", required=True, help="How to pay.")
@click.option("--where", "where_to_pay", required=True, help="Where to pay.")
@click.option("--review-days", "review_request_days", type=int, default=None)
def set_terms_command(year, **values):
    """Set what the year's notices state about paying and the review period."""
    from marshmallow import ValidationError

    from quota.schemas_year import TermsIn
    from quota.services import documents

    try:
        data = TermsIn().load({"data_year": year, **{k: v for k, v in values.items() if v}})
    except ValidationError as error:
        raise click.ClickException(str(error.messages)) from None
    documents.set_terms(data.pop("data_year"), data)
    click.echo(f"saved the terms of {year}")


@quota.command("remind")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None)
def remind_command(today):
    """Make the reminders the calendar calls for (each once) and send their e-mails."""
    from quota.services import reminders

    result = reminders.run(today.date() if today else None)
    click.echo(", ".join(f"{k}: {v}" for k, v in result.items()))


@quota.command("requests")
@click.option(
    "--status", type=click.Choice(["pending", "approved", "partly_approved", "refused", "paid"])
)
def requests_command(status):
    """List requests after the assessment (relief, deferral, review, reward)."""
    from core.extensions import db
    from quota.models import QuotaRequest

    stmt = db.select(QuotaRequest).order_by(QuotaRequest.id)
    if status:
        stmt = stmt.where(QuotaRequest.status == status)
    for r in db.session.scalars(stmt):
        click.echo(f"{r.id}\t{r.kind}\t{r.data_year}\t{r.employer.credit_code}\t{r.status}")


@quota.command("decide")
@click.argument("request_id", type=int)
@click.option("--outcome", type=click.Choice(["approve", "partly", "refuse"]), required=True)
@click.option("--reason", default=None)
@click.option("--amount", type=Decimal, default=None)
@click.option("--deadline", type=click.DateTime(formats=["%Y-%m-%d"]), default=None)
def decide_command(request_id, outcome, reason, amount, deadline):
    """Decide a pending request (a decided one is refused)."""
    from core.extensions import db
    from quota.models import QuotaRequest
    from quota.services import requests

    item = db.session.get(QuotaRequest, request_id)
    if item is None:
        raise click.ClickException(f"no request {request_id}")
    data = {"outcome": outcome, "reason": reason, "amount": amount}
    data["deadline"] = deadline.date() if deadline else None
    try:
        item = requests.decide(item, data)
    except ServiceError as error:
        _fail(error)
    click.echo(f"{item.id}: {item.status}")


registry_group = AppGroup("registry", help="The disability certificate registry extract.")


@registry_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--extract-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day the extract was taken (default: the file's modification day).",
)
def registry_import_command(path: Path, extract_date):
    """Import a registry extract (CSV in UTF-8 or .xlsx; columns: see quota/services/registry.py)."""
    from datetime import date

    from quota.services import registry

    day = extract_date.date() if extract_date else date.fromtimestamp(path.stat().st_mtime)
    try:
        result = registry.import_registry(path.read_bytes(), path.name, day)
    except ServiceError as error:
        _fail(error)
    click.echo(f"added: {result['added']}, replaced: {result['replaced']}, extract: {day}")


commands = [quota, registry_group]
