"""Long lists with tools (core.listing): filter, sort and paging from the URL, exports of the
filtered rows, 400 with a named message for a bad value, and the page cache of the public lists."""

import csv
import io
import re
from datetime import date

import pytest

from core import pagecache
from core.extensions import db
from quota.schemas import FilingIn
from quota.services import filings as filing_services
from quota.services.year_settings import set_year_parameters
from tests import factories
from tests.integration.quota_helpers import YEAR, claimable, employer_account, filing_data
from tests.integration.test_training_support import make_course, make_provider


def _rows(html: str) -> int:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return len(re.findall(r"<tr[ >]", body))


def test_people_list_filters_sorts_and_pages(client, auth, admin):
    for i in range(55):
        factories.make_person(
            name=f"人员{i:02d}",
            employment_type="unemployed" if i % 5 else "full_time",
            category=1 if i < 3 else 4,
        )
    auth.login(admin)
    first = client.get("/people").get_data(as_text=True)
    assert _rows(first) == 50 and re.search(r"第 1–50 条，共 5[5-9] 条|Rows 1–50 of 5", first)
    assert 'aria-sort="ascending"' in first and 'for="filter-employment"' in first
    second = client.get("/people?page=2").get_data(as_text=True)
    assert _rows(second) >= 5
    hired = client.get("/people?employment=full_time").get_data(as_text=True)
    assert _rows(hired) == 11 and "人员05" in hired and "人员01" not in hired
    blind = client.get("/people?category=1&sort=-name").get_data(as_text=True)
    assert _rows(blind) == 3 and blind.index("人员02") < blind.index("人员00")
    assert 'aria-sort="descending"' in blind
    seekers = client.get("/jobmatch/seekers?category=1").get_data(as_text=True)
    assert _rows(seekers) == 3


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/people?sort=salary", "salary"),
        ("/people?employment=retired", "retired"),
        ("/people?page=9", "9"),
        ("/people?per_page=5000", "5000"),
        ("/employers?unit_type=castle", "castle"),
        ("/jobmatch/seekers?category=9", "9"),
        ("/jobmatch/referrals?since=yesterday", "2026-12-06"),
        ("/quota/publication?list=secret", "secret"),
        ("/training/notice?sort=price", "price"),
    ],
)
def test_a_bad_list_value_is_a_clear_400(client, auth, admin, url, field):
    auth.login(admin)
    response = client.get(url)
    assert response.status_code == 400
    assert field in response.get_data(as_text=True)


def test_employers_list_filters_by_unit_type_and_sorts(client, auth, admin):
    factories.make_employer(name="甲机关", unit_type="government")
    factories.make_employer(name="乙公司")
    factories.make_employer(name="丙公司", county="330206")
    auth.login(admin)
    page = client.get("/employers?unit_type=enterprise&sort=-name").get_data(as_text=True)
    assert "甲机关" not in page and page.index("乙公司") < page.index("丙公司")
    ningbo = client.get("/employers?city=330200").get_data(as_text=True)
    assert "丙公司" in ningbo and "乙公司" not in ningbo


def test_referral_pipeline_has_employer_and_date_columns(client, auth, admin):
    auth.login(admin)
    page = client.get("/jobmatch/referrals?since=2026-01-01&employer=公司").get_data(as_text=True)
    assert 'for="filter-since"' in page and 'for="filter-employer"' in page
    assert "filter-status" in page


@pytest.fixture
def published(runner, open_filing_window, all_units_wage):
    """Five employers meeting the quota (two in Ningbo), reviewed after the payment deadline."""
    names = []
    for i in range(5):
        county = "330206" if i < 2 else "330106"
        employer, _user = employer_account(name=f"达标{i}公司", county=county)
        filing_services.save_filing(
            employer,
            FilingIn().load({**filing_data([claimable(county=county, level=1)]), "submit": True}),
        )
        names.append(employer.name)
    set_year_parameters(YEAR, {"payment_deadline": date(2023, 12, 31)})
    assert runner.invoke(args=["quota", "review", "--year", str(YEAR)]).exit_code == 0
    return names


