"""What followup offers other packages; nothing else in `followup` is imported from outside.

- `employment_changed(person_id, reason)`: a hire (jobmatch's referral outcome, employment's
  recognition) or its correction switches the person's plan between job search and retention
  check-ins inside the caller's transaction (registered with `core.offers` for edits of the person
  record, reason `status_edited`).
"""

from core import offers
from followup.lifecycle import PHASE_REASONS, employment_changed

# A status edited on the person record (core) switches the plan at once, too.
offers.listen_employment_changed(employment_changed)

__all__ = ["PHASE_REASONS", "employment_changed"]
