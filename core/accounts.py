"""Getting in: a password reset by one-time code, a graduate's invitation, an employer's
self-registration and the federation's decision on it. Use cases; each commits once.

Secrets (reset codes, invitation tokens) are stored only as a keyed hash (HMAC-SHA256 with the app's
secret key), expire (`PASSWORD_RESET_CODE_MINUTES`, `INVITATION_DAYS`), and are spent by a
conditional update, so each works once. They reach their owner through the outbox
(`core.models.Message`, addressed to the account or the person), whose body is blanked of the
secret once it has been used.

A reset request answers the same whether or not the account exists or has an address on the chosen
channel (the caller shows one message; `core.account_views` also pads the response time).
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from core import audit
from core.auth import end_all_sessions, hash_password
from core.database import ServiceError, decide_once
from core.extensions import db
from core.models import AccessCode, Employer, EmployerRegistration, Message, Person, User, utcnow

PASSWORD_MIN_LENGTH = 8  # the one minimum for every password the service sets
RESET_CODE_DIGITS = 8
CHANNELS = ("email", "sms")
REDACTED = "••••••••"


def _hash(purpose: str, secret: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{purpose}:{secret}".encode(), hashlib.sha256).hexdigest()


def check_password_length(password: str, field: str = "password") -> None:
    if len(password or "") < PASSWORD_MIN_LENGTH:
        raise ServiceError(
            {field: [_("Use at least %(count)s characters.", count=PASSWORD_MIN_LENGTH)]}
        )


def _redact(code_id: int, secret: str) -> None:
    """Blank the secret out of the messages that carried it, now that it is spent."""
    prefix = f"access:{code_id}:"
    for message in db.session.scalars(
        select(Message).where(Message.idempotency_key.like(f"{prefix}%"))
    ):
        message.body = message.body.replace(secret, REDACTED)


def redact_expired() -> int:
    """Blank the messages of codes that expired unused: a secret that no longer works is not kept.

    Run by the scheduler (`core.expire_codes`); a used code's messages are blanked when it is spent.
    """
    expired = set(
        db.session.scalars(
            select(AccessCode.id).where(
                AccessCode.expires_at < utcnow(), AccessCode.used_at.is_(None)
            )
        )
    )
    unredacted = select(Message).where(
        Message.idempotency_key.like("access:%"), Message.body.not_like(f"%{REDACTED}%")
    )
    count = 0
    for message in db.session.scalars(unredacted):
        if int(message.idempotency_key.split(":")[1]) in expired:
            message.body = REDACTED
            count += 1
    db.session.commit()
    return count


def _message(code: AccessCode, kind: str, recipient: str, subject: str, body: str, **to) -> None:
    db.session.add(
        Message(
            idempotency_key=f"access:{code.id}:{code.channel}",
            channel=code.channel,
            kind=kind,
            recipient=recipient,
            subject=subject,
            body=body,
            **to,
        )
    )


# --- password reset ------------------------------------------------------------------------------


def reset_address(user: User, channel: str) -> str | None:
    """Where an account's reset code goes: its e-mail (or its employer's or person's), or the
    mobile number of its person or employer."""
    if channel == "email":
        return (
            user.email
            or (user.employer.contact_email if user.employer else None)
            or (user.person.email if user.person else None)
        )
    if user.person is not None and user.person.phone:
        return user.person.phone
    return user.employer.contact_phone if user.employer else None


def _active_user(username: str) -> User | None:
    name = (username or "").strip()
    return db.session.scalar(select(User).where(User.username == name, User.active.is_(True)))


def request_reset(username: str, channel: str) -> bool:
    """Send a reset code if the account exists, is active and has an address on `channel`.

    The caller answers the same either way; the return value (whether a code was made) is for
    tests and the log only."""
    secret = f"{secrets.randbelow(10**RESET_CODE_DIGITS):0{RESET_CODE_DIGITS}d}"
    code_hash = _hash("reset", secret)  # computed in every case: the same work either way
    user = _active_user(username)
    address = reset_address(user, channel) if user is not None else None
    if user is None or not address:
        db.session.rollback()
        return False
    minutes = current_app.config["PASSWORD_RESET_CODE_MINUTES"]
    code = AccessCode(
        purpose="reset",
        code_hash=code_hash,
        user_id=user.id,
        channel=channel,
        expires_at=utcnow() + timedelta(minutes=minutes),
    )
    db.session.add(code)
    db.session.flush()
    _message(
        code,
        "reset_code",
        address,
        _("Your password reset code"),
        _(
            "Your code to reset the password of %(username)s is %(code)s. It is valid for "
            "%(minutes)s minutes and works once. If you did not ask for it, ignore this message: "
            "your password stays as it is.",
            username=user.username,
            code=secret,
            minutes=minutes,
        ),
        user_id=user.id,
    )
    audit.record(
        "reset_requested",
        user,
        None,
        {"channel": channel, "code_id": code.id, "expires_at": code.expires_at.isoformat()},
        actor=user,
    )
    db.session.commit()
    return True


def _wrong_code_text() -> str:
    return _("The code is not right, has expired or was already used.")


def _wrong_code():
    return ServiceError({"code": [_wrong_code_text()]})


def reset_password(username: str, secret: str, password: str) -> User:
    """Set a new password with a valid reset code; every session and token of the account ends."""
    check_password_length(password)
    code_hash = _hash("reset", (secret or "").strip())
    user = _active_user(username)
    if user is None:
        raise _wrong_code()
    now = utcnow()
    live = list(
        db.session.scalars(
            select(AccessCode).where(
                AccessCode.purpose == "reset",
                AccessCode.user_id == user.id,
                AccessCode.used_at.is_(None),
                AccessCode.expires_at > now,
                AccessCode.attempts < current_app.config["PASSWORD_RESET_MAX_ATTEMPTS"],
            )
        )
    )
    match = next((c for c in live if hmac.compare_digest(c.code_hash, code_hash)), None)
    if match is None:
        for code in live:  # a wrong guess counts against every live code of the account
            code.attempts += 1
        db.session.commit()
        raise _wrong_code()
    decide_once(db.session, match, {"used_at": None}, {"used_at": now}, "code", _wrong_code_text())
    for code in live:
        if code.id != match.id:
            code.used_at = now  # one reset spends every code sent for it
    _redact(match.id, (secret or "").strip())
    user.password_hash = hash_password(password)
    end_all_sessions(user)
    audit.record("password_reset", user, None, {"code_id": match.id}, actor=user)
    db.session.commit()
    return user


# --- invitations ---------------------------------------------------------------------------------


def invitation_address(person: Person, channel: str) -> str | None:
    return person.email if channel == "email" else person.phone


def has_account(person_id: int) -> bool:
    return db.session.scalar(select(User.id).where(User.person_id == person_id)) is not None


def invite(person: Person, channel: str, user) -> AccessCode:
    """A counselor (of the person's county) or an admin invites a registered person to make their
    account: a link with a one-time token, sent by e-mail or SMS."""
    if user.role == "counselor" and person.county_code != user.county_code:
        raise ServiceError({"person": [_("You can invite people of your own county only.")]}, 403)
    if user.role not in ("admin", "counselor"):
        raise ServiceError({"person": [_("Only counselors and admins can invite.")]}, 403)
    if has_account(person.id):
        raise ServiceError({"person": [_("This person already has an account.")]}, 409)
    address = invitation_address(person, channel)
    if not address:
        message = (
            _("The person has no e-mail address on record.")
            if channel == "email"
            else _("The person has no mobile number on record.")
        )
        raise ServiceError({"channel": [message]})
    token = secrets.token_urlsafe(24)
    days = current_app.config["INVITATION_DAYS"]
    code = AccessCode(
        purpose="invitation",
        code_hash=_hash("invitation", token),
        person_id=person.id,
        channel=channel,
        expires_at=utcnow() + timedelta(days=days),
        created_by=user.id,
    )
    db.session.add(code)
    db.session.flush()
    link = _external_url("accounts.activate", token=token)
    _message(
        code,
        "invitation",
        address,
        _("Your account with the employment service"),
        _(
            "%(name)s, your counselor invites you to make your account with the employment "
            "service for persons with disabilities. Open %(link)s within %(days)s days and choose "
            "a username and a password.",
            name=person.name,
            link=link,
            days=days,
        ),
        person_id=person.id,
    )
    audit.record(
        "invite",
        person,
        None,
        {"channel": channel, "code_id": code.id, "expires_at": code.expires_at.isoformat()},
    )
    db.session.commit()
    return code


def _external_url(endpoint: str, **values) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def invitation(token: str) -> AccessCode | None:
    """The live invitation this token opens, or None (unknown, expired or used)."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        select(AccessCode).where(
            AccessCode.purpose == "invitation",
            AccessCode.code_hash == _hash("invitation", token),
            AccessCode.used_at.is_(None),
            AccessCode.expires_at > utcnow(),
        )
    )


