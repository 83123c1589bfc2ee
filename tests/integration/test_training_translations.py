"""Training pages render in Chinese and in English (catalogue completeness: test_i18n.py)."""


def test_pages_render_in_both_languages(client):
    zh = client.get("/training/notice?lang=zh").get_data(as_text=True)
    en = client.get("/training/notice?lang=en").get_data(as_text=True)
    assert "培训机构和培训项目公示" in zh
    assert "Public notice of training providers and courses" in en
    home = client.get("/").get_data(as_text=True)
    assert 'href="/training/notice"' in home
