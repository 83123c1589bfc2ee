"""The registry's code lists, defined once (pure: no Flask, no database).

Their display names are in `core/labels.py` (gettext, so every page and export translates them the
same way); the database, schemas, forms and engines take the codes from here.
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
