"""Employment pages render in Chinese and in English (catalogue completeness: test_i18n.py)."""


def test_pages_render_in_both_languages(client, auth, counselor):
    auth.login(counselor)
    zh = client.get("/employment/dashboard?lang=zh").get_data(as_text=True)
    en = client.get("/employment/dashboard?lang=en").get_data(as_text=True)
    assert "按目标汇总" in zh and "Summary against the plan's targets" in en
