"""Display names of the registry's codes, in the request's language."""

from flask_babel import lazy_gettext as _l

from core import divisions, identity


def N_(msgid: str) -> str:  # noqa: N802  (babel's marker: extracted here, translated where shown)
    return msgid


ROLE_NAMES = {
    "admin": _l("Federation administrator"),
    "counselor": _l("Job counselor"),
    "employer": _l("Employer"),
    "graduate": _l("Graduate"),
}
EDUCATION_NAMES = {
    "none": _l("No schooling"),
    "primary": _l("Primary school"),
    "junior": _l("Junior secondary"),
    "senior": _l("Senior secondary"),
    "vocational": _l("Secondary vocational"),
    "associate": _l("Associate degree"),
    "bachelor": _l("Bachelor's degree"),
    "master": _l("Master's degree"),
    "doctor": _l("Doctorate"),
}
EMPLOYMENT_NAMES = {
    "full_time": _l("Employed full-time"),
    "flexible": _l("Flexible employment"),
    "home_based": _l("Home-based employment"),
    "self_employed": _l("Self-employed"),
    "unemployed": _l("Not employed"),
    "unknown": _l("Unknown (not verified)"),
}
UNIT_TYPE_NAMES = {
    "enterprise": _l("Enterprise"),
    "state_owned_enterprise": _l("State-owned enterprise"),
    "government": _l("Government body"),
    "public_institution_1": _l("Public institution, class 1"),
    "public_institution_2": _l("Public institution, class 2"),
    "social_organisation": _l("Social organisation"),
    "welfare_enterprise": _l("Welfare enterprise"),
    "sheltered_workshop": _l("Sheltered workshop"),
}
# The disability certificate's categories and levels (codes in core.identity).
CATEGORY_NAMES = {
    1: _l("Visual disability"),
    2: _l("Hearing disability"),
    3: _l("Speech disability"),
    4: _l("Physical disability"),
    5: _l("Intellectual disability"),
    6: _l("Mental disability"),
    7: _l("Multiple disabilities"),
}
LEVEL_NAMES = {1: _l("level 1"), 2: _l("level 2"), 3: _l("level 3"), 4: _l("level 4")}
assert set(CATEGORY_NAMES) == identity.CATEGORIES and set(LEVEL_NAMES) == identity.LEVELS

# Accessibility provisions that mean the same on a course (training) and at a workplace
# (matching's accommodations): one name each, used by both packages. Plain msgids, so that each
# package wraps them its own way (training lazily, matching through its memoised gettext).
# Sign language and screen readers are not here: a course offers interpretation in class and
# materials a screen reader can read, a workplace sign-language support and the screen-reader
# software itself; the packages name those themselves.
SHARED_ACCESS_NAMES = {
    "step_free": N_("Step-free access"),
    "braille": N_("Braille materials"),
    "easy_read": N_("Easy-read materials"),
}


def namer(table: dict):
    """A function giving a code's display name from `table` (the code itself when not listed)."""
    return lambda code: str(table.get(code, code or ""))


role_name = namer(ROLE_NAMES)
education_name = namer(EDUCATION_NAMES)
employment_name = lambda code: namer(EMPLOYMENT_NAMES)(code or "unknown")  # noqa: E731
unit_type_name = namer(UNIT_TYPE_NAMES)
category_name = namer(CATEGORY_NAMES)
level_name = namer(LEVEL_NAMES)


def category_options() -> list[tuple[str, str]]:
    """The categories as (value, name) pairs for a select."""
    return [(str(c), category_name(c)) for c in sorted(CATEGORY_NAMES)]


def option_pairs(codes, namer) -> list[tuple[str, str]]:
    return [(code, namer(code)) for code in codes]


def county_options(counties) -> list[tuple[str, str]]:
    return [(c.code, divisions.full_name(c.code)) for c in counties]
