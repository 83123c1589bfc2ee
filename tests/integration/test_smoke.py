"""The app starts on each database, migrations build the schema, and the home page is Chinese."""


def test_home_page_is_chinese(client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in response.get_data(as_text=True)


def test_health_checks_the_database(client, backend):
    assert client.get("/healthz").json == {"status": "ok"}
