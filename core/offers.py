"""What one domain package offers to another's pages, without either importing the other.

A package registers a provider at import time; a page asks core for what is offered. Today:
`employer_post_links(employer_id)`: links to the matched candidates of an employer's open posts,
offered by matching and shown on the employer's quota page (its what-if).
"""

from collections.abc import Callable

_EMPLOYER_POST_LINKS: list[Callable[[int], list[dict]]] = []


def offer_employer_post_links(provider: Callable[[int], list[dict]]) -> None:
    """Register a provider of `[{"title", "url"}]` for an employer id."""
    _EMPLOYER_POST_LINKS.append(provider)


def employer_post_links(employer_id: int) -> list[dict]:
    """Every registered provider's links for the employer, in registration order."""
    return [link for provider in _EMPLOYER_POST_LINKS for link in provider(employer_id)]
