"""Use cases of public-welfare posts (公益性岗位): posts with their term and seats, the ranked candidates,
allocation (seats checked under a row lock; passing over a higher-priority candidate needs a reason),
and the end of a term. The rules are in welfare_rules.py.

For job matching (another package): `open_posts(county)` lists the posts with seats left, and
`candidate_ids(county)` the persons they are meant for, best first.
"""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from core import audit
from core.access import scope_filter
from core.database import ServiceError
from core.extensions import db
from core.models import Person
from employment import access as _access  # noqa: F401  (registers the access rules)
from employment import services, welfare_rules
from employment.models import HouseholdRural, PersonRural, WelfareAssignment, WelfarePost


def _refuse(field: str, message: str, status: int = 422):
    raise ServiceError({field: [message]}, status)


def create_post(user, data: dict) -> WelfarePost:
    """A post of the user's county (an administrator: any county)."""
    if user.role == "counselor" and data["county_code"] != user.county_code:
        _refuse("county_code", _("You can create posts of your own county only."), 403)
    if data["ends_on"] < data["starts_on"]:
        _refuse("ends_on", _("The term cannot end before it starts."))
    post = WelfarePost(recorded_by_id=user.id, **data)
    db.session.add(post)
    audit.record("create", post, None, audit.snapshot(post), actor=user)
    db.session.commit()
    return post


def posts_query(user):
    """The posts the user may see (a counselor: their county), unordered."""
    return select(WelfarePost).where(scope_filter(WelfarePost, user))


def occupied_column():
    """The seats taken of each post, as a column of a query of posts (sortable)."""
    return (
        select(func.count(WelfareAssignment.id))
        .where(WelfareAssignment.post_id == WelfarePost.id, WelfareAssignment.status == "active")
        .correlate(WelfarePost)
        .scalar_subquery()
    )


def posts(user) -> list[WelfarePost]:
    stmt = posts_query(user)
    return list(db.session.scalars(stmt.order_by(WelfarePost.ends_on.desc(), WelfarePost.id)))


def occupied(post_id: int) -> int:
    return db.session.scalar(
        select(func.count(WelfareAssignment.id)).where(
            WelfareAssignment.post_id == post_id, WelfareAssignment.status == "active"
        )
    )


def _holders() -> set[int]:
    stmt = select(WelfareAssignment.person_id).where(WelfareAssignment.status == "active")
    return set(db.session.scalars(stmt))


def candidates(county: str) -> list[tuple[int, Person, welfare_rules.Candidate]]:
    """The county's persons hard to employ without a post, best priority first."""
    people = {p.id: p for p in services.hard_to_employ(county) if p.id not in _holders()}
    zero = {
        member.id
        for household in services.zero_employment_households(county)
        for member in household.members
    }
    rural = dict(
        db.session.execute(
            select(PersonRural.person_id, PersonRural.rural).where(
                PersonRural.person_id.in_(list(people))
            )
        ).all()
    )
    households = _household_registrations({p.household_id for p in people.values()})

    def is_rural(pid: int) -> bool | None:  # the person's own record, else the household's
        own = rural.get(pid)
        return own if own is not None else households.get(people[pid].household_id)

    facts = [welfare_rules.Candidate(pid, is_rural(pid), pid in zero) for pid in people]
    return [(group, people[c.person_id], c) for group, c in welfare_rules.ranked(facts)]


def _household_registrations(household_ids: set) -> dict[str, bool]:
    """Household id -> rural, for the recorded households among `household_ids`."""
    ids = [h for h in household_ids if h]
    stmt = select(HouseholdRural.household_id, HouseholdRural.rural).where(
        HouseholdRural.household_id.in_(ids)
    )
    return dict(db.session.execute(stmt).all())


def priority_groups(county: str) -> dict[int, int]:
    """For job matching: {person id: priority group} of the county's candidates (0 comes first)."""
    return {person.id: group for group, person, _ in candidates(county)}


def candidate_ids(county: str) -> list[int]:
    """For job matching: the persons public-welfare posts of the county are meant for, best first."""
    return [person.id for _, person, _ in candidates(county)]


