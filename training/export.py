"""The public notice as a file: flat rows for CSV (UTF-8 with BOM) and Excel (openpyxl)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core import divisions
from core.spreadsheet import csv_text, xlsx_bytes
from training.labels import accessibility_name, level_name, mode_name
from training.notice import Figure, skill_names

EXPORT_COLUMNS = (
    "type",
    "provider",
    "credit_code",
    "course",
    "county",
    "mode",
    "level",
    "skills",
    "accessibility",
    "starts_on",
    "ends_on",
    "seats",
    "cost",
    "completion_rate",
    "completion_n",
    "completion_interval",
    "certificate_rate",
    "certificate_n",
    "certificate_interval",
    "employment_6m_rate",
    "employment_6m_n",
    "employment_6m_interval",
)


# The header a reader sees, by column code (the codes stay the columns' identity in code and tests).
COLUMN_TITLES = {
    "type": _l("Kind"),
    "provider": _l("Provider"),
    "credit_code": _l("Unified social credit code"),
    "course": _l("Course"),
    "county": _l("County"),
    "mode": _l("Mode"),
    "level": _l("Level"),
    "skills": _l("Skills"),
    "accessibility": _l("Accessibility"),
    "starts_on": _l("Starts on"),
    "ends_on": _l("Ends on"),
    "seats": _l("Seats"),
    "cost": _l("Cost (yuan)"),
    "completion_rate": _l("Completion rate"),
    "completion_n": _l("Completion rate, n/N"),
    "completion_interval": _l("Completion rate, Wilson interval"),
    "certificate_rate": _l("Certificate rate"),
    "certificate_n": _l("Certificate rate, n/N"),
    "certificate_interval": _l("Certificate rate, Wilson interval"),
    "employment_6m_rate": _l("Employed 6 months after"),
    "employment_6m_n": _l("Employed 6 months after, n/N"),
    "employment_6m_interval": _l("Employed 6 months after, Wilson interval"),
}


def _figure_cells(figs: dict[str, Figure]) -> list:
    cells = []
    for metric in ("completion", "certificate", "employment"):
        f = figs[metric]
        cells += [f.percent, f"{f.numerator}/{f.count}", f.interval]
    return cells


COURSE_ONLY_COLUMNS = 8  # mode, level, skills, accessibility, start, end, seats, cost


def export_rows(data: dict, lang: str = "zh") -> list[list]:
    """The notice as flat rows (a header first) for CSV and Excel, titled in the user's language."""
    rows: list[list] = [[str(COLUMN_TITLES[c]) for c in EXPORT_COLUMNS]]
    for provider, figs in data["providers"]:
        rows.append(
            [
                _("Provider"),
                provider.name,
                provider.credit_code,
                "",
                divisions.full_name(provider.county_code),
                *[""] * COURSE_ONLY_COLUMNS,
                *_figure_cells(figs),
            ]
        )
    for course, figs in data["courses"]:
        access = "、".join(accessibility_name(a) for a in course.accessibility)
        rows.append(
            [
                _("Course"),
                course.provider.name,
                course.provider.credit_code,
                course.title,
                divisions.full_name(course.county_code),
                mode_name(course.mode),
                level_name(course.level),
                skill_names(course.skills, lang),
                access,
                course.starts_on.isoformat(),
                course.ends_on.isoformat(),
                course.seats,
                "0.00" if course.free_for_disabled else f"{course.cost:.2f}",
                *_figure_cells(figs),
            ]
        )
    if data["province"]:
        rows.append(
            [
                _("Province average"),
                *[""] * (COURSE_ONLY_COLUMNS + 4),
                *_figure_cells(data["province"]),
            ]
        )
    return rows


def export_csv(rows: list[list]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens the Chinese text correctly."""
    return csv_text(rows).encode("utf-8")


def export_xlsx(rows: list[list], title: str) -> bytes:
    return xlsx_bytes([(title, rows)])
