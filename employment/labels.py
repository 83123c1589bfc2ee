"""Display names of the employment package's codes, in the request's language."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.labels import namer
from employment import competition_rules

# Skills competitions (codes in competition_rules.py).
COMPETITION_LEVEL_NAMES = {
    "national": _l("National level"),
    "provincial": _l("Provincial level"),
    "city": _l("City level"),
}
AWARD_NAMES = {
    "first": _l("First prize"),
    "second": _l("Second prize"),
    "third": _l("Third prize"),
    "excellence": _l("Honourable mention"),
}
assert tuple(COMPETITION_LEVEL_NAMES) == competition_rules.LEVELS
assert tuple(AWARD_NAMES) == competition_rules.AWARDS

competition_level_name = namer(COMPETITION_LEVEL_NAMES)
award_name = namer(AWARD_NAMES)


def names(table: dict) -> dict[str, str]:
    """Every code of `table` with its name in the request's language (for a page's choices)."""
    return {code: str(name) for code, name in table.items()}


def badge(year: int, level: str, name: str, trade: str, award: str) -> str:
    """An award as an employer sees it on an anonymised candidate: award, competition and trade,
    never the person."""
    return _(
        "%(award)s, %(name)s (%(year)s, %(level)s), %(trade)s",
        award=award_name(award),
        name=name,
        year=year,
        level=competition_level_name(level),
        trade=trade,
    )
