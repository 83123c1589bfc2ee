"""A cache of heavy query results (the public lists), keyed by the version of the data they read.

`data_version(*models)` is one cheap query over the tables a page reads: per table its row count,
highest id and latest `updated_at` (where the table has one). Any insert, delete or ORM update
(whichever process made it: a web worker, the scheduler, the command line) changes it, so a cached
result is never served after its data changed, without any process having to announce the change.

`cached(name, version, params, compute)` answers the stored value for (name, version, params) or
computes, stores and answers it. The value must be JSON data (dicts, lists, text, numbers).
The store is in-process by default (a bounded LRU per worker: the embedded deployment needs nothing
else); with `PAGE_CACHE_REDIS_URL` set it is Redis, shared by every worker, each entry expiring
after `PAGE_CACHE_SECONDS`. A Redis that cannot be reached is skipped (the value is computed).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable

from flask import current_app
from sqlalchemy import func, inspect, select

from core.extensions import db

log = logging.getLogger(__name__)


def data_version(*models) -> str:
    """A short text that changes whenever a row of these tables is added, removed or updated."""
    columns = []
    for model in models:
        mapper = inspect(model)
        columns.append(select(func.count()).select_from(model).scalar_subquery())
        key = mapper.primary_key[0]
        columns.append(select(func.max(key)).scalar_subquery())
        if "updated_at" in mapper.columns:
            columns.append(select(func.max(mapper.columns["updated_at"])).scalar_subquery())
    row = db.session.execute(select(*columns)).one()
    return hashlib.sha256(repr(tuple(row)).encode()).hexdigest()[:16]


class MemoryStore:
    """A bounded least-recently-used store in this process."""

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[str, str] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
            return value

    def set(self, key: str, value: str, seconds: int) -> None:
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


class RedisStore:
    """Entries in Redis, shared by every worker, each expiring after its seconds."""

    def __init__(self, url: str):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)

    def get(self, key: str) -> str | None:
        value = self.client.get(key)
        return value.decode() if value is not None else None

    def set(self, key: str, value: str, seconds: int) -> None:
        self.client.set(key, value, ex=seconds)

    def clear(self) -> None:
        for key in self.client.scan_iter("pagecache:*"):
            self.client.delete(key)


def store():
    """The app's store, made on first use from its configuration."""
    app = current_app
    found = app.extensions.get("pagecache")
    if found is None:
        url = app.config.get("PAGE_CACHE_REDIS_URL", "")
        found = RedisStore(url) if url else MemoryStore(app.config.get("PAGE_CACHE_SIZE", 256))
        app.extensions["pagecache"] = found
    return found


def _stats() -> dict:
    return current_app.extensions.setdefault("pagecache_stats", {"hits": 0, "misses": 0})


def cached(name: str, version: str, params: dict, compute: Callable[[], object]):
    """The value for (name, data version, params): from the store, or computed and stored."""
    digest = hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()
    key = f"pagecache:{name}:{version}:{digest[:24]}"
    backend = store()
    try:
        found = backend.get(key)
    except Exception:  # noqa: BLE001  (a cache that cannot be reached must not break the page)
        log.warning("page cache unavailable; computing %s", name)
        found = None
    if found is not None:
        _stats()["hits"] += 1
        return json.loads(found)
    _stats()["misses"] += 1
    value = compute()
    try:
        backend.set(key, json.dumps(value), current_app.config.get("PAGE_CACHE_SECONDS", 3600))
    except Exception:  # noqa: BLE001
        log.warning("page cache unavailable; %s not stored", name)
    return value
