"""What other packages may ask of the plan's employment services; nothing else in `employment` is
imported from outside.

- `is_hard_to_employ(person)`: whether the registry's records make a person hard to employ (就业困难),
  used by matching's priority factor.
"""

from employment.services import is_hard_to_employ

__all__ = ["is_hard_to_employ"]
