"""The enrolment state machine: which action moves an enrolment from which status to which.

Pure domain code: no Flask, no database. Refusals name the action and the current status.
"""

from __future__ import annotations

from dataclasses import dataclass

# action -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "accept": (frozenset({"applied"}), "accepted"),
    "attend": (frozenset({"accepted"}), "attending"),
    "complete": (frozenset({"attending"}), "completed"),
    "certify": (frozenset({"completed"}), "certified"),
    "drop": (frozenset({"applied", "accepted", "attending"}), "dropped"),
}
ACTIONS = tuple(TRANSITIONS)
FINAL = frozenset({"certified", "dropped"})
# Statuses that hold a seat on the course.
HOLDS_SEAT = frozenset({"applied", "accepted", "attending", "completed", "certified"})


@dataclass(frozen=True)
class TransitionRefused(ValueError):
    """An action that the enrolment's current status does not allow."""

    action: str
    status: str

    def __str__(self) -> str:
        return f"cannot {self.action} an enrolment that is {self.status}"


def next_status(status: str, action: str) -> str:
    """The status `action` leads to from `status`, or TransitionRefused."""
    if action not in TRANSITIONS:
        raise TransitionRefused(action, status)
    sources, target = TRANSITIONS[action]
    if status not in sources:
        raise TransitionRefused(action, status)
    return target


def allowed_actions(status: str) -> tuple[str, ...]:
    """The actions open from `status`, in workflow order."""
    return tuple(a for a, (sources, _target) in TRANSITIONS.items() if status in sources)


def releases_seat(old: str, new: str) -> bool:
    """Whether this change gives the course seat back (dropping out)."""
    return old in HOLDS_SEAT and new not in HOLDS_SEAT
