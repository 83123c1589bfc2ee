"""Flask commands of the follow-up package: create plans, write due follow-ups, deliver, report."""

import click
from flask.cli import AppGroup

from core import outbox
from followup import services

followup = AppGroup("followup", help="Follow-up plans and the outbox.")


@followup.command("create-plans")
def create_plans():
    """Give every graduate who wishes to work a plan with their county's counselor."""
    click.echo(f"created {services.create_missing_plans(limit=100000)} plans")


@followup.command("make-due")
def make_due():
    """Write today's due follow-ups into the outbox (what the 09:00 job does)."""
    click.echo(f"wrote {services.make_due_follow_ups()} messages")


@followup.command("deliver")
def deliver():
    """Deliver due messages once, from this process (the scheduler normally does it)."""
    click.echo(dict(outbox.deliver_due("cli")))


@followup.command("duplicates")
def duplicates():
    """List messages that may have been sent twice (a process died between sending and recording)."""
    rows = outbox.duplicate_risks()
    for row in rows:
        click.echo(f"{row.id} {row.idempotency_key} {row.status}")
    click.echo(f"{len(rows)} possible duplicates")


commands = [followup]
