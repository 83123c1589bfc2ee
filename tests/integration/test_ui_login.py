"""Getting in: a redirect to the login page says why; the menu's own login link does not."""


def test_a_protected_page_redirects_to_the_login_with_the_reason(client):
    response = client.get("/people")
    assert response.status_code == 302
    assert "/login?next=%2Fpeople" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<div class="notice" role="status">' in page
    assert "请先登录以查看该页面。" in page
    # said once: the next visit of the login page has no notice
    assert "请先登录以查看该页面。" not in client.get("/login").get_data(as_text=True)


def test_the_reason_in_english(client):
    client.get("/lang/en")
    response = client.get("/admin/audit")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Please log in to see that page." in page


def test_the_menu_login_link_has_no_reason(client):
    assert "请先登录" not in client.get("/login").get_data(as_text=True)
