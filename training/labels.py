"""Display names of training codes in the request's language."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.i18n import lang
from core.labels import SHARED_ACCESS_NAMES, namer
from training.gap import ACCESSIBILITY_CODES

LEVEL_NAMES = {
    "beginner": _l("Beginner"),
    "intermediate": _l("Intermediate"),
    "advanced": _l("Advanced"),
}
MODE_NAMES = {"online": _l("Online"), "in_person": _l("In person")}
# Step-free access, braille and easy-read materials mean the same at a workplace: core's names.
ACCESSIBILITY_NAMES = {
    "sign_language": _l("Sign-language interpretation"),
    "screen_reader": _l("Screen-reader materials"),
    **{code: _l(msgid) for code, msgid in SHARED_ACCESS_NAMES.items()},
}
assert set(ACCESSIBILITY_NAMES) == ACCESSIBILITY_CODES
STATUS_NAMES = {
    "applied": _l("Applied"),
    "accepted": _l("Accepted"),
    "attending": _l("Attending"),
    "completed": _l("Completed"),
    "certified": _l("Certificate obtained"),
    "dropped": _l("Dropped out"),
}
ACTION_NAMES = {
    "accept": _l("Accept"),
    "attend": _l("Mark as attending"),
    "complete": _l("Mark as completed"),
    "certify": _l("Record the certificate"),
    "drop": _l("Drop out"),
}
COMPARISON_NAMES = {
    "above": _l("above the province average"),
    "below": _l("below the province average"),
    "similar": _l("similar to the province average"),
    "unknown": _l("not enough data yet"),
}


level_name = namer(LEVEL_NAMES)
mode_name = namer(MODE_NAMES)
accessibility_name = namer(ACCESSIBILITY_NAMES)
status_name = namer(STATUS_NAMES)
action_name = namer(ACTION_NAMES)
comparison_name = namer(COMPARISON_NAMES)


# --- the reasons of training.gap (codes and parameters) in words --------------------------------


def _list(names: list[str]) -> str:
    if lang() == "zh":
        return "、".join(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _mid(name: str) -> str:
    """A name inside an English sentence starts in lower case ("does not offer braille ...")."""
    return name[:1].lower() + name[1:] if lang() == "en" else name


def reason_text(reason, skill_name=str) -> str:
    """Why a course is suggested or left out (training.gap.Reason), in the request's language;
    `skill_name` names a skill id."""
    p = reason.params
    code = reason.code
    if code == "closes_gap":
        return _(
            "teaches %(skills)s, needed by %(helped)s of your %(considered)s best posts",
            skills=_list([skill_name(s) for s in p["skills"]]),
            helped=p["helped"],
            considered=p["considered"],
        )
    if code == "accessibility":
        names = [_mid(accessibility_name(c)) for c in p["missing"]]
        return _("does not offer %(names)s", names=("、" if lang() == "zh" else ", ").join(names))
    if code == "out_of_reach":
        if p.get("same_city"):
            return _("in-person course outside your city")
        return _("in-person course outside your county")
    if code == "ended":
        return _("course has ended")
    if code == "started":
        return _("in-person course has already started")
    if code == "full":
        return _("no seats left")
    if code == "no_gap":
        return _("teaches none of the skills you lack")
    return code
