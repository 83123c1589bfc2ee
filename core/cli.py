"""Flask commands of the shared kernel: demo data and accounts."""

import importlib.util

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from core import scheduler, services
from core.codes import ROLES
from core.database import ServiceError
from core.extensions import db
from core.models import Person, User

users = AppGroup("users", help="Manage login accounts.")
audit_group = AppGroup("audit", help="The audit trail.")


def _module_seeders():
    from core import DOMAIN_PACKAGES

    for package in DOMAIN_PACKAGES:
        if importlib.util.find_spec(package) and importlib.util.find_spec(f"{package}.demo"):
            yield importlib.import_module(f"{package}.demo")


def seed_demo_data() -> dict:
    """Seed the kernel's records, then each domain package's; safe to run again."""
    from core.demo import seed_core

    counts = seed_core()
    for module in _module_seeders():
        counts.update(module.seed_demo() or {})
    return counts


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has people.")
def seed_demo(if_empty: bool):
    """Load realistic demo data for the whole province and print the demo accounts."""
    from core.demo import DEMO_PASSWORD

    if if_empty and db.session.scalar(select(func.count(Person.id))):
        click.echo("Database already has data; demo seed skipped.")
        return
    counts = seed_demo_data()
    accounts = counts.pop("accounts")
    for key, value in counts.items():
        click.echo(f"added {key}: {value}")
    click.echo(f"Demo accounts (password {DEMO_PASSWORD}):")
    for account in accounts:
        click.echo(
            f"  {account['username']:<20} {account['role']:<10} {account.get('display_name', '')}"
        )


@users.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--county", "county_code", help="County code, for a counselor.")
@click.option("--employer-id", type=int, help="Employer id, for an employer account.")
@click.option("--person-id", type=int, help="Person id, for a graduate account.")
def create_user(username, role, password, county_code, employer_id, person_id):
    """Create a login account."""
    links = {"county_code": county_code, "employer_id": employer_id, "person_id": person_id}
    try:
        user = services.create_user(
            username, password, role, **{k: v for k, v in links.items() if v}
        )
    except ServiceError as error:
        raise click.ClickException(str(error.errors)) from None
    click.echo(f"created {user.username} ({user.role})")


@users.command("disable")
@click.argument("username")
def disable_user(username):
    """Disable an account and end its sessions."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"no such user: {username}")
    services.set_user_active(user, False)
    click.echo(f"disabled {username}")


@audit_group.command("verify")
def verify_audit():
    """Check the audit trail's hash chain: OK, or the first broken entry (exit code 1)."""
    from core.audit import verify_chain

    verdict = verify_chain()
    if verdict.ok:
        click.echo(f"OK: {verdict.checked} audit entries, chain intact.")
        return
    click.echo(
        f"BROKEN at audit entry {verdict.broken_id}: {verdict.reason} "
        f"({verdict.checked} entries before it are intact).",
        err=True,
    )
    raise SystemExit(1)


def init_app(app) -> None:
    app.cli.add_command(audit_group)
    app.cli.add_command(seed_demo)
    app.cli.add_command(users)
    app.cli.add_command(scheduler.scheduler_command)
