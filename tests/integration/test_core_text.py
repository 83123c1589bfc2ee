"""Text the databases cannot store is refused at the boundary with a field error, never a 500."""

import pytest

from tests import factories


@pytest.mark.parametrize("bad", ["张\x00三", "\ud800"])
def test_unstorable_text_is_a_field_error(client, admin, api_headers, bad):
    body = {
        "certificate_no": factories.certificate_number(),
        "name": bad,
        "county_code": "330106",
        "consent": True,
    }
    response = client.post("/api/v1/people", json=body, headers=api_headers(admin))
    assert response.status_code == 422
    assert response.json == {"errors": {"name": ["请删除文本中的无效字符。"]}}
