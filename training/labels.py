"""Display names of training codes in the request's language."""

from flask_babel import lazy_gettext as _l

from core.labels import namer

LEVEL_NAMES = {
    "beginner": _l("Beginner"),
    "intermediate": _l("Intermediate"),
    "advanced": _l("Advanced"),
}
MODE_NAMES = {"online": _l("Online"), "in_person": _l("In person")}
ACCESSIBILITY_NAMES = {
    "sign_language": _l("Sign-language interpretation"),
    "screen_reader": _l("Screen-reader materials"),
    "braille": _l("Braille materials"),
    "step_free": _l("Step-free venue"),
    "easy_read": _l("Easy-read materials"),
}
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