def test_publication_list_pages_sorts_and_exports_the_filtered_rows(client, published):
    base = f"/quota/publication?year={YEAR}"
    page = client.get(f"{base}&per_page=2&sort=-name").get_data(as_text=True)
    assert _rows(page) == 2 and "达标4公司" in page and "达标0公司" not in page
    last = client.get(f"{base}&per_page=2&sort=-name&page=3").get_data(as_text=True)
    assert _rows(last) == 1 and "达标0公司" in last
    ningbo = client.get(f"{base}&city=330200").get_data(as_text=True)
    assert _rows(ningbo) == 2 and "达标2公司" not in ningbo
    exported = client.get(
        f"/quota/publication/{YEAR}.csv?list=met_quota&city=330200&sort=-name"
    ).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(exported.lstrip("\ufeff"))))
    assert [r[1] for r in rows[2:] if r] == ["达标1公司", "达标0公司"]


def test_publication_is_cached_per_data_version(client, published, app):
    pagecache.store().clear()
    stats = app.extensions.setdefault("pagecache_stats", {"hits": 0, "misses": 0})
    before = dict(stats)
    client.get(f"/quota/publication?year={YEAR}")
    client.get(f"/quota/publication?year={YEAR}&sort=-name")
    assert stats["misses"] == before["misses"] + 1 and stats["hits"] == before["hits"] + 1
    employer, _user = employer_account(name="新达标公司")
    filing_services.save_filing(
        employer, FilingIn().load({**filing_data([claimable(level=1)]), "submit": True})
    )
    from quota.services import review

    review.run_review(YEAR)
    page = client.get(f"/quota/publication?year={YEAR}").get_data(as_text=True)
    assert "新达标公司" in page  # the data changed: no stale page


def test_training_notice_pages_filters_caches_and_exports(client, app):
    provider = make_provider(name="杭州测试学校")
    for i in range(55):
        make_course(provider, title=f"课程{i:02d}")
    pagecache.store().clear()
    stats = app.extensions.setdefault("pagecache_stats", {"hits": 0, "misses": 0})
    misses = stats["misses"]
    first = client.get("/training/notice").get_data(as_text=True)
    assert _rows(first) == 20  # the notice's heavy rows come 20 at a time
    second = client.get("/training/notice?page=3&sort=title").get_data(as_text=True)
    assert _rows(second) == 15 and stats["misses"] == misses + 1  # the second from the cache
    make_course(provider, title="新开课程")
    fresh = client.get("/training/notice?q=新开").get_data(as_text=True)
    assert "新开课程" in fresh and _rows(fresh) == 1 and stats["misses"] == misses + 2
    exported = client.get("/training/notice.csv?list=courses&q=课程1&sort=-title").get_data(
        as_text=True
    )
    titles = [r[3] for r in csv.reader(io.StringIO(exported.lstrip("\ufeff")))][1:]
    assert titles == [f"课程1{i}" for i in range(9, -1, -1)]
    db.session.rollback()


def test_filings_list_filters_by_status_and_year(client, auth, admin, published):
    auth.login(admin)
    page = client.get(f"/quota/filings?year={YEAR}&status=assessed&sort=employer").get_data(
        as_text=True
    )
    assert _rows(page) == 5 and page.index("达标0公司") < page.index("达标4公司")
    assert _rows(client.get("/quota/filings?status=draft").get_data(as_text=True)) == 0
    refused = client.get("/quota/filings?year=twenty")
    assert refused.status_code == 400


