"""The visitor's language choice survives logging in; ?lang= shows one page in a language."""


def test_language_chosen_before_login_is_kept_after_it(client, auth, counselor):
    client.get("/lang/en")
    auth.login(counselor)
    assert '<html lang="en">' in client.get("/account").get_data(as_text=True)


def test_a_lang_parameter_shows_one_page_in_that_language(client):
    assert '<html lang="en">' in client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="zh-CN">' in client.get("/login").get_data(as_text=True)
