"""One language at a time: Chinese texts that say what the English says, and local time."""

import re
from datetime import datetime

from flask_babel import force_locale, gettext

from core.extensions import db as _db
from core.models import AuditEvent


def test_and_n_more_says_more_not_in_total(app):
    with app.test_request_context(), force_locale("zh"):
        text = gettext("and %(count)s more", count=3)
    assert text == "另有 3 个"  # "等 3 个" reads as "3 in all", the opposite


def test_the_audit_trail_shows_china_standard_time_and_says_so(client, auth, admin):
    _db.session.add(
        AuditEvent(
            at=datetime(2026, 3, 1, 20, 30, 5), action="update", table_name="person", row_id="1"
        )
    )
    _db.session.commit()
    auth.login(admin)
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "时间（北京时间）" in page and "UTC）" not in page
    assert "2026-03-02 04:30:05" in page  # 20:30 UTC is 04:30 the next day in Beijing
    assert re.search(r"<code>person #\d+</code>", page)  # a row's table and key are marked as code


def test_the_scheduler_page_says_its_times_are_local(client, auth, admin):
    auth.login(admin)
    page = client.get("/admin/scheduler").get_data(as_text=True)
    assert "时间为北京时间（UTC+8）" in page
