"""Display names of the registry's codes, in the request's language."""

from flask_babel import lazy_gettext as _l

from core import divisions

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


def namer(table: dict):
    """A function giving a code's display name from `table` (the code itself when not listed)."""
    return lambda code: str(table.get(code, code or ""))


role_name = namer(ROLE_NAMES)
education_name = namer(EDUCATION_NAMES)
employment_name = lambda code: namer(EMPLOYMENT_NAMES)(code or "unknown")  # noqa: E731
unit_type_name = namer(UNIT_TYPE_NAMES)


def option_pairs(codes, namer) -> list[tuple[str, str]]:
    return [(code, namer(code)) for code in codes]


def county_options(counties) -> list[tuple[str, str]]:
    return [(c.code, divisions.full_name(c.code)) for c in counties]
