"""Mixed journeys for `make load` (locust, headless): visitors, counselors and API clients.

Each simulated user sends its own X-Forwarded-For address (the app runs with BEHIND_PROXY=1, as
behind the real proxy), so the per-address login limit applies per user as it would in
production; `bench/load.py` checks that limit separately, from one address.
"""

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, task

PUBLIC_PAGES = json.loads(os.environ.get("LOAD_PUBLIC_PAGES", '["/", "/login"]'))
PASSWORD = os.environ.get("LOAD_PASSWORD", "Demo2026!")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹"
INITIALS = ["wl", "zw", "lj", "cy", "yf", "hm", "zq", "wm"]
_addresses = itertools.count(1)
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_PERSON_LINK = re.compile(r'href="/people/(\d+)"')


class ProxiedUser(HttpUser):
    abstract = True
    wait_time = between(0.5, 2)

    def on_start(self):
        n = next(_addresses)
        self.client.headers["X-Forwarded-For"] = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


class Visitor(ProxiedUser):
    """Anonymous: the home page and the public pages."""

    weight = 3

    @task(3)
    def home(self):
        self.client.get("/", name="GET /")

    @task(2)
    def public_page(self):
        path = random.choice(PUBLIC_PAGES)
        self.client.get(path, name=f"GET {path}")


class Counselor(ProxiedUser):
    """Logs in through the form (CSRF on), searches people by name or initials, opens one."""

    weight = 2

    def on_start(self):
        super().on_start()
        page = self.client.get("/login", name="GET /login")
        token = _CSRF.search(page.text)
        data = {"username": "counselor", "password": PASSWORD, "csrf_token": token.group(1)}
        with self.client.post(
            "/login", data=data, name="POST /login", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"login answered {response.status_code}")
        self.person_ids: list[str] = []

    @task(3)
    def search(self):
        query = random.choice(SURNAMES) if random.random() < 0.6 else random.choice(INITIALS)
        response = self.client.get("/people", params={"q": query}, name="GET /people?q=")
        self.person_ids = _PERSON_LINK.findall(response.text)[:20] or self.person_ids

    @task(2)
    def person(self):
        if self.person_ids:
            person_id = random.choice(self.person_ids)
            self.client.get(f"/people/{person_id}", name="GET /people/<id>")

    @task(1)
    def home(self):
        self.client.get("/", name="GET / (logged in)")


class ApiClient(ProxiedUser):
    """Gets a bearer token, then lists and searches people."""

    weight = 1

    def on_start(self):
        super().on_start()
        response = self.client.post(
            "/api/v1/auth/token",
            json={"username": "counselor", "password": PASSWORD},
            name="POST /api/v1/auth/token",
        )
        self.token = response.json().get("access_token", "") if response.ok else ""

    @task(3)
    def people(self):
        params = {"per_page": 50}
        if random.random() < 0.5:
            params["q"] = random.choice(SURNAMES)
        self.client.get(
            "/api/v1/people",
            params=params,
            headers={"Authorization": f"Bearer {self.token}"},
            name="GET /api/v1/people",
        )

    @task(1)
    def me(self):
        self.client.get(
            "/api/v1/me", headers={"Authorization": f"Bearer {self.token}"}, name="GET /api/v1/me"
        )
