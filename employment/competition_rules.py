"""Vocational skills competitions (职业技能竞赛) for persons with disabilities: levels, awards, the
badge an employer sees, and the year's figures.

Source: the province's 14th five-year plan for persons with disabilities (浙江省“十四五”残疾人事业发展
规划, employment section) asks for skills competitions of persons with disabilities and for their winners
to be made known to employers; issue #18 item 7. Neither the plan nor DESIGN.md defines a winner or the
figures, so these are the project's choices, stated on the dashboard:
- levels: national (全国, e.g. the national skills competition of persons with disabilities), provincial
  (省级) and city (市级) competitions;
- a winner (获奖者) is an entrant with an award recorded: first, second or third prize (一、二、三等奖)
  or an honourable mention (优秀奖); a rank alone is not an award;
- the year's entrants and winners are persons counted once, over the competitions held in that year.
The badge (employment/labels.py) names the award, the competition and the trade, never the person
(employers see candidates anonymised until a referral is agreed).
"""

from collections.abc import Iterable
from dataclasses import dataclass

# The codes; their names (and the badge's wording) are in employment/labels.py, through gettext.
LEVELS = ("national", "provincial", "city")
AWARDS = ("first", "second", "third", "excellence")


@dataclass(frozen=True)
class EntryRecord:
    """One entry of a person in a trade of a competition held in `year`."""

    person_id: str
    county_code: str
    year: int
    award: str | None


def is_winner(award: str | None) -> bool:
    """An entrant with an award recorded (any of AWARDS)."""
    return award in AWARDS


def year_figures(entries: Iterable[EntryRecord], year: int) -> tuple[int, int]:
    """(entrants, winners) of the competitions held in `year`, each person counted once."""
    held = [e for e in entries if e.year == year]
    return len({e.person_id for e in held}), len({e.person_id for e in held if is_winner(e.award)})
