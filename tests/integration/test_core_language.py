"""The visitor's language choice survives logging in and follows ?lang= links."""


def test_language_chosen_before_login_is_kept_after_it(client, auth, counselor):
    client.get("/lang/en")
    auth.login(counselor)
    assert '<html lang="en">' in client.get("/account").get_data(as_text=True)


def test_a_lang_link_switches_the_language_for_the_visit(client):
    client.get("/?lang=en")
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)
    client.get("/?lang=zh")
    assert '<html lang="zh-CN">' in client.get("/login").get_data(as_text=True)