def _gone_text() -> str:
    return _("This invitation link is not valid: it has expired or was already used.")


def _gone():
    return ServiceError({"token": [_gone_text()]}, 410)


def activate(token: str, username: str, password: str) -> User:
    """Make the invited person's graduate account with the username and password they chose."""
    code = invitation(token)
    if code is None:
        raise _gone()
    username = (username or "").strip()
    if db.session.scalar(select(User.id).where(User.username == username)):
        raise ServiceError({"username": [_("This username is taken.")]}, 409)
    check_password_length(password)
    if has_account(code.person_id):
        raise ServiceError({"token": [_("This person already has an account.")]}, 409)
    now = utcnow()
    decide_once(db.session, code, {"used_at": None}, {"used_at": now}, "token", _gone_text())
    db.session.execute(
        update(AccessCode)
        .where(
            AccessCode.purpose == "invitation",
            AccessCode.person_id == code.person_id,
            AccessCode.used_at.is_(None),
        )
        .values(used_at=now)
    )
    _redact(code.id, token)
    person = code.person
    user = User(
        username=username,
        password_hash=hash_password(password),
        role="graduate",
        person_id=person.id,
        county_code=person.county_code,
        display_name=person.name,
        email=person.email,
    )
    db.session.add(user)
    db.session.flush()
    audit.record("create", user, None, audit.snapshot(user), actor=user)
    audit.record("activate", code, None, {"user_id": user.id}, actor=user)
    db.session.commit()
    return user


