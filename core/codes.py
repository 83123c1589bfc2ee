"""The registry's code lists, defined once (pure: no Flask, no database).

Their display names are in `core/labels.py` (gettext, so every page and export translates them the
same way); the database, schemas, forms, rules and engines take the codes from here.
"""

ROLES = ("admin", "counselor", "employer", "graduate")
EDUCATION_LEVELS = (
    "none",
    "primary",
    "junior",
    "senior",
    "vocational",
    "associate",
    "bachelor",
    "master",
    "doctor",
)
EMPLOYMENT_TYPES = ("full_time", "flexible", "home_based", "self_employed", "unemployed")
# The honest answer "not known / not verified" (不详/未核实) a form may give for the employment status
# or the wish to work; it is stored as NULL and the indicators count it apart (never as a status).
UNKNOWN = "unknown"


def in_work(employment_type: str | None) -> bool:
    """Known to be in work: an unknown status (NULL) is not employment."""
    return employment_type not in (None, "unemployed")


# Employer unit types (用人单位类型). State-owned enterprises are their own type because the plan asks
# them to lead in employing persons with disabilities (DESIGN 3.2 item 10); welfare enterprises
# (福利企业) and state-owned enterprises are enterprises for every rule that names enterprises.
UNIT_TYPES = (
    "enterprise",
    "state_owned_enterprise",
    "government",
    "public_institution_1",
    "public_institution_2",
    "social_organisation",
    "welfare_enterprise",
    "sheltered_workshop",
)
ENTERPRISE_UNIT_TYPES = frozenset({"enterprise", "state_owned_enterprise", "welfare_enterprise"})
