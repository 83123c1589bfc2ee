"""Flask commands of the employment services: snapshots and reminders."""

from datetime import date

import click
from flask.cli import AppGroup

from employment import disregard, services

employment = AppGroup("employment", help="The plan's employment services.")


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD") from None


@employment.command("snapshot")
@click.option("--on", "on", help="The day to record (default today), YYYY-MM-DD.")
def snapshot(on):
    """Record today's counts per area, such as the number of zero-employment households."""
    rows = services.take_snapshot(_day(on))
    click.echo(f"recorded {rows} area snapshots")


@employment.command("reminders")
@click.option("--on", "on", help="The day to check (default today), YYYY-MM-DD.")
def reminders(on):
    """Mark the income disregard reminders that are due and queue their messages."""
    count = disregard.notify_due(_day(on))
    click.echo(f"{count} reminders due")


commands = [employment]
