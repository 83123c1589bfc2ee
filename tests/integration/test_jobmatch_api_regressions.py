"""Regressions found by fuzzing the job-matching API (and the core lists it shares ListQuery with).

Each answered 500 on PostgreSQL.
"""

import pytest

NUL = "a\x00b"
INVALID = "请删除文本中的无效字符。"


@pytest.fixture
def headers(api_headers, admin):
    return api_headers(admin)


@pytest.mark.parametrize(
    "path", ["/api/v1/seekers", "/api/v1/posts", "/api/v1/people", "/api/v1/employers"]
)
def test_a_nul_character_in_a_search_is_a_422(client, headers, path):
    """BaseSchema checked only dict bodies; a query string arrives as a MultiDictProxy, so a NUL in
    ?q= reached PostgreSQL ("string literal cannot contain NUL")."""
    response = client.get(path, query_string={"q": NUL}, headers=headers)
    assert response.status_code == 422
    assert response.json["errors"] == {"q": [INVALID]}
    # An unknown parameter is dropped, whatever it holds.
    assert client.get(path, query_string={"other": NUL}, headers=headers).status_code == 200
