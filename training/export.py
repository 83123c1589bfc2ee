"""The public notice as a file: flat rows for CSV (UTF-8 with BOM) and Excel (openpyxl)."""

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


def _figure_cells(figs: dict[str, Figure]) -> list:
    cells = []
    for metric in ("completion", "certificate", "employment"):
        f = figs[metric]
        cells += [f.percent, f"{f.numerator}/{f.count}", f.interval]
    return cells


COURSE_ONLY_COLUMNS = 8  # mode, level, skills, accessibility, start, end, seats, cost


def export_rows(data: dict, lang: str = "zh") -> list[list]:
    """The notice as flat rows (a header first) for CSV and Excel."""
    rows: list[list] = [list(EXPORT_COLUMNS)]
    for provider, figs in data["providers"]:
        rows.append(
            [
                "provider",
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
                "course",
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
            ["province", *[""] * (COURSE_ONLY_COLUMNS + 4), *_figure_cells(data["province"])]
        )
    return rows


def export_csv(rows: list[list]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens the Chinese text correctly."""
    return csv_text(rows).encode("utf-8")


def export_xlsx(rows: list[list], title: str) -> bytes:
    return xlsx_bytes([(title, rows)])