def open_posts(county: str | None, on: date | None = None) -> list[dict]:
    """For job matching: the county's (None: every county's) posts in their term with seats left."""
    on = on or date.today()
    stmt = select(WelfarePost).where(WelfarePost.ends_on >= on)
    if county:
        stmt = stmt.where(WelfarePost.county_code == county)
    found = []
    for post in db.session.scalars(stmt.order_by(WelfarePost.id)):
        left = welfare_rules.seats_left(post.seats, occupied(post.id))
        if left:
            found.append(
                {"id": post.id, "title": post.title, "host": post.host,
                 "county_code": post.county_code, "seats_left": left, "ends_on": post.ends_on,
                 "endpoint": "employment.welfare_post_detail",
                 "args": {"welfare_post_id": post.id}}
            )  # fmt: skip
    return found


def assign(user, post: WelfarePost, data: dict) -> WelfareAssignment:
    """Give a seat of the post to a candidate for a term within the post's term."""
    locked = db.session.get(WelfarePost, post.id, with_for_update=True, populate_existing=True)
    ranked = candidates(locked.county_code)
    chosen = next((c for _, p, c in ranked if p.id == data["person_id"]), None)
    if chosen is None:
        _refuse(
            "person_id",
            _(
                "Only a person of the county who is hard to employ and holds no post can be given a seat."
            ),
        )
    if data["ends_on"] < data["starts_on"]:
        _refuse("ends_on", _("The term cannot end before it starts."))
    if data["starts_on"] < locked.starts_on or data["ends_on"] > locked.ends_on:
        _refuse("ends_on", _("The term must lie within the post's term."))
    if not welfare_rules.seats_left(locked.seats, occupied(locked.id)):
        _refuse("post_id", _("The post has no seats left."), 409)
    reason = (data.get("reason") or "").strip()
    if welfare_rules.needs_reason(chosen, [c for _, _, c in ranked]) and not reason:
        _refuse(
            "reason",
            _(
                "A candidate with priority (rural, or a zero-employment household) is waiting: say why this person is chosen."
            ),
        )
    assignment = WelfareAssignment(
        post_id=locked.id,
        person_id=chosen.person_id,
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        priority_group=welfare_rules.priority_group(chosen),
        reason=reason or None,
        recorded_by_id=user.id,
    )
    db.session.add(assignment)
    audit.record("create", assignment, None, audit.snapshot(assignment), actor=user)
    _hire(db.session.get(Person, chosen.person_id), data["starts_on"])
    db.session.commit()
    return assignment


def _hire(person: Person, on: date) -> None:
    """The allocation is a recorded hire: the person is employed from the start of the term."""
    before = audit.snapshot(person)
    person.employment_type, person.employed_since = "full_time", on
    audit.record_change(person, before, action="welfare_post")


def end(user, assignment: WelfareAssignment, ended_on: date) -> WelfareAssignment:
    """End an occupant's term: a conditional update on the active state (409 if already ended)."""
    if ended_on < assignment.starts_on:
        _refuse("ended_on", _("The end cannot be before the start."))
    before = audit.snapshot(assignment)
    done = db.session.execute(
        update(WelfareAssignment)
        .where(WelfareAssignment.id == assignment.id, WelfareAssignment.status == "active")
        .values(status="ended", ended_on=ended_on)
    )
    if done.rowcount != 1:
        db.session.rollback()
        _refuse("status", _("This term has already ended."), 409)
    db.session.refresh(assignment)
    audit.record("end", assignment, before, audit.snapshot(assignment), actor=user)
    person = assignment.person
    if person.employment_type == "full_time" and person.employed_since == assignment.starts_on:
        person_before = audit.snapshot(person)
        person.employment_type, person.employed_since = "unemployed", None
        audit.record_change(person, person_before, action="welfare_post_end")
    db.session.commit()
    return assignment


def set_rural(user, person: Person, rural: bool) -> PersonRural:
    """Record whether the person's household registration is rural (audited)."""
    user_id = user.id  # read before a new row is added (a refresh would flush it half-filled)
    row = db.session.get(PersonRural, person.id)
    before = audit.snapshot(row) if row else None
    if row is None:
        row = PersonRural(person_id=person.id)
        db.session.add(row)
    row.rural, row.recorded_by_id = rural, user_id
    db.session.flush()
    audit.record_saved(row, before, actor=user)
    db.session.commit()
    return row