# --- employers' self-registration ----------------------------------------------------------------


def register_employer(data: dict) -> EmployerRegistration:
    """An employer applies for an account: the account waits, inactive, for the federation."""
    username = data["username"].strip()
    if db.session.scalar(select(User.id).where(User.username == username)):
        raise ServiceError({"username": [_("This username is taken.")]}, 409)
    check_password_length(data["password"])
    waiting = select(EmployerRegistration.id).where(
        EmployerRegistration.credit_code == data["credit_code"],
        EmployerRegistration.status == "pending",
    )
    if db.session.scalar(waiting):
        raise ServiceError(
            {
                "credit_code": [
                    _("A registration with this credit code is already waiting for a decision.")
                ]
            },
            409,
        )
    user = User(
        username=username,
        password_hash=hash_password(data["password"]),
        role="employer",
        display_name=data["contact_name"],
        email=data["contact_email"],
        active=False,
    )
    db.session.add(user)
    db.session.flush()
    fields = ("credit_code", "name", "unit_type", "county_code", "contact_name")
    registration = EmployerRegistration(
        user_id=user.id,
        contact_phone=data.get("contact_phone"),
        contact_email=data["contact_email"],
        **{key: data[key] for key in fields},
    )
    db.session.add(registration)
    db.session.flush()
    audit.record("create", user, None, audit.snapshot(user), actor=user)
    audit.record("create", registration, None, audit.snapshot(registration), actor=user)
    db.session.commit()
    return registration


