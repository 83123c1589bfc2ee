"""User journeys for `make load` (locust, headless), resembling the province's use of the service.

The mix (locust weights) and the journeys, each step followed by a think time:
- counselor (3): log in; home, job-seekers, a seeker's matches, follow-up plans and overdue actions;
- employer in the filing window (2): log in; filing page (their employer page, then the filing form),
  save the form as it stands, the receipt of their last submitted version;
- graduate (2): log in; home, recommendations, messages (their plan and its messages);
- anonymous visitor (5): home, public levy calculator, public lists (publication), training notice.
`Bare` (run on its own) asks a minimal Flask page with the same think times: the baseline.

Think times are drawn between THINK_MIN and THINK_MAX seconds (2 to 8, a person reading a page)
times LOAD_THINK_SCALE (bench/load.py's --think-scale; below 1 packs more requests into fewer
simulated users, so this machine can drive the server without locust becoming the bottleneck).
Each simulated user sends its own X-Forwarded-For address (the app runs with BEHIND_PROXY=1), so
the per-address login limit applies per user as in production.
"""

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "Demo2026!")
SCALE = float(os.environ.get("LOAD_THINK_SCALE", "1"))
THINK_MIN, THINK_MAX = 2.0, 8.0
ACCOUNTS = json.loads(os.environ.get("LOAD_ACCOUNTS", "{}"))
FILING_YEAR = int(os.environ.get("LOAD_FILING_YEAR", "2026"))
_addresses = itertools.count(1)
_turns = itertools.count()
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_FIELD = re.compile(r"<input\b[^>]*>")
_ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')


def _think():
    return between(THINK_MIN * SCALE, THINK_MAX * SCALE)


def _account(role: str, fallback: str) -> str:
    names = ACCOUNTS.get(role) or [fallback]
    return names[next(_turns) % len(names)]


def _links(html: str, prefix: str) -> list[str]:
    return sorted(set(re.findall(rf'href="({re.escape(prefix)}[^"#?]*)"', html)))


def _form_fields(html: str) -> dict:
    """The text, number, hidden and ticked checkbox inputs of a page's form, as typed."""
    fields = {}
    for tag in _FIELD.findall(html):
        attrs = dict(_ATTR.findall(tag))
        name, kind = attrs.get("name"), attrs.get("type", "text")
        if not name or kind in ("submit", "button", "file"):
            continue
        if kind in ("checkbox", "radio") and "checked" not in tag:
            continue
        fields[name] = attrs.get("value", "on" if kind == "checkbox" else "")
    return fields


class Visitor(HttpUser):
    """Anonymous: home, the public calculator, the public lists, the training notice."""

    abstract = True  # concrete below, so that the address is set for every class
    wait_time = _think()

    def on_start(self):
        n = next(_addresses)
        self.client.headers["X-Forwarded-For"] = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"

    def login(self, username: str) -> bool:
        page = self.client.get("/login", name="GET /login")
        token = _CSRF.search(page.text)
        data = {"username": username, "password": PASSWORD, "csrf_token": token and token.group(1)}
        with self.client.post(
            "/login", data=data, name="POST /login", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"login of {username} answered {response.status_code}")
                return False
        return True


class Anonymous(Visitor):
    abstract = False
    weight = 5

    @task(3)
    def home(self):
        self.client.get("/", name="anonymous: home")

    @task(2)
    def calculator(self):
        self.client.get("/quota/calculator", name="anonymous: calculator")

    @task(2)
    def publication(self):
        self.client.get("/quota/publication", name="anonymous: public lists")

    @task(2)
    def training_notice(self):
        self.client.get("/training/notice", name="anonymous: training notice")


class Counselor(Visitor):
    abstract = False
    weight = 3

    def on_start(self):
        super().on_start()
        self.login(_account("counselor", "counselor"))
        self.seekers: list[str] = []

    @task(1)
    def home(self):
        self.client.get("/", name="counselor: home")

    @task(3)
    def seekers_list(self):
        response = self.client.get("/jobmatch/seekers", name="counselor: seekers")
        self.seekers = _links(response.text, "/jobmatch/seekers/") or self.seekers

    @task(3)
    def matches(self):
        if self.seekers:
            self.client.get(random.choice(self.seekers), name="counselor: seeker's matches")

    @task(2)
    def follow_ups(self):
        self.client.get("/followup/plans", name="counselor: follow-up plans")

    @task(1)
    def overdue(self):
        self.client.get("/followup/overdue", name="counselor: overdue follow-ups")


class Employer(Visitor):
    abstract = False
    weight = 2

    def on_start(self):
        super().on_start()
        self.login(_account("employer", "employer1"))
        page = self.client.get("/quota/mine", name="employer: filing page")
        self.form = f"/quota/filings/form/{FILING_YEAR}"  # the year in its filing window
        filings = _links(page.text, "/quota/filings/")
        self.filings = [f for f in filings if f.rstrip("/").split("/")[-1].isdigit()]

    @task(2)
    def filing_page(self):
        self.client.get("/quota/mine", name="employer: filing page")

    @task(2)
    def save(self):
        page = self.client.get(self.form, name="employer: filing form")
        fields = _form_fields(page.text)
        for month in range(1, 13):  # a first draft types its figures; later saves keep them
            fields[f"m{month}"] = fields.get(f"m{month}") or str(random.randint(20, 400))
        fields["wage_total"] = fields.get("wage_total") or str(random.randint(1, 90) * 100_000)
        fields["action"] = "save"
        with self.client.post(
            self.form,
            data=fields,
            name="employer: save filing",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:  # saved: to the filing's page
                response.failure(f"save answered {response.status_code}")

    @task(1)
    def receipt(self):
        if not self.filings:
            return
        detail = self.client.get(random.choice(self.filings), name="employer: filing")
        receipts = _links(detail.text, "/quota/filings/")
        receipts = [r for r in receipts if "/receipts/" in r]
        if receipts:
            self.client.get(receipts[-1], name="employer: receipt")


class Graduate(Visitor):
    abstract = False
    weight = 2

    def on_start(self):
        super().on_start()
        self.login(_account("graduate", "graduate1"))

    @task(1)
    def home(self):
        self.client.get("/", name="graduate: home")

    @task(2)
    def recommendations(self):
        self.client.get("/jobmatch/my/recommendations", name="graduate: recommendations")

    @task(1)
    def messages(self):
        self.client.get("/my/plan", name="graduate: messages")


class Bare(HttpUser):
    """The baseline: a minimal Flask page (bench/bare_app.py) with the same think times."""

    wait_time = _think()

    @task
    def page(self):
        self.client.get("/", name="bare: page")