def test_credit_flags_list_and_its_export_carry_the_same_rows(client, auth, admin):
    from quota.models import CreditFlag

    for i in range(6):
        employer = factories.make_employer(name=f"标记{i}公司")
        db.session.add(
            CreditFlag(
                employer_id=employer.id,
                data_year=2023 if i < 4 else 2022,
                grade="serious" if i % 2 else "general",
                code="unpaid_levy",
                reason_zh="未缴",
                reason_en="Unpaid",
            )
        )
    db.session.commit()
    auth.login(admin)
    query = "year=2023&grade=serious&sort=-employer"
    page = client.get(f"/quota/admin/flags?{query}").get_data(as_text=True)
    assert _rows(page) == 2 and page.index("标记3公司") < page.index("标记1公司")
    exported = client.get(f"/quota/admin/flags.csv?{query}").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(exported.lstrip("\ufeff"))))
    assert [r[1] for r in rows[1:]] == ["标记3公司", "标记1公司"]
    everything = client.get("/quota/admin/flags.csv").get_data(as_text=True)
    assert everything.count("公司") == 6  # without arguments the platform export has every flag
    assert client.get("/quota/admin/flags?grade=mild").status_code == 400


def test_the_page_cache_keeps_a_bounded_number_of_entries(app):
    store = pagecache.MemoryStore(size=2)
    for key in ("a", "b", "c"):
        store.set(key, key, 60)
    assert store.get("a") is None and store.get("c") == "c"
    store.get("b")  # recently used: kept when the next entry arrives
    store.set("d", "d", 60)
    assert store.get("b") == "b" and store.get("c") is None


def test_the_page_cache_in_redis_is_shared_and_survives_a_new_store(app):
    """With PAGE_CACHE_REDIS_URL the entries live in Redis (one for every worker)."""
    url = "redis://127.0.0.1:6379/15"
    try:
        store = pagecache.RedisStore(url)
        store.client.ping()
    except Exception:  # noqa: BLE001
        pytest.skip("no Redis at 127.0.0.1:6379")
    store.clear()
    saved = app.extensions.pop("pagecache", None)
    app.config["PAGE_CACHE_REDIS_URL"] = url
    try:
        calls = []
        compute = lambda: calls.append(1) or {"rows": [1, 2]}  # noqa: E731
        assert pagecache.cached("t", "v1", {"a": 1}, compute) == {"rows": [1, 2]}
        app.extensions.pop("pagecache")  # another worker: a new store on the same Redis
        assert pagecache.cached("t", "v1", {"a": 1}, compute) == {"rows": [1, 2]}
        assert len(calls) == 1 and isinstance(pagecache.store(), pagecache.RedisStore)
        pagecache.cached("t", "v2", {"a": 1}, compute)  # a new data version: computed again
        assert len(calls) == 2
        assert store.client.ttl(next(store.client.scan_iter("pagecache:t:v1:*"))) > 0
    finally:
        store.clear()
        app.config["PAGE_CACHE_REDIS_URL"] = ""
        app.extensions.pop("pagecache", None)
        if saved is not None:
            app.extensions["pagecache"] = saved


def test_an_unreachable_redis_only_costs_the_cache(app):
    saved = app.extensions.get("pagecache")
    app.extensions["pagecache"] = pagecache.RedisStore("redis://127.0.0.1:1/0")
    try:
        assert pagecache.cached("t", "v", {}, lambda: [3]) == [3]
    finally:
        app.extensions.pop("pagecache")
        if saved is not None:
            app.extensions["pagecache"] = saved


def test_zero_employment_households_are_paged(client, auth, counselor):
    for i in range(52):
        factories.make_person(household_id=f"HH-{i:03d}", birth=date(1990, 5, 1))
    auth.login(counselor)
    first = client.get("/employment/households").get_data(as_text=True)
    assert first.count('<section aria-labelledby="hh-') == 50 and "HH-000" in first
    second = client.get("/employment/households?page=2").get_data(as_text=True)
    assert "HH-051" in second and "HH-000" not in second
    assert client.get("/employment/households?page=3").status_code == 400