def registrations(status: str | None = "pending", limit: int = 200) -> list[EmployerRegistration]:
    stmt = select(EmployerRegistration)
    if status:
        stmt = stmt.where(EmployerRegistration.status == status)
    order = EmployerRegistration.id if status == "pending" else EmployerRegistration.id.desc()
    return list(db.session.scalars(stmt.order_by(order).limit(limit)))


def pending_count() -> int:
    """Registrations waiting for the federation (the admin's home task)."""
    return db.session.scalar(select(func.count()).where(EmployerRegistration.status == "pending"))


def decide_registration(registration: EmployerRegistration, data: dict, admin) -> None:
    """Approve (the account becomes active, linked to the employer with this credit code, made if
    new) or refuse (with a reason); the applicant is told by e-mail. A second decision is a 409."""
    outcome, reason = data["outcome"], (data.get("reason") or "").strip()
    if outcome == "refuse" and not reason:
        raise ServiceError({"reason": [_("Say why the registration is refused.")]})
    before = audit.snapshot(registration)
    status = "approved" if outcome == "approve" else "refused"
    decide_once(
        db.session,
        registration,
        {"status": "pending"},
        {
            "status": status,
            "reason": reason or None,
            "decided_by": admin.id,
            "decided_at": utcnow(),
        },
        "status",
        _("This registration was already decided."),
    )
    user = registration.user
    if status == "approved":
        employer = db.session.scalar(
            select(Employer).where(Employer.credit_code == registration.credit_code)
        )
        if employer is None:
            employer = Employer(
                credit_code=registration.credit_code,
                name=registration.name,
                unit_type=registration.unit_type,
                county_code=registration.county_code,
                contact_name=registration.contact_name,
                contact_phone=registration.contact_phone,
                contact_email=registration.contact_email,
            )
            db.session.add(employer)
            db.session.flush()
            audit.record("create", employer, None, audit.snapshot(employer), actor=admin)
        registration.employer_id = employer.id
        user_before = audit.snapshot(user)
        user.employer_id, user.active = employer.id, True
        audit.record_change(user, user_before)
        subject = _("Your employer account is approved")
        body = _(
            "The federation approved the registration of %(name)s. Log in as %(username)s.",
            name=registration.name,
            username=user.username,
        )
    else:
        subject = _("Your employer registration was refused")
        body = _(
            "The federation refused the registration of %(name)s: %(reason)s",
            name=registration.name,
            reason=reason,
        )
    audit.record_change(registration, before, action=outcome)
    db.session.add(
        Message(
            idempotency_key=f"registration:{registration.id}:{status}",
            user_id=user.id,
            channel="email",
            kind="registration",
            recipient=registration.contact_email,
            subject=subject,
            body=body,
        )
    )
    db.session.commit()


# --- request quotas (web and API alike) ----------------------------------------------------------


def check_reset_quota(username: str) -> None:
    """Reset codes asked for one account name (whether it exists or not, so the refusal tells
    nothing): past RATELIMIT_RESET_ACCOUNT, 429 until the window ends."""
    from limits import parse as parse_limit
    from werkzeug.exceptions import TooManyRequests

    from core.extensions import limiter

    limit = parse_limit(current_app.config["RATELIMIT_RESET_ACCOUNT"])
    key = (username or "").strip().lower()[:80]
    if not limiter.limiter.hit(limit, "reset-account", key):
        raise TooManyRequests()


def pad_response(started: float) -> None:
    """Let a reset request take at least PASSWORD_RESET_MIN_SECONDS, so its timing is the same
    whether a code was made (two inserts and a commit) or not."""
    import time

    rest = current_app.config["PASSWORD_RESET_MIN_SECONDS"] - (time.monotonic() - started)
    if rest > 0:
        time.sleep(rest)
