"""Jobmatch pages render in Chinese and in English (catalogue completeness: test_i18n.py)."""


def test_pages_render_in_both_languages(client, auth, counselor):
    auth.login(counselor)
    zh = client.get("/jobmatch/referrals?lang=zh").get_data(as_text=True)
    en = client.get("/jobmatch/referrals?lang=en").get_data(as_text=True)
    assert "各状态的推荐数" in zh and "Referrals by status" in en
