"""Flask commands of the training package: `flask --app wsgi training evaluate`."""

from datetime import date

import click
from flask.cli import AppGroup

from training import notice, services

training = AppGroup("training", help="Training providers, courses and their evaluation.")


@training.command("evaluate")
@click.option("--as-of", "as_of", help="Evaluate as of this day (YYYY-MM-DD); default today.")
def evaluate(as_of: str | None):
    """Recompute every course's and provider's completion, certificate and employment rates."""
    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD", param_hint="--as-of") from None
    result = notice.run_evaluation(day)
    province = result.province
    click.echo(
        f"evaluated {len(result.by_course)} courses and {len(result.by_provider)} providers "
        f"as of {result.as_of.isoformat()} ({province.enrolled} enrolments)"
    )
    for label, rate in (
        ("completion", province.completion),
        ("certificate", province.certificate),
        ("employment 6m", province.employment_6m),
    ):
        shown = "-" if rate.rate is None else f"{rate.rate:.1%}"
        click.echo(f"  province {label}: {shown} ({rate.numerator}/{rate.count})")


@training.command("trained")
@click.option("--year", type=int, default=None, help="Calendar year; default this year.")
def trained(year: int | None):
    """People trained in a year against the province's target."""
    totals = services.trained_in_year(year or date.today().year)
    click.echo(
        f"{totals['year']}: {totals['trained']} trained of {totals['target']} "
        f"({totals['share']:.1%}); {totals['enrolled']} enrolled"
    )


commands = [training]
