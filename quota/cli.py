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
