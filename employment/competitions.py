"""Use cases of skills competitions (职业技能竞赛): competitions, entrants, results, and the awards shown
on a person's page and, through `core.offers`, as badges on the candidates employers see. The rules are
in competition_rules.py.
"""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core import audit
from core.access import scope_filter
from core.database import ServiceError
from core.extensions import db
from core.models import Person
from employment import access as _access  # noqa: F401  (registers the access rules)
from employment import labels
from employment.models import Competition, CompetitionEntry


def create(user, data: dict) -> Competition:
    """Record a competition with its trades (each named once)."""
    trades = list(dict.fromkeys(t.strip() for t in data["trades"] if t.strip()))
    if not trades:
        raise ServiceError({"trades": [_("Name at least one trade.")]})
    competition = Competition(recorded_by_id=user.id, **{**data, "trades": trades})
    db.session.add(competition)
    db.session.flush()
    audit.record("create", competition, None, audit.snapshot(competition), actor=user)
    db.session.commit()
    return competition


def listing_query():
    """Every competition (competitions are public events), unordered."""
    return select(Competition)


def listing() -> list[Competition]:
    """Every competition, the latest first (competitions are public events)."""
    stmt = select(Competition).order_by(Competition.held_on.desc(), Competition.id.desc())
    return list(db.session.scalars(stmt))


def entries(user, competition: Competition) -> list[CompetitionEntry]:
    """The competition's entries of persons the user may see (a counselor: their county)."""
    stmt = (
        select(CompetitionEntry)
        .join(Person, Person.id == CompetitionEntry.person_id)
        .where(CompetitionEntry.competition_id == competition.id, scope_filter(Person, user))
        .order_by(CompetitionEntry.trade, CompetitionEntry.rank.is_(None), CompetitionEntry.rank)
    )
    return list(db.session.scalars(stmt))


def enter(user, competition: Competition, person: Person, trade: str) -> CompetitionEntry:
    """Enter a person in one of the competition's trades (once per trade)."""
    trade = trade.strip()
    if trade not in competition.trades:
        raise ServiceError({"trade": [_("Choose one of the competition's trades.")]})
    entry = CompetitionEntry(
        competition_id=competition.id, person_id=person.id, trade=trade, recorded_by_id=user.id
    )
    db.session.add(entry)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError(
            {"person_id": [_("This person is already entered in this trade.")]}, 409
        ) from None
    audit.record("create", entry, None, audit.snapshot(entry), actor=user)
    db.session.commit()
    return entry


def record_result(user, entry: CompetitionEntry, data: dict) -> CompetitionEntry:
    """Record or correct an entrant's rank and award, once the competition has been held."""
    if entry.competition.held_on > date.today():
        raise ServiceError({"award": [_("Results can be recorded once the competition is held.")]})
    before = audit.snapshot(entry)
    entry.rank, entry.award, entry.result_by_id = data.get("rank"), data.get("award"), user.id
    db.session.flush()
    audit.record_change(entry, before, action="competition_result")
    db.session.commit()
    return entry


def awards(person_id: int) -> list[CompetitionEntry]:
    """A person's awarded entries, the latest first."""
    stmt = (
        select(CompetitionEntry)
        .join(Competition, Competition.id == CompetitionEntry.competition_id)
        .where(CompetitionEntry.person_id == person_id, CompetitionEntry.award.is_not(None))
        .order_by(Competition.held_on.desc(), CompetitionEntry.id)
    )
    return list(db.session.scalars(stmt))


def badge_of(entry: CompetitionEntry) -> str:
    """An awarded entry as a short text in the user's language: award, competition and trade."""
    competition = entry.competition
    return labels.badge(
        competition.held_on.year, competition.level, competition.name, entry.trade, entry.award
    )


def badges(person) -> list[str]:
    """The person's awards as an employer sees them on a candidate: no name, only the awards."""
    return [badge_of(e) for e in awards(person.id)]
