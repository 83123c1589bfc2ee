"""What the plan's employment services offer other packages; nothing else in `employment` is
imported from outside.

- the hard-to-employ status (就业困难), offered through `core.offers.hard_to_employ` to matching's
  priority factor (matching does not import employment: employment reads matching's hires);
- a person's skills-competition awards, offered through `core.offers.skill_awards` to the candidate
  lists employers see (the award, never the name);
- public-welfare posts (公益性岗位) and their priority groups, offered through
  `core.offers.welfare_posts` / `welfare_priority` to matching, which ranks them like any other post.
"""

from core import offers
from employment import welfare
from employment.competitions import badges
from employment.services import is_hard_to_employ

offers.offer_hard_to_employ(is_hard_to_employ)
offers.offer_skill_awards(badges)
offers.offer_welfare_posts(lambda: welfare.open_posts(None), welfare.priority_groups)
