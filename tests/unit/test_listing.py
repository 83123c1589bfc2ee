"""core.listing: the list state read from the URL, checked, sorted and paged (pure parts)."""

from datetime import date

import pytest
from flask import Flask
from flask_babel import Babel

from core import listing

SPEC = listing.ListSpec(
    "things",
    {"name": lambda r: r["name"], "size": lambda r: r["size"]},
    "name",
    (
        listing.Filter("q", "Text", max_length=5),
        listing.Filter("colour", "Colour", "choice", lambda: [("red", "Red"), ("blue", "Blue")]),
        listing.Filter("n", "Number", "int"),
        listing.Filter("since", "Since", "date"),
    ),
    tiebreak=lambda r: r["id"],
)
ROWS = [{"id": i, "name": f"n{i:03d}", "size": (i * 7) % 10 or None} for i in range(1, 168)]


@pytest.fixture(autouse=True)
def _babel():
    app = Flask(__name__)
    Babel(app)
    with app.test_request_context():
        yield


def test_defaults_and_query_round_trip():
    state = SPEC.parse({})
    assert (state.sort, state.page, state.per_page, state.filters) == ("name", 1, 50, {})
    assert state.query() == {}
    state = SPEC.parse(
        {
            "q": " ab ",
            "colour": "red",
            "n": "3",
            "since": "2026-12-06",
            "sort": "-size",
            "page": "2",
        }
    )
    assert state.filters == {"q": "ab", "colour": "red", "n": 3, "since": date(2026, 12, 6)}
    assert SPEC.parse(state.query()) == state
    assert "page" not in state.query(sort="name")  # a new sort starts on the first page
    assert state.export_query() == {
        "q": "ab",
        "colour": "red",
        "n": "3",
        "since": "2026-12-06",
        "sort": "-size",
    }


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"q": "toolong"}, "q"),
        ({"colour": "green"}, "colour"),
        ({"n": "0"}, "n"),
        ({"n": "x"}, "n"),
        ({"since": "06/12/2026"}, "since"),
        ({"sort": "weight"}, "sort"),
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
        ({"per_page": "201"}, "per_page"),
    ],
)
def test_bad_values_are_refused_by_name(args, field):
    with pytest.raises(listing.ListError) as refused:
        SPEC.parse(args)
    assert refused.value.status == 400 and list(refused.value.errors) == [field]
    assert refused.value.errors[field][0]


def test_pages_of_rows():
    page = listing.rows_page(ROWS, SPEC.parse({}))
    assert (page.first, page.last, page.total, page.pages) == (1, 50, 167, 4)
    last = listing.rows_page(ROWS, SPEC.parse({"page": "4"}))
    assert (last.first, last.last, len(last.items), last.has_next) == (151, 167, 17, False)
    with pytest.raises(listing.ListError) as refused:
        listing.rows_page(ROWS, SPEC.parse({"page": "5"}))
    assert "page" in refused.value.errors
    assert listing.rows_page([], SPEC.parse({})).first == 0  # an empty list has page 1


def test_sort_keeps_empty_values_last_and_ties_stable():
    ascending = listing.sorted_rows(ROWS, SPEC.parse({"sort": "size"}))
    descending = listing.sorted_rows(ROWS, SPEC.parse({"sort": "-size"}))
    sizes = [r["size"] for r in ascending if r["size"] is not None]
    assert (
        sizes == sorted(sizes) and ascending[-1]["size"] is None and descending[-1]["size"] is None
    )
    assert [r["size"] for r in descending][0] == 9
    ties = [r["id"] for r in ascending if r["size"] == 1]
    assert ties == sorted(ties)


def test_sort_links_and_aria_sort():
    state = SPEC.parse({"sort": "size"})
    assert state.aria_sort("size") == "ascending" and state.aria_sort("name") is None
    assert state.sort_query("size") == {"sort": "-size"}
    assert state.sort_query("name") == {}  # the default sort needs no argument
    assert SPEC.parse({"sort": "-size"}).aria_sort("size") == "descending"
