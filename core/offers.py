"""What one domain package offers to another's pages, without either importing the other.

A package registers a provider at import time (its `interface` module, loaded by the app at start);
another asks core for what is offered. Today:
- `employer_post_links(employer_id)`: links to the matched candidates of an employer's open posts,
  offered by matching and shown on the employer's quota page (its what-if);
- `hard_to_employ(person)`: whether the plan's services find a person hard to employ (就业困难),
  offered by employment and used by matching's priority factor (employment itself reads matching's
  recorded hires, so the arrow must point this way);
- `skill_awards(person)`: the person's skills-competition awards as short texts in the user's language
  (award, competition, trade; never the name), offered by employment and shown by matching as a badge
  on the candidates an employer sees;
- `employment_changed(person_id, reason)`: told to the listeners (followup's plans) when the person
  record's employment status is edited, inside the caller's transaction;
- `welfare_posts()` and `welfare_priority(county)`: employment's public-welfare posts and who comes
  first for them, offered by employment to matching (which ranks them like any other post).
"""

from collections.abc import Callable

_EMPLOYER_POST_LINKS: list[Callable[[int], list[dict]]] = []


def offer_employer_post_links(provider: Callable[[int], list[dict]]) -> None:
    """Register a provider of `[{"title", "url"}]` for an employer id."""
    _EMPLOYER_POST_LINKS.append(provider)


def employer_post_links(employer_id: int) -> list[dict]:
    """Every registered provider's links for the employer, in registration order."""
    return [link for provider in _EMPLOYER_POST_LINKS for link in provider(employer_id)]


_HARD_TO_EMPLOY: list[Callable] = []


def offer_hard_to_employ(provider: Callable) -> None:
    """Register the provider of the hard-to-employ status (one: the employment package)."""
    _HARD_TO_EMPLOY.append(provider)


def hard_to_employ(person) -> bool:
    """Whether a registered provider finds the person hard to employ."""
    return any(provider(person) for provider in _HARD_TO_EMPLOY)


_SKILL_AWARDS: list[Callable] = []


def offer_skill_awards(provider: Callable) -> None:
    """Register a provider of a person's competition awards as texts (one: the employment package)."""
    _SKILL_AWARDS.append(provider)


def skill_awards(person) -> list[str]:
    """Every registered provider's award texts for the person, in registration order."""
    return [text for provider in _SKILL_AWARDS for text in provider(person)]


_EMPLOYMENT_LISTENERS: list[Callable[[int, str], object]] = []


def listen_employment_changed(listener: Callable[[int, str], object]) -> None:
    """Register a listener told when a person's employment status changes on the person record."""
    _EMPLOYMENT_LISTENERS.append(listener)


def employment_changed(person_id: int, reason: str) -> None:
    """Tell every listener, in registration order (they write in the caller's transaction)."""
    for listener in _EMPLOYMENT_LISTENERS:
        listener(person_id, reason)


_WELFARE: list[tuple[Callable[[], list[dict]], Callable[[str], dict]]] = []


def offer_welfare_posts(posts: Callable[[], list[dict]], priority: Callable[[str], dict]) -> None:
    """Register the provider of public-welfare posts (公益性岗位) and of their priority groups.

    ``posts()``: the posts in their term with seats left, each a dict with id, title, host,
    county_code, seats_left, ends_on, and the page that shows it (endpoint, args);
    ``priority(county)``: {person id: priority group (0 first)} of the county's candidates.
    One provider: the employment package (which reads matching's hires, so matching asks core).
    """
    _WELFARE.append((posts, priority))


def welfare_posts() -> list[dict]:
    """Every registered provider's open public-welfare posts."""
    return [post for posts, _priority in _WELFARE for post in posts()]


def welfare_priority(county: str) -> dict:
    """The county's candidates for public-welfare posts and their priority groups."""
    out: dict = {}
    for _posts, priority in _WELFARE:
        out.update(priority(county))
    return out
